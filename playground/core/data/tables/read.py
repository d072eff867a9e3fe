"""Reading a table file with pandas: the encoding and the delimiter found from a sample, refusals that say what is
wrong (not text, empty, ragged, one column, too big), and a read in chunks that reports progress and can be stopped."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from playground.core.data.splits import Progress, no_progress
from playground.core.errors import DatasetError

if TYPE_CHECKING:
    import pandas as pd

MAX_BYTES = 500 * 1024**2  # a table this size takes several GB once parsed into Python objects
MAX_ROWS = 5_000_000
MIN_ROWS = 10  # fewer leave one or two test rows: nothing to learn from or measure
CHUNK_ROWS = 50_000  # rows per chunk: a progress report (and a chance to stop) every fraction of a second
SAMPLE_BYTES = 1024**2  # what the encoding and the delimiter are judged on
SNIFF_LINES = 50
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
MISSING_PANDAS = "reading tables needs pandas, which is not installed; pip install 'playground[tables]'"
FIX_TEXT = "choose a CSV file, or save the spreadsheet as CSV (UTF-8)"
# the first bytes of files people pick by mistake, for a message that says what the file is
MAGIC = {b"PK\x03\x04": "a ZIP archive (an Excel .xlsx workbook?)", b"\xd0\xcf\x11\xe0": "an old Office file (.xls?)",
         b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF document",
         b"\x1f\x8b": "a gzip-compressed file (decompress it first)", b"SQLite format": "an SQLite database",
         b"PAR1": "a Parquet file"}


@dataclass(frozen=True)
class Sniffed:
    """How a file is to be parsed: found from its first megabyte."""

    encoding: str
    delimiter: str
    header: str  # the first non-blank line, for messages
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableFile:
    """A parsed table: every column as pandas inferred it (numbers, text, or both where chunks disagreed)."""

    path: Path
    frame: pd.DataFrame
    delimiter: str
    encoding: str
    notes: tuple[str, ...] = ()


def require_pandas() -> ModuleType:
    """pandas, imported on first use: it is an optional extra, and importing it costs a few tenths of a second."""
    try:
        import pandas
    except ImportError:
        raise DatasetError(MISSING_PANDAS) from None
    return pandas


def shown_delimiter(delimiter: str) -> str:
    return f"{DELIMITER_NAMES.get(delimiter, 'delimiter')} {delimiter!r}"


def read_table(path: str | Path, delimiter: str | None = None, progress: Progress = no_progress,
               min_rows: int | None = None) -> TableFile:
    """The whole file, refused above MAX_BYTES or MAX_ROWS and below min_rows (None: MIN_ROWS). progress(message,
    bytes read, file size) is called after each chunk; an exception it raises (a stop) ends the read and propagates."""
    pd = require_pandas()
    file = _existing(path)
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise DatasetError(f"{file} is {_size(size)}, over the {_size(MAX_BYTES)} limit for tables; take a sample "
                           "of the rows into a smaller file")
    sniffed = sniff(file, delimiter)
    chunks = []
    rows = 0
    with open(file, "rb") as handle, _parsing(file, sniffed):
        with pd.read_csv(handle, **_csv_options(sniffed), chunksize=CHUNK_ROWS) as reader:
            for chunk in reader:
                rows += len(chunk)
                if rows > MAX_ROWS:
                    raise DatasetError(f"{file} has more than {MAX_ROWS:,} rows, the limit for tables; take a "
                                       "sample of the rows into a smaller file")
                chunks.append(chunk)
                progress(f"Reading {file.name}", handle.tell(), size)
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    frame.columns = [str(c) for c in frame.columns]
    _check_shape(file, frame, sniffed, delimiter)
    least = MIN_ROWS if min_rows is None else min_rows
    if len(frame) < least:
        raise DatasetError(f"{file} has only {len(frame)} row(s) of data; a table needs at least {least} "
                           "(many more to learn anything): add rows")
    return TableFile(file, frame, sniffed.delimiter, sniffed.encoding, sniffed.notes)


def read_head(path: str | Path, rows: int, delimiter: str | None = None, text: bool = False) -> TableFile:
    """The first rows only (a preview): no size limit, and no minimum number of rows. text: every value as the
    file writes it ("7.50" stays "7.50"), missing values still NaN."""
    pd = require_pandas()
    file = _existing(path)
    sniffed = sniff(file, delimiter)
    with open(file, "rb") as handle, _parsing(file, sniffed):
        frame = pd.read_csv(handle, **_csv_options(sniffed), nrows=rows, dtype=str if text else None)
    frame.columns = [str(c) for c in frame.columns]
    _check_shape(file, frame, sniffed, delimiter)
    return TableFile(file, frame, sniffed.delimiter, sniffed.encoding, sniffed.notes)


def sniff(path: Path, delimiter: str | None = None) -> Sniffed:
    """The encoding and the delimiter (the one given, or the one that splits the first lines most consistently)."""
    given = _given(delimiter)
    try:
        with open(path, "rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as e:
        raise DatasetError(f"cannot read {path}: {e.strerror or e}; check its permissions") from None
    whole = len(sample) < SAMPLE_BYTES
    encoding, notes = _encoding(path, sample, whole)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=whole)
    lines = [line for line in text.splitlines(keepends=True) if line.strip()]
    if not whole and len(lines) > 1:
        lines.pop()  # cut off in the middle
    if not lines:
        raise DatasetError(f"{path} is empty; choose a CSV file with a header line and rows of data")
    found = given or _best_delimiter(lines[:SNIFF_LINES])
    return Sniffed(encoding, found, lines[0].strip(), notes)


def _existing(path: str | Path) -> Path:
    file = Path(path).expanduser()
    if str(path) and file.is_dir():
        raise DatasetError(f"{file} is a folder, not a table file; set the data file to a CSV file")
    if not str(path) or not file.is_file():
        raise DatasetError(f"table file {str(path)!r} does not exist; set the data file to a CSV file")
    return file


def _given(delimiter: str | None) -> str | None:
    """A delimiter asked for: one character, or its name ("tab", "\\t" as typed in a shell)."""
    if delimiter is None:
        return None
    names = {name: d for d, name in DELIMITER_NAMES.items()} | {"\\t": "\t"}
    found = names.get(delimiter.strip().lower(), delimiter)
    if len(found) != 1:
        raise DatasetError(f"the delimiter {delimiter!r} must be one character (comma, semicolon, tab or pipe); "
                           "or leave it unset to detect it")
    return found


def _encoding(path: Path, sample: bytes, whole: bool) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (with or without a byte-order mark), UTF-16 with its mark, else Windows-1252 when that reads as text."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        return "utf-16", ()
    _refuse_binary(path, sample)
    # cp1252 is latin-1 plus letters in 0x80-0x9f; the five byte values it leaves undefined are a sign of binary data
    for encoding in ("utf-8-sig" if sample.startswith(codecs.BOM_UTF8) else "utf-8", "cp1252"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=whole)
        except UnicodeDecodeError:
            continue
        _refuse_binary(path, sample, text)
        if encoding != "cp1252":
            return encoding, ()
        return encoding, (f"{path.name} is not UTF-8; it was read as Windows-1252 (Western European) text: if "
                          "letters look wrong, save it as CSV UTF-8",)
    raise DatasetError(f"{path} is not a text table (it is neither UTF-8 nor Western European text); {FIX_TEXT}")


def _refuse_binary(path: Path, sample: bytes, text: str | None = None) -> None:
    what = next((name for magic, name in MAGIC.items() if sample.startswith(magic)), None)
    controls = sum(ch < " " and ch not in "\t\n\r\f" for ch in text) if text is not None else 0
    if what or b"\0" in sample or controls > len(sample) // 100:
        raise DatasetError(f"{path} is not a text table (it is {what or 'binary data'}); {FIX_TEXT}")


def _best_delimiter(lines: list[str]) -> str:
    """The delimiter whose field counts agree with the header's on most lines, then the one giving most fields."""
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter, skipinitialspace=True)]
        if counts[0] < 2:
            continue
        agree = sum(c == counts[0] for c in counts[1:]) / max(1, len(counts) - 1)
        if (agree, counts[0]) > best_score:
            best, best_score = delimiter, (agree, counts[0])
    return best


