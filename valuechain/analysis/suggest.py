"""Suggested links: local buyers for what producers sell out of the region."""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.analysis.buyers import BuyerIndex, chord_to_km
from valuechain.analysis.geo import EARTH_RADIUS_KM
from valuechain.analysis.products import product_status
from valuechain.analysis.unlinked import unlinked_producers
from valuechain.analysis.weights import link_weights
from valuechain.arrays import index_in, unique_ints
from valuechain.errors import DataError
from valuechain.loading.dataset import Dataset

__all__ = ["SUGGEST_COLUMNS", "suggest_links", "MAX_PAIRS"]

SUGGEST_COLUMNS = [
    "source",
    "target",
    "product",
    "km",
    "reason",
    "source_name",
    "source_district",
    "target_name",
    "target_district",
    "value",
]
GAP_STATUSES = ("missing_link", "weak_link")
# Listing every pair (no --top, no --max-km) is refused beyond this many.
MAX_PAIRS = 20_000_000


def suggest_links(
    ds: Dataset,
    weight: str | pd.Series = "auto",
    *,
    top: int | None = 20,
    max_km: float | None = None,
    weak_share: float = 0.5,
    unlinked: pd.DataFrame | None = None,
    sellers: np.ndarray | None = None,
    chains: tuple[str, ...] = (),
    all_buyers: bool = False,
) -> pd.DataFrame:
    """Pairs (seller, buyer) worth linking.

     A pair qualifies when the seller lists product P in `outputs`, the buyer
     lists P in `inputs`, there is no local link seller → buyer yet, and P is
     `missing_link` or `weak_link` or the seller is an unlinked producer
    . Ranked by distance (unknown last), then the seller's `capacity`
     (largest first), then ids. `max_km` drops pairs farther than K km and those
     of unknown distance; `top` keeps the first N (None keeps all). `reason` is a
     list of `unlinked` and/or the product's status. One row per (seller,
     product), its best-ranked buyer, unless `all_buyers`. `value` is the
     weight of the seller's sales of the product that leave the region now
     (what a local sale could keep). Returns `SUGGEST_COLUMNS`.

     With `top`, each product's nearest buyers come from a k-d tree, so a million
     enterprises never make their billions of pairs. Without `top` or `max_km`
     every pair is listed; more than `MAX_PAIRS` raises DataError. `unlinked`
     reuses `unlinked_producers(ds)` when the caller has it.

     `sellers` (a boolean array over `ds.enterprises`) and `chains` select the
     pairs of a slice: sellers in it, products of those chains. The statuses and
     unlinked producers that qualify a pair are still those of the whole dataset.
    """
    w = link_weights(ds.links, weight)
    status = product_status(ds, w, weak_share=weak_share).set_index("product")["status"]
    index = BuyerIndex.build(ds)
    if unlinked is None:
        unlinked = unlinked_producers(ds, buyers=index)
    unlinked_rows = index_in(unlinked["id"], ds.enterprises["id"])

    # Eligible (seller row, product code): gap products, or any output of an unlinked producer.
    outs = index.seller_outputs(ds, np.arange(len(index.ids)))
    pstatus = status.reindex(index.products[outs["p"]]).to_numpy()
    is_gap = np.isin(pstatus, GAP_STATUSES)
    is_unl = np.isin(outs["row"].to_numpy(), unlinked_rows)
    keep = is_gap | is_unl
    if sellers is not None:
        keep &= np.asarray(sellers, dtype=bool)[outs["row"].to_numpy()]
    if chains:
        chain_of = ds.product_attribute("chain")
        keep &= chain_of.reindex(index.products[outs["p"]]).isin(chains).to_numpy()
    outs = outs.assign(gap=is_gap, unl=is_unl, status=pstatus)[keep]

    src, tgt = ds.endpoint_rows()
    local = ds.links["local"].to_numpy(dtype=bool)
    n = len(index.ids)
    existing = unique_ints(src[local].astype(np.int64) * n + tgt[local])
    # A seller's pairs in the global top N are among its N + 1 + (local links it
    # already has) nearest consumers: self and existing links are dropped later.
    degree = np.bincount(src[local], minlength=n)
    outs = outs.assign(extra=1 + degree[outs["row"].to_numpy()])
    extra = int(outs["extra"].max()) if len(outs) else 1

    def valid(pairs: pd.DataFrame) -> pd.DataFrame:
        """Ranked, without self-pairs and pairs that trade already; one per
        (seller, product) unless every buyer is asked for."""
        if len(pairs):
            key = pairs["s"].to_numpy(np.int64) * n + pairs["c"].to_numpy(np.int64)
            pairs = pairs[(pairs["s"] != pairs["c"]).to_numpy() & ~np.isin(key, existing)]
        pairs = _ranked(ds, index, pairs)
        return pairs if all_buyers else pairs.drop_duplicates(["s", "p"])

    if top is None and max_km is None:
        pairs = valid(_all_pairs(index, outs))
    else:
        pairs = valid(_near_pairs(index, outs, top, max_km, extra))
        if top is not None and max_km is None:
            known = pairs.dropna(subset=["km"])
            short = top - len(known)
            if short > 0:
                unknown = _unknown_pairs(
                    ds, index, outs, short + extra, one_each=not all_buyers, covered=known
                )
                pairs = valid(pd.concat([known, unknown]))
    if top is not None:  # every path above ranked them
        pairs = pairs.head(top)
    pairs["reason"] = [
        (["unlinked"] if u else []) + ([s] if g else [])
        for u, s, g in zip(pairs["unl"], pairs["status"], pairs["gap"], strict=True)
    ]
    ent = ds.enterprises
    for end, row in (("source", "s"), ("target", "c")):
        pairs[f"{end}_name"] = ent["name"].to_numpy()[pairs[row].to_numpy(np.int64)]
        pairs[f"{end}_district"] = ent["district"].to_numpy()[pairs[row].to_numpy(np.int64)]
    leaving = ds.links["target_ext"].to_numpy(dtype=bool) & (src >= 0)
    sold_out = (
        pd.Series(np.asarray(w, dtype=float)[leaving])
        .groupby([src[leaving], ds.links["product"].to_numpy()[leaving]])
        .sum()
    )
    pairs["value"] = sold_out.reindex(
        pd.MultiIndex.from_arrays([pairs["s"].to_numpy(np.int64), pairs["product"].to_numpy()])
    ).to_numpy()
    return pairs[SUGGEST_COLUMNS].reset_index(drop=True)


