"""The csv dataset: a table file the user names, its target and features from the run's settings, as DataSplits
for the trainer. What load_table notes (filled values, columns left out) travels as the splits' notices, which a
run tells once at its start."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from playground.core.data.splits import DataSplits, Progress, no_progress
from playground.core.data.tables.prepare import load_table
from playground.core.data.tables.read import DELIMITERS, read_head, shown_delimiter
from playground.core.errors import DatasetError

HEAD_ROWS = 200  # rows the delimiter is checked on before the whole file is read


def table_splits(path: str | Path, target: str, features: Sequence[str] = (), task: str = "", seed: int = 0,
                 progress: Progress = no_progress) -> DataSplits:
    """The table at `path` ready to train on; features empty: every column but the target; task "": inferred."""
    if not str(path).strip():
        raise DatasetError("the csv dataset reads a table of yours: give it with --data-file PATH (a CSV file) "
                           "and the column to learn with --target COLUMN")
    columns = _checked_columns(path)
    if not target.strip():
        shown = ", ".join(repr(str(c)) for c in columns[:12]) + (" and more" if len(columns) > 12 else "")
        raise DatasetError(f"csv needs the column to learn: give it with --target COLUMN, one of {shown}")
    progress(f"Reading {Path(path).name}", 0, 0)
    data = load_table(path, target, list(features) or None, task or None, seed, progress=progress)
    return data.splits


def _checked_columns(path: str | Path) -> list[str]:
    """The header's columns, from the first rows; a delimiter the sniffer cannot find (spaces, colons) or one
    that differs between the header and the rows is named here, before a message about a missing column."""
    head = read_head(path, HEAD_ROWS, text=True)
    frame, where = head.frame, head.path
    if len(frame.columns) == 1:
        raise DatasetError(f"{where} reads as a single column ({str(frame.columns[0])[:40]!r}): its values are "
                           "separated by none of comma, semicolon, tab or pipe; save it as CSV (comma-separated)")
    if len(frame) and frame.iloc[:, 1:].isna().all().all():
        first = frame.iloc[:, 0].dropna().astype(str)
        other = next((d for d in DELIMITERS if d != head.delimiter and first.str.contains(d, regex=False).any()), "")
        seems = f" (they seem to use the {shown_delimiter(other)})" if other else ""
        raise DatasetError(f"{where} has a header split by the {shown_delimiter(head.delimiter)} but rows of one "
                           f"value each{seems}; use one delimiter throughout the file")
    return [str(c) for c in frame.columns]
