"""Suggested links (SPEC §3.7): local buyers for what producers sell out of the region."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .load import Dataset
from .products import product_status
from .unlinked import candidate_buyers, unlinked_producers

__all__ = ["SUGGEST_COLUMNS", "suggest_links"]

SUGGEST_COLUMNS = ["source", "target", "product", "km", "reason"]


def suggest_links(
    ds: Dataset,
    w: pd.Series,
    *,
    top: int | None = 20,
    max_km: float | None = None,
    weak_share: float = 0.5,
) -> pd.DataFrame:
    """Pairs (seller, buyer) worth linking.

    A pair qualifies when the seller lists product P in `outputs`, the buyer
    lists P in `inputs`, there is no local link seller → buyer yet, and P is
    `missing_link` or `weak_link` (§3.3) or the seller is an unlinked producer
    (§3.1). Ranked by distance (unknown last), then the seller's `capacity`
    (largest first), then ids. `max_km` drops pairs farther than K km and those
    of unknown distance; `top` keeps the first N (None keeps all). `reason` is a
    list of `unlinked` and/or the product's status. Returns `SUGGEST_COLUMNS`.
    """
    status = product_status(ds, w, weak_share=weak_share).set_index("product")["status"]
    gap_products = set(status[status.isin(["missing_link", "weak_link"])].index)
    unlinked = set(unlinked_producers(ds)["id"])
    sellers = ds.offers.loc[ds.offers["role"] == "output"]
    sellers = sellers.loc[
        sellers["product"].isin(gap_products) | sellers["id"].isin(unlinked), "id"
    ].drop_duplicates()
    pairs = candidate_buyers(ds, sellers)
    is_unlinked = pairs["source"].isin(unlinked)
    pstatus = pairs["product"].map(status)
    is_gap = pstatus.isin(["missing_link", "weak_link"])
    pairs = pairs[is_unlinked | is_gap]

    existing = ds.links.loc[ds.links["local"], ["source", "target"]].drop_duplicates()
    pairs = pairs.merge(existing, on=["source", "target"], how="left", indicator=True)
    pairs = pairs[pairs["_merge"] == "left_only"].drop(columns="_merge")
    if max_km is not None:
        pairs = pairs[pairs["km"] <= max_km]

    capacity = ds.enterprises.set_index("id")["capacity"]
    pairs = pairs.assign(
        _unknown=pairs["km"].isna(),
        _cap=pairs["source"].map(capacity).fillna(-np.inf),
    ).sort_values(
        ["_unknown", "km", "_cap", "source", "target", "product"],
        ascending=[True, True, False, True, True, True],
        kind="stable",
    )
    if top is not None:
        pairs = pairs.head(top)
    unl = pairs["source"].isin(unlinked).to_numpy()
    st = pairs["product"].map(status).to_numpy()
    gap = np.isin(st, ["missing_link", "weak_link"])
    pairs["reason"] = [
        (["unlinked"] if u else []) + ([s] if g else [])
        for u, s, g in zip(unl, st, gap, strict=True)
    ]
    return pairs[SUGGEST_COLUMNS].reset_index(drop=True)
