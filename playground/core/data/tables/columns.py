"""What each column holds (its kind, found from its values) and encoders fitted on the training rows alone that
turn a column into float32 features: numbers standardised, booleans 0/1, categories one-hot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from playground.core.errors import DatasetError

if TYPE_CHECKING:
    import pandas as pd

NUMBER, CATEGORY, BOOLEAN = "number", "category", "boolean"  # the kinds a model can use
IDENTIFIER, DATE, CONSTANT, EMPTY, MANY = "identifier", "date", "constant", "empty", "many values"
USED = (NUMBER, CATEGORY, BOOLEAN)
TRUE_WORDS = frozenset({"true", "yes", "t", "y"})
FALSE_WORDS = frozenset({"false", "no", "f", "n"})
MAX_CATEGORIES = 100  # more distinct texts than this are free text or names, not categories
NUMBER_SHARE = 0.9  # a text column with this share of numbers is a number column with stray marks ("?", "-")
DATE_SAMPLE = 200  # values a date column is recognised from
DATE_PATTERN = re.compile(r"\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
                          r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?)?")
# names that say "identifier": id, user_id, index, row, uuid, and "Unnamed: 0" (the index a DataFrame wrote)
ID_NAME = re.compile(r"(.*[\W_])?(id|ids|index|idx|key|row|rowid|uuid|guid)|unnamed: \d+")
CAMEL_ID = re.compile(r".*[a-z0-9](Id|ID)")  # PassengerId, CustomerID


@dataclass(frozen=True)
class Column:
    """One column of a table, its values in the form its kind is encoded from: float64 for numbers and booleans
    (0/1), text for categories; NaN where missing (text that is not a number counts as missing in a number column)."""

    name: str
    kind: str
    values: pd.Series
    missing: int
    why: str = ""  # for a column left out: why, as part of a sentence
    stray: tuple[str, ...] = ()  # a few of the texts that were not numbers, for the note
    stray_count: int = 0


def as_text(series: pd.Series) -> pd.Series:
    """Every present value as stripped text (a column read in chunks may mix numbers and text), NaN where missing.
    Each distinct value is converted once: a column of a million rows holds a few categories."""
    codes, uniques = _factorized(series)
    texts = np.array([str(v).strip() or np.nan for v in uniques] + [np.nan], dtype=object)
    return _expanded(series, texts, codes)


def _factorized(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(a code per row, -1 where missing; the distinct values)."""
    import pandas as pd

    codes, uniques = pd.factorize(series.to_numpy(object))
    return codes, np.asarray(uniques, dtype=object)


def _expanded(series: pd.Series, per_unique: np.ndarray, codes: np.ndarray) -> pd.Series:
    """per_unique (one value per distinct value, then the one for missing) spread back over the rows."""
    import pandas as pd

    return pd.Series(per_unique[codes], index=series.index, dtype=per_unique.dtype)


