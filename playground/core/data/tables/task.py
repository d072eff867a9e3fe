"""Classification or regression, found from the target column (or chosen), and the target as class codes or numbers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from playground.core.data.tables.columns import NUMBER_SHARE, as_numbers, as_text
from playground.core.errors import DatasetError

if TYPE_CHECKING:
    import pandas as pd

CLASSIFICATION, REGRESSION = "classification", "regression"
TASKS = (CLASSIFICATION, REGRESSION)
MAX_CODE_CLASSES = 20  # whole numbers with at most this many values are class codes (0-9 digits, 1-5 stars)
MAX_CLASSES = 100  # more classes than this is a column of names or measurements, not classes


@dataclass(frozen=True)
class Target:
    """The target of the rows that have one: int64 class codes (into class_names) or float64 numbers."""

    name: str
    task: str
    values: np.ndarray
    keep: np.ndarray  # bool, one per row of the table: this row has a target
    class_names: tuple[str, ...] = ()
    stray: tuple[str, ...] = ()  # texts that were not numbers in a number target (dropped like missing values)

    @property
    def dropped(self) -> int:
        return int((~self.keep).sum())


def target_numbers(series: pd.Series) -> tuple[pd.Series | None, tuple[str, ...]]:
    """(the target as float64, NaN where missing or not a number; a few of the texts that were not numbers) when
    it holds numbers; (None, ()) for text and booleans."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return None, ()
    numbers, stray = as_numbers(series)
    present = int(series.notna().sum())
    if present and numbers.notna().sum() >= NUMBER_SHARE * present:
        return numbers, tuple(stray.unique()[:3])
    return None, ()


def infer_task(series: pd.Series) -> str:
    """Text and booleans are classes; whole numbers with few values are class codes; other numbers are regressed."""
    return _inferred(target_numbers(series)[0])


def _inferred(numbers: pd.Series | None) -> str:
    if numbers is None:
        return CLASSIFICATION
    values = numbers.dropna()
    whole = bool((values == np.round(values)).all())
    return CLASSIFICATION if whole and values.nunique() <= MAX_CODE_CLASSES else REGRESSION


def prepare_target(series: pd.Series, name: str, where: str, task: str | None = None) -> Target:
    """The target of the task asked for (None: inferred). where names the file in messages."""
    if task not in (None, *TASKS):
        raise DatasetError(f"task {task!r} is not known; use classification or regression (or leave it unset to "
                           "infer it from the target)")
    if series.notna().sum() == 0:
        raise DatasetError(f"the target column {name!r} in {where} is empty (every value is missing); choose "
                           "another column as the target")
    numbers, stray = target_numbers(series)
    chosen = task or _inferred(numbers)
    if chosen == REGRESSION and numbers is None:
        example = as_text(series).dropna().iloc[0]
        raise DatasetError(f"the target {name!r} in {where} holds text (such as {example!r}), which cannot be "
                           "regressed; use the classification task, or choose a column of numbers as the target")
    if chosen == REGRESSION:
        target = _regression(name, numbers)
    else:
        target = _classification(name, series, numbers)
    _check_values(target, numbers is not None, where)
    return replace(target, stray=stray)


def _regression(name: str, numbers: pd.Series) -> Target:
    keep = numbers.notna().to_numpy()
    return Target(name, REGRESSION, numbers.to_numpy(np.float64)[keep], keep)


def _classification(name: str, series: pd.Series, numbers: pd.Series | None) -> Target:
    """Classes sorted sensibly: numbers by value (named '3', not '3.0'), text alphabetically whatever its case."""
    import pandas as pd

    if numbers is not None:
        keep = numbers.notna().to_numpy()
        present = numbers.to_numpy(np.float64)[keep]
        classes = np.unique(present)
        return Target(name, CLASSIFICATION, np.searchsorted(classes, present).astype(np.int64), keep,
                      tuple(_number_name(v) for v in classes))
    text = as_text(series)
    keep = text.notna().to_numpy()
    present = text.to_numpy(object)[keep]
    names = sorted(set(present), key=lambda v: (v.casefold(), v))
    codes = pd.Index(names, dtype=object).get_indexer(present).astype(np.int64)
    return Target(name, CLASSIFICATION, codes, keep, tuple(names))


def _check_values(target: Target, numeric: bool, where: str) -> None:
    distinct = len(target.class_names) if target.task == CLASSIFICATION else len(np.unique(target.values))
    if distinct == 1:
        value = target.class_names[0] if target.class_names else _number_name(target.values[0])
        raise DatasetError(f"the target {target.name!r} in {where} has the same value ({value!r}) in every row; "
                           "choose a column with at least two different values as the target")
    if target.task == CLASSIFICATION and distinct > MAX_CLASSES:
        fix = "use the regression task" if numeric else "choose a column of categories as the target"
        raise DatasetError(f"the target {target.name!r} in {where} has {distinct} different values, too many to "
                           f"be classes (at most {MAX_CLASSES}); {fix}")


def _number_name(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
