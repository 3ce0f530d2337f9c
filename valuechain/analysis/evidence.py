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
scored — the `NEAR` nearest users of P, the `PEERS` buyers its district's
sellers of P sell to most, the `POPULAR` users of P with most local sellers —
and each seller keeps its best `per_seller`. docs/methods.md gives the rule in
words with a worked example; the weights are set from backtests on generated
survey years (`valuechain backtest`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.analysis.buyers import BuyerIndex, chord_to_km
from valuechain.arrays import unique_ints
from valuechain.loading.dataset import Dataset

__all__ = ["WEIGHTS", "FEATURES", "Evidence", "candidates", "score_pairs"]

NEAR = 12  # nearest users of a product scored per seller
PEERS = 12  # buyers of a product its district's sellers sell to, per district
POPULAR = 6  # users of a product with most local sellers
KM_SCALE = 25.0  # distance at which the nearness falls to 1/e
UNKNOWN_NEAR = 0.15  # nearness when a distance cannot be known

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
        return cls(ds, index, n, s, b, p, makers, users, sold_to, district, kind)


def candidates(
    ev: Evidence,
    sellers: np.ndarray | None = None,
    *,
    products: np.ndarray | None = None,
    keep_existing: bool = False,
) -> pd.DataFrame:
    """Candidate (s, b, p) rows — columns `s`, `b`, `p` — for the makers whose
    row is in `sellers` (a boolean mask; None: every maker) and, when given,
    whose product code is in `products`. Without `keep_existing` the triples
    that trade already are left out."""
    makers = ev.makers
    if sellers is not None:
        makers = makers[np.asarray(sellers, dtype=bool)[makers["row"].to_numpy()]]
    if products is not None:
        makers = makers[np.isin(makers["p"].to_numpy(), products)]
    parts = [_nearest(ev, makers), _peer_buyers(ev, makers), _popular(ev, makers)]
    pairs = pd.concat(parts, ignore_index=True)
    if not len(pairs):
        return pd.DataFrame({"s": [], "b": [], "p": []}, dtype=np.int64)
    key = (pairs["s"].to_numpy(np.int64) * ev.n + pairs["b"].to_numpy(np.int64)) * _np(ev) + pairs[
        "p"
    ].to_numpy(np.int64)
    key = unique_ints(key[pairs["s"].to_numpy() != pairs["b"].to_numpy()])
    if not keep_existing:
        existing = (ev.s * ev.n + ev.b) * _np(ev) + ev.p
        key = key[~np.isin(key, existing)]
    p = key % _np(ev)
    pair = key // _np(ev)
    return pd.DataFrame({"s": pair // ev.n, "b": pair % ev.n, "p": p})


def _np(ev: Evidence) -> int:
    return max(len(ev.index.products), 1)


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
    """The buyers a maker's district's sellers of the product sell to most
    (`PEERS` per district and product)."""
    if not len(ev.s) or not len(makers):
        return _none()
    sales = pd.DataFrame({"d": ev.district[ev.s], "b": ev.b, "p": ev.p})
    top = (
        sales.groupby(["d", "p", "b"]).size().rename("k").reset_index()
        .sort_values(["d", "p", "k", "b"], ascending=[True, True, False, True])
        .groupby(["d", "p"]).head(PEERS)
    )  # fmt: skip
    mine = makers.assign(d=ev.district[makers["row"].to_numpy()])
    pairs = mine.merge(top[["d", "p", "b"]], on=["d", "p"])
    return pd.DataFrame({"s": pairs["row"].to_numpy(), "b": pairs["b"].to_numpy(), "p": pairs["p"]})


def _popular(ev: Evidence, makers: pd.DataFrame) -> pd.DataFrame:
    """The users of each product with most local sellers of it (else the largest
    by capacity): where a maker without a position or peers may still sell."""
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
    top = ranked.groupby("p").head(POPULAR)[["p", "row"]].rename(columns={"row": "b"})
    pairs = makers.merge(top, on="p")
    return pd.DataFrame({"s": pairs["row"].to_numpy(), "b": pairs["b"].to_numpy(), "p": pairs["p"]})


def _none() -> pd.DataFrame:
    return pd.DataFrame({"s": np.zeros(0, np.int64), "b": np.zeros(0, np.int64), "p": 0})


def features(ev: Evidence, pairs: pd.DataFrame) -> pd.DataFrame:
    """The `FEATURES` of each candidate (and `km`), vectorised over the pairs."""
    from scipy.sparse import csr_array

    s = pairs["s"].to_numpy(np.int64)
    b = pairs["b"].to_numpy(np.int64)
    p = pairs["p"].to_numpy(np.int64)
    n, npd = ev.n, _np(ev)
    index = ev.index
    known = index.located[s] & index.located[b]
    km = np.full(len(pairs), np.nan)
    if known.any():
        chord = np.linalg.norm(index.xyz[s[known]] - index.xyz[b[known]], axis=1)
        km[known] = chord_to_km(chord)
    near = np.where(known, np.exp(-np.nan_to_num(km) / KM_SCALE), UNKNOWN_NEAR)

    def count(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        ordered = np.sort(keys)
        return (
            np.searchsorted(ordered, wanted, "right") - np.searchsorted(ordered, wanted)
        ).astype(float)

    n_d = int(ev.district.max()) + 1 if len(ev.district) else 1
    n_k = int(ev.kind.max()) + 1 if len(ev.kind) else 1
    # b buys p from sellers of s's district; b buys p at all.
    peer_keys = (ev.b * npd + ev.p) * n_d + ev.district[ev.s]
    peer_buys = count(peer_keys, (b * npd + p) * n_d + ev.district[s])
    buys = count(ev.b * npd + ev.p, b * npd + p)
    # s sells to buyers in b's district of b's type (any product; distinct buyers).
    buyer_pairs = unique_ints(ev.s * n + ev.b)
    bs, bb = buyer_pairs // n, buyer_pairs % n
    like_keys = (bs * n_d + ev.district[bb]) * n_k + ev.kind[bb]
    sells_like = count(like_keys, (s * n_d + ev.district[b]) * n_k + ev.kind[b])
    # Common trading partners (either direction), row by row of the sparse graph.
    if len(ev.s) and len(pairs):
        graph = csr_array(
            (np.ones(2 * len(bs)), (np.concatenate([bs, bb]), np.concatenate([bb, bs]))),
            shape=(n, n),
        )
        graph.data[:] = 1.0
        graph.sum_duplicates()
        graph.data[:] = 1.0
        common = np.asarray(graph[s].multiply(graph[b]).sum(axis=1)).ravel()
    else:
        common = np.zeros(len(pairs))
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
