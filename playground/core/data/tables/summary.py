"""What a Data view shows of a table: the first rows as text with each column's kind, and per column a summary
(numbers: range, mean, spread and a histogram; other kinds: the most frequent values)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from playground.core.data.splits import Progress, no_progress
from playground.core.data.tables.columns import NUMBER, as_text, inspect_column
from playground.core.data.tables.read import read_head, read_table

if TYPE_CHECKING:
    import pandas as pd

PREVIEW_ROWS = 2000  # the rows a preview infers kinds from: enough to see a column's values, read in milliseconds
BINS = 20
TOP = 10  # most frequent values listed for a column that is not numbers


@dataclass(frozen=True)
class TablePreview:
    """The head of a table file, for showing before a run."""

    path: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]  # one per column, inferred from the first PREVIEW_ROWS rows
    rows: tuple[tuple[str, ...], ...]  # the first rows, every value as text ("" where missing)
    delimiter: str
    encoding: str
    rows_seen: int  # rows the kinds were inferred from
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnSummary:
    """One column at a glance. The number fields are None for a column that is not numbers."""

    name: str
    kind: str
    count: int  # values present
    missing: int
    minimum: float | None = None
    maximum: float | None = None
    mean: float | None = None
    std: float | None = None
    histogram: tuple[int, ...] = ()  # counts per bin, BINS bins (fewer when the column has fewer values)
    bin_edges: tuple[float, ...] = ()  # len(histogram) + 1 edges
    top: tuple[tuple[str, int], ...] = ()  # the most frequent values with their counts


def preview(path: str | Path, rows: int = 50, delimiter: str | None = None) -> TablePreview:
    """The first rows of a table file and the kind of each column, reading only the first PREVIEW_ROWS rows."""
    head = read_head(path, max(rows, PREVIEW_ROWS), delimiter, text=True)
    frame = head.frame
    kinds = tuple(inspect_column(name, frame[name]).kind for name in frame.columns)
    shown = frame.iloc[:rows]
    cells = [as_text(shown[name]).fillna("").to_numpy(object) for name in shown.columns]
    table = tuple(zip(*cells)) if cells else ()
    return TablePreview(str(head.path), tuple(frame.columns), kinds, tuple(tuple(r) for r in table), head.delimiter,
                        head.encoding, len(frame), head.notes)


def column_summaries(table: pd.DataFrame | str | Path, delimiter: str | None = None,
                     progress: Progress = no_progress) -> tuple[ColumnSummary, ...]:
    """A summary of every column of a DataFrame, or of a table file (read whole, within read_table's limits)."""
    if isinstance(table, str | Path):
        table = read_table(table, delimiter, progress, min_rows=1).frame
    summaries = []
    for n, name in enumerate(table.columns):
        progress("Summarising the columns", n, len(table.columns))
        summaries.append(summarise(str(name), table[name]))
    return tuple(summaries)


def summarise(name: str, series: pd.Series) -> ColumnSummary:
    column = inspect_column(name, series)
    base = ColumnSummary(name, column.kind, len(series) - column.missing, column.missing)
    if column.kind == NUMBER:
        return _numbers(base, column.values.to_numpy(np.float64))
    counts = as_text(series).value_counts().iloc[:TOP]
    return replace(base, top=tuple((str(k), int(v)) for k, v in counts.items()))


def _numbers(base: ColumnSummary, values: np.ndarray) -> ColumnSummary:
    values = values[np.isfinite(values)]
    if not len(values):
        return base
    counts, edges = np.histogram(values, bins=min(BINS, max(1, len(np.unique(values)))))
    return replace(base, minimum=float(values.min()), maximum=float(values.max()), mean=float(values.mean()),
                   std=float(values.std()), histogram=tuple(int(c) for c in counts),
                   bin_edges=tuple(float(e) for e in edges))
