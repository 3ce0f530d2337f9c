"""Text normalisation shared by the loader: NFC, diacritic-free keys."""

from __future__ import annotations

import unicodedata

import pandas as pd

__all__ = ["nfc", "fold", "nfc_series"]


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
    """NFC-normalise and strip a column of text, vectorised; missing becomes ''."""
    text = values.fillna("").astype(str)
    # Pure-ASCII columns (ids, codes, most numbers) need no normalisation: skip
    # the per-cell Python call there, which matters at a million rows.
    if text.str.isascii().all():
        return text.str.strip()
    return text.str.normalize("NFC").str.strip()
