"""Where the value is made and where it leaves: value added by enterprise, by
chain and stage, and each chain's local content and raw leakage.

Per enterprise (money in million đồng, from the links' `value`):

- `output`: `output_value` where the survey gives it, else the value of all
  its sales (local and outside);
- `bought_local` / `bought_outside`: the value of its purchases from
  enterprises of the region / from outside parties (`EXT…`);
- `value_added` = output − bought_local − bought_outside. A negative value is
  kept and flagged (`negative_value_added`): sales or purchases are missing
  from the survey.

An enterprise belongs to the chain and stage of its main output: the first
product it lists among its outputs, else the product it sells most of (by
value); one with neither is in no chain and appears only per enterprise.

Per chain: `local_content` = value added in the region ÷ (value added in the
region + inputs bought from outside), the share of each đồng the chain sells
that is added in the region; `raw_leakage` = the chain's first-stage
enterprises' sales of first-stage products to outside parties ÷ their output
net of what they sell one another: the share of the raw output that leaves the
region unprocessed. docs/methods.md works an example by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.analysis.slices import Slice, slice_mask
from valuechain.errors import DataError
from valuechain.loading.dataset import Dataset

__all__ = [
    "value_added",
    "enterprise_value",
    "ENTERPRISE_VALUE_COLUMNS",
    "STAGE_VALUE_COLUMNS",
    "CHAIN_VALUE_COLUMNS",
    "VALUE_BY",
    "added_per_input",
    "DEFAULT_ADDED_PER_INPUT",
]

ENTERPRISE_VALUE_COLUMNS = [
    "id",
    "name",
    "type",
    "district",
    "chain",
    "stage",
    "employees",
    "output",
    "bought_local",
    "bought_outside",
    "value_added",
    "flag",
]
STAGE_VALUE_COLUMNS = [
    "chain",
    "stage",
    "enterprises",
    "employees",
    "output",
    "value_added",
    "value_added_per_worker",
    "bought_outside",
]
CHAIN_VALUE_COLUMNS = ["chain", "value_added", "bought_outside", "local_content", "raw_leakage"]
VALUE_BY = ("stage", "chain", "enterprise")


def enterprise_value(ds: Dataset) -> pd.DataFrame:
    """`ENTERPRISE_VALUE_COLUMNS`, one row per enterprise in input order.

    Raises DataError when neither a link value nor an output value is given
    (nothing to count value in). A link without a value counts 0.
    """
    ent = ds.enterprises
    links = ds.links
    if not links["value"].notna().any() and not ent["output_value"].notna().any():
        raise DataError(key="value_needs_values")
    n = len(ent)
    src, tgt = ds.endpoint_rows()
    value = links["value"].fillna(0.0).to_numpy(dtype=np.float64)
    from_outside = links["source_ext"].to_numpy(dtype=bool)
    sales = np.bincount(src[src >= 0], weights=value[src >= 0], minlength=n)
    bought = tgt >= 0
    local_in = bought & ~from_outside
    outside_in = bought & from_outside
    bought_local = np.bincount(tgt[local_in], weights=value[local_in], minlength=n)
    bought_outside = np.bincount(tgt[outside_in], weights=value[outside_in], minlength=n)
    declared = ent["output_value"].to_numpy(dtype=np.float64)
    output = np.where(np.isnan(declared), sales, declared)
    added = output - bought_local - bought_outside
    product = _main_output(ds, src, value)
    chain = ds.product_attribute("chain").reindex(product).fillna("").to_numpy(dtype=object)
    stage = ds.product_attribute("stage").reindex(product).to_numpy(dtype=np.float64)
    return pd.DataFrame(
        {
            "id": ent["id"].to_numpy(),
            "name": ent["name"].to_numpy(),
            "type": ent["type"].to_numpy(),
            "district": ent["district"].to_numpy(),
            "chain": chain,
            "stage": pd.Series(stage).astype("Int64").array,
            "employees": ent["employees"].to_numpy(dtype=np.float64),
            "output": output,
            "bought_local": bought_local,
            "bought_outside": bought_outside,
            "value_added": added,
            "flag": np.where(added < 0, "negative_value_added", ""),
        }
    )


def _main_output(ds: Dataset, src: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Each enterprise's main output: its first listed output, else the product
    of its largest sales by value (ties: the first such link), else ""."""
    n = len(ds.enterprises)
    product = np.full(n, "", dtype=object)
    offers = ds.offers
    first = ((offers["role"] == "output") & (offers["pos"] == 0)).to_numpy()
    product[ds.offer_rows()[first]] = offers["product"].to_numpy()[first]
    names = ds.links["product"].fillna("").astype(str).to_numpy(dtype=object)
    sold = (src >= 0) & (names != "")
    if sold.any():
        per = pd.DataFrame({"row": src[sold], "product": names[sold], "v": value[sold]})
        per = per.groupby(["row", "product"], sort=False, as_index=False)["v"].sum()
        per = per.sort_values(["row", "v"], ascending=[True, False], kind="stable")
        best = per.drop_duplicates("row")
        rows = best["row"].to_numpy()
        missing = product[rows] == ""
        product[rows[missing]] = best["product"].to_numpy()[missing]
    return product


