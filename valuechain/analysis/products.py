"""Product status and missing processing stages."""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.analysis.shares import share
from valuechain.analysis.weights import link_weights
from valuechain.arrays import factorize_text, fast_isin, unique_ints
from valuechain.loading.catalog import made_from_pairs
from valuechain.loading.dataset import Dataset

__all__ = ["PRODUCT_COLUMNS", "STAGE_COLUMNS", "STATUSES", "product_status", "missing_stages"]

PRODUCT_COLUMNS = [
    "product",
    "chain",
    "stage",
    "producers",
    "consumers",
    "local_links",
    "local_share",
    "status",
]
STAGE_COLUMNS = ["chain", "product", "from"]
STATUSES = ("missing_link", "no_local_buyer", "no_local_supply", "weak_link", "linked", "unused")


def product_status(
    ds: Dataset, weight: str | pd.Series = "auto", *, weak_share: float = 0.5
) -> pd.DataFrame:
    """One row per product code seen anywhere (catalog, outputs, inputs, links).

    `weight` is the weight rule or each link's weight as a Series.

    Returns `PRODUCT_COLUMNS` ordered by chain, stage and code. `local_share` is
    the weight of the product's local links over the weight of all its links
    leaving enterprises (NaN when that is 0). `status` is the first that holds of
    missing_link, no_local_buyer, no_local_supply, weak_link (local
    share below `weak_share`), linked, unused.
    """
    w = link_weights(ds.links, weight)
    products = ds.products[["code", "chain", "stage"]].rename(columns={"code": "product"})
    n = max(len(ds.enterprises), 1)
    codes, seen = factorize_text(ds.offers["product"])
    rows = ds.offer_rows()
    output = (ds.offers["role"] == "output").to_numpy()

    def enterprises_per_product(mask: np.ndarray) -> pd.Series:
        pairs = unique_ints(codes[mask].astype(np.int64) * n + rows[mask])
        return pd.Series(np.bincount(pairs // n, minlength=len(seen)), index=seen)

    producers = enterprises_per_product(output)
    consumers = enterprises_per_product(~output)
    parties = enterprises_per_product(np.ones(len(codes), dtype=bool))

    src, _ = ds.endpoint_rows()
    link_codes, link_products = factorize_text(ds.links["product"])
    weight = np.nan_to_num(np.asarray(w, dtype=np.float64))  # a missing weight adds 0
    leaving = (src >= 0) & (ds.links["product"] != "").to_numpy()
    local = leaving & ds.links["local"].to_numpy(dtype=bool)

    def per_product(mask: np.ndarray, weights: np.ndarray | None = None) -> pd.Series:
        total = np.bincount(
            link_codes[mask],
            weights=None if weights is None else weights[mask],
            minlength=len(link_products),
        )
        return pd.Series(total, index=link_products)

    n_local = per_product(local)
    w_local = per_product(local, weight)
    w_leaving = per_product(leaving, weight)

    out = products.copy()
    code = out["product"]
    out["producers"] = code.map(producers).fillna(0).astype(int)
    out["consumers"] = code.map(consumers).fillna(0).astype(int)
    out["local_links"] = code.map(n_local).fillna(0).astype(int)
    out["local_share"] = share(code.map(w_local).fillna(0), code.map(w_leaving).fillna(0))
    # A producer and a *different* consumer exist unless one enterprise is both and alone.
    pair_exists = (out["producers"] > 0) & (out["consumers"] > 0) & (code.map(parties) >= 2)
    conditions = [
        pair_exists & (out["local_links"] == 0),
        (out["producers"] > 0) & (out["consumers"] == 0),
        (out["consumers"] > 0) & (out["producers"] == 0),
        (out["local_links"] > 0) & (out["local_share"] < weak_share),
        out["local_links"] > 0,
    ]
    out["status"] = np.select(conditions, STATUSES[:5], default=STATUSES[5])
    out = out.sort_values(["chain", "stage", "product"], kind="stable")
    return out[PRODUCT_COLUMNS].reset_index(drop=True)


def missing_stages(ds: Dataset) -> pd.DataFrame:
    """Processing stages nobody in the region performs although their input is made here.

    For every catalog product Q with `made_from` M, one row (chain, Q, m) for each
    m in M that has a producer while Q has none. Returns `STAGE_COLUMNS`.
    """
    made = set(pd.unique(ds.offers.loc[ds.offers["role"] == "output", "product"]))
    pairs = made_from_pairs(ds.products)
    gap = ~fast_isin(pairs["product"], made) & fast_isin(pairs["from"], made)
    return pairs.loc[gap, STAGE_COLUMNS].reset_index(drop=True)
