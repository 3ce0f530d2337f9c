"""Backtest: would last survey's suggestions have come true?

For each pair of survey years (t, u), the dataset as it was known at t — the
enterprises present then, the links of t and every earlier year as history —
ranks the local (seller, buyer, product) triples that did not trade yet; the
triples that do trade in u, and never did before, are the truth. Three
rankings are measured on the same truth:

- `score`: the evidence score (`analysis.evidence`), best first;
- `nearest`: the rule suggestions used before — for each seller and product its
  nearest user of the product (unknown distances last, then the larger
  capacity), nearest first;
- `random`: a compatible triple drawn at random, as an expected value (no draw).

precision@k = new links among the first k / k; recall@k = new links among the
first k / all new local links of u (those with a newcomer included, which no
ranking at t can name); average precision = the mean over the new links of the
precision at the rank where each is found (0 for those never found).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from valuechain.analysis.evidence import Evidence, candidates, rank, score_pairs
from valuechain.arrays import unique_ints
from valuechain.errors import DataError
from valuechain.loading.dataset import Dataset

__all__ = ["BACKTEST_COLUMNS", "METHODS", "backtest", "present_at", "known_at"]

BACKTEST_COLUMNS = [
    "from",
    "to",
    "new_links",
    "new_between_known",
    "method",
    "k",
    "precision",
    "recall",
    "average_precision",
]
METHODS = ("score", "nearest", "random")
DEFAULT_K = (10, 50, 100)


def present_at(ds: Dataset, year: int) -> np.ndarray:
    """Which enterprises were present in `year`: those whose `since` (a column a
    dataset may have) is at most `year`; without it, those with a link in a
    year up to `year`, or with no dated link at all."""
    ent = ds.enterprises
    if "since" in ent.columns:
        since = pd.to_numeric(ent["since"], errors="coerce").to_numpy()
        return np.isnan(since) | (since <= year)
    links = ds.pooled().links
    years = links["year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    first = pd.concat(
        [
            pd.Series(years, index=links["source"].to_numpy()),
            pd.Series(years, index=links["target"].to_numpy()),
        ]
    ).groupby(level=0).min()  # fmt: skip
    started = first.reindex(ent["id"]).to_numpy()
    return np.isnan(started) | (started <= year)


def known_at(ds: Dataset, year: int) -> Dataset:
    """The dataset as known in `year`: the enterprises present then, and the links
    of `year` and every earlier year (pooled) among them and outside parties."""
    pooled = ds.pooled()
    present = present_at(ds, year)
    ent = pooled.enterprises[present].reset_index(drop=True)
    offers = pooled.offers[pooled.offers["id"].isin(ent["id"])].reset_index(drop=True)
    links = pooled.links
    dated = links["year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) <= year
    ids = set(ent["id"])
    ends_ok = (links["source_ext"] | links["source"].isin(ids)) & (
        links["target_ext"] | links["target"].isin(ids)
    )
    kept = links[dated & ends_ok.to_numpy()].reset_index(drop=True)
    return replace(pooled, enterprises=ent, offers=offers, links=kept, all_links=None, year=year)


class _Keys:
    """One integer per (seller, buyer, product) triple, for the ids and product
    codes of one dataset: a triple is compared, never concatenated as text."""

    def __init__(self, links: pd.DataFrame) -> None:
        ends = pd.concat([links["source"], links["target"]]).astype(str)
        self.ids = pd.Index(pd.unique(ends.to_numpy()))
        self.products = pd.Index(pd.unique(links["product"].fillna("").astype(str).to_numpy()))

    def of(self, source, target, product) -> np.ndarray:
        n, m = len(self.ids) + 1, len(self.products) + 1
        s = self.ids.get_indexer(pd.Series(source).astype(str)).astype(np.int64) + 1
        t = self.ids.get_indexer(pd.Series(target).astype(str)).astype(np.int64) + 1
        p = self.products.get_indexer(pd.Series(product).fillna("").astype(str)).astype(np.int64)
        return (s * n + t) * m + (p + 1)

    def links(self, frame: pd.DataFrame) -> np.ndarray:
        return self.of(frame["source"], frame["target"], frame["product"])


def backtest(
    ds: Dataset,
    *,
    pairs: list[tuple[int, int]] | None = None,
    ks: tuple[int, ...] = DEFAULT_K,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """`BACKTEST_COLUMNS`, one row per pair of years, method and k. `pairs`
    defaults to every two consecutive survey years. Raises `DataError` for a
    dataset with fewer than two years."""
    years = ds.years
    if pairs is None:
        if len(years) < 2:
            raise DataError(key="backtest_years", years=", ".join(map(str, years)) or "–")
        pairs = list(zip(years[:-1], years[1:], strict=True))
    rows = []
    for t, u in pairs:
        rows.extend(_one(ds, t, u, ks, weights))
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def _one(ds: Dataset, t: int, u: int, ks, weights) -> list[dict]:
    pooled = ds.pooled().links
    keys = _Keys(pooled)
    history = pooled[pooled["year"].astype("Float64").fillna(np.inf).to_numpy() <= t]
    later = pooled[(pooled["year"] == u).fillna(False).to_numpy(dtype=bool) & pooled["local"]]
    new = later[~np.isin(keys.links(later), keys.links(history[history["local"]]))]
    present = ds.enterprises.loc[present_at(ds, t), "id"]
    between_known = new["source"].isin(present) & new["target"].isin(present)
    truth = unique_ints(keys.links(new))
    n_new = len(new)

    before = known_at(ds, t)
    ev = Evidence.of(before)
    scored = score_pairs(ev, candidates(ev), weights)
    ids = before.enterprises["id"].to_numpy()
    codes = ev.index.products
    found_keys = keys.of(
        ids[scored["s"].to_numpy()],
        ids[scored["b"].to_numpy()],
        codes[scored["p"].to_numpy()].to_numpy(),
    )
    scored["hit"] = np.isin(found_keys, truth)
    by_score = rank(ev, scored)["hit"].to_numpy()
    # The nearest rule: each seller's nearest user of each product (ties: the
    # larger capacity, the ids), the pairs nearest first.
    by_distance = rank(ev, scored.assign(score=0.0))
    by_nearest = by_distance.drop_duplicates(["s", "p"])["hit"].to_numpy()
    expected, found = _random(ev, keys, truth, ids, codes)

    base = {"from": t, "to": u, "new_links": n_new, "new_between_known": int(between_known.sum())}
    rows = []
    for method, ranked in (("score", by_score), ("nearest", by_nearest)):
        ap = _average_precision(ranked, n_new)
        for k in ks:
            hits = int(ranked[:k].sum())
            rows.append(
                base | {"method": method, "k": k, "precision": hits / k,
                        "recall": hits / n_new if n_new else None, "average_precision": ap}
            )  # fmt: skip
    for k in ks:
        rows.append(
            base | {"method": "random", "k": k, "precision": expected,
                    "recall": min(1.0, k * expected / n_new) if n_new else None,
                    "average_precision": expected * found / n_new if n_new else None}
        )  # fmt: skip
    return rows


def _average_precision(ranked: np.ndarray, n_new: int) -> float | None:
    if not n_new:
        return None
    ranks = np.flatnonzero(ranked) + 1
    return float((np.arange(1, len(ranks) + 1) / ranks).sum() / n_new)


def _random(
    ev: Evidence, keys: _Keys, truth: np.ndarray, ids: np.ndarray, codes: pd.Index
) -> tuple[float, int]:
    """(expected precision of a random compatible triple, new links among the
    compatible triples): compatible = a maker and a user of the product, not
    the same enterprise, not trading it yet — counted, never listed."""
    makers = ev.makers.groupby("p").size()
    users = ev.users.groupby("p").size()
    both = ev.makers.merge(ev.users, on=["row", "p"]).groupby("p").size()
    total = makers.mul(users, fill_value=0).sub(both, fill_value=0).clip(lower=0).sum()
    total -= len(ev.s)  # the triples trading already are all compatible
    if not len(truth):
        return (0.0 if total <= 0 else 0.0), 0
    # The new triples whose seller made and whose buyer used the product then.
    npd = max(len(codes), 1)
    made = unique_ints(ev.makers["row"].to_numpy(np.int64) * npd + ev.makers["p"].to_numpy())
    used = unique_ints(ev.users["row"].to_numpy(np.int64) * npd + ev.users["p"].to_numpy())
    m, width = len(keys.products) + 1, len(keys.ids) + 1
    pair, p = truth // m, truth % m - 1
    rows = pd.Index(ids)
    s_row = rows.get_indexer(keys.ids.take(pair // width - 1))
    b_row = rows.get_indexer(keys.ids.take(pair % width - 1))
    code = codes.get_indexer(keys.products.take(p))
    ok = (s_row >= 0) & (b_row >= 0) & (code >= 0)
    s_key = np.where(ok, s_row, 0).astype(np.int64) * npd + np.where(ok, code, 0)
    b_key = np.where(ok, b_row, 0).astype(np.int64) * npd + np.where(ok, code, 0)
    found = int((ok & np.isin(s_key, made) & np.isin(b_key, used)).sum())
    return (found / total if total > 0 else 0.0), found
