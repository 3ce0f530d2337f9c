"""Priorities: whom to call first, which plant to attract, which firms to protect.

Three lists, each ranked on its own by what is at stake:

- `connect`: each producer's sales of a product that leave the region, with the
  enterprise that uses that product the evidence score ranks first (an
  existing buyer of the producer or a new one; the score of `suggest`): the
  value a local sale could keep. Weak chains come first,
  and no chain has more than `PER_CHAIN` rows before every chain has had its
  turn, so one strong chain cannot fill the list; within that, the value at
  stake decides. Isolated producers come after, one row per product, with
  nothing at stake measured yet.
- `attract`: each missing processing stage (Q made from m, m produced here, Q
  by nobody) with some m now leaving the region, ranked by its value: what a
  plant making Q could process locally. A stage with nothing at stake is no
  priority.
- `protect`: the enterprises whose stop would cost the region the largest share
  of its output (`critical_enterprises`), those at or above `PROTECT_RISK`;
  a service (a shop, a trader) only when its stop reaches another enterprise
  (a supplier that loses its buyer), not for its own sales alone.

docs/methods.md states the rules in words, with a worked example.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.analysis.critical import IN_DOCUMENTS, PROTECT_RISK, critical_enterprises
from valuechain.analysis.products import missing_stages
from valuechain.analysis.shares import local_out_status, unlinked_mask
from valuechain.analysis.slices import Slice, place_mask, slice_mask
from valuechain.analysis.weights import link_weights
from valuechain.arrays import isin_ints, relabelled
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset

__all__ = ["PRIORITY_COLUMNS", "ACTIONS", "priorities", "protects"]

PRIORITY_COLUMNS = [
    "action",
    "rank",
    "id",
    "name",
    "district",
    "product",
    "partner",
    "partner_name",
    "partner_district",
    "km",
    "at_stake",
    "reason",
    "value_added_estimate",
]
ACTIONS = ("connect", "attract", "protect")
PER_CHAIN = 3  # connect rows of one chain before every chain has had its turn


def priorities(
    ds: Dataset,
    weight: str | pd.Series = "auto",
    *,
    actions: tuple[str, ...] = ACTIONS,
    top: int | None = 10,
    slice: Slice | None = None,
    critical: pd.DataFrame | None = None,
    coupling: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ranked lists of `actions`, `top` rows each (None: all), as one frame of
    `PRIORITY_COLUMNS`; `rank` counts from 1 within each action.

    A `slice`'s districts keep the producers (connect) and enterprises
    (protect) of those districts and count, for attract, only the raw input
    leaving from them; its chains keep the products and enterprises of those
    chains; its types keep the producers and enterprises of those types. `critical` reuses
    `critical_enterprises(ds, weight)[0]` when the caller has it; without it,
    the protect list is made only when `protects(ds)` (every enterprise
    tested: up to `IN_DOCUMENTS` of them, seconds). `coupling` reuses
    `chain_coupling(ds, weight)` (which chains are weak) when the caller has it.
    """
    w = relabelled(link_weights(ds.links, weight), ds.links.index)
    sl = (slice or Slice()).resolve(ds)
    parts = []
    if "connect" in actions:
        parts.append(_cut(_connect(ds, w, sl, coupling, top), "connect", top))
    if "attract" in actions:
        parts.append(_cut(_attract(ds, w, sl), "attract", top))
    if "protect" in actions and (critical is not None or protects(ds)):
        parts.append(_cut(_protect(ds, w, sl, critical), "protect", top))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=PRIORITY_COLUMNS)
    return pd.concat(parts, ignore_index=True).reindex(columns=PRIORITY_COLUMNS)


def protects(ds: Dataset) -> bool:
    """Whether `priorities` makes the protect list by itself: when testing every
    enterprise takes seconds. Beyond, `critical_enterprises` (minutes at a
    million enterprises) is run on its own and its frame handed over."""
    return len(ds.enterprises) <= IN_DOCUMENTS


def _cut(frame: pd.DataFrame, action: str, top: int | None) -> pd.DataFrame:
    frame = frame.head(top) if top is not None else frame
    frame = frame.reset_index(drop=True)
    frame.insert(0, "action", action)
    frame.insert(1, "rank", np.arange(1, len(frame) + 1))
    return frame


# --- connect ---------------------------------------------------------------------


