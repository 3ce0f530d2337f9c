"""Progress over time: figures per year, per chain, and between two datasets."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from valuechain.analysis.coupling import chain_coupling
from valuechain.analysis.shares import local_sales_share, unlinked_mask
from valuechain.analysis.weights import resolve_weight
from valuechain.arrays import fast_isin, unique_ints
from valuechain.loading.dataset import Dataset

__all__ = [
    "TREND_COLUMNS",
    "CHAIN_TREND_COLUMNS",
    "year_trend",
    "chain_trend",
    "compare",
    "local_link_keys",
    "totals",
]

TREND_COLUMNS = [
    "year",
    "links",
    "local_links",
    "local_share",
    "unlinked",
    "new_local_links",
    "lost_local_links",
]
CHAIN_TREND_COLUMNS = ["year", "chain", "coupling_score", "local_processing_rate"]


def local_link_keys(ds: Dataset) -> set[tuple[str, str, str]]:
    """The local links as `(source, target, product)`: what a link *is* across
    years (a set, for marking a map's edges; `link_changes` counts at scale)."""
    local = ds.links[ds.links["local"]]
    return set(zip(local["source"], local["target"], local["product"], strict=True))


def link_changes(before: Dataset, after: Dataset) -> tuple[int, int]:
    """(local links gained, local links lost) from `before` to `after`, a local
    link being its (source, target, product): the three are numbered together
    for both datasets and compared as integers, not as a million tuples."""
    cols = ["source", "target", "product"]
    parts = [ds.links.loc[ds.links["local"].to_numpy(dtype=bool), cols] for ds in (before, after)]
    both = pd.concat(parts, ignore_index=True)
    key = np.zeros(len(both), dtype=np.int64)
    for col in cols:
        codes, uniques = pd.factorize(both[col].fillna("").astype(str))
        key = key * (len(uniques) + 1) + codes
    a, b = unique_ints(key[: len(parts[0])]), unique_ints(key[len(parts[0]) :])
    shared = len(a) + len(b) - len(unique_ints(np.concatenate([a, b])))
    return len(b) - shared, len(a) - shared


def _weight_name(ds: Dataset, weight: str) -> str:
    """One weight rule for every year: decided on all the links together."""
    return resolve_weight(ds.links, weight)[0]


def totals(ds: Dataset, weight: str, unlinked: np.ndarray | None = None) -> dict[str, Any]:
    """`links`, `local_links`, `local_share`, `unlinked` of a dataset as it stands
    (`unlinked`: its `unlinked_mask`, when the caller has it already)."""
    _, w, _ = resolve_weight(ds.links, weight)
    return {
        "links": len(ds.links),
        "local_links": int(ds.links["local"].sum()),
        "local_share": local_sales_share(ds.links, w),
        "unlinked": int((unlinked_mask(ds) if unlinked is None else unlinked).sum()),
    }


def trends(ds: Dataset, *, weight: str = "auto") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`year_trend`, `chain_trend`) in one pass over the years."""
    name = _weight_name(ds, weight)
    rows, parts, previous = [], [], None
    for year in ds.years:
        cut = ds.for_year(year)
        _, w, _ = resolve_weight(cut.links, name)
        row = {"year": year, **totals(cut, name)}
        gained: int | None = None
        lost: int | None = None
        if previous is not None:
            gained, lost = link_changes(previous, cut)
        row["new_local_links"], row["lost_local_links"] = gained, lost
        rows.append(row)
        previous = cut
        scores = chain_coupling(cut, w)
        parts.append(scores[["chain", "coupling_score", "local_processing_rate"]].assign(year=year))
    by_year = pd.DataFrame(rows, columns=TREND_COLUMNS)
    by_chain = (
        pd.concat(parts, ignore_index=True)[CHAIN_TREND_COLUMNS]
        if parts
        else pd.DataFrame(columns=CHAIN_TREND_COLUMNS)
    )
    return by_year, by_chain


def year_trend(ds: Dataset, *, weight: str = "auto") -> pd.DataFrame:
    """One row per year present in the links (links of that year only).

    `new_local_links` / `lost_local_links` compare a year's local links with the
    previous year present (null for the first). Empty when links carry no year.
    Returns `TREND_COLUMNS`.
    """
    return trends(ds, weight=weight)[0]


def chain_trend(ds: Dataset, *, weight: str = "auto") -> pd.DataFrame:
    """Each chain's coupling score and local processing rate, year by year.

    Returns `CHAIN_TREND_COLUMNS`, ordered by year then chain.
    """
    return trends(ds, weight=weight)[1]


def compare(a: Dataset, b: Dataset, *, weight: str = "auto") -> dict[str, Any]:
    """Before (A) and after (B): totals, chain scores, producers that became linked
    or unlinked, local links gained and lost.

    Each dataset is taken as loaded (the caller picks its year).
    """
    result = before_after(a, b, weight=weight)
    result["new_local_links"], result["lost_local_links"] = link_changes(a, b)
    return result


def before_after(a: Dataset, b: Dataset, *, weight: str = "auto") -> dict[str, Any]:
    """`compare` without the local links gained and lost: totals, chain scores,
    producers that became linked or unlinked (all a what-if reports)."""
    name = _weight_name(a, weight)
    _, wa, _ = resolve_weight(a.links, name)
    _, wb, _ = resolve_weight(b.links, name)
    score_a = chain_coupling(a, wa).set_index("chain")["coupling_score"]
    score_b = chain_coupling(b, wb).set_index("chain")["coupling_score"]
    chains = sorted(set(score_a.index) | set(score_b.index))
    # Who is unlinked needs only the unlinked rule, not the nearest buyers.
    mask_a, mask_b = unlinked_mask(a), unlinked_mask(b)
    unl_a = a.enterprises["id"][mask_a]
    unl_b = b.enterprises["id"][mask_b]
    became_linked = unl_a[~fast_isin(unl_a, unl_b) & fast_isin(unl_a, b.enterprises["id"])]
    became_unlinked = unl_b[~fast_isin(unl_b, unl_a) & fast_isin(unl_b, a.enterprises["id"])]
    return {
        "a": a.path,
        "b": b.path,
        "weight": name,
        "totals": {
            "a": totals(a, name, mask_a),
            "b": totals(b, name, mask_b),
        },
        "chains": [
            {
                "chain": c,
                "score_a": _num(score_a.get(c)),
                "score_b": _num(score_b.get(c)),
                "delta": _delta(score_a.get(c), score_b.get(c)),
            }
            for c in chains
        ],
        "became_linked": sorted(became_linked.tolist()),
        "became_unlinked": sorted(became_unlinked.tolist()),
    }


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _delta(a: object, b: object) -> float | None:
    a, b = _num(a), _num(b)
    return None if a is None or b is None else b - a
