"""A table file -> DataSplits: read, pick the target and the features, split (stratified for classes), and encode
with statistics of the training rows alone. Everything the user should know comes back as short notices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from playground.core.data.splits import DataSplits, Progress, no_progress
from playground.core.data.tables.columns import EMPTY, USED, Column, Encoder, fill_note, fit_encoder, inspect_column
from playground.core.data.tables.read import MIN_ROWS, read_table
from playground.core.data.tables.task import CLASSIFICATION, Target, prepare_target
from playground.core.errors import DatasetError


@dataclass(frozen=True)
class ColumnInfo:
    """What became of one column of the file."""

    name: str
    kind: str  # number, category, boolean, identifier, date, constant, empty, many values; or the task for the target
    role: str  # "feature", "target", or "left out: <why>"
    missing: int  # values missing (or not numbers, in a number column) among the rows used
    filled: int  # of those, filled in (features) or dropped with their row (the target)


@dataclass(frozen=True)
class TableData:
    """A table ready to train on, and how it was made: enough to encode new rows and give predictions back."""

    splits: DataSplits
    feature_names: tuple[str, ...]  # one per input: "age", "colour=red", ...
    columns: tuple[ColumnInfo, ...]
    encoders: tuple[Encoder, ...]  # per feature column, in order: fitted on the training rows
    target: str
    target_mean: float | None  # regression: the target was standardised with these; None for classification
    target_std: float | None
    rows_read: int
    rows_used: int  # rows with a target
    train_rows: int
    test_rows: int
    path: str
    delimiter: str

    def in_target_units(self, y: torch.Tensor) -> torch.Tensor:
        """Standardised regression outputs -> the target's own units."""
        return y if self.target_mean is None else y * self.target_std + self.target_mean


def load_table(path: str | Path, target: str, features: Sequence[str] | str | None = None, task: str | None = None,
               seed: int = 0, test_fraction: float = 0.2, progress: Progress = no_progress,
               delimiter: str | None = None) -> TableData:
    """Read a CSV file and prepare it for training. features: the columns to use (a list, or names separated by
    commas; None: every column but the target); task: classification, regression or None (inferred)."""
    if not 0 < test_fraction < 1:
        raise DatasetError(f"the test fraction {test_fraction} must be between 0 and 1 (0.2 holds out a fifth)")
    table = read_table(path, delimiter, progress)
    frame, where = table.frame, str(table.path)
    names = list(frame.columns)
    target = _find(target, names, where, "target")
    chosen = _features(features, names, target, where)
    y = prepare_target(frame[target], target, where, task)
    rows = frame[y.keep].reset_index(drop=True)
    if len(rows) < MIN_ROWS:
        raise DatasetError(f"{where} has only {len(rows)} row(s) with a value in the target {target!r}; a table "
                           f"needs at least {MIN_ROWS}: add rows, or choose another target")
    columns = []
    for n, name in enumerate(chosen):
        progress("Preparing the columns", n, len(chosen))
        columns.append(inspect_column(name, rows[name]))
    _check_columns(columns, chosen, names, target, where, features is None)
    train, test = split_rows(y.values, y.task == CLASSIFICATION, seed, test_fraction)
    if not len(test):
        raise DatasetError(f"every class of the target {target!r} in {where} has a single row, which leaves none to "
                           "test on; choose a target whose values repeat (categories, not names)")
    return _encoded(table.path, table.delimiter, len(frame), columns, y, train, test, table.notes)


