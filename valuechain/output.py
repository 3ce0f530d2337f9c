"""Turn analysis results into the text SPEC §4 prints: csv, json, or a table for people.

csv and json are for programs and stable; the table is for a planner, with
Vietnamese or English headers. No printing here: functions return strings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .i18n import TEXT, t

__all__ = [
    "FORMATS",
    "plain",
    "to_csv",
    "to_json",
    "to_table",
    "safe_cell",
    "records",
    "cell_text",
    "header_text",
    "value_text",
]

FORMATS = ("table", "csv", "json")

# Decimal places kept in machine output: km as SPEC §5 shows them, everything else 4.
_DIGITS = {"km": 3, "nearest_km": 3}
_DEFAULT_DIGITS = 4


def plain(value: object, column: str = "") -> object:
    """A cell as a JSON-ready Python value: null for NaN/NA, rounded floats, lists kept."""
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        rounded = round(float(value), _DIGITS.get(column, _DEFAULT_DIGITS))
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """The frame's rows as JSON-ready dicts (column order kept), converted column by
    column: a million rows take about a second, not a Python call per cell."""
    columns = [str(c) for c in frame.columns]
    values = [_column_values(frame[c], c) for c in frame.columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _column_values(column: pd.Series, name: str) -> list:
    if pd.api.types.is_bool_dtype(column) and not column.isna().any():
        return column.astype(bool).tolist()
    if pd.api.types.is_float_dtype(column):
        arr, whole = _rounded(column, str(name))
        out = arr.astype(object)
        out[whole] = arr[whole].astype(np.int64).astype(object)
        out[np.isnan(arr)] = None
        return out.tolist()
    if pd.api.types.is_integer_dtype(column):
        missing = column.isna().to_numpy()
        values = column.fillna(0).astype(np.int64).tolist()
        for i in np.flatnonzero(missing):
            values[i] = None
        return values
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        return column.to_numpy(dtype=object, na_value=None).tolist()
    if kind == "mixed":
        cells = column.tolist()
        if _all_text_lists(cells):
            return cells
    return [plain(v, str(name)) for v in column.tolist()]


def _rounded(column: pd.Series, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A numeric column as machine output rounds it (`plain`, vectorised), and
    which values are whole (written without a decimal point)."""
    arr = column.to_numpy(dtype=float, na_value=np.nan).round(_DIGITS.get(name, _DEFAULT_DIGITS))
    return arr, np.isfinite(arr) & (arr == np.round(arr)) & (np.abs(arr) < 2**53)


def _all_text_lists(cells: list) -> bool:
    """Every cell is a list of str (flags, codes): already JSON-ready. Lists
    shared by many rows (flags) are looked into once."""
    if not all(type(v) is list for v in cells):
        return False
    distinct = {id(v): v for v in cells}.values()
    flat = [x for v in distinct for x in v]
    return pd.api.types.infer_dtype(flat, skipna=False) in ("string", "empty")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The same first characters as a pattern for pyarrow's regex kernel (hex escapes).
_FORMULA_PATTERN = "^[" + "".join(f"\\x{ord(c):02x}" for c in _FORMULA_START) + "]"


def safe_cell(text: str) -> str:
    """Neutralise a text cell a spreadsheet would run as a formula (OWASP CSV injection).

    A cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
    `'`, unless it is a plain number such as `-12.5`.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-12.5"), safe_cell("LN001")
    ("'=HYPERLINK(1)", '-12.5', 'LN001')
    """
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return safe_cell(";".join("" if v is None else str(v) for v in value))
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


