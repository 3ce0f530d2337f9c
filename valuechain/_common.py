"""Small vectorised helpers the analysis modules share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._columns import PRODUCER_TYPES
from ._fast import fast_isin
from .load import Dataset

__all__ = ["share", "producer_ids", "weighted_links", "local_out_status", "local_sales_share"]


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as float64, NaN (null) where the denominator is 0 (SPEC §3)."""
    den = denominator.astype("float64")
    return numerator.astype("float64") / den.where(den != 0)


def producer_ids(ds: Dataset) -> pd.Series:
    """Ids of the producers: enterprises of type farm, forestry or mine."""
    return ds.enterprises.loc[ds.enterprises["type"].isin(PRODUCER_TYPES), "id"]


def weighted_links(ds: Dataset, w: pd.Series) -> pd.DataFrame:
    """The links with their weight in column `w`."""
    return ds.links.assign(w=w.to_numpy(dtype=np.float64))


def local_out_status(ds: Dataset) -> pd.DataFrame:
    """For every enterprise: `has_out` (any outgoing link) and `has_local_out`."""
    sellers = ds.links.loc[~ds.links["source_ext"], ["source", "local"]]
    ent = ds.enterprises[["id"]].copy()
    ent["has_out"] = fast_isin(ent["id"], sellers["source"])
    ent["has_local_out"] = fast_isin(ent["id"], sellers.loc[sellers["local"], "source"])
    return ent


def local_sales_share(links: pd.DataFrame, w: pd.Series) -> float | None:
    """Weight of local links over the weight of all links leaving enterprises (the
    region's local share of sales); None when that weight is 0."""
    w = pd.Series(np.asarray(w, dtype=np.float64), index=links.index)
    leaving = ~links["source_ext"]
    total = float(w[leaving].sum())
    return float(w[leaving & links["local"]].sum()) / total if total else None
