"""Text normalisation shared by the loader: NFC, diacritic-free keys."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

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
    out = []
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
    if not pc.all(pc.string_is_ascii(arr)).as_py():
        arr = pc.utf8_normalize(arr, form="NFC")
    arr = pc.utf8_trim_whitespace(arr)
    return pd.Series(arr.to_pandas(), index=values.index).astype(str)


def map_unique(values: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """`values.map(func)` calling `func` once per distinct value (types, districts)."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([func(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)
