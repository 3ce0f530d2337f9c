"""Small vectorised helpers the analysis modules share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.arrays import code_type, factorize_text
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset

__all__ = [
    "share",
    "producer_ids",
    "weighted_links",
    "local_out_status",
    "unlinked_mask",
    "local_sales_share",
    "per_enterprise",
    "link_chains",
]


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as float64, NaN (null) where the denominator is 0."""
    den = denominator.astype("float64")
    return numerator.astype("float64") / den.where(den != 0)


def producer_ids(ds: Dataset) -> pd.Series:
    """Ids of the producers: enterprises of type farm, forestry or mine."""
    return ds.enterprises.loc[ds.enterprises["type"].isin(PRODUCER_TYPES), "id"]


def weighted_links(ds: Dataset, w: pd.Series) -> pd.DataFrame:
    """The links with their weight in column `w`."""
    return ds.links.assign(w=w.to_numpy(dtype=np.float64))


def local_out_status(ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Per enterprise row: (`has_out`: any outgoing link, `has_local_out`: any
    outgoing link to an enterprise of the region)."""
    src, _ = ds.endpoint_rows()
    n = len(ds.enterprises)
    # One code per link: 2 × source row (+1 when local); 2n for an outside source.
    code = src * 2
    code += ds.links["local"].to_numpy(dtype=bool)
    code[src < 0] = 2 * n
    counts = np.bincount(code, minlength=2 * n + 1)
    local_out = counts[1 : 2 * n : 2] > 0
    return (counts[0 : 2 * n : 2] > 0) | local_out, local_out


def unlinked_mask(ds: Dataset, has_local_out: np.ndarray | None = None) -> np.ndarray:
    """Per enterprise row: a producer with no local outgoing link.
    `has_local_out` reuses `local_out_status(ds)[1]` when the caller has it."""
    if has_local_out is None:
        has_local_out = local_out_status(ds)[1]
    is_producer = ds.enterprises["type"].isin(PRODUCER_TYPES).to_numpy()
    return is_producer & ~has_local_out


def per_enterprise(rows: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Sum of `weights` per enterprise row (rows < 0, outside parties, left out)."""
    inside = rows >= 0
    return np.bincount(rows[inside], weights=weights[inside], minlength=n)


def link_chains(ds: Dataset) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """Each link's chain as a code into the returned chain index (-1: no product or
    no chain), and each link's product stage (0 when unknown)."""
    codes, products = factorize_text(ds.links["product"])
    catalog = ds.products.drop_duplicates("code").set_index("code")
    chain: pd.Series = catalog["chain"].reindex(products)
    chains = pd.Index(sorted(chain.dropna().unique()))
    chain_code: np.ndarray = np.append(chains.get_indexer(chain), -1).astype(code_type(len(chains)))
    stage = catalog["stage"].reindex(products).fillna(0).to_numpy(dtype=np.int64)
    stage = np.append(stage, 0).astype(code_type(stage.max(initial=0) + 1))
    return chain_code[codes], chains, stage[codes]


def local_sales_share(links: pd.DataFrame, w: pd.Series) -> float | None:
    """Weight of local links over the weight of all links leaving enterprises (the
    region's local share of sales); None when that weight is 0."""
    w = pd.Series(np.asarray(w, dtype=np.float64), index=links.index)
    leaving = ~links["source_ext"]
    total = float(w[leaving].sum())
    return float(w[leaving & links["local"]].sum()) / total if total else None
