"""RUN on the command line: a run's id, its name, its folder or a file in it, or a unique start of its id."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from playground.core.errors import StoreError

if TYPE_CHECKING:
    from playground.core.store.records import RunRecord
    from playground.core.store.store import RunStore

MIN_PREFIX = 4  # a shorter start of an id matches too many runs to be meant


def find_run(store: RunStore, ref: str) -> RunRecord:
    """The run `ref` names; a StoreError that says how to list the runs when none (or several) match."""
    found = match_run(store.runs(), ref)
    if found is None:
        raise StoreError(f"no run {ref!r} in the run store {store.path}: it is no run's id, name or folder; "
                         "`playground runs` lists the runs")
    return found


def match_run(runs: list[RunRecord], ref: str) -> RunRecord | None:
    """The run `ref` names, None when none does; a StoreError when it is the start of several ids."""
    for field in ("id", "name"):
        exact = [r for r in runs if getattr(r, field) == ref]
        if exact:
            return exact[0]
    by_folder = run_in_folder(runs, ref)
    if by_folder is not None:
        return by_folder
    starts = [r for r in runs if len(ref) >= MIN_PREFIX and r.id.startswith(ref)]
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        raise StoreError(f"{ref!r} is the start of {len(starts)} run ids ({', '.join(r.id for r in starts[:5])}); "
                         "give more of the id")
    return None


def run_in_folder(runs: list[RunRecord], ref: str | Path) -> RunRecord | None:
    """The newest run whose folder is `ref`, or holds the file `ref` (its model.pt); None if no run's is."""
    path = Path(ref).expanduser()
    if not path.exists():
        return None
    path = path.resolve()
    folder = path.parent if path.is_file() else path
    for record in runs:  # newest first: a folder reused by a later run belongs to that run
        if _same(record.folder, folder):
            return record
    return None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b
    except OSError:
        return False
