"""The `--weight` rule: which number a link weighs in every share."""

from __future__ import annotations

import pandas as pd

__all__ = ["WEIGHTS", "resolve_weight", "link_weights", "auto_fallback"]

from valuechain.choices import WEIGHTS


def resolve_weight(links: pd.DataFrame, weight: str = "auto") -> tuple[str, pd.Series, int]:
    """Return `(name, weights, missing)` for the links.

    `auto` is `value` when every link has a value, else `volume` when every link
    has a volume, else `links` (each link weighs 1); an empty table is `links`.
    An explicit `value` or `volume` counts a missing number as 0; `missing` is how
    many were (the caller warns). Raises ValueError for an unknown name.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"unknown weight {weight!r}; choose one of {', '.join(WEIGHTS)}")
    if weight == "auto":
        if len(links) and links["value"].notna().all():
            weight = "value"
        elif len(links) and links["volume"].notna().all():
            weight = "volume"
        else:
            weight = "links"
    if weight == "links":
        return "links", pd.Series(1.0, index=links.index), 0
    column = links[weight]
    return weight, column.fillna(0.0).astype("float64"), int(column.isna().sum())


def link_weights(links: pd.DataFrame, weight: str | pd.Series = "auto") -> pd.Series:
    """Each link's weight: `weight` is a rule name (`auto`, `value`, `volume`,
    `links`) or already a Series of weights (returned as it is)."""
    if isinstance(weight, pd.Series):
        return weight
    return resolve_weight(links, weight)[1]


def auto_fallback(links: pd.DataFrame) -> tuple[str, int, str] | None:
    """When `auto` passes over a column that some links do have — values on
    some links only, so the weight falls to volume (or volume to link count) —
    return (that column, how many links lack it, the weight used); else None."""
    n = len(links)
    for column, fallback in (("value", "volume"), ("volume", "links")):
        have = int(links[column].notna().sum()) if n else 0
        if have == n:
            return None
        if have:
            return column, n - have, fallback
    return None
