"""Each district's own figures, for briefing it: enterprises, producers without
a local buyer, the share of its sales that stay in the region, and the weak
chains it takes part in."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from valuechain.analysis.unlinked import unlinked_producers
from valuechain.analysis.weights import link_weights
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset

__all__ = ["DISTRICT_COLUMNS", "district_table"]

DISTRICT_COLUMNS = [
    "district",
    "enterprises",
    "producers",
    "unlinked",
    "local_share",
    "weak_chains",
]


def district_table(
    ds: Dataset, weight: str | pd.Series = "auto", weak_chains: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per district (enterprises without one under ""), by name.

    `local_share` = weight of the district's enterprises' local sales over all
    their sales (null when they sell nothing); `weak_chains` = the chains of
    `weak_chains` that one of the district's enterprises lists a product of.
    """
    ent = ds.enterprises
    district = ent["district"].fillna("").to_numpy()
    w = np.nan_to_num(np.asarray(link_weights(ds.links, weight), dtype=float))
    src, _ = ds.endpoint_rows()
    sells = src >= 0
    local = ds.links["local"].to_numpy(dtype=bool)
    sales = pd.Series(w[sells]).groupby(district[src[sells]]).sum()
    local_sales = pd.Series(w[sells & local]).groupby(district[src[sells & local]]).sum()
    unlinked = unlinked_producers(ds)
    unl_district = ent.set_index("id")["district"].fillna("").reindex(unlinked["id"])
    chain = ds.product_attribute("chain").reindex(ds.offers["product"]).to_numpy()
    member = pd.DataFrame({"district": district[ds.offer_rows()], "chain": chain})
    member = member[member["chain"].isin(list(weak_chains))].drop_duplicates()
    weak = member.groupby("district")["chain"].agg(sorted)
    out = pd.DataFrame({"district": sorted(set(district))})
    out["enterprises"] = out["district"].map(pd.Series(district).value_counts()).astype(int)
    producers = pd.Series(district[ent["type"].isin(PRODUCER_TYPES).to_numpy()]).value_counts()
    out["producers"] = out["district"].map(producers).fillna(0).astype(int)
    out["unlinked"] = out["district"].map(unl_district.value_counts()).fillna(0).astype(int)
    total = out["district"].map(sales)
    out["local_share"] = out["district"].map(local_sales).fillna(0.0) / total.where(total > 0)
    out["weak_chains"] = [weak.get(d, []) for d in out["district"]]
    return out[DISTRICT_COLUMNS]
