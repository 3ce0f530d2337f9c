"""Unlinked producers (SPEC §3.1) and enterprise coupling flags (§3.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._buyers import BuyerIndex
from ._columns import PRODUCER_TYPES
from ._common import local_out_status, share, weighted_links
from ._fast import fast_isin, fast_map
from .load import Dataset

__all__ = [
    "UNLINKED_COLUMNS",
    "FLAG_COLUMNS",
    "unlinked_producers",
    "enterprise_flags",
]

UNLINKED_COLUMNS = [
    "id",
    "name",
    "type",
    "district",
    "outputs",
    "status",
    "candidates",
    "nearest_candidate",
    "nearest_km",
]
FLAG_COLUMNS = ["id", "local_out_share", "buyers", "top_buyer_share", "local_in_share", "flags"]


def unlinked_producers(ds: Dataset, *, buyers: BuyerIndex | None = None) -> pd.DataFrame:
    """Producers (farm, forestry, mine) with no local outgoing link.

    Returns `UNLINKED_COLUMNS`, one row per unlinked producer in input order:
    `status` is `isolated` (no outgoing link) or `external_only` (every outgoing
    link goes to `EXT…`); `candidates` counts the other enterprises whose
    `inputs` share a code with its `outputs`; `nearest_candidate` / `nearest_km`
    name the candidate at the smallest great-circle distance (ties broken
    arbitrarily), empty when no candidate has a distance (missing coordinates).
    `buyers` reuses an index already built for the dataset.
    """
    ent = ds.enterprises
    status = local_out_status(ds)
    is_producer = ent["type"].isin(PRODUCER_TYPES).to_numpy()
    mask = is_producer & ~status["has_local_out"].to_numpy()
    out = ent.loc[mask, ["id", "name", "type", "district", "outputs"]].copy()
    out["status"] = np.where(status.loc[mask, "has_out"], "external_only", "isolated")

    index = buyers if buyers is not None else BuyerIndex.build(ds)
    summary = index.summarise(ds, np.flatnonzero(mask))
    out["candidates"] = summary["candidates"].to_numpy(dtype=int)
    near = summary["nearest"].to_numpy()
    out["nearest_candidate"] = np.where(near >= 0, index.ids[np.maximum(near, 0)], "")
    out["nearest_candidate"] = out["nearest_candidate"].astype(object)
    out["nearest_km"] = summary["km"].to_numpy(dtype=float)
    return out[UNLINKED_COLUMNS].reset_index(drop=True)


def enterprise_flags(ds: Dataset, w: pd.Series, *, dependent_share: float = 0.5) -> pd.DataFrame:
    """Coupling figures and flags of every enterprise with an outgoing or incoming link.

    `w` is the link weight (`weights.resolve_weight`). Returns `FLAG_COLUMNS`:
    `local_out_share`, `buyers` (distinct targets, `EXT` labels counted) and
    `top_buyer_share` for sellers; `local_in_share` for processors with an
    incoming link; `flags` a list of `external_dependent` (local_out_share <
    `dependent_share`), `single_buyer` (one buyer), `imports_inputs` (a processor buys from
    `EXT…` a product another local enterprise lists in `outputs`). Shares are NaN
    when the weights sum to 0; a NaN share raises no flag.
    """
    links = weighted_links(ds, w)
    ent = ds.enterprises[["id", "type"]]

    sold = links[~links["source_ext"]]
    by_pair = sold.groupby(["source", "target"], sort=False)["w"].sum()
    total = by_pair.groupby(level="source").sum()
    local = sold[sold["local"]].groupby("source")["w"].sum().reindex(total.index, fill_value=0)
    buyers = by_pair.groupby(level="source").size()
    top = by_pair.groupby(level="source").max()

    bought = links[~links["target_ext"]]
    processors = set(ent.loc[ent["type"] == "processor", "id"])
    into = bought[fast_isin(bought["target"], processors)]
    in_total = into.groupby("target")["w"].sum()
    in_local = (
        into[into["local"]].groupby("target")["w"].sum().reindex(in_total.index, fill_value=0)
    )
    imports = into[into["source_ext"] & (into["product"] != "")][["target", "product"]]
    imports = imports.drop_duplicates()
    outputs = ds.offers.loc[ds.offers["role"] == "output", ["id", "product"]].drop_duplicates()
    # "Another local enterprise lists it": the product's producers, less the buyer
    # itself when it is one of them. Counted, not joined: a join of importers with
    # producers per product would be their product (billions at national scale).
    makers = fast_map(imports["product"], outputs.groupby("product").size()).fillna(0)
    own = (
        imports.merge(
            outputs,
            left_on=["target", "product"],
            right_on=["id", "product"],
            how="left",
            indicator=True,
        )["_merge"]
        .eq("both")
        .to_numpy()
    )
    importers = set(imports.loc[(makers.to_numpy() - own) > 0, "target"])

    involved = ent[fast_isin(ent["id"], sold["source"]) | fast_isin(ent["id"], bought["target"])]
    out = pd.DataFrame({"id": involved["id"].to_numpy()})
    out["local_out_share"] = share(
        fast_map(out["id"], local), fast_map(out["id"], total)
    ).to_numpy()
    out["buyers"] = fast_map(out["id"], buyers).astype("Int64")
    out["top_buyer_share"] = share(fast_map(out["id"], top), fast_map(out["id"], total)).to_numpy()
    out["local_in_share"] = share(
        fast_map(out["id"], in_local), fast_map(out["id"], in_total)
    ).to_numpy()

    ext_dep = (out["local_out_share"] < dependent_share).to_numpy()
    single = (out["buyers"] == 1).fillna(False).to_numpy(dtype=bool)
    imp = fast_isin(out["id"], importers)
    names = np.array(["external_dependent", "single_buyer", "imports_inputs"], dtype=object)
    marks = np.column_stack([ext_dep, single, imp])
    out["flags"] = [list(names[row]) for row in marks]
    return out[FLAG_COLUMNS]
