"""Cell-level loading: header resolution, text normalisation, numbers, codes,
VSIC, and the load-report helpers every table uses."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.arrays import relabelled
from valuechain.errors import LoadError
from valuechain.loading import numbers
from valuechain.loading.columns import (
    ALIASES,
    NON_NEGATIVE,
    NUMERIC,
    REQUIRED,
    header_key,
)
from valuechain.loading.files import ROW, RawTable
from valuechain.loading.report import LoadReport
from valuechain.text import map_unique, nfc_series

# The largest number a cell may hold: 10^15 (a quadrillion tonnes, or million
# VND — far beyond any enterprise), so that sums over millions of links stay finite.
MAX_NUMBER = 1e15

# Names the loader uses for its own columns: a user column so named gets a `_`
# added, so that it keeps its data and cannot be mistaken for them.
RESERVED = {ROW, "_overflow", "source_ext", "target_ext", "local"}


@dataclass(frozen=True)
class HeaderMatch:
    """What one header of a table stands for."""

    column: str | None  # the known column it fills, or None (kept as an attribute)
    by_words: bool = False  # matched by an alias it contains, not by its whole text
    candidates: tuple[str, ...] = ()  # columns it could equally be (then column is None)
    close: str = ""  # the known column it only resembles


def _contained(key: str, aliases: dict[str, str]) -> dict[str, int]:
    """For each column, the length of its longest alias found in `key` as whole
    words. Only aliases of two words or five letters count: `tên`, `mã` or
    `loại` inside a longer header say too little."""
    words = f"_{key}_"
    found: dict[str, int] = {}
    for alias, column in aliases.items():
        if ("_" in alias or len(alias) >= 5) and f"_{alias}_" in words:
            found[column] = max(found.get(column, 0), len(alias))
    return found


def match_headers(headers: list[str], table: str) -> list[HeaderMatch]:
    """Each header's column: a header equal to a known name or alias (no case,
    diacritics or units) takes it first; then a header containing aliases as
    whole words takes the column of the longest one (`Sản phẩm bán` → outputs,
    `Giá trị sản xuất (tỷ đồng)` → output_value, not value). Two columns
    claimed equally, or a column already taken, leave the header an attribute."""
    aliases = ALIASES[table]
    keys = [header_key(h) for h in headers]
    out: list[HeaderMatch | None] = [None] * len(headers)
    taken: set[str] = set()
    for i, key in enumerate(keys):
        column = aliases.get(key)
        if column and column not in taken:
            out[i] = HeaderMatch(column)
            taken.add(column)
    claims: list[tuple[int, int, str]] = []  # (alias length, header, column)
    for i, key in enumerate(keys):
        if out[i] is not None or not key or key in aliases:
            continue
        found = {c: n for c, n in _contained(key, aliases).items() if c not in taken}
        if not found:
            continue
        best = max(found.values())
        top = tuple(sorted(c for c, n in found.items() if n == best))
        if len(top) > 1:
            out[i] = HeaderMatch(None, candidates=top)
        else:
            claims.append((best, i, top[0]))
    for _, i, column in sorted(claims, key=lambda c: (-c[0], c[1])):
        if column not in taken:
            out[i] = HeaderMatch(column, by_words=True)
            taken.add(column)
    return [
        m if m is not None else HeaderMatch(None, close=closest_column(h, table) if h else "")
        for m, h in zip(out, headers, strict=True)
    ]


def closest_column(header: str, table: str) -> str:
    """The known column whose name or alias is closest to `header`, or ''."""
    aliases = ALIASES[table]
    close = difflib.get_close_matches(header_key(header), list(aliases), n=1, cutoff=0.6)
    return aliases[close[0]] if close else ""


def resolve_columns(raw: RawTable, table: str) -> tuple[pd.DataFrame, list[HeaderMatch]]:
    """Rename the raw cell columns to the standard column names; keep unknown ones.
    Returns the frame and each header's match.

    Raises `LoadError` naming the closest header when a required column is missing.
    """
    aliases = ALIASES[table]
    matches = match_headers(raw.headers, table)
    rename: dict[str, str] = {}
    taken = {m.column for m in matches if m.column}
    for i, (header, match) in enumerate(zip(raw.headers, matches, strict=True)):
        if match.column:
            rename[f"c{i}"] = match.column
        else:
            name = header or f"column_{i + 1}"
            while name in taken or name in aliases.values() or name in RESERVED:
                name += "_"
            rename[f"c{i}"] = name
            taken.add(name)
    for column in REQUIRED[table]:
        if column not in taken:
            close = difflib.get_close_matches(column, raw.headers, n=1, cutoff=0.5)
            raise LoadError(
                key="missing_column",
                file=raw.file,
                column=column,
                found=", ".join(raw.headers) or "–",
                match=close[0] if close else "",
            )
    return raw.frame.rename(columns=rename), matches


def prepare_table(
    raw: RawTable,
    table: str,
    decimal: str | None,
    report: LoadReport,
    *,
    numbers_later: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, int]:
    """The start every table with numbers shares: standard column names, text cleaned
    (all but the numeric columns and `numbers_later`, which the caller parses),
    extra cells reported, numbers parsed. Returns the frame and the records read."""
    frame = start_table(raw, table, report, skip={*NUMERIC[table], *numbers_later})
    parse_number_columns(frame, raw, table, decimal, report)
    for header, match in zip(raw.headers, match_headers(raw.headers, table), strict=True):
        factor = money_factor(header) if match.column in MONEY else None
        if factor is not None and factor != 1:
            frame[match.column] = frame[match.column] * factor
            params = {"header": header, "column": match.column, "factor": f"{factor:g}"}
            report.add("info", raw.file, [None], header, "money_unit", params)
    return frame, len(frame)


MONEY = ("value", "output_value")  # in million VND

# The unit a money header states (folded words), as a factor to million VND.
_MONEY_UNITS = (
    (("ty", "billion", "bn"), 1000.0),
    (("trieu", "tr", "million", "mil", "trd"), 1.0),
    (("nghin", "ngan", "1000", "thousand"), 0.001),
    (("dong", "vnd", "d"), 1e-6),
)


def money_factor(header: str) -> float | None:
    """What a money column's numbers are multiplied by to be million VND, by the
    unit its header states in parentheses or after a comma; None when it states
    none (million VND is the dataset's unit).

    >>> [money_factor(h) for h in ["Giá trị (tỷ đồng)", "Giá trị, triệu đồng", "value (VND)",
    ...  "Giá trị (nghìn đồng)", "Giá trị sản xuất", "value (million VND)"]]
    [1000.0, 1.0, 1e-06, 0.001, None, 1.0]
    """
    import re

    from valuechain.text import fold

    notes = re.findall(r"\(([^)]*)\)|\[([^\]]*)\]", header)
    unit = " ".join(a or b for a, b in notes)
    if "," in header:
        unit += " " + header.split(",", 1)[1]
    words = set(fold(unit).split("_")) - {""}
    for names, factor in _MONEY_UNITS:
        if words & set(names):
            return factor
    return None


def start_table(raw: RawTable, table: str, report: LoadReport, *, skip: set[str]) -> pd.DataFrame:
    """Standard column names, the reader's notes in the load report, text cleaned
    (NFC, trimmed, control characters removed with a warning) but for `skip`,
    extra cells reported."""
    frame, matches = resolve_columns(raw, table)
    for row, key, params in raw.notes:
        report.add("info" if key == "title_rows" else "warning", raw.file, [row], "", key, params)
    for header, match in zip(raw.headers, matches, strict=True):
        if match.column and match.by_words:
            params = {"header": header, "column": match.column}
            report.add("info", raw.file, [None], header, "column_by_words", params)
        elif match.candidates:
            params = {"header": header, "candidates": ", ".join(match.candidates)}
            report.add("warning", raw.file, [None], header, "column_ambiguous", params)
        elif not match.column and header:
            # A near miss may be a column misread: a warning; anything else is a note.
            level, key = (
                ("warning", "column_unused_close") if match.close else ("info", "column_unused")
            )
            report.add(
                level, raw.file, [None], header, key, {"header": header, "close": match.close}
            )
    frame = text_columns(frame, skip=skip)
    strip_controls(frame, raw, report, skip=skip)
    return overflow(frame, raw, report)


# Control characters (terminal escapes, bell, NUL…) have no place in a name and
# make XML exports invalid; tab, line feed and carriage return are kept.
_CONTROL = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"


def strip_controls(
    frame: pd.DataFrame, raw: RawTable, report: LoadReport, *, skip: set[str]
) -> None:
    """Remove control characters from every text column in place, one warning per cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not raw.controls:
        return
    for column in frame.columns:
        if column in skip or column in (ROW, "_overflow") or frame[column].dtype != "str":
            continue
        arr = pa.chunked_array(pa.array(frame[column].astype(str)))
        hit = pc.match_substring_regex(arr, _CONTROL).to_numpy(zero_copy_only=False)
        if not hit.any():
            continue
        report.add("warning", raw.file, frame.loc[hit, ROW], column, "control_chars")
        cleaned = pc.replace_substring_regex(arr, _CONTROL, "").to_pandas()
        frame[column] = pd.Series(cleaned.to_numpy(), index=frame.index).astype(str)


def starts_with_ext(end: pd.Series) -> np.ndarray:
    """Whether each cell names an outside party (`EXT`, any case): the one rule for
    link endpoints and for enterprise ids that look like one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array(pa.array(end.astype(str)))
    hit = pc.starts_with(arr, "EXT", ignore_case=True)
    return hit.to_numpy().astype(bool) if len(arr) else np.zeros(0, dtype=bool)


def text_columns(frame: pd.DataFrame, *, skip: set[str]) -> pd.DataFrame:
    """NFC-normalise every text column except `skip` (numeric columns, `_row`)."""
    columns = [c for c in frame.columns if c not in skip and c not in (ROW, "_overflow")]
    cleaned = [nfc_series(texts(frame[c])) for c in columns]
    for column, values in zip(columns, cleaned, strict=True):
        frame[column] = values
    return frame


def cell_text(value: object) -> str:
    """Text of a cell; workbook integers lose their `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def parse_number_columns(
    frame: pd.DataFrame, raw: RawTable, table: str, decimal: str | None, report: LoadReport
) -> None:
    """Parse the numeric columns in place; drop unreadable, out-of-range, negative cells.

    The decimal mark of a column of text numbers is `decimal` when given, else
    what the column's own cells show, else what the table's other numeric
    columns show, else the file's dress: a comma in a `;`-separated file, a
    workbook (a number Excel kept as text was typed the local way) or a table
    with Vietnamese headers; a point otherwise. A cell that reads either way
    (`4.800`) is read by that mark and listed with the value used.
    """
    columns = [c for c in NUMERIC[table] if c in frame.columns]
    read = {c: _TextCells(frame[c]) for c in columns if not pd.api.types.is_numeric_dtype(frame[c])}
    evidence = {c: r.numbers.evidence() for c, r in read.items()}
    table_mark = numbers.decide_mark(
        sum(e[0] for e in evidence.values()), sum(e[1] for e in evidence.values())
    )
    for column in columns:
        cells = frame[column]
        own = numbers.decide_mark(*evidence[column]) if column in evidence else None
        mark = decimal or own or table_mark or _dress_mark(raw)
        values = read[column].values(mark) if column in read else cells.astype("float64")
        if column in ("lat", "lon") and not pd.api.types.is_numeric_dtype(cells):
            # No degree has a thousands separator: `22.123` is 22.123 either way.
            either = numbers.ambiguous(cells)
            if either.any():
                values[either] = numbers.parse_numbers(
                    texts(cells[either]).str.replace(",", ".", regex=False), decimal="."
                ).to_numpy()
            values = _dms_cells(cells, values, raw, frame, report, column)
        elif column in read and decimal is None:
            either = read[column].either()
            _note_ambiguous(
                cells, values, either, mark, own is not None, raw, frame, report, column
            )
        # `inf` and `1e400` read as an infinite number: no quantity is one.
        infinite = pd.Series(np.isinf(values.to_numpy()), index=values.index)
        if not pd.api.types.is_numeric_dtype(cells):
            text_cells = texts(cells).str.strip()
            bad = (values.isna() | infinite) & (text_cells != "")
            flag(report, "warning", raw, frame, bad, column, "bad_number", text_cells)
            if bad.any() and bad.sum() == (text_cells != "").sum():
                # Not one number read: the whole column is lost to the analyses.
                report.add("warning", raw.file, [None], column, "column_unreadable")
        elif infinite.any():  # parsed by the reader already: its text is gone
            shown = [{"value": fmt_number(v)} for v in values[infinite]]
            report.add("warning", raw.file, frame.loc[infinite, ROW], column, "bad_number", shown)
        if infinite.any():
            values = values.mask(infinite)
        # Beyond any plausible quantity or value, and large enough that sums of a
        # few million of them could overflow: dropped like an unreadable number.
        huge = values.abs() > MAX_NUMBER
        if huge.any():
            report.add(
                "warning",
                raw.file,
                frame.loc[huge, ROW],
                column,
                "too_large",
                [{"value": f"{v:g}", "limit": f"{MAX_NUMBER:.0e}"} for v in values[huge]],
            )
            values = values.mask(huge)
        limit = {"lat": 90, "lon": 180}.get(column)
        if limit is not None:
            out = values.abs() > limit
            report.add(
                "warning",
                raw.file,
                frame.loc[out, ROW],
                column,
                "out_of_range",
                [{"value": fmt_number(v), "limit": limit} for v in values[out]],
            )
            values = values.mask(out)
        if column in NON_NEGATIVE:
            neg = values < 0
            report.add(
                "warning",
                raw.file,
                frame.loc[neg, ROW],
                column,
                "negative",
                [{"value": fmt_number(v)} for v in values[neg]],
            )
            values = values.mask(neg)
        frame[column] = values


class _TextCells:
    """A column's text cells read as numbers; the workbook numbers among them
    (an object column) pass through as they are."""

    def __init__(self, cells: pd.Series) -> None:
        self.cells = cells
        self.is_text = None
        if cells.dtype == object:
            self.is_text = cells.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
            cells = cells[self.is_text].astype(str)
        self.numbers = numbers.TextNumbers(cells)

    def values(self, mark: str) -> pd.Series:
        text_values = self.numbers.values(mark)
        if self.is_text is None:
            return pd.Series(text_values, index=self.cells.index, dtype="float64")
        out = pd.to_numeric(self.cells.where(~self.is_text), errors="coerce").astype("float64")
        out[self.is_text] = text_values
        return out

    def either(self) -> np.ndarray:
        if self.is_text is None:
            return self.numbers.either
        out = np.zeros(len(self.cells), dtype=bool)
        out[self.is_text] = self.numbers.either
        return out


def _dress_mark(raw: RawTable) -> str:
    """The decimal mark a table's dress suggests when no cell shows one."""
    vietnamese = raw.encoding in ("xlsx", "cp1258") or any(not h.isascii() for h in raw.headers)
    return "," if raw.delimiter == ";" or vietnamese else "."


def _note_ambiguous(
    cells: pd.Series,
    values: np.ndarray,
    either: np.ndarray,
    mark: str,
    decided_by_column: bool,
    raw: RawTable,
    frame: pd.DataFrame,
    report: LoadReport,
    column: str,
) -> None:
    """List the cells that read either way (`either`) with the value used: a note
    where the column's own cells showed the mark, a warning where they could not."""
    if not either.any():
        return
    level = "info" if decided_by_column else "warning"
    params = [
        {"value": v, "read": fmt_number(r), "mark": mark}
        for v, r in zip(texts(cells[either]).str.strip(), values[either], strict=True)
    ]
    report.add(level, raw.file, frame.loc[either, ROW], column, "ambiguous_number", params)


_DMS_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def parse_dms(text: str) -> float | None:
    """Degrees-minutes-seconds as decimal degrees, or None: `22°08'51"N`,
    `22 08 51.2`, `105°49'E`, `22°48'42.7"S` (negative).

    >>> parse_dms("22°48'42.7 N"), parse_dms("105°49'E"), parse_dms("22 08 51.2")
    (22.811861111111114, 105.81666666666666, 22.147555555555556)
    """
    text = text.strip()
    numbers = [float(n.replace(",", ".")) for n in _DMS_NUMBER.findall(text)]
    if not 1 <= len(numbers) <= 3 or (len(numbers) == 1 and "°" not in text):
        return None
    rest = _DMS_NUMBER.sub("", text)
    if re.search(r"[^\s°º'’′\"”″NSEWnsew:-]", rest):
        return None
    deg, minutes, seconds = (numbers + [0.0, 0.0])[:3]
    if minutes >= 60 or seconds >= 60:
        return None
    value = deg + minutes / 60 + seconds / 3600
    return -value if re.search(r"[SWsw]", rest) or text.startswith("-") else value


def _dms_cells(
    cells: pd.Series,
    values: pd.Series,
    raw: RawTable,
    frame: pd.DataFrame,
    report: LoadReport,
    column: str,
) -> pd.Series:
    """Coordinates written in degrees, minutes and seconds, converted (a note each)."""
    text = texts(cells).str.strip()
    todo = values.isna() & (text != "")
    if not todo.any():
        return values
    converted = text[todo].map(parse_dms).dropna()
    if len(converted):
        values = values.copy()
        values[converted.index] = converted.astype(float)
        params = [
            {"value": v, "degrees": f"{d:.6f}"}
            for v, d in zip(text[converted.index], converted, strict=True)
        ]
        report.add("info", raw.file, frame.loc[converted.index, ROW], column, "dms", params)
    return values


def flag(
    report: LoadReport,
    level: str,
    raw: RawTable,
    frame: pd.DataFrame,
    mask: pd.Series,
    column: str,
    code: str,
    value: pd.Series | pd.DataFrame | None = None,
) -> None:
    """Report one problem per row of `frame` under `mask`; `value` gives each its
    `{value}` parameter (a DataFrame: each row's parameters by column name)."""
    mask = np.asarray(mask, dtype=bool)
    if isinstance(value, pd.DataFrame):
        params = value[mask].to_dict("records")
    else:
        params = None if value is None else [{"value": v} for v in value[mask]]
    report.add(level, raw.file, frame.loc[mask, ROW], column, code, params)


def texts(cells: pd.Series) -> pd.Series:
    """The cells as text (workbook numbers included), for messages and emptiness."""
    if pd.api.types.is_string_dtype(cells) and cells.dtype != object:
        return cells
    return cells.map(cell_text)


def fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def overflow(frame: pd.DataFrame, raw: RawTable, report: LoadReport) -> pd.DataFrame:
    if "_overflow" in frame.columns:
        has = frame["_overflow"].notna()
        report.add(
            "warning",
            raw.file,
            frame.loc[has, ROW],
            "",
            "extra_cells",
            [{"value": ", ".join(str(c) for c in cells)} for cells in frame.loc[has, "_overflow"]],
        )
        frame = frame.drop(columns="_overflow")
    return frame


def reject_duplicates(
    frame: pd.DataFrame, key: str, raw: RawTable, report: LoadReport, code: str, *, among: pd.Series
) -> pd.Series:
    """Return the mask of rows (of those in `among`) whose `key` repeats an earlier
    one of them, reporting each; the first occurrence stays."""
    keys = frame.loc[among, key]
    if _all_distinct(keys):  # the usual case: no copy of the table, no report
        return pd.Series(False, index=frame.index)
    dup = keys.duplicated(keep="first").reindex(frame.index, fill_value=False)
    if dup.any():
        cand = frame[among]
        first = cand.drop_duplicates(key).set_index(key)[ROW]
        report.add(
            "error",
            raw.file,
            frame.loc[dup, ROW],
            key,
            code,
            [{"id": k, "first": int(first[k])} for k in frame.loc[dup, key]],
        )
    return dup


def _all_distinct(keys: pd.Series) -> bool:
    """No key repeats (pyarrow's hash kernel for text: a third of pandas' time)."""
    if not pd.api.types.is_string_dtype(keys) or keys.dtype == object:
        return bool(keys.is_unique)
    import pyarrow as pa
    import pyarrow.compute as pc

    return len(pc.unique(pa.chunked_array(pa.array(keys)))) == len(keys)


def count_rows(report: LoadReport, table: str, read: int, loaded: int) -> None:
    report.counts[table] = {"read": read, "loaded": loaded, "rejected": read - loaded}


def split_codes(text: pd.Series) -> pd.Series:
    """Split `;`-separated code cells into lists of stripped, non-empty codes."""
    return clean_codes(text).map(lambda s: s.split(";") if s else [])


def clean_codes(text: pd.Series) -> pd.Series:
    """`" log ; ;veneer;"` → `"log;veneer"`: codes stripped, empty ones gone, vectorised
    in pyarrow's regex kernel."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.fillna("").astype(str), type=pa.string())
    arr = pc.replace_substring_regex(arr, pattern=r"\s*;[\s;]*", replacement=";")
    arr = pc.utf8_trim(pc.utf8_trim_whitespace(arr), characters=";")
    return relabelled(arr, text.index).astype(str)


# --- VSIC ---------------------------------------------------------------------

_DIGITS = re.compile(r"\D")


def vsic_type(codes: pd.Series) -> pd.Series:
    """Return the enterprise type for each VSIC code, or None where the code is unusable.

    Divisions: 01–03 farm, 02 forestry, 05–09 mine, 10–33 processor, any other
    (34–99) service. Non-digits are ignored (`A0111` is 0111). A code of 1 or 3
    digits is taken to have lost its leading zero in a spreadsheet (`111` is class
    0111), the usual fate of agriculture codes typed into Excel.

    >>> vsic_type(pd.Series(["0111", "0210", "0722", "1610", "4620", "", "00"])).tolist()
    ['farm', 'forestry', 'mine', 'processor', 'service', None, None]
    """
    return map_unique(codes.fillna("").astype(str), _vsic_one)


def _vsic_one(code: str) -> str | None:
    digits = _DIGITS.sub("", code)
    if len(digits) in (1, 3):
        digits = "0" + digits
    if len(digits) < 2:
        return None
    division = int(digits[:2])
    for low, high, kind in _VSIC_DIVISIONS:
        if low <= division <= high:
            return kind
    return None


_VSIC_DIVISIONS = [
    (1, 1, "farm"),
    (2, 2, "forestry"),
    (3, 3, "farm"),
    (5, 9, "mine"),
    (10, 33, "processor"),
    (34, 99, "service"),
]
