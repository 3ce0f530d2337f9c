"""What-if scenarios: the region's answers before and after an enterprise closes
or a new processing plant opens.

`remove` takes enterprises and all their links away; `add_processor` places a
new plant `NEW` making Q and redirects to it the sales of its inputs that
producers within reach now make outside the region, nearest producer first,
until its capacity is used. `whatif` compares the two datasets with the same
analyses as every command. docs/methods.md states the rules and what they assume.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from valuechain.analysis.critical import AFFECTED_BELOW, cascade, network
from valuechain.analysis.geo import haversine_km
from valuechain.analysis.products import product_status
from valuechain.analysis.progress import before_after
from valuechain.analysis.weights import resolve_weight
from valuechain.arrays import fast_isin
from valuechain.errors import DataError, SliceError
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset
from valuechain.loading.files import ROW

__all__ = ["Scenario", "NEW_ID", "new_plant_id", "product_code", "apply_scenario", "whatif"]

NEW_ID = "NEW"


def product_code(ds: Dataset, given: str | None) -> str:
    """The catalog code a planner means: the code itself, or a product's name in
    either language, without case or diacritics (`Ván MDF` → `mdf`). Raises
    `SliceError` listing the products by code and name when none matches."""
    from valuechain.text import fold

    catalog = ds.products.drop_duplicates("code").set_index("code")
    if given in catalog.index:
        return str(given)
    key = fold(str(given))
    for column in ("name", "name_en", None):
        if column is not None and column not in catalog:
            continue
        words = catalog.index.to_series() if column is None else catalog[column]
        hits = [code for code, word in words.items() if isinstance(word, str) and fold(word) == key]
        if len(hits) == 1:
            return str(hits[0])
    listed = catalog[catalog["in_catalog"]]
    raise SliceError(
        key="slice_no_match",
        option="--add-processor",
        value=given,
        present=", ".join(f"{code} ({name})" for code, name in sorted(listed["name"].items())),
    )


def new_plant_id(ds: Dataset) -> str:
    """The id of a new plant: `NEW`, or `NEW-2`, `NEW-3`… when the dataset already
    has an enterprise so named (it must never merge with one)."""
    taken = set(ds.enterprises["id"])
    if NEW_ID not in taken:
        return NEW_ID
    return next(f"{NEW_ID}-{k}" for k in range(2, len(taken) + 3) if f"{NEW_ID}-{k}" not in taken)


@dataclass(frozen=True)
class Scenario:
    """`remove`: enterprise ids to take away. Or `add_processor`: the product Q
    a new plant makes, placed `at` (lat, lon) or at the mean position of
    `district`'s enterprises, buying `inputs` (default: Q's recipe) up to
    `capacity` (volume; None: unlimited) from producers within `max_km`."""

    remove: tuple[str, ...] = ()
    add_processor: str | None = None
    at: tuple[float, float] | None = None
    district: str | None = None
    inputs: tuple[str, ...] = ()
    capacity: float | None = None
    max_km: float = 50.0

    def describe(self) -> dict[str, Any]:
        if self.remove:
            return {"remove": list(self.remove)}
        return {
            "add_processor": self.add_processor,
            "at": list(self.at) if self.at else None,
            "district": self.district,
            "inputs": list(self.inputs),
            "capacity": self.capacity,
            "max_km": self.max_km,
        }


def apply_scenario(ds: Dataset, sc: Scenario, weight: str = "auto") -> tuple[Dataset, float]:
    """The dataset after the scenario, and the weight kept in the region (the
    weight of the links redirected to a new plant; 0 for a removal)."""
    if sc.remove:
        return _remove(ds, sc.remove), 0.0
    return _add_processor(ds, sc, weight)


def _remove(ds: Dataset, ids: tuple[str, ...]) -> Dataset:
    ent = ds.enterprises
    gone_ids = pd.Series(list(dict.fromkeys(ids)), dtype=ent["id"].dtype)
    known = fast_isin(gone_ids, ent["id"])
    if not known.all():
        raise SliceError(key="no_such_enterprise", value=gone_ids[~known].iloc[0])
    gone = fast_isin(ent["id"], gone_ids)
    src, tgt = ds.endpoint_rows()
    keep = ~(np.where(src >= 0, gone[src], False) | np.where(tgt >= 0, gone[tgt], False))
    after = replace(
        ds,
        enterprises=ent[~gone].reset_index(drop=True),
        offers=ds.offers[~fast_isin(ds.offers["id"], gone_ids)].reset_index(drop=True),
        links=ds.links[keep].reset_index(drop=True),
        all_links=None,
    )
    # The links' enterprise rows, renumbered past the rows removed: no new lookup.
    shift = np.cumsum(gone) - gone
    ends = np.vstack([src[keep], tgt[keep]])
    after.set_endpoint_rows(np.where(ends >= 0, ends - shift[np.maximum(ends, 0)], -1))
    return after


def _add_processor(ds: Dataset, sc: Scenario, weight: str) -> tuple[Dataset, float]:
    catalog = ds.products.drop_duplicates("code").set_index("code")
    product = product_code(ds, sc.add_processor)
    inputs = list(sc.inputs) or list(catalog.at[product, "made_from"])
    lat, lon = _position(ds, sc)
    name, w, _ = resolve_weight(ds.links, weight)
    ent = ds.enterprises
    links = ds.links.copy()
    pos = ent.set_index("id")[["lat", "lon", "type"]]
    src = links["source"]
    seller = pos.reindex(src)
    candidate = (
        links["target_ext"].to_numpy()
        & links["product"].isin(inputs).to_numpy()
        & seller["type"].isin(PRODUCER_TYPES).to_numpy()
    )
    km = haversine_km(
        seller["lat"].to_numpy(), seller["lon"].to_numpy(), np.array(lat), np.array(lon)
    )
    candidate &= np.nan_to_num(km, nan=np.inf) <= sc.max_km
    order = np.flatnonzero(candidate)
    order = order[np.lexsort((src.to_numpy()[order], km[order]))]  # nearest first, then id
    if sc.capacity is not None:
        unknown = int(np.isnan(links["volume"].to_numpy(dtype=float)[order]).sum())
        if unknown:  # a capacity is a volume: it cannot bind links of unknown volume
            raise DataError(key="whatif_capacity_volume", n=unknown, total=len(order))
    new_id = new_plant_id(ds)
    room = np.inf if sc.capacity is None else float(sc.capacity)
    moved, extra, kept = [], [], 0.0
    for i in order:
        if room <= 0:
            break
        volume = links.at[i, "volume"]
        volume = 0.0 if pd.isna(volume) else float(volume)
        if volume <= room:
            moved.append(i)
            kept += float(w.iloc[i])
            room -= volume
            continue
        # The last link taken is split: what fits goes to NEW, the rest stays.
        part = room / volume
        rest = links.loc[i].copy()
        rest["volume"] = volume - room
        rest["value"] = links.at[i, "value"] * (1 - part)
        extra.append(rest)
        links.at[i, "value"] = links.at[i, "value"] * part
        links.at[i, "volume"] = room
        kept += float(w.iloc[i]) * part
        moved.append(i)
        room = 0.0
    links.loc[moved, "target"] = new_id
    links.loc[moved, "target_ext"] = False
    links.loc[moved, "local"] = True
    if extra:
        links = pd.concat([links, pd.DataFrame(extra)], ignore_index=True)
    new: dict[str, Any] = {c: np.nan for c in ent.columns}
    new.update(
        id=new_id,
        name=f"NEW ({product})",
        type="processor",
        district=sc.district or "",
        lat=lat,
        lon=lon,
        outputs=product,
        inputs=";".join(inputs),
        capacity=np.nan if sc.capacity is None else sc.capacity,
    )
    new[ROW] = 0
    enterprises = pd.concat([ent, pd.DataFrame([new]).astype(ent.dtypes, errors="ignore")])
    offers = pd.concat(
        [
            ds.offers,
            pd.DataFrame(
                {
                    "id": new_id,
                    "product": [product, *inputs],
                    "role": ["output"] + ["input"] * len(inputs),
                    "pos": [0, *range(len(inputs))],
                }
            ),
        ],
        ignore_index=True,
    )
    after = replace(
        ds,
        enterprises=enterprises.reset_index(drop=True),
        offers=offers,
        links=links.reset_index(drop=True),
        all_links=None,
    )
    return after, kept


def _position(ds: Dataset, sc: Scenario) -> tuple[float, float]:
    if sc.at is not None:
        return sc.at
    ent = ds.enterprises
    from valuechain.analysis.slices import resolve_slice

    district = resolve_slice(ds, districts=(str(sc.district),)).districts[0]
    here = ent[ent["district"] == district]
    return float(here["lat"].mean()), float(here["lon"].mean())


def whatif(ds: Dataset, sc: Scenario, weight: str = "auto") -> dict[str, Any]:
    """Before, after and change: the totals (links, local links, local share,
    unlinked producers), each chain's coupling score, the products whose status
    changes, the producers that became linked or unlinked, the weight kept in
    the region, and for a removal the share of the region's output lost (`loss`,
    the `critical` risk) and the output kept (h < 0.99) by each enterprise it
    hits."""
    after, kept = apply_scenario(ds, sc, weight)
    result = before_after(ds, after, weight=weight)
    name = result["weight"]
    before_status = product_status(ds, name).set_index("product")["status"]
    after_status = product_status(after, name).set_index("product")["status"]
    changed = [
        {"product": p, "status_before": before_status.get(p), "status_after": after_status.get(p)}
        for p in sorted(set(before_status.index) | set(after_status.index))
        if before_status.get(p) != after_status.get(p)
    ]
    hit = []
    loss = None
    if sc.remove:
        rows = np.flatnonzero(ds.enterprises["id"].isin(sc.remove).to_numpy())
        net = network(ds, name)
        h = cascade(net, [rows])[:, 0]
        # The share of the region's output lost, the closed enterprises' own
        # included: for one enterprise, exactly its `critical` risk.
        total = float(net.size.sum())
        loss = float((net.size * (1.0 - h)).sum() / total) if total > 0 else 0.0
        ids = ds.enterprises["id"].to_numpy()
        struck = h < AFFECTED_BELOW
        struck[rows] = False  # the enterprises removed are not "hit"
        order = np.flatnonzero(struck)
        order = order[np.lexsort((ids[order], h[order]))]
        hit = [{"id": ids[i], "h": float(h[i])} for i in order]
    return {
        "scenario": sc.describe(),
        "weight": name,
        "before": result["totals"]["a"],
        "after": result["totals"]["b"],
        "chains": [
            {
                "chain": c["chain"],
                "score_before": c["score_a"],
                "score_after": c["score_b"],
                "delta": c["delta"],
            }
            for c in result["chains"]
        ],
        "products": changed,
        "became_linked": result["became_linked"],
        "became_unlinked": result["became_unlinked"],
        "weight_kept": kept,
        "hit": hit,
        "loss": loss,
        "new_id": new_plant_id(ds) if sc.add_processor else None,
    }
