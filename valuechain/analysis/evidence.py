"""The evidence score: how likely a local seller and buyer are to start trading a
product, from what the network already shows.

A candidate is (seller s, buyer b, product P): s makes P (lists it in its
outputs or has sold it), b uses P (lists it in its inputs or has bought it),
s ≠ b, and s does not sell P to b yet. Its score adds up, with the weights of
`WEIGHTS`:

- **distance**: exp(−km / 25) when both have a position, else `UNKNOWN_NEAR`;
- **b buys P from s's neighbours**: log(1 + the number of sellers in s's
  district that sell P to b), the strongest sign that b would take P from s;
- **b buys P at all**: log(1 + b's local sellers of P);
- **s sells to buyers like b**: log(1 + s's local buyers in b's district and of
  b's type);
- **common partners**: log(1 + the enterprises both trade with);
- **s sells P**: log(1 + the buyers s has for P, outside ones included): an
  active seller finds buyers.

Candidates are never all pairs (a million enterprises would make billions):
for each seller and product only the buyers some evidence points to are
scored — every user of P when it has at most `EVERY_UP_TO`, else the `NEAR`
nearest users of P, the `PEERS` buyers its district's sellers of P sell to
most and the `POPULAR` users of P with most local sellers (more of those two
for a seller without a position). docs/methods.md gives the rule in words with
a worked example; the weights are set from backtests on generated
survey years (`valuechain backtest`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from valuechain.analysis.buyers import BuyerIndex, chord_to_km
from valuechain.arrays import (
    endpoint_codes,
    factorize_text,
    int_lookup,
    isin_ints,
    spans,
    unique_ints,
)
from valuechain.loading.dataset import Dataset

__all__ = [
    "WEIGHTS",
    "FEATURES",
    "Evidence",
    "candidates",
    "features",
    "score_pairs",
    "rank",
    "rank_order",
    "best_buyers",
]

NEAR = 12  # nearest users of a product scored per seller
# Per maker with a position, and without one (no nearest users to score):
PEERS = (4, 12)  # buyers its district's sellers of the product sell to most
POPULAR = (3, 6)  # users of the product with most local sellers
EVERY_UP_TO = 40  # a product with at most this many users: each is a candidate
KM_SCALE = 25.0  # distance at which the nearness falls to 1/e
UNKNOWN_NEAR = 0.15  # nearness when a distance cannot be known
PAIRS_AT_ONCE = 1 << 18  # candidate pairs whose common partners are counted together
NARROW_PER_PAIR = 50  # fewer pairs than local sales / this: table only the sales they touch

FEATURES = ["near", "peer_buys", "buys", "sells_like", "common", "active"]
# Set from backtests on generated survey years (`benchmarks/backtest.py`: a grid
# of weights, the best average precision on one seed's years, checked on
# another's) and kept where the studies of firm networks point the same way:
# nearness and a seller's activity weigh most, then common partners; "sells to
# buyers like b" gained nothing on the generated years and keeps a small
# weight for what real supplier panels report.
WEIGHTS = {
    "near": 4.0,
    "active": 1.5,
    "common": 0.5,
    "peer_buys": 0.3,
    "sells_like": 0.25,
    "buys": 0.2,
}


@dataclass
class Evidence:
    """What the network shows, by enterprise row and product code, computed once
    for a dataset: the local sales of each (seller, buyer, product), who makes
    and who uses each product."""

    ds: Dataset
    index: BuyerIndex
    n: int
    # local links as rows: seller, buyer, product code (one per distinct triple)
    s: np.ndarray
    b: np.ndarray
    p: np.ndarray
    makers: pd.DataFrame  # (row, p): s makes p, listed or sold; sorted by row, p
    users: pd.DataFrame  # (row, p): b uses p, listed or bought locally; sorted by row, p
    sold_to: np.ndarray  # per (row, p) of `makers`: distinct buyers, outside ones included
    sellers: np.ndarray  # per (row, p) of `users`: distinct local sellers
    district: np.ndarray  # district code per row
    kind: np.ndarray  # type code per row

    @property
    def n_products(self) -> int:
        """How many product codes (at least 1: a factor in integer keys)."""
        return max(len(self.index.products), 1)

    @functools.cached_property
    def maker_keys(self) -> np.ndarray:
        """`makers` as row × n_products + p, ascending."""
        return self.makers["row"].to_numpy(np.int64) * self.n_products + self.makers["p"]

    @functools.cached_property
    def user_keys(self) -> np.ndarray:
        """`users` as row × n_products + p, ascending."""
        return self.users["row"].to_numpy(np.int64) * self.n_products + self.users["p"]

    @functools.cached_property
    def users_by_product(self) -> tuple[np.ndarray, np.ndarray]:
        """(ptr, rows): the users of product p are rows[ptr[p] : ptr[p + 1]],
        ascending."""
        key = unique_ints(self.users["p"].to_numpy(np.int64) * max(self.n, 1) + self.users["row"])
        product = key // max(self.n, 1)
        return np.searchsorted(product, np.arange(self.n_products + 1)), key % max(self.n, 1)

    @functools.cached_property
    def n_districts(self) -> int:
        return int(self.district.max()) + 1 if len(self.district) else 1

    @functools.cached_property
    def peer_sales(self) -> tuple[np.ndarray, np.ndarray]:
        """(keys, counts): for each (district d, product p, buyer b) with sales,
        key (d × n_products + p) × n + b, ascending, and how many sellers of d
        sell p to b."""
        keys = (self.district[self.s] * self.n_products + self.p) * max(self.n, 1) + self.b
        return _counted(np.sort(keys))

    @functools.cached_property
    def buyer_pairs(self) -> np.ndarray:
        """Each distinct local (seller, buyer) pair, any product, as s × n + b, ascending."""
        return unique_ints(self.s * max(self.n, 1) + self.b)

    @functools.cached_property
    def like_sales(self) -> tuple[np.ndarray, np.ndarray]:
        """(keys, counts): for each seller s, district d and type k, key
        (s × districts + d) × types + k, ascending, and how many local buyers of
        that district and type s sells to."""
        n = max(self.n, 1)
        bs, bb = self.buyer_pairs // n, self.buyer_pairs % n
        n_k = int(self.kind.max()) + 1 if len(self.kind) else 1
        return _counted(np.sort((bs * self.n_districts + self.district[bb]) * n_k + self.kind[bb]))

    @functools.cached_property
    def partners(self) -> tuple[np.ndarray, np.ndarray, pd.Index]:
        """(start, tail, edges): the enterprises each row trades with locally,
        either way — tail[start[r] : start[r + 1]] — and a hash table of the
        edges r × n + partner."""
        n = max(self.n, 1)
        u, v = self.buyer_pairs // n, self.buyer_pairs % n
        keys = unique_ints(np.concatenate([self.buyer_pairs, v * n + u]))
        head = keys // n
        start = np.searchsorted(head, np.arange(n + 1))
        return start, keys - head * n, pd.Index(keys)

    @functools.cached_property
    def id_rank(self) -> np.ndarray:
        """Each row's place in the ids' text order (ties are broken by id)."""
        return _text_rank(self.ds.enterprises["id"])

    @functools.cached_property
    def product_rank(self) -> np.ndarray:
        """Each product code's place in the codes' text order."""
        return _text_rank(pd.Series(self.index.products, dtype=str))

    @classmethod
    def of(cls, ds: Dataset) -> Evidence:
        index = BuyerIndex.build(ds)
        n = len(ds.enterprises)
        npd = max(len(index.products), 1)
        src, tgt = ds.endpoint_rows()
        link_code, link_products = factorize_text(ds.links["product"].fillna("").astype(str))
        to_index = np.append(index.products.get_indexer(link_products), -1)  # -1: no product
        code = to_index[link_code]
        # Every distinct sale (seller, product, buyer), a buyer outside the
        # region numbered by its label after the enterprises: one sort gives
        # the local triples, the products each seller sells and to how many.
        sold = (src >= 0) & (code >= 0)
        buyer = endpoint_codes(ds.links["target"], tgt, n)[sold]
        width = int(buyer.max(initial=n - 1)) + 1
        sales = unique_ints((src[sold].astype(np.int64) * npd + code[sold]) * width + buyer)
        seller_product, to_whom = sales // width, sales % width
        local = to_whom < n
        s, p, b = seller_product[local] // npd, seller_product[local] % npd, to_whom[local]
        out = index.offer_output
        listed = index.offer_rows.astype(np.int64) * npd + index.offer_codes
        sold_keys, sold_counts = _counted(seller_product)
        made = unique_ints(np.concatenate([listed[out], sold_keys]))
        sold_to = np.zeros(len(made))
        sold_to[np.searchsorted(made, sold_keys)] = sold_counts
        bought_keys, bought_counts = _counted(np.sort(b * npd + p))
        used = unique_ints(np.concatenate([listed[~out], bought_keys]))
        sellers = np.zeros(len(used))
        sellers[np.searchsorted(used, bought_keys)] = bought_counts
        district = factorize_text(ds.enterprises["district"].fillna("").astype(str))[0]
        kind = factorize_text(ds.enterprises["type"].astype(str))[0]
        return cls(ds, index, n, s, b, p, _rows_codes(made, npd), _rows_codes(used, npd),
                   sold_to, sellers, district, kind)  # fmt: skip


def _counted(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, how many times each) of an ascending integer array."""
    if not len(ordered):
        return ordered, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def _looked_up(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """values[i] where wanted is keys[i] (keys distinct and ascending), 0 where
    it is none. A sorted search: no hash table of millions of keys to build
    for one look-up each."""
    if not len(keys):
        return np.zeros(len(wanted))
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, np.asarray(values, dtype=float)[at], 0.0)


