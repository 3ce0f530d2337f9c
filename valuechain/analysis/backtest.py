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

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from valuechain.analysis.evidence import Evidence, candidates, rank_order, score_pairs
from valuechain.arrays import factorize_text, isin_ints, unique_ints
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
        since = pd.to_numeric(ent["since"], errors="coerce").to_numpy(dtype=float)
        return np.isnan(since) | (since <= year)
    pooled = ds.pooled()
    years = _years(pooled.links)
    first = np.full(len(ent), np.inf)
    for rows in pooled.endpoint_rows():
        inside = rows >= 0
        np.minimum.at(first, rows[inside], np.nan_to_num(years[inside], nan=np.inf))
    return np.isinf(first) | (first <= year)


def _years(links: pd.DataFrame) -> np.ndarray:
    return links["year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def known_at(ds: Dataset, year: int) -> Dataset:
    """The dataset as known in `year`: the enterprises present then, and the links
    of `year` and every earlier year (pooled) among them and outside parties."""
    pooled = ds.pooled()
    present = present_at(ds, year)
    new_row = np.where(present, np.cumsum(present) - 1, -1)
    ent = pooled.enterprises[present].reset_index(drop=True)
    offer_rows = pooled.offer_rows()
    offer_kept = present[offer_rows]
    offers = pooled.offers[offer_kept].reset_index(drop=True)
    links = pooled.links
    ends = np.vstack(pooled.endpoint_rows())
    # An end is kept when it is an outside party (-1) or an enterprise present then.
    ends_ok = ((ends < 0) | present[np.maximum(ends, 0)]).all(axis=0)
    keep = (_years(links) <= year) & ends_ok
    out = replace(
        pooled,
        enterprises=ent,
        offers=offers,
        links=links[keep].reset_index(drop=True),
        all_links=None,
        year=year,
    )
    kept_ends = ends[:, keep]
    out.set_endpoint_rows(np.where(kept_ends < 0, -1, new_row[np.maximum(kept_ends, 0)]))
    out.set_offer_rows(new_row[offer_rows[offer_kept]])
    return out


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


def _one(
    ds: Dataset, t: int, u: int, ks: Sequence[int], weights: dict[str, float] | None
) -> list[dict[str, Any]]:
    pooled = ds.pooled()
    links = pooled.links
    src, tgt = pooled.endpoint_rows()
    product, products = factorize_text(links["product"].fillna("").astype(str))
    # One integer per (seller row, buyer row, product) of the whole dataset.
    n, m = len(ds.enterprises), len(products) + 1

    def key(s: np.ndarray, b: np.ndarray, p: np.ndarray) -> np.ndarray:
        return (s.astype(np.int64) * n + b) * m + (p + 1)

    local = links["local"].to_numpy(dtype=bool) & (src >= 0) & (tgt >= 0)
    years = _years(links)
    history = unique_ints(key(src, tgt, product)[local & ~(years > t)])  # NaN: no year, no history
    later = unique_ints(key(src, tgt, product)[local & (years == u)])
    truth = later[~isin_ints(later, history)]
    present = present_at(ds, t)
    pair = truth // m
    between_known = int((present[pair // n] & present[pair % n]).sum())
    n_new = len(truth)

    before = known_at(ds, t)
    ev = Evidence.of(before)
    scored = score_pairs(ev, candidates(ev), weights)
    rows = np.flatnonzero(present)  # row in `before` -> row in `ds`
    code = products.get_indexer(ev.index.products)  # product code in `before` -> here
    p = code[scored["p"].to_numpy()]
    found = key(rows[scored["s"].to_numpy()], rows[scored["b"].to_numpy()], p)
    hit = isin_ints(found, truth) & (p >= 0)
    by_score = hit[rank_order(ev, scored)]
    # The nearest rule: each seller's nearest user of each product (ties: the
    # larger capacity, the ids), the pairs nearest first.
    nearest = rank_order(ev, scored, by_score=False)
    first = (
        ~pd.DataFrame({"s": scored["s"].to_numpy()[nearest], "p": scored["p"].to_numpy()[nearest]})
        .duplicated()
        .to_numpy()
    )
    by_nearest = hit[nearest][first]
    expected, found_total = _random(ev, truth, n, m, rows, code)

    base = {"from": t, "to": u, "new_links": n_new, "new_between_known": between_known}
    out = []
    for method, ranked in (("score", by_score), ("nearest", by_nearest)):
        ap = _average_precision(ranked, n_new)
        for k in ks:
            hits = int(ranked[:k].sum())
            out.append(
                base | {"method": method, "k": k, "precision": hits / k,
                        "recall": hits / n_new if n_new else None, "average_precision": ap}
            )  # fmt: skip
    for k in ks:
        out.append(
            base | {"method": "random", "k": k, "precision": expected,
                    "recall": min(1.0, k * expected / n_new) if n_new else None,
                    "average_precision": expected * found_total / n_new if n_new else None}
        )  # fmt: skip
    return out


def _average_precision(ranked: np.ndarray, n_new: int) -> float | None:
    if not n_new:
        return None
    ranks = np.flatnonzero(ranked) + 1
    return float((np.arange(1, len(ranks) + 1) / ranks).sum() / n_new)


def _random(
    ev: Evidence, truth: np.ndarray, n: int, m: int, rows: np.ndarray, code: np.ndarray
) -> tuple[float, int]:
    """(expected precision of a random compatible triple, new links among the
    compatible triples): compatible = a maker and a user of the product, not
    the same enterprise, not trading it yet — counted, never listed. `truth`
    holds keys of the whole dataset (n enterprises, m − 1 products); `rows` and
    `code` map the evidence's rows and product codes to it."""
    makers = ev.makers.groupby("p").size()
    users = ev.users.groupby("p").size()
    both = ev.makers.merge(ev.users, on=["row", "p"]).groupby("p").size()
    total = makers.mul(users, fill_value=0).sub(both, fill_value=0).clip(lower=0).sum()
    total -= len(ev.s)  # the triples trading already are all compatible
    if not len(truth) or total <= 0:
        return 0.0, 0
    # The new triples whose seller made and whose buyer used the product then,
    # in the evidence's own rows and codes.
    here = np.full(n, -1, dtype=np.int64)
    here[rows] = np.arange(len(rows))
    product_here = np.full(m, -1, dtype=np.int64)
    known_code = code >= 0
    product_here[code[known_code] + 1] = np.flatnonzero(known_code)
    pair, p = truth // m, product_here[truth % m]
    s, b = here[pair // n], here[pair % n]
    ok = (s >= 0) & (b >= 0) & (p >= 0)
    npd = ev.n_products
    made = unique_ints(ev.makers["row"].to_numpy(np.int64) * npd + ev.makers["p"].to_numpy())
    used = unique_ints(ev.users["row"].to_numpy(np.int64) * npd + ev.users["p"].to_numpy())
    found = int((ok & isin_ints(s * npd + p, made) & isin_ints(b * npd + p, used)).sum())
    return found / total, found
