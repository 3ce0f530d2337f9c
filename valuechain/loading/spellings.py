"""One place, one name: spellings of a district (or commune, sector, chain)
that differ only by case, diacritics, tone placement or spaces are one value.

`Định Hóa`, `Định Hoá` (the old tone placement), `Dinh Hoa` and `định hóa `
fold to the same key; every cell shows the spelling most cells use (on a tie,
the one with more diacritics, then the first met), and the load report names
what was merged.
"""

from __future__ import annotations

import pandas as pd

from valuechain.arrays import factorize_text
from valuechain.text import fold

__all__ = ["merge_spellings", "spelling_key"]


def spelling_key(text: str) -> str:
    """The key two spellings of one name share.

    >>> {spelling_key(s) for s in ["Định Hóa", "Định Hoá", "Dinh Hoa", "định  hóa "]}
    {'dinh_hoa'}
    """
    return fold(text)


def merge_spellings(values: pd.Series) -> tuple[pd.Series, dict[str, list[str]]]:
    """`values` with each name in its most used spelling, and {spelling shown:
    the other spellings merged into it} for the names written more than one way.
    Empty cells stay empty. One pass over the distinct values."""
    codes, distinct = factorize_text(values.fillna("").astype(str))
    if len(distinct) < 2:
        return values, {}
    counts = pd.Series(codes[codes >= 0]).value_counts().reindex(range(len(distinct)), fill_value=0)
    table = pd.DataFrame(
        {
            "text": list(distinct),
            "key": [spelling_key(v) for v in distinct],
            "n": counts.to_numpy(),
            "marks": [sum(not ch.isascii() for ch in v) for v in distinct],
            "first": range(len(distinct)),
        }
    )
    table = table[table["key"] != ""]
    if not table["key"].duplicated().any():
        return values, {}
    best = table.sort_values(["n", "marks", "first"], ascending=[False, False, True])
    shown = best.drop_duplicates("key").set_index("key")["text"]
    table["shown"] = table["key"].map(shown)
    changed = table[table["text"] != table["shown"]]
    merged = {name: part["text"].tolist() for name, part in changed.groupby("shown", sort=True)}
    replace = pd.Series(table["shown"].to_numpy(), index=table["first"].to_numpy())
    new = [replace.get(i, distinct[i]) for i in range(len(distinct))] + [""]
    out = pd.Series(pd.array(new, dtype="str")[codes], index=values.index, dtype="str")
    return out, merged


def follow_spellings(values: pd.Series, reference: pd.Series) -> pd.Series:
    """`values` spelled as `reference` spells the same name (a cluster's district
    as the enterprises spell it); values `reference` lacks stay as they are.

    >>> follow_spellings(pd.Series(["dinh hoa", "Na Rì"]), pd.Series(["Định Hóa"])).tolist()
    ['Định Hóa', 'Na Rì']
    """
    known = {spelling_key(v): v for v in pd.unique(reference.dropna().astype(str)) if v}
    return values.map(lambda v: known.get(spelling_key(v), v) if isinstance(v, str) and v else v)