def _rows_codes(keys: np.ndarray, npd: int) -> pd.DataFrame:
    """(row, p) frame of keys row × npd + p."""
    return pd.DataFrame({"row": keys // npd, "p": keys % npd})


def _text_rank(values: pd.Series) -> np.ndarray:
    """Each value's place when the values are sorted as text (pyarrow's sort)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    order = pc.sort_indices(pa.array(values.astype(str))).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def candidates(
    ev: Evidence,
    makers: pd.DataFrame | None = None,
    *,
    keep_existing: bool = False,
    every: bool = False,
    exclude_pairs: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """Candidate (s, b, p) rows — columns `s`, `b`, `p` — for `makers` (rows of
    `ev.makers`: `row`, `p`; None: every maker). Each maker's buyers are those
    some evidence points to, or with `every` all users of the product (`limit`
    bounds how many pairs that may make: `DataError` beyond). Without
    `keep_existing` the triples that trade already are left out, and with
    `exclude_pairs` every buyer the seller already sells anything to."""
    from valuechain.errors import DataError

    makers = ev.makers if makers is None else makers
    rows = makers["row"].to_numpy(np.int64)
    ps = makers["p"].to_numpy(np.int64)
    ptr, members = ev.users_by_product
    users = np.diff(ptr)[ps]
    if every:
        if limit is not None and int(users.sum()) > limit:
            raise DataError(key="too_many_pairs", n=int(users.sum()), limit=limit)
        found = [_expand(rows, ps, ptr, members, ps, users)]
    else:
        # A product with few users: every one of them (exact, and cheap); else
        # the users some evidence points to.
        few = users <= EVERY_UP_TO
        found = [_expand(rows[few], ps[few], ptr, members, ps[few], users[few])]
        rows, ps = rows[~few], ps[~few]
        found += [_nearest(ev, rows, ps), _peer_buyers(ev, rows, ps), _popular(ev, rows, ps)]
    s = np.concatenate([f[0] for f in found])
    b = np.concatenate([f[1] for f in found])
    p = np.concatenate([f[2] for f in found])
    n, npd = ev.n, ev.n_products
    key = unique_ints(((s * n + b) * npd + p)[s != b])
    if not keep_existing:
        key = key[~isin_ints(key, (ev.s * n + ev.b) * npd + ev.p)]
    if exclude_pairs:
        key = key[~isin_ints(key // npd, ev.s * n + ev.b)]
    pair = key // npd
    return pd.DataFrame({"s": pair // n, "b": pair % n, "p": key % npd})


Triples = tuple[np.ndarray, np.ndarray, np.ndarray]  # sellers, buyers, products


def _expand(
    rows: np.ndarray,
    ps: np.ndarray,
    ptr: np.ndarray,
    members: np.ndarray,
    group: np.ndarray,
    take: np.ndarray,
) -> Triples:
    """For each maker (rows[i], ps[i]), the first take[i] members of its group
    group[i] (members[ptr[g] : ptr[g + 1]]; g = -1: no group)."""
    has = group >= 0
    g = np.where(has, group, 0)
    size = np.where(has, np.minimum(ptr[g + 1] - ptr[g], take), 0)
    maker, at = spans(ptr[g], size)
    return rows[maker], members[at].astype(np.int64), ps[maker]


def best_buyers(ev: Evidence, makers: pd.DataFrame) -> pd.DataFrame:
    """For each maker (`row`, `p`), its best-scored buyer among the enterprises
    that list the product in their inputs, those it already sells to included:
    `s`, `p`, `b`, `km`, `score` (one row per maker that has one)."""
    pairs = candidates(ev, makers, keep_existing=True)
    index = ev.index
    listed = ~index.offer_output
    inputs = pd.MultiIndex.from_arrays([index.offer_rows[listed], index.offer_codes[listed]])
    pairs = pairs[pd.MultiIndex.from_arrays([pairs["b"], pairs["p"]]).isin(inputs)]
    scored = score_pairs(ev, pairs)
    return rank(ev, scored).drop_duplicates(["s", "p"])[["s", "p", "b", "km", "score"]]


def rank(ev: Evidence, scored: pd.DataFrame) -> pd.DataFrame:
    """Scored pairs best first (`rank_order`)."""
    return scored.iloc[rank_order(ev, scored)]


def rank_order(ev: Evidence, scored: pd.DataFrame, *, by_score: bool = True) -> np.ndarray:
    """The positions of `scored` best first: the higher score (with `by_score`),
    then nearer (unknown distance last), the seller's larger capacity, the
    buyer's larger capacity, then the ids and product in text order. One sort
    on the first key; only the pairs it leaves tied are sorted by the rest."""
    km = np.nan_to_num(scored["km"].to_numpy(dtype=float), nan=np.inf)
    first = -scored["score"].to_numpy(dtype=float) if by_score else km
    order = np.argsort(first)  # ties are settled below, whatever their order here
    value = first[order]
    same = value[1:] == value[:-1]
    tied = np.zeros(len(order), dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    if not tied.any():
        return order
    group = np.cumsum(np.concatenate([[True], ~same]))[tied]
    at = order[tied]
    capacity = np.nan_to_num(ev.ds.enterprises["capacity"].to_numpy(dtype=float), nan=-np.inf)
    s = scored["s"].to_numpy(np.int64)[at]
    b = scored["b"].to_numpy(np.int64)[at]
    p = scored["p"].to_numpy(np.int64)[at]
    n, npd = max(ev.n, 1), ev.n_products
    names: tuple[np.ndarray, ...]
    if float(n) * n * npd < 2.0**62:  # ids and product as one integer
        names = ((ev.id_rank[s] * n + ev.id_rank[b]) * npd + ev.product_rank[p],)
    else:
        names = (ev.product_rank[p], ev.id_rank[b], ev.id_rank[s])
    rest = (-capacity[b], -capacity[s]) + ((km[at],) if by_score else ())
    order[tied] = at[np.lexsort((*names, *rest, group))]
    return order


def _nearest(ev: Evidence, rows: np.ndarray, ps: np.ndarray) -> Triples:
    """Each located maker's `NEAR` nearest located users of the product."""
    from valuechain.analysis.geo import NearPoints

    index = ev.index
    ptr, members = ev.users_by_product
    parts = [_no_triples()]
    located = index.located[rows]
    order = np.argsort(ps[located], kind="stable")
    sellers_all, products = rows[located][order], ps[located][order]
    bounds = np.flatnonzero(np.diff(products)) + 1  # one run of sellers per product
    for start, stop in zip(np.r_[0, bounds], np.r_[bounds, len(products)], strict=True):
        if start == stop:
            continue
        p = int(products[start])
        sellers = sellers_all[start:stop]
        users = members[ptr[p] : ptr[p + 1]]
        users = users[index.located[users]]
        if not len(users):
            continue
        k = min(NEAR + 1, len(users))
        _dist, idx = NearPoints(index.xyz[users]).query(index.xyz[sellers], k=k)
        parts.append(
            (
                np.repeat(sellers, k),
                users[idx.ravel()].astype(np.int64),
                np.full(len(sellers) * k, p),
            )
        )
    return _joined(parts)


def _peer_buyers(ev: Evidence, rows: np.ndarray, ps: np.ndarray) -> Triples:
    """The buyers a maker's district's sellers of the product sell to most:
    `PEERS[0]` per maker with a position, `PEERS[1]` per maker without (it has
    no nearest users)."""
    if not len(ev.s) or not len(rows):
        return _no_triples()
    n, npd = max(ev.n, 1), ev.n_products
    keys, counts = ev.peer_sales
    group = keys // n
    order = np.lexsort((-counts, group))  # most sellers first, then the buyer's row
    group, buyers = group[order], (keys % n)[order]
    distinct = unique_ints(group)
    ptr = np.append(np.searchsorted(group, distinct), len(group))
    wanted = int_lookup(distinct, ev.district[rows] * npd + ps)
    take = np.where(ev.index.located[rows], PEERS[0], PEERS[1])
    return _expand(rows, ps, ptr, buyers, wanted, take)


def _popular(ev: Evidence, rows: np.ndarray, ps: np.ndarray) -> Triples:
    """The users of each product with most local sellers of it (else the largest
    by capacity), `POPULAR[0]` or `POPULAR[1]` per maker with or without a
    position: where a maker without a position or peers may still sell."""
    users = ev.users
    if not len(users) or not len(rows):
        return _no_triples()
    npd = ev.n_products
    u_row = users["row"].to_numpy(np.int64)
    u_p = users["p"].to_numpy(np.int64)
    capacity = np.nan_to_num(ev.ds.enterprises["capacity"].to_numpy(dtype=float), nan=0.0)
    order = np.lexsort((u_row, -capacity[u_row], -ev.sellers, u_p))
    ptr = np.searchsorted(u_p[order], np.arange(npd + 1))
    take = np.where(ev.index.located[rows], POPULAR[0], POPULAR[1])
    return _expand(rows, ps, ptr, u_row[order], ps, take)


def _no_triples() -> Triples:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)


def _joined(parts: list[Triples]) -> Triples:
    return tuple(np.concatenate([part[i] for part in parts]) for i in range(3))  # type: ignore[return-value]


def features(ev: Evidence, pairs: pd.DataFrame, *, narrow: bool | None = None) -> pd.DataFrame:
    """The `FEATURES` of each candidate (and `km`), vectorised over the pairs.

    The sales tables looked up are the dataset's, built once (`Evidence`); for
    a few pairs (`narrow`; None: fewer than one per `NARROW_PER_PAIR` local
    sales) only the sales that touch the pairs' enterprises are tabled, which
    gives the same figures without sorting millions of sales."""
    s = pairs["s"].to_numpy(np.int64)
    b = pairs["b"].to_numpy(np.int64)
    p = pairs["p"].to_numpy(np.int64)
    if narrow is None:
        narrow = len(pairs) * NARROW_PER_PAIR < len(ev.s)
    if narrow:
        ends = unique_ints(np.concatenate([s, b]))
        touching = isin_ints(ev.s, ends) | isin_ints(ev.b, ends)
        ev = replace(ev, s=ev.s[touching], b=ev.b[touching], p=ev.p[touching])
    n, npd = ev.n, ev.n_products
    index = ev.index
    known = index.located[s] & index.located[b]
    km = np.full(len(pairs), np.nan)
    if known.any():
        chord = np.linalg.norm(index.xyz[s[known]] - index.xyz[b[known]], axis=1)
        km[known] = chord_to_km(chord)
    near = np.where(known, np.exp(-np.nan_to_num(km) / KM_SCALE), UNKNOWN_NEAR)

    n_d = ev.n_districts
    n_k = int(ev.kind.max()) + 1 if len(ev.kind) else 1
    # b buys p from sellers of s's district; b buys p at all (b's local sellers).
    peer_buys = _looked_up(*ev.peer_sales, (ev.district[s] * npd + p) * max(n, 1) + b)
    buys = _looked_up(ev.user_keys, ev.sellers, b * npd + p)
    # s sells to buyers in b's district of b's type (any product; distinct buyers).
    sells_like = _looked_up(*ev.like_sales, (s * n_d + ev.district[b]) * n_k + ev.kind[b])
    common = _common_partners(ev, s, b)
    active = _looked_up(ev.maker_keys, ev.sold_to, s * npd + p)
    return pd.DataFrame(
        {
            "km": km,
            "near": near,
            "peer_buys": np.log1p(peer_buys),
            "buys": np.log1p(buys),
            "sells_like": np.log1p(sells_like),
            "common": np.log1p(common),
            "active": np.log1p(active),
        },
        index=pairs.index,
    )


def _common_partners(ev: Evidence, s: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each pair (s[i], b[i]), the enterprises both trade with locally,
    either way: the partners of the end with fewer partners, each looked up
    among the other's in a hash table of the edges. The pairs go
    `PAIRS_AT_ONCE` at a time: small arrays that stay in the cache."""
    if not len(ev.s) or not len(s):
        return np.zeros(len(s))
    n = max(ev.n, 1)
    start, tail, edges = ev.partners
    degree = np.diff(start)
    swap = degree[s] > degree[b]  # walk the smaller side
    walk, other = np.where(swap, b, s), np.where(swap, s, b)
    common = np.zeros(len(s))
    for lo in range(0, len(s), PAIRS_AT_ONCE):
        w, o = walk[lo : lo + PAIRS_AT_ONCE], other[lo : lo + PAIRS_AT_ONCE]
        d = degree[w]
        pair, at = spans(start[w], d)
        partner = tail[at]
        found = edges.get_indexer(partner * n + o[pair]) >= 0
        common[lo : lo + len(w)] = np.bincount(pair[found], minlength=len(w))
    return common


def score_pairs(
    ev: Evidence, pairs: pd.DataFrame, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """`pairs` with `km`, the features and `score` = Σ weight × feature."""
    weights = WEIGHTS if weights is None else weights
    feats = features(ev, pairs)
    score = np.zeros(len(pairs))
    for name in FEATURES:
        score += weights.get(name, 0.0) * feats[name].to_numpy()
    return pd.concat([pairs, feats], axis=1).assign(score=score)
