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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.analysis.buyers import BuyerIndex, chord_to_km
from valuechain.arrays import count_ints, isin_ints, unique_ints
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
    makers: pd.DataFrame  # (row, p): s makes p, listed or sold
    users: pd.DataFrame  # (row, p): b uses p, listed or bought locally
    sold_to: np.ndarray  # per (row, p) of `makers`: distinct buyers, outside ones included
    district: np.ndarray  # district code per row
    kind: np.ndarray  # type code per row
    id_rank: np.ndarray  # each row's place in the ids' text order (ties are broken by id)
    product_rank: np.ndarray  # each product code's place in the codes' text order

    @property
    def n_products(self) -> int:
        """How many product codes (at least 1: a factor in integer keys)."""
        return max(len(self.index.products), 1)

    @classmethod
    def of(cls, ds: Dataset) -> Evidence:
        index = BuyerIndex.build(ds)
        n = len(ds.enterprises)
        products = index.products
        src, tgt = ds.endpoint_rows()
        code = products.get_indexer(ds.links["product"].fillna("").astype(str))
        local = ds.links["local"].to_numpy(dtype=bool) & (code >= 0)
        triple = unique_ints(
            (src[local].astype(np.int64) * n + tgt[local]) * max(len(products), 1) + code[local]
        )
        p = triple % max(len(products), 1)
        pair = triple // max(len(products), 1)
        s, b = pair // n, pair % n
        listed = pd.DataFrame({"row": index.offer_rows, "p": index.offer_codes})
        out = index.offer_output
        sold = (src >= 0) & (code >= 0)
        makers = (
            pd.concat([listed[out], pd.DataFrame({"row": src[sold], "p": code[sold]})])
            .drop_duplicates()
            .reset_index(drop=True)
        )
        users = (
            pd.concat([listed[~out], pd.DataFrame({"row": b, "p": p})])
            .drop_duplicates()
            .reset_index(drop=True)
        )
        # Distinct buyers (outside parties by label) of each (seller, product).
        buyer_key = pd.Series(ds.links["target"].to_numpy())[sold]
        counts = (
            pd.DataFrame({"row": src[sold], "p": code[sold], "t": buyer_key.to_numpy()})
            .drop_duplicates()
            .groupby(["row", "p"])
            .size()
        )
        sold_to = (
            counts.reindex(pd.MultiIndex.from_frame(makers[["row", "p"]]))
            .fillna(0)
            .to_numpy(dtype=float)
        )
        district = pd.factorize(ds.enterprises["district"].fillna("").astype(str))[0]
        kind = pd.factorize(ds.enterprises["type"].astype(str))[0]
        return cls(
            ds, index, n, s, b, p, makers, users, sold_to, district, kind,
            _text_rank(ds.enterprises["id"]), _text_rank(pd.Series(products, dtype=str)),
        )  # fmt: skip