def _csv_options(sniffed: Sniffed) -> dict:
    # skipinitialspace: "a, b, c" is common; the C engine is the fast one and takes the delimiter we found. Files
    # separated by semicolons come from locales that write 1,5 for 1.5 (a 1.5 left as text is parsed later).
    # low_memory=False: one type per column within a chunk (our chunks already bound the memory), no DtypeWarning.
    return {"sep": sniffed.delimiter, "encoding": sniffed.encoding, "skipinitialspace": True, "engine": "c",
            "decimal": "," if sniffed.delimiter == ";" else ".", "low_memory": False}


@contextmanager
def _parsing(path: Path, sniffed: Sniffed) -> Iterator[None]:
    """Turns pandas' parse errors into DatasetErrors naming the file, the line and the fix."""
    from pandas.errors import EmptyDataError, ParserError

    try:
        yield
    except EmptyDataError:
        raise DatasetError(f"{path} is empty; choose a CSV file with a header line and rows of data") from None
    except UnicodeDecodeError:  # the first megabyte was judged to be UTF-8; a later part is not
        raise DatasetError(f"{path} is not valid {sniffed.encoding} text past its first megabyte (a mix of "
                           "encodings); save it again as CSV UTF-8") from None
    except ParserError as e:
        raise DatasetError(_parser_problem(path, sniffed, str(e))) from None


