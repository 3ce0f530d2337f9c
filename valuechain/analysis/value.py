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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.analysis.slices import Slice, place_mask
from valuechain.arrays import factorize_text
from valuechain.errors import DataError
from valuechain.loading.dataset import Dataset

__all__ = [
    "value_added",
    "enterprise_value",
    "ENTERPRISE_VALUE_COLUMNS",
    "STAGE_VALUE_COLUMNS",
    "CHAIN_VALUE_COLUMNS",
    "VALUE_BY",
    "value_by_stage_and_chain",
    "enterprise_added",
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


@dataclass
class _Values:
    """The per-enterprise figures as arrays, and what the chain tables need of
    the links, as integer codes (a million enterprises, five million links)."""

    output: np.ndarray
    bought_local: np.ndarray
    bought_outside: np.ndarray
    chain: np.ndarray  # code into `chains` per enterprise, -1: in no chain
    stage: np.ndarray  # its main output's stage, 0: none
    chains: np.ndarray  # chain names by code
    src: np.ndarray  # each link's seller row (-1 outside)
    tgt: np.ndarray  # each link's buyer row (-1 outside)
    value: np.ndarray  # each link's value, 0 when missing
    link_chain: np.ndarray  # code of the chain of each link's product, -1 none
    link_stage: np.ndarray  # stage of each link's product, 0 none

    @property
    def added(self) -> np.ndarray:
        return self.output - self.bought_local - self.bought_outside


def _values(ds: Dataset) -> _Values:
    ent = ds.enterprises
    links = ds.links
    if not links["value"].notna().any() and not ent["output_value"].notna().any():
        raise DataError(key="value_needs_values")
    n = len(ent)
    src, tgt = ds.endpoint_rows()
    value = links["value"].fillna(0.0).to_numpy(dtype=np.float64)
    from_outside = links["source_ext"].to_numpy(dtype=bool)
    sales = np.bincount(src[src >= 0], weights=value[src >= 0], minlength=n)
    local_in = (tgt >= 0) & ~from_outside
    outside_in = (tgt >= 0) & from_outside
    bought_local = np.bincount(tgt[local_in], weights=value[local_in], minlength=n)
    bought_outside = np.bincount(tgt[outside_in], weights=value[outside_in], minlength=n)
    declared = ent["output_value"].to_numpy(dtype=np.float64)
    output = np.where(np.isnan(declared), sales, declared)
    # Products as codes: the catalog's chain and stage looked up once per product.
    link_codes, link_products = factorize_text(links["product"])
    offers = ds.offers
    first = ((offers["role"] == "output") & (offers["pos"] == 0)).to_numpy()
    offer_codes, offer_products = factorize_text(offers["product"][first])
    products = pd.Index(link_products).append(pd.Index(offer_products)).unique()
    chain_of = ds.product_attribute("chain").reindex(products).fillna("").to_numpy(dtype=object)
    chains, chain_code = np.unique(chain_of.astype(str), return_inverse=True)
    chain_code = np.where(chain_of == "", -1, chain_code)
    stage_of = ds.product_attribute("stage").reindex(products).fillna(0).to_numpy(np.int64)
    link_p = np.where(link_codes >= 0, products.get_indexer(link_products)[link_codes], -1)
    offer_p = np.where(offer_codes >= 0, products.get_indexer(offer_products)[offer_codes], -1)
    main = _main_output(n, ds.offer_rows()[first], offer_p, src, link_p, value)
    # Product -1 (none) reads the last entry: no chain, stage 0. (Also when the
    # data name no product at all.)
    chain_code, stage_of = np.append(chain_code, -1), np.append(stage_of, 0)
    return _Values(
        output=output,
        bought_local=bought_local,
        bought_outside=bought_outside,
        chain=chain_code[main],
        stage=stage_of[main],
        chains=chains,
        src=src,
        tgt=tgt,
        value=value,
        link_chain=chain_code[link_p],
        link_stage=stage_of[link_p],
    )


def _main_output(
    n: int,
    offer_rows: np.ndarray,
    offer_p: np.ndarray,
    src: np.ndarray,
    link_p: np.ndarray,
    value: np.ndarray,
) -> np.ndarray:
    """Each enterprise's main output as a product code: its first listed output,
    else the product of its largest sales by value (ties: the smaller code),
    else -1."""
    main = np.full(n, -1, dtype=np.int64)
    main[offer_rows[offer_p >= 0]] = offer_p[offer_p >= 0]
    sold = (src >= 0) & (link_p >= 0)
    sold &= main[np.where(src >= 0, src, 0)] < 0  # only those listing no output
    if sold.any():
        per = pd.DataFrame({"row": src[sold], "p": link_p[sold], "v": value[sold]})
        per = per.groupby(["row", "p"], sort=True, as_index=False)["v"].sum()
        per = per.sort_values(["row", "v"], ascending=[True, False], kind="stable")
        best = per.drop_duplicates("row")
        main[best["row"].to_numpy()] = best["p"].to_numpy()
    return main


def enterprise_value(ds: Dataset) -> pd.DataFrame:
    """`ENTERPRISE_VALUE_COLUMNS`, one row per enterprise in input order.

    Raises DataError when neither a link value nor an output value is given
    (nothing to count value in). A link without a value counts 0.
    """
    return _enterprise_frame(ds, _values(ds))


def _enterprise_frame(ds: Dataset, v: _Values) -> pd.DataFrame:
    ent = ds.enterprises
    added = v.added
    chain = np.where(v.chain >= 0, v.chains[np.maximum(v.chain, 0)] if len(v.chains) else "", "")
    return pd.DataFrame(
        {
            "id": ent["id"].to_numpy(),
            "name": ent["name"].to_numpy(),
            "type": ent["type"].to_numpy(),
            "district": ent["district"].to_numpy(),
            "chain": chain.astype(object),
            "stage": pd.array(v.stage, dtype="Int64"),
            "employees": ent["employees"].to_numpy(dtype=np.float64),
            "output": v.output,
            "bought_local": v.bought_local,
            "bought_outside": v.bought_outside,
            "value_added": added,
            "flag": np.where(added < 0, "negative_value_added", ""),
        }
    ).assign(stage=lambda f: f["stage"].where(f["stage"] > 0))


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
    v = _values(ds)
    keep = _kept(ds, v, slice)
    if by == "enterprise":
        return _enterprise_frame(ds, v)[keep].reset_index(drop=True)
    if by == "stage":
        return _by_stage(ds, v, keep & (v.chain >= 0))
    return _by_chain(v, keep & (v.chain >= 0))


def value_by_stage_and_chain(
    ds: Dataset, *, slice: Slice | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`value_added` by stage and by chain from one pass over the data (the
    report and the workbook show both)."""
    v = _values(ds)
    placed = _kept(ds, v, slice) & (v.chain >= 0)
    return _by_stage(ds, v, placed), _by_chain(v, placed)


def enterprise_added(ds: Dataset) -> np.ndarray:
    """Each enterprise's value added, in the order of `ds.enterprises` (the
    map's tooltips); raises DataError as `value_added` does."""
    return _values(ds).added


def _kept(ds: Dataset, v: _Values, slice: Slice | None) -> np.ndarray:
    """The enterprises a slice keeps: those of its districts and types, in the
    chains it names (by their main output's chain)."""
    sl = (slice or Slice()).resolve(ds)
    places = place_mask(ds, sl)
    keep = np.ones(len(v.output), dtype=bool) if places is None else places
    if sl.chains:
        keep &= np.isin(v.chain, np.flatnonzero(np.isin(v.chains, list(sl.chains))))
    return keep


def _by_stage(ds: Dataset, v: _Values, placed: np.ndarray) -> pd.DataFrame:
    employees = ds.enterprises["employees"].to_numpy(dtype=np.float64)
    stages = int(v.stage.max(initial=0)) + 1
    key = (v.chain * stages + v.stage)[placed]
    groups, at = np.unique(key, return_inverse=True)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(at, weights=values[placed], minlength=len(groups))

    known = ~np.isnan(employees)
    counted = known & (employees > 0)
    workers = total(np.where(counted, employees, 0.0))
    # per worker: the value added of the enterprises that report employees,
    # over their employees (an enterprise without a count is left out of both)
    added_counted = total(np.where(counted, v.added, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_worker = np.where(workers > 0, added_counted / workers, np.nan)
    reported = total(known.astype(np.float64)) > 0
    out = pd.DataFrame(
        {
            "chain": v.chains[groups // stages] if len(groups) else np.array([], dtype=object),
            "stage": pd.array(groups % stages, dtype="Int64"),
            "enterprises": np.bincount(at, minlength=len(groups)),
            "employees": np.where(reported, total(np.nan_to_num(employees)), np.nan),
            "output": total(v.output),
            "value_added": total(v.added),
            "value_added_per_worker": per_worker,
            "bought_outside": total(v.bought_outside),
        }
    )
    return out.sort_values(["chain", "stage"], kind="stable").reset_index(drop=True)


def _by_chain(v: _Values, placed: np.ndarray) -> pd.DataFrame:
    k = len(v.chains)
    chain = v.chain[placed]
    added = np.bincount(chain, weights=v.added[placed], minlength=k)
    outside = np.bincount(chain, weights=v.bought_outside[placed], minlength=k)
    present = np.bincount(chain, minlength=k) > 0
    sold = added + outside
    with np.errstate(divide="ignore", invalid="ignore"):
        local_content = np.where(sold > 0, added / sold, np.nan)
    out = pd.DataFrame(
        {
            "chain": v.chains,
            "value_added": added,
            "bought_outside": outside,
            "local_content": local_content,
            "raw_leakage": _raw_leakage(v, placed),
        }
    )[present]
    return out.sort_values("chain", kind="stable").reset_index(drop=True)


def _raw_leakage(v: _Values, placed: np.ndarray) -> np.ndarray:
    """Per chain code: what its stage-1 enterprises sell outside of the chain's
    stage-1 products ÷ their output less their sales to one another (NaN when
    that is not positive)."""
    k = len(v.chains)
    first = placed & (v.stage == 1) & (v.chain >= 0)
    row_chain = np.where(first, v.chain, -1)
    seller = np.where(v.src >= 0, row_chain[np.maximum(v.src, 0)], -1)
    buyer = np.where(v.tgt >= 0, row_chain[np.maximum(v.tgt, 0)], -1)
    leaving = (seller >= 0) & (v.tgt < 0) & (v.link_chain == seller) & (v.link_stage == 1)
    within = (seller >= 0) & (buyer == seller)
    out = np.bincount(seller[leaving], weights=v.value[leaving], minlength=k)
    internal = np.bincount(seller[within], weights=v.value[within], minlength=k)
    output = np.bincount(row_chain[first], weights=v.output[first], minlength=k)
    net = output - internal
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(net > 0, out / net, np.nan)


# What a processing stage adds per đồng of input when the region has no plant of
# that stage to learn from: an assumption (a plant whose value added is a fifth
# of its output adds a quarter of its inputs), stated as such wherever it is used.
DEFAULT_ADDED_PER_INPUT = 0.25


def added_per_input(ds: Dataset, wanted: list[tuple[str, int]]) -> np.ndarray:
    """For each (chain, stage) of `wanted`, what a plant of that stage in that
    chain would add per đồng of input: the median, over the region's
    enterprises of that stage in other chains that buy something and add a
    positive value, of what each adds per đồng it buys (the median, so that one
    plant whose purchases the survey mostly missed does not set it); else
    `DEFAULT_ADDED_PER_INPUT`, as for a dataset without values."""
    out = np.full(len(wanted), DEFAULT_ADDED_PER_INPUT)
    try:
        v = _values(ds)
    except DataError:
        return out
    inputs = v.bought_local + v.bought_outside
    added = v.added
    seen = (inputs > 0) & (added > 0) & (v.chain >= 0)
    ratio = added[seen] / inputs[seen]
    stage = v.stage[seen]
    chain = v.chains[v.chain[seen]]
    for i, (c, s) in enumerate(wanted):
        pick = (stage == s) & (chain != c)
        if pick.any():
            out[i] = float(np.median(ratio[pick]))
    return out
