"""Priorities: whom to call first, which plant to attract, which firms to protect.

Three lists, each ranked on its own by what is at stake:

- `connect`: each producer's sales of a product that leave the region, with the
  nearest enterprise that uses that product (an existing buyer of the producer
  or a new one): the value a local sale could keep. Weak chains come first,
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

from valuechain.analysis.buyers import BuyerIndex, chord_to_km
from valuechain.analysis.critical import IN_DOCUMENTS, PROTECT_RISK, critical_enterprises
from valuechain.analysis.products import missing_stages
from valuechain.analysis.shares import local_out_status, unlinked_mask
from valuechain.analysis.slices import Slice, resolve_slice, slice_mask
from valuechain.analysis.weights import link_weights
from valuechain.arrays import relabelled, unique_ints
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
]
ACTIONS = ("connect", "attract", "protect")
NEAREST_K = 16  # neighbours asked of the k-d tree; more only when they all tie
PER_CHAIN = 3  # connect rows of one chain before every chain has had its turn
TIE_KM = 1e-9


def priorities(
    ds: Dataset,
    weight: str | pd.Series = "auto",
    *,
    actions: tuple[str, ...] = ACTIONS,
    top: int | None = 10,
    districts: tuple[str, ...] = (),
    chains: tuple[str, ...] = (),
    critical: pd.DataFrame | None = None,
    coupling: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ranked lists of `actions`, `top` rows each (None: all), as one frame of
    `PRIORITY_COLUMNS`; `rank` counts from 1 within each action.

    `districts` keeps the producers (connect) and enterprises (protect) of those
    districts and counts, for attract, only the raw input leaving from them;
    `chains` keeps the products and enterprises of those chains. Both are
    matched like every slice (`resolve_slice`). `critical` reuses
    `critical_enterprises(ds, weight)[0]` when the caller has it; without it,
    the protect list is made only when `protects(ds)` (every enterprise
    tested: up to `IN_DOCUMENTS` of them, seconds). `coupling` reuses
    `chain_coupling(ds, weight)` (which chains are weak) when the caller has it.
    """
    w = relabelled(link_weights(ds.links, weight), ds.links.index)
    sl = resolve_slice(ds, districts=districts, chains=chains)
    parts = []
    if "connect" in actions:
        parts.append(_cut(_connect(ds, w, sl, coupling), "connect", top))
    if "attract" in actions:
        parts.append(_cut(_attract(ds, w, sl), "attract", top))
    if "protect" in actions and (critical is not None or protects(ds)):
        parts.append(_cut(_protect(ds, w, sl, critical), "protect", top))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=PRIORITY_COLUMNS)
    return pd.concat(parts, ignore_index=True)[PRIORITY_COLUMNS]


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


def _connect(ds: Dataset, w: pd.Series, sl, coupling: pd.DataFrame | None) -> pd.DataFrame:
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
    index = BuyerIndex.build(ds)
    codes = index.products.get_indexer(rows_frame["product"])
    partner, km = _nearest_users(ds, index, rows_frame["row"].to_numpy(), codes)
    n = len(ent)
    local = links["local"].to_numpy(dtype=bool)
    existing = unique_ints(src[local].astype(np.int64) * n + _tgt[local])
    key = rows_frame["row"].to_numpy(np.int64) * n + partner
    reason = np.where(
        partner < 0,
        "no_local_user",
        np.where(np.isin(key, existing), "existing_buyer", "new_buyer"),
    )
    ids = ent["id"].to_numpy()
    frame = pd.DataFrame(
        {
            "id": ids[rows_frame["row"]],
            "name": ent["name"].to_numpy()[rows_frame["row"]],
            "district": ent["district"].to_numpy()[rows_frame["row"]],
            "product": rows_frame["product"].to_numpy(),
            "partner": np.where(partner >= 0, ids[np.maximum(partner, 0)], ""),
            "partner_name": np.where(
                partner >= 0, ent["name"].to_numpy()[np.maximum(partner, 0)], ""
            ),
            "partner_district": np.where(
                partner >= 0, ent["district"].to_numpy()[np.maximum(partner, 0)], ""
            ),
            "km": km,
            "at_stake": rows_frame["at_stake"].to_numpy(dtype=float),
            "reason": reason,
        }
    )
    return _rank_connect(ds, w, frame, coupling)


def _rank_connect(
    ds: Dataset, w: pd.Series, frame: pd.DataFrame, coupling: pd.DataFrame | None
) -> pd.DataFrame:
    """Weak chains first, at most `PER_CHAIN` rows of a chain before every chain
    has had its turn, then the value at stake (largest first), the distance and
    the ids; isolated producers (nothing at stake measured) last."""
    from valuechain.analysis.coupling import chain_coupling

    if coupling is None:
        coupling = chain_coupling(ds, w).set_index("chain")
    elif "chain" in coupling.columns:
        coupling = coupling.set_index("chain")
    chain = ds.product_attribute("chain").reindex(frame["product"]).fillna("").to_numpy()
    weak = coupling["weak"].reindex(chain).fillna(False).to_numpy(dtype=bool)
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