def _connect(
    ds: Dataset, w: pd.Series, sl: Slice, coupling: pd.DataFrame | None, top: int | None
) -> pd.DataFrame:
    ent = ds.enterprises
    producer = ent["type"].isin(PRODUCER_TYPES).to_numpy()
    src, _tgt = ds.endpoint_rows()
    links = ds.links
    product = links["product"].fillna("").astype(str).to_numpy()
    out = links["target_ext"].to_numpy(dtype=bool) & (src >= 0) & (product != "")
    out &= producer[np.where(src >= 0, src, 0)]
    leaving = (
        pd.DataFrame({"row": src[out], "product": product[out], "at_stake": w.to_numpy()[out]})
        .groupby(["row", "product"], sort=False, as_index=False)["at_stake"]
        .sum()
    )
    # Isolated producers sell nothing: a row for each product they list.
    # (the unlinked rule alone: no nearest-buyer search is needed here)
    has_out, has_local_out = local_out_status(ds)
    is_isolated = unlinked_mask(ds, has_local_out) & ~has_out
    output = (ds.offers["role"] == "output").to_numpy()
    rows = ds.offer_rows()[output]
    iso = is_isolated[rows]
    isolated = pd.DataFrame(
        {
            "row": rows[iso],
            "product": ds.offers["product"].to_numpy()[output][iso],
            "at_stake": np.nan,
        }
    ).drop_duplicates(["row", "product"])
    rows_frame = pd.concat([leaving, isolated], ignore_index=True)
    if sl:
        keep = slice_mask(ds, sl)[rows_frame["row"].to_numpy()]
        if sl.chains:
            keep &= ds.product_attribute("chain").reindex(rows_frame["product"]).isin(sl.chains)
            keep = np.asarray(keep, dtype=bool)
        rows_frame = rows_frame[keep]
    weak = _weak_chains(ds, w, coupling)
    chain = ds.product_attribute("chain").reindex(rows_frame["product"]).fillna("").to_numpy()
    if top is not None:  # a best buyer only for the rows that can reach the first `top`
        rows_frame = rows_frame[_within_reach(rows_frame["at_stake"], chain, weak, top)]
    partner, km = _best_users(ds, rows_frame)
    n = len(ent)
    local = links["local"].to_numpy(dtype=bool)
    existing = src[local].astype(np.int64) * n + _tgt[local]
    key = rows_frame["row"].to_numpy(np.int64) * n + partner
    reason = np.where(
        partner < 0,
        "no_local_user",
        np.where(isin_ints(key, existing), "existing_buyer", "new_buyer"),
    )
    row = rows_frame["row"].to_numpy(np.int64)
    at = np.maximum(partner, 0)

    def picked(column: str, rows: np.ndarray) -> np.ndarray:
        # the rows taken first: the text of these rows only, not of every enterprise
        return ent[column].take(rows).to_numpy()

    frame = pd.DataFrame(
        {
            "id": picked("id", row),
            "name": picked("name", row),
            "district": picked("district", row),
            "product": rows_frame["product"].to_numpy(),
            "partner": np.where(partner >= 0, picked("id", at), ""),
            "partner_name": np.where(partner >= 0, picked("name", at), ""),
            "partner_district": np.where(partner >= 0, picked("district", at), ""),
            "km": km,
            "at_stake": rows_frame["at_stake"].to_numpy(dtype=float),
            "reason": reason,
        }
    )
    return _rank_connect(ds, frame, weak)


def _weak_chains(ds: Dataset, w: pd.Series, coupling: pd.DataFrame | None) -> pd.Series:
    """Whether each chain is weak (bool by chain code)."""
    from valuechain.analysis.coupling import chain_coupling

    if coupling is None:
        coupling = chain_coupling(ds, w).set_index("chain")
    elif "chain" in coupling.columns:
        coupling = coupling.set_index("chain")
    return coupling["weak"].astype(bool)


def _within_reach(stake: pd.Series, chain: np.ndarray, weak: pd.Series, top: int) -> np.ndarray:
    """The connect rows that can be among the first `top` of `_rank_connect`,
    whatever their partner's distance (which only breaks ties): a row with
    something at stake whose value is among the first `PER_CHAIN` of its chain
    (those may come before every other chain's rows), or among the first `top`
    of the weak (or strong) chains' rows, ties included. A row beyond both
    comes after its chain's turn, so after at least `top` rows of its kind:
    those of larger value, and every row of a chain's turn or of the weak
    chains before it. Isolated producers come after every row with something
    at stake: they are needed only when those are fewer than `top`."""
    measured = stake.notna().to_numpy()
    if measured.sum() < top:
        return np.ones(len(stake), dtype=bool)
    value = pd.Series(stake.to_numpy(dtype=float))
    is_weak = weak.reindex(chain).fillna(False).to_numpy(dtype=bool)
    in_chain = value.groupby(chain).rank(method="min", ascending=False).to_numpy()
    in_kind = value.groupby(is_weak).rank(method="min", ascending=False).to_numpy()
    return measured & ((in_chain <= PER_CHAIN) | (in_kind <= top))


def _rank_connect(ds: Dataset, frame: pd.DataFrame, weak: pd.Series) -> pd.DataFrame:
    """Weak chains first, at most `PER_CHAIN` rows of a chain before every chain
    has had its turn, then the value at stake (largest first), the distance and
    the ids; isolated producers (nothing at stake measured) last."""
    chain = ds.product_attribute("chain").reindex(frame["product"]).fillna("").to_numpy()
    weak = weak.reindex(chain).fillna(False).to_numpy(dtype=bool)
    frame = frame.assign(
        _none=frame["at_stake"].isna().to_numpy(),
        _unknown=frame["km"].isna().to_numpy(),
        _strong=~weak,
        _chain=chain,
    )
    frame = frame.sort_values(
        ["_none", "at_stake", "_unknown", "km", "id", "product"],
        ascending=[True, False, True, True, True, True],
        kind="stable",
    )
    frame["_turn"] = frame.groupby("_chain", sort=False).cumcount() >= PER_CHAIN
    frame = frame.sort_values(
        ["_none", "_turn", "_strong"], ascending=[True, True, True], kind="stable"
    )
    return frame.drop(columns=["_none", "_unknown", "_strong", "_chain", "_turn"])