def value_added(ds: Dataset, *, by: str = "stage", slice: Slice | None = None) -> pd.DataFrame:
    """Value added `by` "stage" (`STAGE_VALUE_COLUMNS`, a row per chain and
    stage), "chain" (`CHAIN_VALUE_COLUMNS`) or "enterprise"
    (`ENTERPRISE_VALUE_COLUMNS`), sorted by chain and stage.

    A `slice` keeps the enterprises of its districts and types, and the chains
    it names (an enterprise's chain being that of its main output); each
    enterprise's figures are the whole region's (a purchase from another
    district is still local). Raises DataError when the dataset has no value.
    """
    if by not in VALUE_BY:
        raise ValueError(f"by must be one of {', '.join(VALUE_BY)}")
    per = enterprise_value(ds)
    sl = (slice or Slice()).resolve(ds)
    keep = np.ones(len(per), dtype=bool)
    if sl.districts or sl.types:
        keep &= slice_mask(ds, Slice(district=sl.districts, type=sl.types, resolved=True))
    if sl.chains:
        keep &= per["chain"].isin(sl.chains).to_numpy()
    if by == "enterprise":
        return per[keep].reset_index(drop=True)
    placed = keep & (per["chain"] != "").to_numpy()
    if by == "stage":
        return _by_stage(per[placed])
    return _by_chain(ds, per, placed)


def _by_stage(per: pd.DataFrame) -> pd.DataFrame:
    workers = per["employees"].fillna(0.0)
    counted = per["employees"].notna() & (workers > 0)
    frame = per.assign(
        workers=workers.where(counted, 0.0),
        added_by_workers=per["value_added"].where(counted, 0.0),
    )
    grouped = frame.groupby(["chain", "stage"], sort=True)
    out = grouped.agg(
        enterprises=("id", "size"),
        employees=("employees", lambda s: s.sum(min_count=1)),
        output=("output", "sum"),
        value_added=("value_added", "sum"),
        bought_outside=("bought_outside", "sum"),
        workers=("workers", "sum"),
        added_by_workers=("added_by_workers", "sum"),
    ).reset_index()
    # per worker: the value added of the enterprises that report employees,
    # over their employees (an enterprise without a count is left out of both)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_worker = out["added_by_workers"] / out["workers"]
    out["value_added_per_worker"] = per_worker.where(out["workers"] > 0)
    out["stage"] = out["stage"].astype("Int64")
    return out[STAGE_VALUE_COLUMNS]


def _by_chain(ds: Dataset, per: pd.DataFrame, placed: np.ndarray) -> pd.DataFrame:
    mine = per[placed]
    totals = mine.groupby("chain", sort=True)[["value_added", "bought_outside"]].sum()
    sold = totals["value_added"] + totals["bought_outside"]
    with np.errstate(divide="ignore", invalid="ignore"):
        local_content = (totals["value_added"] / sold).where(sold > 0)
    leakage = _raw_leakage(ds, per, placed).reindex(totals.index)
    out = totals.assign(local_content=local_content, raw_leakage=leakage).reset_index()
    return out[CHAIN_VALUE_COLUMNS]


def _raw_leakage(ds: Dataset, per: pd.DataFrame, placed: np.ndarray) -> pd.Series:
    """Per chain: what its stage-1 enterprises sell outside of the chain's
    stage-1 products ÷ their output less their sales to one another."""
    first = placed & (per["stage"] == 1).fillna(False).to_numpy(dtype=bool)
    chain_of_row = np.where(first, per["chain"].to_numpy(dtype=object), "")
    src, tgt = ds.endpoint_rows()
    links = ds.links
    value = links["value"].fillna(0.0).to_numpy(dtype=np.float64)
    seller_chain = np.where(src >= 0, chain_of_row[np.maximum(src, 0)], "")
    product_chain = (
        ds.product_attribute("chain").reindex(links["product"]).fillna("").to_numpy(dtype=object)
    )
    product_stage = ds.product_attribute("stage").reindex(links["product"]).to_numpy()
    raw = (seller_chain != "") & (product_chain == seller_chain) & (product_stage == 1)
    leaving = raw & links["target_ext"].to_numpy(dtype=bool)
    buyer_chain = np.where(tgt >= 0, chain_of_row[np.maximum(tgt, 0)], "")
    within = (seller_chain != "") & (buyer_chain == seller_chain)
    out_value = pd.Series(value[leaving]).groupby(seller_chain[leaving]).sum()
    internal = pd.Series(value[within]).groupby(seller_chain[within]).sum()
    output = per.loc[first].groupby("chain")["output"].sum()
    net = output.sub(internal, fill_value=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out_value.reindex(net.index, fill_value=0.0) / net
    return share.where(net > 0)


# What a processing stage adds per đồng of input when the region has no plant of
# that stage to learn from: an assumption (a plant whose value added is a fifth
# of its output adds a quarter of its inputs), stated as such wherever it is used.
DEFAULT_ADDED_PER_INPUT = 0.25


def added_per_input(per: pd.DataFrame | None, chain: str, stage: int) -> tuple[float, bool]:
    """(value added per đồng of input, observed) for a plant of `stage` in
    `chain`: the median, over the region's enterprises of that stage in other
    chains that buy something and add a positive value, of what each adds per
    đồng it buys (`per` = `enterprise_value(ds)`; the median, so that one plant
    whose purchases the survey mostly missed does not set it); else
    (`DEFAULT_ADDED_PER_INPUT`, False)."""
    if per is None:
        return DEFAULT_ADDED_PER_INPUT, False
    others = per[(per["stage"] == stage).fillna(False) & (per["chain"] != chain)]
    others = others[others["chain"] != ""]
    inputs = (others["bought_local"] + others["bought_outside"]).to_numpy(dtype=np.float64)
    added = others["value_added"].to_numpy(dtype=np.float64)
    seen = (inputs > 0) & (added > 0)
    if seen.any():
        return float(np.median(added[seen] / inputs[seen])), True
    return DEFAULT_ADDED_PER_INPUT, False
