"""`playground runs`: list the run store, show one run, delete one (with its folder).

Torch-free: the store is SQLite and JSON, so these commands answer at once.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

RUN_HELP = "a run's id (or its first characters), name or folder"


def add_runs_parser(sub: Any) -> None:
    runs = sub.add_parser("runs", help="list the runs in the run store; show or delete one",
                          description="The run store: every `playground train` run. Without a command, lists them.")
    runs.add_argument("--json", action="store_true", help="one JSON object per line")
    runs.add_argument("--status", choices=("running", "completed", "stopped", "failed", "interrupted"),
                      help="only runs with this status")
    actions = runs.add_subparsers(dest="runs_command", metavar="{list,show,delete}")
    listing = actions.add_parser("list", help="list the runs (the default)")
    _json_flag(listing)
    show = actions.add_parser("show", help="a run's settings, status and epochs")
    show.add_argument("ref", metavar="RUN", help=RUN_HELP)
    _json_flag(show)
    delete = actions.add_parser("delete", help="forget a run and delete its folder")
    delete.add_argument("ref", metavar="RUN", help=RUN_HELP)
    delete.add_argument("--yes", "-y", action="store_true", help="do not ask for a confirmation")
    runs.set_defaults(run=run_runs)


def _json_flag(p: argparse.ArgumentParser) -> None:
    # SUPPRESS: `runs --json list` keeps the flag given before the command
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="JSON instead of a table")


def run_runs(args: argparse.Namespace) -> int:
    from playground.core.store import RunStore

    with RunStore.open() as store:
        store.repair()  # runs whose process died are recorded as interrupted
        if args.runs_command == "show":
            return _show(store, args.ref, args.json)
        if args.runs_command == "delete":
            return _delete(store, args.ref, args.yes)
        return _list(store, args.json, args.status)


def _list(store: Any, as_json: bool, status: str | None) -> int:
    runs = [r for r in store.runs() if status is None or r.status == status]
    if as_json:
        for record in runs:
            print(json.dumps(record.to_json()))
        return 0
    if not runs:
        print(f"No runs{f' {status}' if status else ''} in the run store {store.path}; "
              "`playground train` records every run.")
        return 0
    rows = [("ID", "NAME", "STATUS", "KIND", "ARCH", "DATASET", "EPOCHS", "BEST", "DURATION", "STARTED", "FOLDER")]
    rows += [_row(r) for r in runs]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])
    return 0


def _row(r: Any) -> tuple[str, ...]:
    return (r.id, r.name, r.status, r.kind, r.arch, r.dataset, f"{r.epochs_done}/{r.epochs_planned}",
            best_text(r), clock(r.duration_s()), time.strftime("%Y-%m-%d %H:%M", time.localtime(r.started_at)),
            str(r.folder))


def best_text(r: Any) -> str:
    """'acc 0.9812 @3' or 'loss 0.0410 @5'; '-' before the first epoch."""
    if r.best.value is None:
        return "-"
    short = {"test_accuracy": "acc", "test_loss": "loss"}.get(r.best.metric, r.best.metric)
    return f"{short} {r.best.value:.4f} @{r.best.epoch}"


def clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _show(store: Any, ref: str, as_json: bool) -> int:
    record = store.find(ref)
    epochs = store.epoch_rows(record.id)
    if as_json:
        print(json.dumps({**record.to_json(), "config": record.config, "epoch_metrics": epochs}))
        return 0
    facts = record.to_json()
    for key in ("id", "name", "status", "kind", "arch", "dataset", "device", "folder", "started_at", "ended_at"):
        print(f"{key + ':':12} {facts[key] if facts[key] is not None else '-'}")
    print(f"{'duration:':12} {clock(record.duration_s())}")
    print(f"{'epochs:':12} {record.epochs_done} of {record.epochs_planned}, {record.steps_done} steps")
    print(f"{'best:':12} {best_text(record)}")
    print(f"{'settings:':12} " + " ".join(f"{k}={v}" for k, v in record.hyperparameters.items()))
    for key in ("message", "notes"):
        if facts[key]:
            print(f"{key + ':':12} {facts[key]}")
    _epoch_table(epochs)
    return 0


def _epoch_table(epochs: list[dict[str, Any]]) -> None:
    if not epochs:
        return
    names = [k for k in epochs[0] if k != "epoch"]
    print("\n" + "  ".join(["epoch", *names]))
    for row in epochs:
        cells = [f"{row['epoch']:5d}"] + [_cell(row.get(n)).rjust(len(n)) for n in names]
        print("  ".join(cells))


def _cell(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _delete(store: Any, ref: str, yes: bool) -> int:
    from playground.core.errors import StoreError

    record = store.find(ref)
    if not yes:
        if not sys.stdin.isatty():
            raise StoreError(f"not deleting run {record.name} without a confirmation; pass --yes to delete it")
        answer = input(f"Delete run {record.name} ({record.id}) and its folder {record.folder}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return 1
    gone = store.delete(record.id)
    kept = "" if gone else f"; {record.folder} holds other files and was kept (its run's files are gone)"
    print(f"Deleted run {record.name} ({record.id}){kept}.")
    return 0