def as_numbers(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(float64 values, NaN for text and infinities; the texts that were not numbers)."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        numbers = series.astype(np.float64)
        return numbers.where(np.isfinite(numbers)), pd.Series([], dtype=object)
    return _numbers(as_text(series))


def inspect_column(name: str, series: pd.Series) -> Column:
    """The column's kind, found from all its values (no statistics are taken here: those come from training)."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return _number_column(name, *as_numbers(series))
    text = as_text(series)  # once: str() of every value is the slow part on a big column
    present = int(text.notna().sum())
    if present == 0:
        return Column(name, EMPTY, text, len(text), "it is empty")
    booleans = _booleans(text)
    if booleans is not None:
        return _constant_or(Column(name, BOOLEAN, booleans, len(text) - present))
    numbers, stray = _numbers(text)
    if numbers.notna().sum() >= NUMBER_SHARE * present:
        return _number_column(name, numbers, stray)
    sample = text.dropna().iloc[:DATE_SAMPLE]
    if all(DATE_PATTERN.fullmatch(v) for v in sample):
        return Column(name, DATE, text, len(text) - present, "it holds dates: turn them into numbers (a year, "
                      "a day of the week) in the file to use them")
    distinct = text.nunique()
    if distinct == present and present > 1:
        return Column(name, IDENTIFIER, text, len(text) - present, "every value is different (a name or an ID)")
    if distinct > MAX_CATEGORIES:
        return Column(name, MANY, text, len(text) - present,
                      f"its {distinct} different values are too many for categories (at most {MAX_CATEGORIES})")
    return _constant_or(Column(name, CATEGORY, text, len(text) - present))


def _numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(float64 values, NaN for text and infinities; the texts that were not numbers, one per row holding one)."""
    import pandas as pd

    codes, uniques = _factorized(text)
    parsed = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(np.float64)
    finite = np.where(np.isfinite(parsed), parsed, np.nan)
    not_number = np.append(np.isnan(parsed), False)  # "inf" parses: it counts as missing, not as stray text
    return _expanded(text, np.append(finite, np.nan), codes), text[not_number[codes]]


def _booleans(text: pd.Series) -> pd.Series | None:
    """1.0 / 0.0 (NaN where missing) when every present value is a yes/no word (True/False included)."""
    codes, uniques = _factorized(text)
    words = [str(v).lower() for v in uniques]
    if not words or not set(words) <= TRUE_WORDS | FALSE_WORDS:
        return None
    return _expanded(text, np.array([1.0 if w in TRUE_WORDS else 0.0 for w in words] + [np.nan]), codes)


def _number_column(name: str, numbers: pd.Series, stray: pd.Series) -> Column:
    if numbers.notna().sum() == 0:
        return Column(name, EMPTY, numbers, len(numbers), "it is empty")
    column = Column(name, NUMBER, numbers, int(numbers.isna().sum()), stray=tuple(stray.unique()[:3]),
                    stray_count=len(stray))
    return _constant_or(_numbers_kind(column))


def _numbers_kind(column: Column) -> Column:
    """0/1 numbers are booleans; whole numbers that are all different are identifiers when they count rows
    (consecutive) or the column's name says so (id, index): a price that happens never to repeat stays a number."""
    values = column.values.dropna()
    distinct = values.unique()
    if np.isin(distinct, (0.0, 1.0)).all():
        return Column(column.name, BOOLEAN, column.values, column.missing)
    whole = bool((values == np.round(values)).all())
    if whole and len(distinct) == len(values) > 1:
        consecutive = values.max() - values.min() + 1 == len(values)
        if consecutive or looks_like_id(column.name):
            return Column(column.name, IDENTIFIER, column.values, column.missing,
                          "every value is different (a row number or an ID)")
    return column


def looks_like_id(name: str) -> bool:
    name = name.strip()
    return bool(ID_NAME.fullmatch(name.lower()) or CAMEL_ID.fullmatch(name))


def _constant_or(column: Column) -> Column:
    distinct = column.values.dropna().unique()
    if len(distinct) == 1:
        shown = _shown(distinct[0])
        return Column(column.name, CONSTANT, column.values, column.missing, f"it has the same value ({shown}) in "
                      "every row")
    return column


@dataclass(frozen=True)
class Encoder:
    """A column's encoding, fitted on the training rows: what fills a missing value, and the standardisation
    (numbers) or the categories (one-hot; a category training never saw becomes all zeros)."""

    name: str
    kind: str
    fill: float | str
    mean: float = 0.0
    std: float = 1.0
    categories: tuple[str, ...] = ()

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(f"{self.name}={c}" for c in self.categories) if self.kind == CATEGORY else (self.name,)

    def transform(self, values: pd.Series) -> np.ndarray:
        """Values in their kind's form (Column.values) -> N x len(output_names) float32."""
        import pandas as pd

        if self.kind == CATEGORY:
            codes = pd.Index(self.categories, dtype=object).get_indexer(_filled_text(values, str(self.fill)))
            out = np.zeros((len(codes), len(self.categories)), np.float32)
            rows = np.flatnonzero(codes >= 0)
            out[rows, codes[rows]] = 1.0
            return out
        x = np.nan_to_num(values.to_numpy(np.float64), nan=float(self.fill))
        if self.kind == NUMBER:
            x = (x - self.mean) / self.std
        return x.astype(np.float32)[:, None]

    def unseen(self, values: pd.Series) -> tuple[int, tuple[str, ...]]:
        """How many values are categories this encoder never saw, and a few of them."""
        if self.kind != CATEGORY:
            return 0, ()
        present = values.dropna()
        new = present[~present.isin(self.categories)]
        return len(new), tuple(new.unique()[:3])


def fit_encoder(column: Column, train: np.ndarray) -> Encoder:
    """The encoder of a usable column (NUMBER, BOOLEAN, CATEGORY) from the rows `train` (positions) alone."""
    seen = column.values.iloc[train].dropna()
    if column.kind == CATEGORY:
        counts = seen.value_counts()
        fill = min(counts.index[counts == counts.max()]) if len(counts) else ""  # ties: the first in order
        return Encoder(column.name, CATEGORY, fill, categories=tuple(sorted(counts.index)))
    if column.kind == BOOLEAN:
        return Encoder(column.name, BOOLEAN, float(seen.mean() > 0.5) if len(seen) else 0.0)
    fill = float(seen.median()) if len(seen) else 0.0
    x = np.nan_to_num(column.values.iloc[train].to_numpy(np.float64), nan=fill)
    mean, std = float(x.mean()), float(x.std())
    if not (np.isfinite(mean) and np.isfinite(std)):
        raise DatasetError(f"column {column.name!r} holds numbers too large to compute with (up to "
                           f"{np.abs(x).max():.3g}); rescale it in the file")
    return Encoder(column.name, NUMBER, fill, mean, std if std > 1e-12 else 1.0)


def fill_note(encoder: Encoder, filled: int) -> str:
    """'filled 3 missing values in 'age' with the training median 41', for the user."""
    if encoder.kind == NUMBER:
        how = f"the training median {encoder.fill:.4g}"
    elif encoder.kind == BOOLEAN:
        how = f"the most frequent training value ({'1, true' if encoder.fill else '0, false'})"
    else:
        how = f"the most frequent training value {encoder.fill!r}"
    return f"filled {filled} missing value{'s' if filled != 1 else ''} in {encoder.name!r} with {how}"


def _filled_text(values: pd.Series, fill: str) -> np.ndarray:
    import pandas as pd

    text = values.to_numpy(object, copy=True)
    text[pd.isna(text)] = fill
    return text


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)