def _best_users(ds: Dataset, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each (seller row, product): the other enterprise listing the product
    in its inputs that the evidence score ranks first (`analysis.evidence`: the
    same score `suggest` and the map rank by; one it already sells to may be
    it) and the km; -1 when nobody else uses the product."""
    from valuechain.analysis.evidence import Evidence, best_buyers

    ev = Evidence.of(ds)
    codes = ev.index.products.get_indexer(rows["product"])
    makers = pd.DataFrame({"row": rows["row"].to_numpy(), "p": codes})
    best = best_buyers(ev, makers[codes >= 0].drop_duplicates())
    at = pd.MultiIndex.from_arrays([makers["row"], makers["p"]])
    found = best.set_index(["s", "p"]).reindex(at)
    partner = found["b"].fillna(-1).to_numpy(dtype=np.int64)
    return partner, found["km"].to_numpy(dtype=float)


# --- attract ---------------------------------------------------------------------


def _attract(ds: Dataset, w: pd.Series, sl: Slice) -> pd.DataFrame:
    stages = missing_stages(ds)
    if sl.chains:
        stages = stages[stages["chain"].isin(sl.chains)]
    src, _ = ds.endpoint_rows()
    leaving = ds.links["target_ext"].to_numpy(dtype=bool) & (src >= 0)
    sellers = place_mask(ds, sl)
    if sellers is not None:  # only what leaves from the slice's enterprises
        leaving &= sellers[np.where(src >= 0, src, 0)]
    raw = pd.Series(w.to_numpy()[leaving]).groupby(ds.links["product"].to_numpy()[leaving]).sum()
    names = ds.product_attribute("name")
    frame = pd.DataFrame(
        {
            "id": "",
            "name": "",
            "district": "",
            "product": stages["product"].to_numpy(),
            "partner": stages["from"].to_numpy(),
            "partner_name": names.reindex(stages["from"]).fillna("").to_numpy(),
            "partner_district": "",
            "km": np.nan,
            "at_stake": raw.reindex(stages["from"]).fillna(0.0).to_numpy(dtype=float),
            "reason": "missing_stage",
            "value_added_estimate": _added_estimate(ds, stages, leaving),
        }
    )
    frame = frame[frame["at_stake"] > 0]  # nothing of m leaves: no plant is waited for
    return frame.sort_values(
        ["at_stake", "product", "partner"], ascending=[False, True, True], kind="stable"
    )


def _added_estimate(ds: Dataset, stages: pd.DataFrame, leaving: np.ndarray) -> np.ndarray:
    """What a plant of each missing stage would add, an estimate (million đồng):
    the value of its input now leaving the region times what the region's
    plants of that stage in other chains add per đồng of input (else the
    assumed `DEFAULT_ADDED_PER_INPUT`). NaN when the links carry no value."""
    from valuechain.analysis.value import added_per_input

    value = ds.links["value"].to_numpy(dtype=np.float64)
    if not len(stages) or np.isnan(value).all():
        return np.full(len(stages), np.nan)
    products = ds.links["product"].to_numpy()[leaving]
    raw = pd.Series(np.nan_to_num(value[leaving])).groupby(products).sum()
    stage_of = ds.product_attribute("stage")
    wanted = [
        (c, int(stage_of.get(p, 2)))
        for c, p in zip(stages["chain"], stages["product"], strict=True)
    ]
    input_value = raw.reindex(stages["from"]).fillna(0.0).to_numpy(dtype=np.float64)
    return input_value * added_per_input(ds, wanted)


# --- protect -----------------------------------------------------------------------


def _protect(ds: Dataset, w: pd.Series, sl: Slice, critical: pd.DataFrame | None) -> pd.DataFrame:
    if critical is None:
        critical = critical_enterprises(ds, w)[0]
    rows = critical[critical["risk"] >= PROTECT_RISK]
    # A service is protected for what its stop does to others (a supplier left
    # without its buyer), not for its own sales alone.
    service = rows["type"].to_numpy() == "service"
    rows = rows[~service | (rows["affected"].to_numpy() > 0)]
    if sl:
        members = ds.enterprises.loc[slice_mask(ds, sl), "id"]
        rows = rows[rows["id"].isin(members)]
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "name": rows["name"].to_numpy(),
            "district": rows["district"].to_numpy(),
            "product": "",
            "partner": "",
            "partner_name": "",
            "partner_district": "",
            "km": np.nan,
            "at_stake": rows["risk"].to_numpy(dtype=float),
            "reason": "critical",
        }
    )
