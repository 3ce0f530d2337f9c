"""Text normalisation shared by the loader: NFC, diacritic-free keys."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.arrays import relabelled

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["nfc", "fold", "nfc_series", "map_unique"]


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Return a comparison key: no case, no diacritics, `đ` as `d`, runs of
    spaces, hyphens and underscores as one `_`.

    >>> fold("  Chế Biến ")
    'che_bien'
    >>> fold("Hợp tác xã nông nghiệp")
    'hop_tac_xa_nong_nghiep'
    """
    decomposed = unicodedata.normalize("NFD", text.strip().casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d")
    out: list[str] = []
    for ch in bare:
        if ch in " -_\t./":
            if out and out[-1] != "_":
                out.append("_")
        else:
            out.append(ch)
    return "".join(out).strip("_")


def nfc_series(values: pd.Series) -> pd.Series:
    """NFC-normalise and strip a column of text, vectorised; missing becomes ''.

    Runs in pyarrow's compute kernels (no Python call per cell): five million
    cells take a fraction of a second. A cell valuechain exported as `'=…` (its
    CSV-injection guard) reads back as `=…`.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    # Chunked large_string is how pandas holds its str columns: no copy, no cast.
    arr = pa.chunked_array(pa.array(values.fillna("").astype(str)))
    guarded = pc.starts_with(arr, "'")
    if pc.any(guarded).as_py():
        guarded = pc.and_(guarded, pc.match_substring_regex(arr, r"^'[=+\-@\t\r]"))
        arr = pc.if_else(guarded, pc.utf8_slice_codeunits(arr, 1), arr)
    return relabelled(_nfc_strip(arr), values.index).astype(str)


def _nfc_strip(arr: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    """`utf8_trim_whitespace(utf8_normalize(arr, NFC))`, normalising only the
    cells that may change (`_nfc`)."""
    import pyarrow.compute as pc

    return pc.utf8_trim_whitespace(_nfc(arr))


def _array(values):
    """One array of a chunked array's values."""
    return values.combine_chunks() if hasattr(values, "combine_chunks") else values


# Characters that are NFC in any company: Unicode's NFC quick check says Yes
# for each and none combines with what precedes it (U+0000–U+02FF, and the
# precomposed Latin letters of U+1E00–U+1EFF, Vietnamese's among them). A cell
# made of these alone is already NFC; only others go through normalisation.
_NOT_SURELY_NFC = r"[^\x00-\x{2FF}\x{1E00}-\x{1EFF}]"


def _nfc(cells: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """`utf8_normalize(cells, NFC)`, run only on cells that may change: plain
    ASCII is NFC, and so is text made of characters that never recompose."""
    import pyarrow.compute as pc

    if pc.all(pc.string_is_ascii(cells)).as_py() is not False:
        return cells
    maybe = pc.match_substring_regex(cells, _NOT_SURELY_NFC)
    if not pc.any(maybe).as_py():
        return cells
    normal = pc.utf8_normalize(cells.filter(maybe), form="NFC")
    return pc.replace_with_mask(_array(cells), _array(maybe), _array(normal))


def map_unique(
    values: pd.Series, func: Callable[[str], object], *, dtype: str = "object"
) -> pd.Series:
    """`values.map(func)` calling `func` once per distinct value (types, VSIC
    codes); a missing value maps to None. With `dtype="str"` the result is a
    text column taken from the few mapped values: no Python string per row."""
    from valuechain.arrays import factorize_text

    codes, uniques = factorize_text(values)
    mapped = [func(u) for u in uniques] + [None]  # code -1: a missing value
    table = np.array(mapped, dtype=object) if dtype == "object" else pd.array(mapped, dtype=dtype)
    return pd.Series(table[codes], index=values.index, dtype=dtype)
