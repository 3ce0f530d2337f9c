"""Suggested links: local buyers for what producers sell out of the region,
ranked by the evidence score (`analysis.evidence`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.analysis.products import product_status
from valuechain.analysis.slices import Slice, place_mask
from valuechain.analysis.unlinked import unlinked_producers
from valuechain.analysis.weights import link_weights
from valuechain.arrays import index_in, isin_ints
from valuechain.loading.dataset import Dataset

if TYPE_CHECKING:
    from valuechain.analysis.evidence import Evidence

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
    slice: Slice | None = None,
    all_buyers: bool = False,
    all_sellers: bool = False,
    evidence: Evidence | None = None,
) -> pd.DataFrame:
    """Pairs (seller, buyer) worth linking, best first by the evidence score
    (`analysis.evidence`: nearness, the seller's activity, common partners,
    what the buyer and the seller's neighbours already trade).

    By default a pair qualifies when the seller lists product P in its
    outputs, the buyer lists P in its inputs, the seller sells nothing to the
    buyer yet, and P is a `missing_link` or `weak_link` or the seller an
    unlinked producer; `all_sellers` takes every local seller and everything
    it makes (listed or sold) and adds the `score` column. Ties in score go
    to the nearer buyer (unknown distances last), then the seller's larger
    capacity, then the ids. One row per (seller, product) — its best buyer —
    unless `all_buyers`. `max_km` keeps pairs at a known distance of at most K
    km; `top` the first N (None keeps all). Only the buyers some evidence
    points to are scored, unless every pair is asked for (`top` None or
    `all_buyers`), which is refused beyond `MAX_PAIRS`. `value` is the weight
    of the seller's sales of the product that leave the region now. A `slice`
    keeps the sellers of its districts and types and the products of its
    chains; the statuses and unlinked producers that qualify a pair are those
    of the whole dataset. Returns `SUGGEST_COLUMNS` (+ `score`).
    """
    from valuechain.analysis.evidence import Evidence, candidates, rank, score_pairs

    w = link_weights(ds.links, weight)
    sl = (slice or Slice()).resolve(ds)
    chains = sl.chains
    sellers = place_mask(ds, sl)
    ev = evidence or Evidence.of(ds)
    index = ev.index
    status = product_status(ds, w, weak_share=weak_share).set_index("product")["status"]
    if unlinked is None:
        unlinked = unlinked_producers(ds, buyers=index)
    unlinked_rows = index_in(unlinked["id"], ds.enterprises["id"])

    makers = ev.makers
    if not all_sellers:  # what a seller lists as its outputs
        makers = index.seller_outputs(ds, np.arange(len(index.ids)))
    pstatus = status.reindex(index.products[makers["p"]]).to_numpy()
    is_gap = np.isin(pstatus, GAP_STATUSES)
    is_unl = isin_ints(makers["row"].to_numpy(), unlinked_rows)
    keep = np.ones(len(makers), dtype=bool) if all_sellers else (is_gap | is_unl)
    if sellers is not None:
        keep &= np.asarray(sellers, dtype=bool)[makers["row"].to_numpy()]
    if chains:
        chain_of = ds.product_attribute("chain")
        keep &= chain_of.reindex(index.products[makers["p"]]).isin(chains).to_numpy()
    makers = makers.assign(gap=is_gap, unl=is_unl, status=pstatus)[keep]

    every = top is None or all_buyers
    pairs = candidates(
        ev, makers[["row", "p"]], every=every, exclude_pairs=not all_sellers, limit=MAX_PAIRS
    )
    if not all_sellers:  # a buyer lists the product among its inputs
        listed = index.offer_output == False  # noqa: E712 (a numpy mask)
        inputs = pd.MultiIndex.from_arrays([index.offer_rows[listed], index.offer_codes[listed]])
        pairs = pairs[pd.MultiIndex.from_arrays([pairs["b"], pairs["p"]]).isin(inputs)]
    ranked = rank(ev, score_pairs(ev, pairs))
    if max_km is not None:
        ranked = ranked[ranked["km"] <= max_km]
    if not all_buyers:
        ranked = ranked.drop_duplicates(["s", "p"])
    if top is not None:
        ranked = ranked.head(top)
    flags = makers.set_index(["row", "p"])[["gap", "unl", "status"]]
    flags = flags[~flags.index.duplicated()]
    at = pd.MultiIndex.from_arrays([ranked["s"], ranked["p"]])
    gap = flags["gap"].reindex(at).fillna(False).to_numpy(dtype=bool)
    unl = flags["unl"].reindex(at).fillna(False).to_numpy(dtype=bool)
    st = flags["status"].reindex(at).to_numpy()
    out = pd.DataFrame(
        {
            "source": index.ids[ranked["s"].to_numpy()],
            "target": index.ids[ranked["b"].to_numpy()],
            "product": index.products[ranked["p"].to_numpy()].to_numpy(),
            "km": ranked["km"].to_numpy(),
            "reason": [
                (["unlinked"] if u else []) + ([x] if g else [])
                for u, x, g in zip(unl, st, gap, strict=True)
            ],
        }
    )
    ent = ds.enterprises
    sellers_rows = ranked["s"].to_numpy(np.int64)
    for end, rows in (("source", sellers_rows), ("target", ranked["b"].to_numpy(np.int64))):
        # the rows picked first: text of the suggestions only, not of every enterprise
        out[f"{end}_name"] = ent["name"].take(rows).to_numpy()
        out[f"{end}_district"] = ent["district"].take(rows).to_numpy()
    src, _tgt = ds.endpoint_rows()
    leaving = ds.links["target_ext"].to_numpy(dtype=bool) & (src >= 0)
    leaving &= isin_ints(src, sellers_rows)  # the sales of the suggested sellers only
    sold_out = (
        pd.Series(np.asarray(w, dtype=float)[leaving])
        .groupby([src[leaving], ds.links["product"][leaving].to_numpy()])
        .sum()
    )
    out["value"] = sold_out.reindex(
        pd.MultiIndex.from_arrays([sellers_rows, out["product"].to_numpy()])
    ).to_numpy()
    columns = SUGGEST_COLUMNS + (["score"] if all_sellers else [])
    out["score"] = ranked["score"].to_numpy()
    return out[columns].reset_index(drop=True)