def _ranked(ds: Dataset, index: BuyerIndex, pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs in ranking order: distance (unknown last), the seller's capacity
    (largest first), then ids and product."""
    capacity = ds.enterprises["capacity"].to_numpy(dtype=float)
    return pairs.assign(
        source=index.ids[pairs["s"]],
        target=index.ids[pairs["c"]],
        product=index.products[pairs["p"]].to_numpy(),
        _unknown=pairs["km"].isna(),
        _cap=np.nan_to_num(capacity[pairs["s"]], nan=-np.inf),
    ).sort_values(
        ["_unknown", "km", "_cap", "source", "target", "product"],
        ascending=[True, True, False, True, True, True],
        kind="stable",
    )


def _all_pairs(index: BuyerIndex, outs: pd.DataFrame) -> pd.DataFrame:
    """Every (seller, consumer, product) pair, by a join per product (guarded)."""
    sizes = np.diff(index.consumer_ptr)
    n_pairs = int(sizes[outs["p"].to_numpy()].sum()) if len(outs) else 0
    if n_pairs > MAX_PAIRS:
        raise DataError(key="too_many_pairs", n=n_pairs, limit=MAX_PAIRS)
    parts = []
    for p, group in outs.groupby("p"):
        cons = index.consumer_rows((int(p),))
        if not len(cons):
            continue
        part = group.loc[group.index.repeat(len(cons))].copy()
        part["c"] = np.tile(cons, len(group))
        parts.append(part)
    pairs = pd.concat(parts, ignore_index=True) if parts else _empty(outs)
    return _with_km(index, pairs.rename(columns={"row": "s"}))


def _near_pairs(
    index: BuyerIndex, outs: pd.DataFrame, top: int | None, max_km: float | None, extra: int
) -> pd.DataFrame:
    """Each located seller's nearest located consumers of the product: k of them
    (`top` + room for the pairs dropped later), or all within `max_km`."""
    parts = []
    for p, group in outs.groupby("p"):
        tree, cons = index.tree((int(p),))
        sellers = group[index.located[group["row"].to_numpy()]]
        if tree is None or sellers.empty:
            continue
        xyz = index.xyz[sellers["row"].to_numpy()]
        if top is None:  # every pair within max_km
            chord = 2 * np.sin(max_km / (2 * EARTH_RADIUS_KM))
            hits = tree.query_ball_point(xyz, r=chord)
            lengths = np.fromiter((len(h) for h in hits), int, len(hits))
            found = (
                np.concatenate([np.asarray(h, dtype=np.int64) for h in hits])
                if lengths.sum()
                else np.zeros(0, np.int64)
            )
            part = sellers.loc[sellers.index.repeat(lengths)].copy()
            part["c"] = cons[found]
        else:
            bound = np.inf
            if max_km is not None:
                bound = 2 * np.sin(max_km / (2 * EARTH_RADIUS_KM)) * (1 + 1e-12)
            # Sellers grouped by how many neighbours they need (next power of two).
            need = np.minimum(top + sellers["extra"].to_numpy(), len(cons))
            bucket = np.minimum(2 ** np.ceil(np.log2(np.maximum(need, 1))).astype(int), len(cons))
            for k in np.unique(bucket):
                pick = bucket == k
                _dist, idx = tree.query(xyz[pick], k=int(k), distance_upper_bound=bound)
                idx = idx.reshape(int(pick.sum()), int(k))
                ok = idx < len(cons)
                chunk = sellers[pick]
                chunk = chunk.loc[chunk.index.repeat(ok.sum(axis=1))].copy()
                chunk["c"] = cons[idx[ok]]
                parts.append(chunk)
            continue
        parts.append(part)
    pairs = pd.concat(parts, ignore_index=True) if parts else _empty(outs)
    pairs = _with_km(index, pairs.rename(columns={"row": "s"}))
    if max_km is not None:
        pairs = pairs[pairs["km"] <= max_km]
    return pairs


def _unknown_pairs(
    ds: Dataset,
    index: BuyerIndex,
    outs: pd.DataFrame,
    need: int,
    *,
    one_each: bool = False,
    covered: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The first `need` pairs of unknown distance in ranking order (seller capacity,
    then ids), materialised only for the sellers that can supply them; with
    `one_each`, pairs of `need` (seller, product)s not in `covered` (which have
    a buyer at a known distance already; one of each is kept later)."""
    if one_each and covered is not None and len(covered):
        done = pd.MultiIndex.from_arrays([covered["s"], covered["p"]])
        outs = outs[~pd.MultiIndex.from_arrays([outs["row"], outs["p"]]).isin(done)]
    capacity = ds.enterprises["capacity"].to_numpy(dtype=float)
    order = outs.assign(
        _cap=np.nan_to_num(capacity[outs["row"]], nan=-np.inf), _id=index.ids[outs["row"]]
    ).sort_values(["_cap", "_id"], ascending=[False, True], kind="stable")
    unlocated = ~index.located
    parts, found = [], 0
    for row, p, rest in zip(order["row"], order["p"], order.index, strict=True):
        cons = index.consumer_rows((int(p),))
        if index.located[row]:
            cons = cons[unlocated[cons]]
        if not len(cons):
            continue
        part = outs.loc[[rest] * len(cons)].copy()
        part["c"] = cons
        parts.append(part)
        found += 1 if one_each else len(cons)
        if found >= need:
            break
    pairs = pd.concat(parts, ignore_index=True) if parts else _empty(outs)
    pairs = pairs.rename(columns={"row": "s"})
    pairs["km"] = np.nan
    return pairs


def _empty(outs: pd.DataFrame) -> pd.DataFrame:
    return outs.iloc[0:0].assign(c=np.zeros(0, np.int64))


def _with_km(index: BuyerIndex, pairs: pd.DataFrame) -> pd.DataFrame:
    s = index.xyz[pairs["s"].to_numpy()]
    c = index.xyz[pairs["c"].to_numpy()]
    pairs = pairs.copy()
    pairs["km"] = chord_to_km(np.linalg.norm(s - c, axis=1)) if len(pairs) else np.zeros(0)
    return pairs