def _text_rank(values: pd.Series) -> np.ndarray:
    """Each value's place when the values are sorted as text."""
    order = np.argsort(values.astype(str).to_numpy(), kind="stable")
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
    if every:
        sizes = ev.users.groupby("p").size()
        n_pairs = int(sizes.reindex(makers["p"]).fillna(0).sum())
        if limit is not None and n_pairs > limit:
            raise DataError(key="too_many_pairs", n=n_pairs, limit=limit)
        joined = makers.merge(ev.users.rename(columns={"row": "b"}), on="p")
        pairs = pd.DataFrame({"s": joined["row"], "b": joined["b"], "p": joined["p"]})
    else:
        # A product with few users: every one of them (exact, and cheap); else
        # the users some evidence points to.
        sizes = ev.users.groupby("p").size()
        few = sizes.reindex(makers["p"]).fillna(0).to_numpy() <= EVERY_UP_TO
        small = makers[few].merge(ev.users.rename(columns={"row": "b"}), on="p")
        large = makers[~few]
        pairs = pd.concat(
            [
                pd.DataFrame({"s": small["row"], "b": small["b"], "p": small["p"]}),
                _nearest(ev, large),
                _peer_buyers(ev, large),
                _popular(ev, large),
            ],
            ignore_index=True,
        )
    if not len(pairs):
        return _none()
    n, npd = ev.n, ev.n_products
    s = pairs["s"].to_numpy(np.int64)
    b = pairs["b"].to_numpy(np.int64)
    key = unique_ints(((s * n + b) * npd + pairs["p"].to_numpy(np.int64))[s != b])
    if not keep_existing:
        key = key[~isin_ints(key, (ev.s * n + ev.b) * npd + ev.p)]
    if exclude_pairs:
        key = key[~isin_ints(key // npd, ev.s * n + ev.b)]
    pair = key // npd
    return pd.DataFrame({"s": pair // n, "b": pair % n, "p": key % npd})


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


def _users_of(ev: Evidence) -> dict[int, np.ndarray]:
    return {int(p): g.to_numpy() for p, g in ev.users.groupby("p")["row"]}


def _nearest(ev: Evidence, makers: pd.DataFrame) -> pd.DataFrame:
    """Each located maker's `NEAR` nearest located users of the product."""
    from scipy.spatial import cKDTree

    index = ev.index
    parts = []
    users = _users_of(ev)
    for p, group in makers.groupby("p"):
        rows = users.get(int(p))
        if rows is None:
            continue
        rows = rows[index.located[rows]]
        sellers = group["row"].to_numpy()
        sellers = sellers[index.located[sellers]]
        if not len(rows) or not len(sellers):
            continue
        k = min(NEAR + 1, len(rows))
        _dist, idx = cKDTree(index.xyz[rows]).query(index.xyz[sellers], k=k)
        idx = idx.reshape(len(sellers), k)
        parts.append(
            pd.DataFrame({"s": np.repeat(sellers, k), "b": rows[idx.ravel()], "p": int(p)})
        )
    return pd.concat(parts, ignore_index=True) if parts else _none()


def _peer_buyers(ev: Evidence, makers: pd.DataFrame) -> pd.DataFrame:
    """The buyers a maker's district's sellers of the product sell to most:
    `PEERS[0]` per maker with a position, `PEERS[1]` per maker without (it has
    no nearest users)."""
    if not len(ev.s) or not len(makers):
        return _none()
    sales = pd.DataFrame({"d": ev.district[ev.s], "b": ev.b, "p": ev.p})
    top = (
        sales.groupby(["d", "p", "b"]).size().rename("k").reset_index()
        .sort_values(["d", "p", "k", "b"], ascending=[True, True, False, True])
    )  # fmt: skip
    top["place"] = top.groupby(["d", "p"]).cumcount()
    top = top[top["place"] < max(PEERS)]
    mine = makers.assign(d=ev.district[makers["row"].to_numpy()])
    return _first_few(ev, mine.merge(top[["d", "p", "b", "place"]], on=["d", "p"]), PEERS)


def _popular(ev: Evidence, makers: pd.DataFrame) -> pd.DataFrame:
    """The users of each product with most local sellers of it (else the largest
    by capacity), `POPULAR[0]` or `POPULAR[1]` per maker with or without a
    position: where a maker without a position or peers may still sell."""
    users = ev.users
    if not len(users) or not len(makers):
        return _none()
    sellers_of = (
        pd.Series(1, index=pd.MultiIndex.from_arrays([ev.b, ev.p])).groupby(level=[0, 1]).size()
    )
    capacity = np.nan_to_num(ev.ds.enterprises["capacity"].to_numpy(dtype=float), nan=0.0)
    ranked = users.assign(
        k=sellers_of.reindex(pd.MultiIndex.from_frame(users[["row", "p"]])).fillna(0).to_numpy(),
        cap=capacity[users["row"].to_numpy()],
    ).sort_values(["p", "k", "cap", "row"], ascending=[True, False, False, True])
    ranked["place"] = ranked.groupby("p").cumcount()
    top = ranked[ranked["place"] < max(POPULAR)][["p", "row", "place"]]
    return _first_few(ev, makers.merge(top.rename(columns={"row": "b"}), on="p"), POPULAR)


def _first_few(ev: Evidence, pairs: pd.DataFrame, sizes: tuple[int, int]) -> pd.DataFrame:
    """`pairs` (`row`, `b`, `p`, `place`) whose place is within `sizes[0]` for a
    maker with a position, `sizes[1]` for one without."""
    rows = pairs["row"].to_numpy()
    wanted = np.where(ev.index.located[rows], sizes[0], sizes[1])
    kept = pairs["place"].to_numpy() < wanted
    return pd.DataFrame(
        {"s": rows[kept], "b": pairs["b"].to_numpy()[kept], "p": pairs["p"].to_numpy()[kept]}
    )


def _none() -> pd.DataFrame:
    return pd.DataFrame({"s": np.zeros(0, np.int64), "b": np.zeros(0, np.int64), "p": 0})


def features(ev: Evidence, pairs: pd.DataFrame) -> pd.DataFrame:
    """The `FEATURES` of each candidate (and `km`), vectorised over the pairs."""
    s = pairs["s"].to_numpy(np.int64)
    b = pairs["b"].to_numpy(np.int64)
    p = pairs["p"].to_numpy(np.int64)
    n, npd = ev.n, ev.n_products
    index = ev.index
    known = index.located[s] & index.located[b]
    km = np.full(len(pairs), np.nan)
    if known.any():
        chord = np.linalg.norm(index.xyz[s[known]] - index.xyz[b[known]], axis=1)
        km[known] = chord_to_km(chord)
    near = np.where(known, np.exp(-np.nan_to_num(km) / KM_SCALE), UNKNOWN_NEAR)

    n_d = int(ev.district.max()) + 1 if len(ev.district) else 1
    n_k = int(ev.kind.max()) + 1 if len(ev.kind) else 1
    # b buys p from sellers of s's district; b buys p at all.
    peer_keys = (ev.b * npd + ev.p) * n_d + ev.district[ev.s]
    peer_buys = count_ints(peer_keys, (b * npd + p) * n_d + ev.district[s])
    buys = count_ints(ev.b * npd + ev.p, b * npd + p)
    # s sells to buyers in b's district of b's type (any product; distinct buyers).
    buyer_pairs = unique_ints(ev.s * n + ev.b)
    bs, bb = buyer_pairs // n, buyer_pairs % n
    like_keys = (bs * n_d + ev.district[bb]) * n_k + ev.kind[bb]
    sells_like = count_ints(like_keys, (s * n_d + ev.district[b]) * n_k + ev.kind[b])
    common = _common_partners(bs, bb, n, s, b)
    made = pd.Series(ev.sold_to, index=pd.MultiIndex.from_frame(ev.makers[["row", "p"]]))
    active = made.reindex(pd.MultiIndex.from_arrays([s, p])).fillna(0).to_numpy(dtype=float)
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


def _common_partners(
    u: np.ndarray, v: np.ndarray, n: int, s: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """For each pair (s[i], b[i]), the enterprises both trade with, either way,
    in the graph of edges u–v: the partners of the end with fewer partners,
    each looked up among the other's in a hash table of the edges. The pairs
    go `PAIRS_AT_ONCE` at a time: small arrays that stay in the cache."""
    if not len(u) or not len(s):
        return np.zeros(len(s))
    keys = unique_ints(np.concatenate([u * n + v, v * n + u]))  # sorted, both ways
    head = keys // n
    tail = keys - head * n
    edges = pd.Index(keys)
    start = np.searchsorted(head, np.arange(n + 1))
    degree = np.diff(start)
    swap = degree[s] > degree[b]  # walk the smaller side
    walk, other = np.where(swap, b, s), np.where(swap, s, b)
    common = np.zeros(len(s))
    for lo in range(0, len(s), PAIRS_AT_ONCE):
        w, o = walk[lo : lo + PAIRS_AT_ONCE], other[lo : lo + PAIRS_AT_ONCE]
        d = degree[w]
        pair = np.repeat(np.arange(len(w)), d)
        first = np.repeat(start[w] - (np.cumsum(d) - d), d)
        partner = tail[first + np.arange(len(pair))]
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