def to_csv(frame: pd.DataFrame) -> str:
    """CSV text with SPEC §4 conventions: plain numbers, empty null, true/false, `;` lists.

    Quoted as Python's csv module quotes (a cell holding a comma, a quote or a
    line feed; a lone cell that is empty), and a cell holding a carriage return
    too, which readers would otherwise take for a line end. Cells are made
    column by column (numbers through numpy, text through pyarrow's kernels;
    only cells that look like a formula, and lists, are seen one by one) and
    the rows joined by pyarrow: no Python object per cell.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(frame.columns):
        return "\n" * (len(frame) + 1)
    lone = len(frame.columns) == 1
    names = pa.array([str(c) for c in frame.columns], type=pa.large_string())
    header = _quoted(names, lone).to_pylist()
    columns = [_quoted(_csv_column(frame[c], str(c)), lone) for c in frame.columns]
    comma = pa.scalar(",", pa.large_string())
    lines = pc.binary_join_element_wise(*columns, comma) if not lone else columns[0]
    if not len(lines):
        return ",".join(header) + "\n"
    rows = pa.LargeListArray.from_arrays(pa.array([0, len(lines)], pa.int64()), lines)
    body = pc.binary_join(rows, pa.scalar("\n", pa.large_string()))[0].as_py()
    return ",".join(header) + "\n" + body + "\n"


def _quoted(cells, lone: bool):
    """The cells as CSV writes them: in quotes, inner quotes doubled, when they
    hold `,` `"` `\\n` or `\\r` (or are empty, when `lone`: a row's only cell)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    need = pc.match_substring_regex(cells, '[",\\n\\r]')
    if lone:
        need = pc.or_(need, pc.equal(pc.binary_length(cells), 0))
    if not pc.any(need).as_py():
        return cells
    mark = pa.scalar('"', pa.large_string())
    wrapped = pc.binary_join_element_wise(
        mark, pc.replace_substring(cells, '"', '""'), mark, pa.scalar("", pa.large_string())
    )
    return pc.if_else(need, wrapped, cells)


def _csv_column(column: pd.Series, name: str):
    """The CSV text of every cell of a column (`_csv_cell` of `plain`, vectorised),
    as a pyarrow large_string array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    missing = column.isna().to_numpy()
    if pd.api.types.is_bool_dtype(column) and not missing.any():
        return pa.array(np.where(column.to_numpy(dtype=bool), "true", "false"), type=text)
    if pd.api.types.is_float_dtype(column) or (
        pd.api.types.is_integer_dtype(column) and missing.any()
    ):
        arr, whole = _rounded(column, name)
        out = pa.array(np.where(whole, arr, 0).astype(np.int64)).cast(text)
        fraction = ~whole & ~np.isnan(arr)
        if fraction.any():
            out = pc.replace_with_mask(out, fraction, pa.array(arr[fraction].astype(str), text))
        return pc.if_else(np.isnan(arr), pa.scalar("", text), out)
    if pd.api.types.is_integer_dtype(column):
        return pa.array(column.to_numpy(dtype=np.int64)).cast(text)
    if pd.api.types.is_string_dtype(column) and column.dtype != object:
        cells = pa.array(column, type=text)
    elif column.map(lambda v: isinstance(v, str) or v is None).all():
        cells = pa.array(column.to_numpy(dtype=object), type=text, from_pandas=True)
    else:
        return pa.array([_csv_cell(plain(v, name)) for v in column.tolist()], type=text)
    cells = pc.fill_null(cells, pa.scalar("", text))
    risky = pc.match_substring_regex(cells, _FORMULA_PATTERN)
    if not pc.any(risky).as_py():
        return cells
    guarded = [safe_cell(v) for v in cells.filter(risky).to_pylist()]
    return pc.replace_with_mask(cells, risky, pa.array(guarded, type=text))


def to_json(payload: object) -> str:
    """JSON text: DataFrames become lists of records, NaN becomes null, UTF-8 kept."""

    def convert(obj: object) -> object:
        if isinstance(obj, pd.DataFrame):
            return records(obj)
        if isinstance(obj, dict):
            return {k: convert(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [convert(v) for v in obj]
        return plain(obj)

    data = convert(payload)
    # Indented for people up to a few thousand rows; compact beyond, where size wins.
    big = isinstance(payload, dict) and any(
        isinstance(v, pd.DataFrame) and len(v) > 5000 for v in payload.values()
    )
    return json.dumps(data, ensure_ascii=False, indent=None if big else 2) + "\n"


_PERCENT = ("share", "rate", "completeness", "coverage", "occupancy")


def cell_text(value: object, lang: str, width: int, column: str = "") -> str:
    value = plain(value, column)
    if value is None:
        text = "–"
    elif isinstance(value, bool):
        text = t("yes" if value else "no", lang)
    elif isinstance(value, list):
        text = ", ".join(value_text(str(v), lang) for v in value)
    elif isinstance(value, int | float) and any(p in column for p in _PERCENT):
        text = f"{100 * value:.1f}%"
    elif isinstance(value, float):
        if column.endswith("km") or "score" in column or column == "delta":
            text = f"{value:,.1f}"
        elif abs(value) >= 100:
            text = f"{value:,.0f}"
        else:
            text = f"{value:.3f}".rstrip("0").rstrip(".")
    elif isinstance(value, int):
        text = f"{value:,}" if abs(value) >= 10000 else str(value)
    else:
        text = value_text(str(value), lang)
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(
    frame: pd.DataFrame,
    *,
    lang: str,
    limit: int | None = 30,
    width: int = 38,
    notes: Iterable[str] = (),
) -> str:
    """An aligned text table with headers in `lang`; at most `limit` rows, then a count
    of what was left out. `notes` are printed above (weight, year)."""
    lines = list(notes)
    if frame.empty:
        lines.append(t("nothing", lang))
        return "\n".join(lines) + "\n"
    shown = frame if not limit else frame.head(limit)
    headers = [header_text(str(c), lang) for c in frame.columns]
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]
    columns = [str(c) for c in frame.columns]
    cells = [
        [cell_text(v, lang, width, c) for v, c in zip(row, columns, strict=True)]
        for row in shown.itertuples(index=False, name=None)
    ]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def fmt(row: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ).rstrip()

    lines.append(fmt(headers))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(fmt(r) for r in cells)
    if len(frame) > len(shown):
        lines.append(t("more_rows", lang, n=len(frame) - len(shown)))
    return "\n".join(lines) + "\n"


def header_text(column: str, lang: str) -> str:
    """A column's header in `lang` (the SPEC name when the table has none)."""
    key = "col_" + column
    return t(key, lang) if key in TEXT else column


def value_text(value: str, lang: str) -> str:
    """Enumerated values (statuses, flags, types) in the reader's language."""
    key = "val_" + value
    return t(key, lang) if key in TEXT else value