def split_rows(y: np.ndarray, stratify: bool, seed: int, test_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) row positions, the same for the same seed. Stratified: each class keeps its share in both
    splits, and a class of at least 2 rows has a row in each."""
    rng = np.random.default_rng(seed)
    if not stratify:
        perm = rng.permutation(len(y))
        k = max(1, int(len(y) * test_fraction))
        return np.sort(perm[k:]), np.sort(perm[:k])
    train, test = [], []
    for c in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == c))
        k = min(max(1, round(len(rows) * test_fraction)), len(rows) - 1)  # 0 for a class of one row
        test.append(rows[:k])
        train.append(rows[k:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def _find(wanted: str, names: list[str], where: str, role: str) -> str:
    """The column named so, or the one named so but for case and spaces; otherwise an error listing the columns."""
    if wanted in names:
        return wanted
    loose = [n for n in names if n.strip().casefold() == str(wanted).strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    raise DatasetError(f"{where} has no column {wanted!r} (for the {role}); its columns are {_listed(names)}")


def _features(features: Sequence[str] | str | None, names: list[str], target: str, where: str) -> list[str]:
    if features is None:
        if len(names) == 1:
            raise DatasetError(f"{where} has a single column, {target!r}; a table needs columns to learn from "
                               "besides the target")
        return [n for n in names if n != target]
    wanted = [f.strip() for f in features.split(",")] if isinstance(features, str) else list(features)
    chosen = [_find(f, names, where, "features") for f in wanted if f]
    if target in chosen:
        raise DatasetError(f"the target {target!r} is also among the features; leave it out of the features")
    if not chosen:
        raise DatasetError(f"no feature columns were given; name some of {_listed(names)}, or leave the features "
                           "unset to use every column but the target")
    return list(dict.fromkeys(chosen))  # a column named twice is used once


def _check_columns(columns: list[Column], chosen: list[str], names: list[str], target: str, where: str,
                   every: bool) -> None:
    """An empty feature column is an error (a model cannot learn from it silently); so is having no usable one.
    A column without a name that is empty is left out: a delimiter at the end of each line makes one."""
    for column in columns:
        if column.kind == EMPTY and not (every and column.name.startswith("Unnamed: ")):
            others = [n for n in chosen if n != column.name]
            raise DatasetError(f"column {column.name!r} in {where} is empty (every value is missing); leave it out "
                               f"with the features option, e.g. --features {','.join(others[:8])}")
    if not any(c.kind in USED for c in columns):
        why = "; ".join(f"{c.name!r}: {c.why}" for c in columns[:5])
        raise DatasetError(f"{where} has no column that can be a feature besides the target {target!r} ({why}); "
                           "add columns of numbers or categories")


def _encoded(path: Path, delimiter: str, rows_read: int, columns: list[Column], y: Target, train: np.ndarray,
             test: np.ndarray, read_notes: tuple[str, ...]) -> TableData:
    used = [c for c in columns if c.kind in USED]
    encoders = tuple(fit_encoder(c, train) for c in used)
    x = np.concatenate([e.transform(c.values) for e, c in zip(encoders, used)], axis=1)
    mean = std = None
    if y.task == CLASSIFICATION:
        train_y, test_y = torch.from_numpy(y.values[train]), torch.from_numpy(y.values[test])
    else:  # standardised like the inputs, so that one learning rate suits any unit (dollars or millimetres)
        mean, std = float(y.values[train].mean()), float(y.values[train].std()) or 1.0
        scaled = ((y.values - mean) / std).astype(np.float32)
        train_y, test_y = torch.from_numpy(scaled[train]), torch.from_numpy(scaled[test])
    features, rows, held = torch.from_numpy(x), torch.from_numpy(train), torch.from_numpy(test)
    splits = DataSplits(train_x=features[rows], train_y=train_y, test_x=features[held], test_y=test_y,
                        task=y.task, num_classes=len(y.class_names) if y.task == CLASSIFICATION else 1,
                        class_names=y.class_names,
                        notices=read_notes + _notices(columns, encoders, y, test))
    infos = tuple(_info(c) for c in columns) + (ColumnInfo(y.name, y.task, "target", y.dropped, y.dropped),)
    return TableData(splits, tuple(n for e in encoders for n in e.output_names), infos, encoders, y.name, mean, std,
                     rows_read, len(y.values), len(train), len(test), str(path), delimiter)


def _info(column: Column) -> ColumnInfo:
    if column.kind in USED:
        return ColumnInfo(column.name, column.kind, "feature", column.missing, column.missing)
    return ColumnInfo(column.name, column.kind, f"left out: {column.why}", column.missing, 0)


def _notices(columns: list[Column], encoders: tuple[Encoder, ...], y: Target, test: np.ndarray) -> tuple[str, ...]:
    """Short sentences for the user: rows dropped, columns left out, values filled in, categories unseen."""
    notes = []
    if y.dropped:
        stray = f" or not a number (such as {y.stray[0]!r})" if y.stray else ""
        notes.append(f"dropped {y.dropped} row(s) whose target {y.name!r} is missing{stray}")
    notes += [f"left out {c.name!r}: {c.why}" for c in columns if c.kind not in USED]
    by_name = {e.name: e for e in encoders}
    for c in columns:
        if c.kind not in USED:
            continue
        if c.stray_count:
            notes.append(f"{c.name!r}: {c.stray_count} value(s) that are not numbers (such as {c.stray[0]!r}) "
                         "count as missing")
        if c.missing:
            notes.append(fill_note(by_name[c.name], c.missing))
        unseen, examples = by_name[c.name].unseen(c.values.iloc[test])
        if unseen:
            notes.append(f"{c.name!r}: {unseen} test row(s) have a category training never saw (such as "
                         f"{examples[0]!r}); they are encoded as none of the known ones")
    if y.task == CLASSIFICATION:
        lonely = [y.class_names[k] for k in np.unique(y.values) if (y.values == k).sum() == 1]
        if lonely:
            notes.append(f"class(es) {_listed(lonely)} have a single row: it is in the training split only")
    return tuple(notes)


def _listed(names: Sequence[str], most: int = 12) -> str:
    shown = ", ".join(repr(n) for n in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")
