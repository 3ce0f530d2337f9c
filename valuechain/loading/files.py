"""Read one raw table (CSV file or workbook sheet) as text cells with spreadsheet row numbers.

Everything here is about the dress of a file, not its meaning: encoding,
delimiter, header names. The loader (`load.py`) gives the cells
their meaning.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from valuechain.text import nfc

__all__ = [
    "RawTable",
    "read_csv_table",
    "records_frame",
    "find_header",
]

ROW = "_row"  # spreadsheet row number of each record (header = 1)


@dataclass
class RawTable:
    """A table as read: cells `c0, c1, …` (text, or numbers where the file's reader
    could type them), and `_row`, the spreadsheet row of each record.

    `headers` are the original header cells (NFC, stripped), in column order.
    """

    file: str
    frame: pd.DataFrame
    headers: list[str]
    encoding: str
    delimiter: str
    # Problems found while reading, for the load report: (row, key, params).
    notes: list[tuple[int | None, str, dict[str, Any]]] = field(default_factory=list)
    # False when the reader saw no control character in the file (none to remove).
    controls: bool = True


def _decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as the loader accepts; return (text, encoding name).

    The encoding is decided on the evidence of the whole file: a file whose
    non-ASCII bytes mostly form valid UTF-8 is UTF-8, and its few stray bytes
    become U+FFFD (`undecodable_rows` finds them); otherwise it is
    Windows-1258, which maps nearly every byte.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        as_utf8 = data.decode("utf-8", errors="replace")
        bad = as_utf8.count("\ufffd")
        good = sum(1 for ch in as_utf8 if ord(ch) > 127) - bad
        if good >= bad:
            return as_utf8, "utf-8"
        return data.decode("cp1258", errors="replace"), "cp1258"


def undecodable_rows(text: str) -> list[int]:
    """Spreadsheet rows (header = 1) holding a character that could not be decoded."""
    rows: list[int] = []
    line, start = 1, 0
    at = text.find("\ufffd")
    while at >= 0:
        line += text.count("\n", start, at)
        start = at
        if not rows or rows[-1] != line:
            rows.append(line)
        at = text.find("\ufffd", at + 1)
    return rows


def _detect_delimiter(text: str) -> str:
    """The delimiter of the header, or of the first of the first ten lines that
    has one (a title row above the header has none)."""
    for line in text.split("\n", 10)[:10]:
        counts = {d: line.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d])
        if counts[best] > 0:
            return best
    return ","


HEADER_ROWS = 10  # the header is looked for among this many first rows


def find_header(records: list[list[Any]], header_ok: Callable[[list[str]], bool] | None) -> int:
    """Index of the header among the first `HEADER_ROWS` records: the first that
    `header_ok` accepts (it holds the table's required columns); 0 when none does
    or there is no test, so that the missing columns are reported as usual."""
    if header_ok is None:
        return 0
    for i, record in enumerate(records[:HEADER_ROWS]):
        if header_ok(["" if c is None else str(c) for c in record]):
            return i
    return 0


def records_frame(
    file: str, records: list[list[str]], first_row: int
) -> tuple[list[str], pd.DataFrame]:
    headers = [nfc(str(h)) if h is not None else "" for h in records[0]] if records else []
    width = len(headers)
    rows: list[list[Any]] = []
    numbers: list[int] = []
    for offset, record in enumerate(records[1:], start=1):
        if all((c is None or str(c).strip() == "") for c in record):
            continue  # a blank line is not a record, but keeps its row number
        rec: list[Any] = list(record[:width]) + [None] * (width - len(record))
        # Cells past the header are data without a column name: keep them.
        if len(record) > width:
            extra = [c for c in record[width:] if c is not None and str(c).strip() != ""]
            if extra:
                rec.append(list(record[width:]))
        rows.append(rec[: width + 1] if len(rec) > width else rec)
        numbers.append(first_row + offset)
    cols = [f"c{i}" for i in range(width)]
    frame = pd.DataFrame([r[:width] for r in rows], columns=cols, dtype=object)
    overflow = [r[width] if len(r) > width else None for r in rows]
    if any(o is not None for o in overflow):
        frame["_overflow"] = overflow
    frame[ROW] = numbers
    return headers, frame


def read_csv_table(
    path: Path,
    *,
    numeric: Callable[[list[str]], set[int]] | None = None,
    decimal: str | None = None,
    header_ok: Callable[[list[str]], bool] | None = None,
) -> RawTable:
    """Read a CSV file in any dress the loader accepts.

    The fast path (pyarrow's multi-threaded reader) serves well-formed UTF-8 files;
    it reads the columns `numeric(headers)` names as numbers when the decimal mark
    can only be a point. Anything it refuses — another encoding, a ragged row —
    goes through the exact path (`csv` module), which numbers every record.
    """
    fast = _read_mapped(path, numeric, decimal)
    if fast is not None and (header_ok is None or header_ok(fast.headers)):
        return fast
    data = path.read_bytes()
    text, encoding = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes: list[tuple[int | None, str, dict[str, Any]]] = [
        (row, "undecodable", {"encoding": encoding}) for row in undecodable_rows(text)
    ]
    delimiter = _detect_delimiter(text)
    text, quote_notes = _close_stray_quote(text, delimiter)
    headers, frame, skipped = _read_csv_text(text, delimiter, header_ok)
    if skipped:
        notes.append((None, "title_rows", {"n": skipped, "header": skipped + 1}))
    return RawTable(str(path), frame, headers, encoding, delimiter, notes + quote_notes)


def _close_stray_quote(
    text: str, delimiter: str
) -> tuple[str, list[tuple[int | None, str, dict[str, Any]]]]:
    """A file with an odd number of `"` has a quote that never closes: read as it
    is, every row after it would become part of one cell. The cell where the
    last unclosed quote opens is read with that quote as a plain character, and
    a note names its row and the rows it would have swallowed."""
    if text.count('"') % 2 == 0:
        return text, []
    lines = text.split("\n")
    opened, inside = None, False
    for i, line in enumerate(lines):
        if line.count('"') % 2:
            inside = not inside
            if inside:
                opened = i
    if opened is None or not inside:
        return text, []
    line = lines[opened]
    cut = line.rfind('"')
    start = line.rfind(delimiter, 0, cut) + 1
    end = line.find(delimiter, cut)
    end = len(line) if end < 0 else end
    cell = line[start:end]
    lines[opened] = line[:start] + '"' + cell.replace('"', '""') + '"' + line[end:]
    last = len(lines) if lines[-1] else len(lines) - 1
    note = (opened + 1, "unclosed_quote", {"first": opened + 2, "last": last})
    return "\n".join(lines), [note]


def _read_mapped(
    path: Path, numeric: Callable[[list[str]], set[int]] | None, decimal: str | None
) -> RawTable | None:
    """The fast path over a memory map of the file: no copy of it in memory."""
    import mmap

    with path.open("rb") as fh:
        try:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return None
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: the exact path
            return None
        return _read_fast(path, data, numeric, decimal)
    finally:
        with contextlib.suppress(BufferError):  # still exported: the collector closes it
            data.close()


@dataclass(frozen=True)
class _ByteScan:
    line_ends: int  # `\n` bytes
    quotes: int  # `"` bytes
    controls: bool  # a control byte other than tab, line feed, carriage return


def _scan_bytes(data: Any) -> _ByteScan:
    """Line ends, quotes and control bytes, in one pass over the file in 1 MB
    slices (no copy of the whole file; each slice stays in the processor's cache)."""
    view = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 20
    line_ends = quotes = 0
    controls = False
    for i in range(0, len(view), step):
        part = view[i : i + step]
        line_ends += int(np.count_nonzero(part == 10))
        quotes += int(np.count_nonzero(part == 34))
        if not controls:
            low = part[part < 0x20]
            controls = bool(((low != 9) & (low != 10) & (low != 13)).any() or (part == 0x7F).any())
    return _ByteScan(line_ends, quotes, controls)


def _read_fast(
    path: Path,
    data: Any,
    numeric: Callable[[list[str]], set[int]] | None,
    decimal: str | None,
) -> RawTable | None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    header_end = data.find(b"\n", start)
    try:
        header_text = data[start : header_end if header_end >= 0 else None].decode("utf-8")
    except UnicodeDecodeError:
        return None
    header_text = header_text.rstrip("\r")
    if "\r" in header_text:  # line ends are carriage returns alone: the exact path
        return None
    scan = _scan_bytes(data)
    if scan.quotes % 2:  # a quote never closed: the exact path reports it
        return None
    delimiter = _detect_delimiter(header_text)
    headers = [nfc(h) for h in next(csv.reader([header_text], delimiter=delimiter), [])]
    width = len(headers)
    if not width or header_end < 0 or not _CONTENT.search(data, header_end):
        return None
    as_numbers = set(numeric(headers)) if numeric else set()
    # In a ;-separated file a bare 4.824 may mean 4824: leave numbers to the loader.
    if delimiter == ";" or decimal == ",":
        as_numbers = set()
    # Records end at line ends unless a quoted cell holds a line break. Blocks are
    # then split at any line end and parsed on every core; a count of line ends
    # against records proves no cell was cut (one line end per record plus the
    # header's), else the file is read again with quoted line breaks allowed.
    line_ends = scan.line_ends + (0 if data[-1:] == b"\n" else 1)
    body = pa.py_buffer(data).slice(start)
    attempts = [
        (typed, split)
        for typed in ([as_numbers, set()] if as_numbers else [set()])
        for split in (False, True)
    ]
    for typed, newlines_in_values in attempts:
        # large_string is the storage of pandas' own str dtype: no cast on the way.
        types = {f"f{i}": pa.float64() if i in typed else pa.large_string() for i in range(width)}
        try:
            table = pacsv.read_csv(
                body,
                read_options=pacsv.ReadOptions(autogenerate_column_names=True, skip_rows=1),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter,
                    newlines_in_values=newlines_in_values,
                    ignore_empty_lines=False,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        if not newlines_in_values and table.num_rows != line_ends - 1:
            continue
        if table.num_columns != width:  # rows shorter than the header: the exact path
            return None
        frame = table.to_pandas()
        frame.columns = [f"c{i}" for i in range(width)]
        frame[ROW] = np.arange(2, len(frame) + 2)
        raw = RawTable(str(path), _drop_blank(frame), headers, "utf-8", delimiter)
        raw.controls = scan.controls
        return raw
    return None


_CONTENT = re.compile(rb"[^\r\n]")


def _drop_blank(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop records whose every cell is empty (blank lines keep their row numbers)."""
    cells = [c for c in frame.columns if c != ROW]
    if not cells or frame.empty:
        return frame
    blank = _empty(frame[cells[0]])
    for c in cells[1:]:
        if not blank.any():
            return frame
        blank &= _empty(frame[c])
    return frame[~blank].reset_index(drop=True) if blank.any() else frame


def _empty(cells: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(cells):
        return cells.isna()
    if pd.api.types.is_string_dtype(cells) and cells.dtype != object:
        # pyarrow-backed text: empty, or white space only (the characters pandas'
        # own strip removes), told without building stripped copies.
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.chunked_array(pa.array(cells.fillna("")))
        empty = pc.or_(pc.equal(pc.binary_length(text), 0), pc.utf8_is_space(text)).to_numpy()
        return pd.Series(np.asarray(empty, dtype=bool), index=cells.index)
    return cells.isna() | (cells.astype(str).str.strip() == "")


def _read_csv_text(
    text: str, delimiter: str, header_ok: Callable[[list[str]], bool] | None = None
) -> tuple[list[str], pd.DataFrame, int]:
    """Parse CSV text; fast path through pandas, exact path through `csv` for ragged
    rows or title rows above the header. Returns headers, cells and the number
    of rows skipped above the header."""
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter), [])
    if header_ok is not None and not header_ok(first):
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        skip = find_header(records, header_ok)
        if skip:
            headers, frame = records_frame("", records[skip:], first_row=skip + 1)
            return headers, frame, skip
    width = len(first)
    if width and "\n" in text:
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                header=None,
                skiprows=1,
                names=[f"c{i}" for i in range(width)],
                engine="c",
                quoting=csv.QUOTE_MINIMAL,
            )
        except (pd.errors.ParserError, ValueError):
            frame = None
        if frame is not None:
            frame[ROW] = range(2, len(frame) + 2)
            return [nfc(h) for h in first], _drop_blank(frame), 0
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return (*records_frame("", records, first_row=1), 0)
