"""Unlinked producers and enterprise coupling flags."""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.analysis.buyers import BuyerIndex
from valuechain.analysis.shares import local_out_status, per_enterprise, share, unlinked_mask
from valuechain.analysis.slices import Slice
from valuechain.analysis.weights import link_weights
from valuechain.arrays import endpoint_codes, fast_map
from valuechain.loading.dataset import Dataset

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


def unlinked_producers(
    ds: Dataset, *, slice: Slice | None = None, buyers: BuyerIndex | None = None
) -> pd.DataFrame:
    """Producers (farm, forestry, mine) with no local outgoing link.

    Returns `UNLINKED_COLUMNS`, one row per unlinked producer in input order:
    `status` is `isolated` (no outgoing link) or `external_only` (every outgoing
    link goes to `EXT…`); `candidates` counts the other enterprises whose
    `inputs` share a code with its `outputs`; `nearest_candidate` / `nearest_km`
    name the candidate at the smallest great-circle distance (ties broken
    arbitrarily), empty when no candidate has a distance (missing coordinates).
    `slice` keeps the producers in it (unlinked in the whole region, as
    always); `buyers` reuses an index already built for the dataset.
    """
    ent = ds.enterprises
    has_out, has_local_out = local_out_status(ds)
    mask = unlinked_mask(ds, has_local_out)
    if slice:
        mask &= slice.mask(ds)
    out = ent.loc[mask, ["id", "name", "type", "district", "outputs"]]
    out["status"] = np.where(has_out[mask], "external_only", "isolated")

    index = buyers if buyers is not None else BuyerIndex.build(ds)
    summary = index.summarise(ds, np.flatnonzero(mask))
    out["candidates"] = summary["candidates"].to_numpy(dtype=int)
    near = summary["nearest"].to_numpy()
    nearest = ent["id"].take(np.maximum(near, 0)).where(near >= 0, "")
    out["nearest_candidate"] = nearest.array
    out["nearest_km"] = summary["km"].to_numpy(dtype=float)
    return out[UNLINKED_COLUMNS].reset_index(drop=True)


def enterprise_flags(
    ds: Dataset, weight: str | pd.Series = "auto", *, dependent_share: float = 0.5
) -> pd.DataFrame:
    """Coupling figures and flags of every enterprise with an outgoing or incoming link.

    `weight` is the weight rule or each link's weight as a Series. Returns `FLAG_COLUMNS`:
    `local_out_share`, `buyers` (distinct targets, `EXT` labels counted) and
    `top_buyer_share` for sellers; `local_in_share` for processors with an
    incoming link; `flags` a list of `external_dependent` (local_out_share <
    `dependent_share`), `single_buyer` (one buyer), `imports_inputs` (a processor buys from
    `EXT…` a product another local enterprise lists in `outputs`). Shares are NaN
    when the weights sum to 0; a NaN share raises no flag.
    """
    w = link_weights(ds.links, weight)
    ent = ds.enterprises
    n = len(ent)
    src, tgt = ds.endpoint_rows()
    weight = np.nan_to_num(np.asarray(w, dtype=np.float64))  # a missing weight adds 0
    local = ds.links["local"].to_numpy(dtype=bool)

    # Sellers: every link leaving an enterprise, buyers told apart by row or
    # (outside) by label.
    sold = src >= 0
    buyer = endpoint_codes(ds.links["target"], tgt, n)
    span = buyer.max(initial=0) + 1
    pair_code, pairs = pd.factorize(src[sold].astype(np.int64) * span + buyer[sold])
    pair_w = np.bincount(pair_code, weights=weight[sold], minlength=len(pairs))
    pair_seller = pairs // span
    total = per_enterprise(src[sold], weight[sold], n)
    local_w = per_enterprise(src[sold & local], weight[sold & local], n)
    n_buyers = np.bincount(pair_seller, minlength=n)
    top = np.zeros(n)
    np.maximum.at(top, pair_seller, pair_w)

    # Processors' purchases.
    is_processor = (ent["type"] == "processor").to_numpy()
    bought = tgt >= 0
    into = bought & is_processor[np.maximum(tgt, 0)]
    in_total = per_enterprise(tgt[into], weight[into], n)
    in_local = per_enterprise(tgt[into & local], weight[into & local], n)
    has_in = np.bincount(tgt[into], minlength=n) > 0
    importers = _importers(ds, into, tgt, n)

    involved = np.flatnonzero((n_buyers > 0) | (np.bincount(tgt[bought], minlength=n) > 0))
    seller = n_buyers[involved] > 0
    out = pd.DataFrame({"id": ent["id"].to_numpy()[involved]})
    out["local_out_share"] = np.where(
        seller, share(pd.Series(local_w[involved]), pd.Series(total[involved])), np.nan
    )
    out["buyers"] = pd.array(np.where(seller, n_buyers[involved], 0), dtype="Int64")
    out.loc[~seller, "buyers"] = pd.NA
    out["top_buyer_share"] = np.where(
        seller, share(pd.Series(top[involved]), pd.Series(total[involved])), np.nan
    )
    in_share = share(pd.Series(in_local[involved]), pd.Series(in_total[involved])).to_numpy()
    out["local_in_share"] = np.where(has_in[involved], in_share, np.nan)

    ext_dep = (out["local_out_share"] < dependent_share).to_numpy()
    single = (out["buyers"] == 1).fillna(False).to_numpy(dtype=bool)
    imp = importers[involved]
    out["flags"] = flag_lists(
        ["external_dependent", "single_buyer", "imports_inputs"], [ext_dep, single, imp]
    )
    return out[FLAG_COLUMNS]


def flag_lists(names: list[str], marks: list[np.ndarray]) -> list[list[str]]:
    """Per row, the names whose mark is set, in order. Rows with the same marks
    share one list (there are 2 ** len(names) of them): callers read, never
    append."""
    code = np.zeros(len(marks[0]) if marks else 0, dtype=np.int64)
    for bit, mark in enumerate(marks):
        code |= np.asarray(mark, dtype=bool).astype(np.int64) << bit
    combos = np.empty(2 ** len(names), dtype=object)
    for c in range(len(combos)):
        combos[c] = [n for bit, n in enumerate(names) if c >> bit & 1]
    return combos[code].tolist()


def _importers(ds: Dataset, into: np.ndarray, tgt: np.ndarray, n: int) -> np.ndarray:
    """Per enterprise: it buys from outside a product that another local
    enterprise lists in `outputs`. Counted per product, not joined: a join of
    importers with producers would be their product (billions nationally)."""
    links = ds.links
    imported = into & links["source_ext"].to_numpy() & (links["product"] != "").to_numpy()
    imports = pd.DataFrame(
        {"row": tgt[imported], "product": links["product"][imported].to_numpy(dtype=object)}
    )
    imports = imports.drop_duplicates()
    output = (ds.offers["role"] == "output").to_numpy()
    outputs = pd.DataFrame(
        {"row": ds.offer_rows()[output], "product": ds.offers["product"].to_numpy()[output]}
    ).drop_duplicates()
    makers = fast_map(imports["product"], outputs.groupby("product").size()).fillna(0)
    own = (
        imports.merge(outputs, on=["row", "product"], how="left", indicator=True)["_merge"]
        .eq("both")
        .to_numpy()
    )
    flagged = np.zeros(n, dtype=bool)
    flagged[imports["row"].to_numpy()[(makers.to_numpy() - own) > 0]] = True
    return flagged
