"""Numbers written as text: which mark is the decimal one, and the values.

District officers type `4.800` for four thousand eight hundred and `4,8` for
four point eight; an English export writes `4,800` and `4.8`. A column's own
cells decide its convention where they can (`22,8`, `1.234,5` or `1.234.567`
show a decimal comma; `22.85`, `1,234.5` or `1,234,567` a decimal point). A
cell such as `4.800` or `1,234` fits both readings: it is read by the column's
convention and listed for the planner with the value used.

Everything runs in pyarrow's kernels (RE2 regexes, casts): five million cells
in well under a second.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "decimal_evidence",
    "decide_mark",
    "ambiguous",
    "parse_numbers",
]

# A cell that shows its decimal mark: the last separator is that mark (and the
# cell does not read either way, see below), or the other separator repeats
# in groups of three, so it can only group thousands.
_COMMA_EVIDENCE = r"^[+-]?(\d[\d.]*)?,\d*$"  # 22,8   1.234,5   1234,567
_POINT_EVIDENCE = r"^[+-]?(\d[\d,]*)?\.\d*$"  # 22.85  1,234.5   1234.567
_THOUSAND_DOTS = r"^[+-]?\d{1,3}(\.\d{3}){2,}$"  # 1.234.567
_THOUSAND_COMMAS = r"^[+-]?\d{1,3}(,\d{3}){2,}$"  # 1,234,567
# A cell that reads as a number either way: one separator, then three digits.
_AMBIGUOUS = r"^[+-]?\d{1,3}[.,]\d{3}$"
# The numbers each convention writes (thousands grouped or not, a decimal part).
_POINT_FORM = r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?$"
_COMMA_FORM = r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d*)?$"
# What a float cast reads without surprise.
_PLAIN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def _text(cells: pd.Series) -> Any:
    """The cells as a trimmed pyarrow string array ('' for missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(cells.fillna("").astype(str), type=pa.large_string())
    return pc.utf8_trim_whitespace(arr)


class TextNumbers:
    """One column of numbers written as text, read once: its evidence of a
    decimal mark, its cells that read either way, and its values by a mark.

    Most columns hold plain numbers (`2058.3`, no thousands separator): for them
    every answer comes from one cast and a few string lengths. A column with a
    comma or a cell of several dots goes through the regular expressions above.
    """

    def __init__(self, cells: pd.Series) -> None:
        import pyarrow.compute as pc

        self.arr = _text(cells)
        self.filled = pc.greater(pc.utf8_length(self.arr), 0)
        dots = pc.count_substring(self.arr, ".")
        self.simple = (
            not pc.any(pc.match_substring(self.arr, ",")).as_py()
            and (pc.max(dots).as_py() or 0) <= 1
        )
        cast = self._plain_values() if self.simple else None
        self.simple = cast is not None
        # the plain values (empty for a column that takes the regular path)
        self._cast: np.ndarray = cast if cast is not None else np.empty(0)
        self._dots = dots

    def _plain_values(self) -> np.ndarray | None:
        """The values read with a decimal point, or None when a cell is no plain number."""
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            values = pc.cast(
                pc.if_else(self.filled, self.arr, pa.scalar(None, pa.large_string())),
                pa.float64(),
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        return values.to_numpy(zero_copy_only=False).astype(np.float64)

    @functools.cached_property
    def either(self) -> np.ndarray:
        """Cells that read as a number under either convention (`4.800`, `1,234`)."""
        import pyarrow.compute as pc

        if not self.simple:
            return _matches(self.arr, _AMBIGUOUS)
        # No comma and at most one dot: `d{1,3}.ddd` is a dot 1–3 characters in
        # (a sign aside) with three characters after it, the cell a number.
        at = pc.find_substring(self.arr, ".").to_numpy()
        length = pc.utf8_length(self.arr).to_numpy()
        signed = pc.or_(pc.starts_with(self.arr, "-"), pc.starts_with(self.arr, "+"))
        signed = np.asarray(signed.to_numpy(zero_copy_only=False), dtype=np.int64)
        digits = at - signed
        return (
            (at >= 0) & (digits >= 1) & (digits <= 3) & (length == at + 4) & ~np.isnan(self._cast)
        )

    def evidence(self) -> tuple[int, int]:
        """(cells showing a decimal comma, cells showing a decimal point)."""
        if not self.simple:
            clear = ~self.either
            comma = _matches(self.arr, _COMMA_EVIDENCE) & clear
            point = _matches(self.arr, _POINT_EVIDENCE) & clear
            comma |= _matches(self.arr, _THOUSAND_DOTS)
            point |= _matches(self.arr, _THOUSAND_COMMAS)
            return int(comma.sum()), int(point.sum())
        # Plain numbers: a dot is a decimal point unless the cell reads either way.
        dotted = self._dots.to_numpy() == 1
        return 0, int((dotted & ~self.either & ~np.isnan(self._cast)).sum())

    def values(self, decimal: str) -> np.ndarray:
        """float64 per cell, read with `decimal`; NaN for empty and unreadable cells."""
        if not self.simple:
            return _parse_text(self.arr, decimal)
        out = self._cast.copy()
        if decimal == ",":  # `4.800` groups thousands
            either = self.either
            out[either] = np.round(out[either] * 1000)
        return out


def _matches(arr: Any, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    hit = pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)
    return np.asarray(hit, dtype=bool)


def decimal_evidence(cells: pd.Series) -> tuple[int, int]:
    """(cells showing a decimal comma, cells showing a decimal point) among text cells.

    >>> decimal_evidence(pd.Series(["22,8", "4.800", "1.234.567", "7"]))
    (2, 0)
    >>> decimal_evidence(pd.Series(["22.85", "4.800", "7"]))
    (0, 1)
    """
    return TextNumbers(cells).evidence()


def decide_mark(comma: int, point: int) -> str | None:
    """The decimal mark the evidence shows, or None when it does not tell."""
    if comma == point:
        return None
    return "," if comma > point else "."


def ambiguous(cells: pd.Series) -> np.ndarray:
    """Cells that read as a number under either convention (`4.800`, `1,234`).

    >>> ambiguous(pd.Series(["4.800", "4,8", "1.234.567", "12,345"])).tolist()
    [True, False, False, True]
    >>> ambiguous(pd.Series(["4.800", "-12.500", "4.8", "1234.567", "x.abc"])).tolist()
    [True, True, False, False, False]
    """
    return TextNumbers(cells).either


def parse_numbers(cells: pd.Series, *, decimal: str) -> pd.Series:
    """Parse a column of number cells with decimal mark `decimal` ("," or ".").

    Numbers already numeric (from a workbook) pass through. Returns float64 with
    NaN for empty and unreadable cells; the caller tells the two apart. Cells
    outside the convention's form (`1e5`, `.5`) are still read when they are
    unambiguous numbers.

    >>> parse_numbers(pd.Series(["4.800", "4,8", "1.234.567", "x", ""]), decimal=",").tolist()
    [4800.0, 4.8, 1234567.0, nan, nan]
    >>> parse_numbers(pd.Series(["4.800", "1,234.5"]), decimal=".").tolist()
    [4.8, 1234.5]
    >>> parse_numbers(pd.Series(["4.800", "4.8", "12.345", ""]), decimal=",").tolist()
    [4800.0, 4.8, 12345.0, nan]
    """
    if pd.api.types.is_numeric_dtype(cells):
        return cells.astype("float64")
    if cells.dtype == object:
        is_text = cells.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if not is_text.all():
            out = np.full(len(cells), np.nan)
            out[~is_text] = pd.to_numeric(cells[~is_text], errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan
            )
            out[is_text] = TextNumbers(cells[is_text]).values(decimal)
            return pd.Series(out, index=cells.index, dtype="float64")
    return pd.Series(TextNumbers(cells).values(decimal), index=cells.index, dtype="float64")


def _parse_text(text: Any, decimal: str) -> np.ndarray:
    """The regular path: `text` a trimmed pyarrow string array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if decimal == ",":
        form = pc.match_substring_regex(text, _COMMA_FORM)
        canon = pc.replace_substring(pc.replace_substring(text, ".", ""), ",", ".")
    else:
        form = pc.match_substring_regex(text, _POINT_FORM)
        canon = pc.replace_substring(text, ",", "")
    canon = pc.if_else(form, canon, text)
    plain = pc.match_substring_regex(canon, _PLAIN)
    values = pc.cast(pc.if_else(plain, canon, pa.scalar(None, pa.large_string())), pa.float64())
    out = values.to_numpy(zero_copy_only=False).astype(np.float64)
    # The rare rest (`inf`, `1_000`, ` 5 %`…): pandas' reading, cell by cell.
    rest = np.flatnonzero(
        ~plain.to_numpy(zero_copy_only=False) & (pc.utf8_length(text).to_numpy() > 0)
    )
    if len(rest):
        odd = pd.Series(canon.take(pa.array(rest)).to_pylist(), dtype=object)
        out[rest] = pd.to_numeric(odd, errors="coerce").to_numpy(dtype=np.float64)
    return out