def _nearest_users(
    ds: Dataset, index: BuyerIndex, rows: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each (seller row, product code): the nearest other enterprise listing
    the product in its inputs (ties: larger capacity, then id) and the km; when
    the distance cannot be known (either side has no position), the largest
    user by capacity, km unknown. -1 when nobody else uses the product."""
    ent = ds.enterprises
    capacity = np.nan_to_num(ent["capacity"].to_numpy(dtype=float), nan=-np.inf)
    id_rank = np.empty(len(ent), dtype=np.int64)
    id_rank[np.argsort(ent["id"].to_numpy(), kind="stable")] = np.arange(len(ent))
    partner = np.full(len(rows), -1, dtype=np.int64)
    km = np.full(len(rows), np.nan)
    for code in np.unique(codes[codes >= 0]):
        at = np.flatnonzero(codes == code)
        users = index.consumer_rows((int(code),))
        if not len(users):
            continue
        # By capacity, then id: the partner when no distance is known.
        by_size = users[np.lexsort((id_rank[users], -capacity[users]))]
        first, second = by_size[0], (by_size[1] if len(by_size) > 1 else -1)
        sellers = rows[at]
        partner[at] = np.where(sellers == first, second, first)
        tree, located_users = index.tree((int(code),))
        located = index.located[sellers]
        if tree is None or not located.any():
            continue
        todo = at[located]
        k = min(NEAREST_K, len(located_users))
        chord, idx = tree.query(index.xyz[rows[todo]], k=k)
        chord, idx = chord.reshape(len(todo), k), idx.reshape(len(todo), k)
        cand = located_users[idx]
        dist = chord_to_km(chord)
        dist[cand == rows[todo][:, None]] = np.inf  # not its own partner
        all_tied = dist[:, -1] <= dist.min(axis=1) + TIE_KM
        if k < len(located_users) and all_tied.any():  # rare: more ties than asked
            full = _all_distances(index, rows[todo[all_tied]], located_users)
            self_hit = located_users[None, :] == rows[todo[all_tied]][:, None]
            full[self_hit] = np.inf
            width = len(located_users)
            cand = np.vstack(
                [
                    np.pad(cand[~all_tied], ((0, 0), (0, width - k)), constant_values=-1),
                    np.broadcast_to(located_users, (int(all_tied.sum()), width)),
                ]
            )
            dist = np.vstack(
                [
                    np.pad(dist[~all_tied], ((0, 0), (0, width - k)), constant_values=np.inf),
                    full,
                ]
            )
            todo = np.concatenate([todo[~all_tied], todo[all_tied]])
        best = dist.min(axis=1)
        found = np.isfinite(best)
        tie = dist <= best[:, None] + TIE_KM
        cap = np.where(tie, capacity[np.maximum(cand, 0)], -np.inf)
        cap_best = cap.max(axis=1)
        among = tie & (cap == cap_best[:, None])
        rank = np.where(among, id_rank[np.maximum(cand, 0)], np.iinfo(np.int64).max)
        pick = cand[np.arange(len(todo)), rank.argmin(axis=1)]
        partner[todo[found]] = pick[found]
        km[todo[found]] = best[found]
    return partner, km


def _all_distances(index: BuyerIndex, sellers: np.ndarray, users: np.ndarray) -> np.ndarray:
    chord = np.linalg.norm(index.xyz[sellers][:, None, :] - index.xyz[users][None, :, :], axis=2)
    return chord_to_km(chord)


# --- attract ---------------------------------------------------------------------


def _attract(ds: Dataset, w: pd.Series, sl) -> pd.DataFrame:
    stages = missing_stages(ds)
    if sl.chains:
        stages = stages[stages["chain"].isin(sl.chains)]
    src, _ = ds.endpoint_rows()
    leaving = ds.links["target_ext"].to_numpy(dtype=bool) & (src >= 0)
    if sl.districts:
        in_districts = slice_mask(ds, Slice(districts=sl.districts))  # already resolved
        leaving &= in_districts[np.where(src >= 0, src, 0)]
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
        }
    )
    frame = frame[frame["at_stake"] > 0]  # nothing of m leaves: no plant is waited for
    return frame.sort_values(
        ["at_stake", "product", "partner"], ascending=[False, True, True], kind="stable"
    )


# --- protect -----------------------------------------------------------------------


def _protect(ds: Dataset, w: pd.Series, sl, critical: pd.DataFrame | None) -> pd.DataFrame:
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