def _parser_problem(path: Path, sniffed: Sniffed, message: str) -> str:
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if ragged:
        expected, line, saw = ragged.groups()
        return (f"{path} line {line} has {saw} fields but the header has {expected} (read with the "
                f"{shown_delimiter(sniffed.delimiter)}); fix that line, or quote a value that holds the delimiter")
    quote = re.search(r"EOF inside string starting (?:at|on) (?:row|line) (\d+)", message)
    if quote:  # pandas counts these rows from 0, the header included
        return (f"{path} has a quote (\") that is never closed, from line {int(quote.group(1)) + 1} on; "
                "close the quote or remove it")
    first = (message.strip().splitlines() or ["cannot be parsed"])[0]
    return f"{path} cannot be read as a table ({first}); check that it is a CSV file"


def _check_shape(path: Path, frame: pd.DataFrame, sniffed: Sniffed, given: str | None) -> None:
    """A header of numbers is a first row of data; one column while another delimiter splits it is a wrong one."""
    if len(frame.columns) == 1:
        fields, delimiter = max((len(next(csv.reader([sniffed.header], delimiter=d))), d)
                                for d in DELIMITERS if d != sniffed.delimiter)
        if fields > 1:
            fix = "use that delimiter" + (" (or leave it unset to detect it)" if given else "")
            raise DatasetError(f"{path} reads as a single column with the {shown_delimiter(sniffed.delimiter)}; it "
                               f"seems to use the {shown_delimiter(delimiter)} (its header splits into {fields} "
                               f"columns with it): {fix}")
    names = [str(c) for c in frame.columns]
    if names and all(_is_number(n) for n in names):
        raise DatasetError(f"{path} has no header line (its first row, {sniffed.header[:60]!r}, holds numbers); "
                           "add a first line with the column names")


def _size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


def _is_number(text: str) -> bool:
    try:
        float(re.sub(r"\.\d+$", "", text) if text.count(".") > 1 else text)  # pandas renames a repeat "5" to "5.1"
    except ValueError:
        return False
    return True
