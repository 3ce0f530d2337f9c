"""Critical enterprises: how much of the region's output is lost if one stops.

A regional, firm-level cascade in the spirit of the economic systemic risk
index: the stopped enterprise keeps no output (h = 0); its buyers lose what it
supplied (downstream), its suppliers lose what it bought (upstream), and the
losses travel on through local links until nothing changes. Suppliers and
buyers are not replaced within the year: a worst case. docs/methods.md defines
every step; `cascade` is the one iteration, shared with `whatif --remove`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.analysis.weights import link_weights
from valuechain.arrays import factorize_text
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset

__all__ = ["CRITICAL_COLUMNS", "Network", "network", "cascade", "critical_enterprises"]

CRITICAL_COLUMNS = ["id", "name", "type", "district", "risk", "affected", "sole_buyer_of"]
PROTECT_RISK = 0.05  # an enterprise whose loss costs this share of output is one to protect
IN_DOCUMENTS = 2_000  # the map and report test every enterprise up to this many
TOLERANCE = 1e-9
AFFECTED_BELOW = 0.99  # an enterprise keeping less than this share of its output is hit
MAX_SCENARIOS = 20_000  # every enterprise a scenario up to here; beyond, candidates
# Beyond, the candidates tested by default. A loss reaches tens of thousands of
# enterprises in a national-size network: each scenario costs about half a
# second at a million enterprises (benchmarks/RESULTS.md), so 150 of them keep
# the command within two minutes there (runs of 200 took 90–122 s).
CANDIDATES = 150
BATCH = 1024  # scenarios iterated together
# Losses around a cycle shrink geometrically: enough rounds for the tolerance
# even when a cycle keeps most of what it loses each round.
MAX_ROUNDS = 100_000


@dataclass
class Network:
    """The local supply network as the cascade needs it, enterprises by row.

    - `essential`: sparse (pairs × n): row k is one (buyer j, essential input m),
      entry i the share of j's purchases of m bought from enterprise i;
      `pair_buyer[k]` is j.
    - `other`: sparse (n × n): [j, i] = j's non-essential local purchases from i
      over all of j's purchases.
    - `upstream`: sparse (n × n): [i, j] = i's local sales to j over all of i's sales.
    - `size`: each enterprise's output (output_value, else the larger of its
      sales and its purchases).
    - `local_links`: each enterprise's number of local links (in and out).
    """

    essential: object
    pair_buyer: np.ndarray
    other: object
    upstream: object
    size: np.ndarray
    local_links: np.ndarray


def network(ds: Dataset, weight: str | pd.Series = "auto") -> Network:
    """Build the cascade's matrices from the dataset's links (all vectorised)."""
    from scipy.sparse import csr_array

    n = len(ds.enterprises)
    w = np.nan_to_num(np.asarray(link_weights(ds.links, weight), dtype=float))
    src, tgt = ds.endpoint_rows()
    local = (src >= 0) & (tgt >= 0)
    sales = np.bincount(src[src >= 0], weights=w[src >= 0], minlength=n)
    purchases = np.bincount(tgt[tgt >= 0], weights=w[tgt >= 0], minlength=n)
    size = np.maximum(sales, purchases)
    if "output_value" in ds.enterprises:
        given = ds.enterprises["output_value"].to_numpy(dtype=float, na_value=np.nan)
        size = np.where(np.isnan(given), size, given)

    # Each link's product as a code; which (buyer, product) pairs are essential:
    # the product is in the recipe (made_from) of one of the buyer's outputs.
    codes, products = factorize_text(ds.links["product"].fillna(""))
    essential_pairs = _essential_pairs(ds, products)
    key = tgt.astype(np.int64) * (len(products) + 1) + codes
    # A hash look-up: np.isin and a binary search both take seconds at 5M links.
    is_essential = (tgt >= 0) & (pd.Index(essential_pairs).get_indexer(key) >= 0)

    # Purchases of each (buyer, product), outside suppliers included.
    bought = pd.Series(w[tgt >= 0]).groupby(key[tgt >= 0]).sum()
    ess_local = local & is_essential
    pair_codes, pair_keys = pd.factorize(key[ess_local])
    share = w[ess_local] / bought.reindex(key[ess_local]).to_numpy()
    essential = csr_array(
        (np.nan_to_num(share), (pair_codes, src[ess_local])), shape=(len(pair_keys), n)
    )
    pair_buyer = (np.asarray(pair_keys) // (len(products) + 1)).astype(np.int64)

    other_local = local & ~is_essential
    other = csr_array(
        (_ratio(w[other_local], purchases[tgt[other_local]]), (tgt[other_local], src[other_local])),
        shape=(n, n),
    )
    upstream = csr_array(
        (_ratio(w[local], sales[src[local]]), (src[local], tgt[local])), shape=(n, n)
    )
    degree = np.bincount(src[local], minlength=n) + np.bincount(tgt[local], minlength=n)
    return Network(
        essential=essential,
        pair_buyer=pair_buyer,
        other=other,
        upstream=upstream,
        size=size,
        local_links=degree,
    )


def _ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / whole, 0.0)


def _essential_pairs(ds: Dataset, products: pd.Index) -> np.ndarray:
    """Keys buyer_row × (products + 1) + product code of every (buyer, input)
    that some output of the buyer is made from."""
    recipes = ds.products[["code", "made_from"]].explode("made_from").dropna()
    recipes = recipes[recipes["made_from"] != ""]
    offers = ds.offers[ds.offers["role"] == "output"]
    rows = ds.offer_rows()[(ds.offers["role"] == "output").to_numpy()]
    needs = pd.DataFrame({"row": rows, "code": offers["product"].to_numpy()}).merge(
        recipes, on="code"
    )
    input_code = products.get_indexer(needs["made_from"])
    known = input_code >= 0
    return np.unique(
        needs["row"].to_numpy()[known].astype(np.int64) * (len(products) + 1) + input_code[known]
    )


def _sole_buyers(ds: Dataset) -> np.ndarray:
    """Per enterprise: the producers whose only local buyer it is."""
    n = len(ds.enterprises)
    src, tgt = ds.endpoint_rows()
    local = (src >= 0) & (tgt >= 0)
    producer = ds.enterprises["type"].isin(PRODUCER_TYPES).to_numpy()
    pairs = np.unique(np.stack([src[local], tgt[local]]).T, axis=0) if local.any() else None
    out = np.zeros(n, dtype=np.int64)
    if pairs is None:
        return out
    sellers = pairs[producer[pairs[:, 0]]]
    buyers_of = np.bincount(sellers[:, 0], minlength=n)
    only = sellers[buyers_of[sellers[:, 0]] == 1]
    np.add.at(out, only[:, 1], 1)
    return out


def cascade(net: Network, stopped: list[np.ndarray]) -> np.ndarray:
    """Output kept (h, n × scenarios) when the enterprises of each scenario stop.

    Both cascades start with h = 0 for the stopped enterprises and 1 for the
    others and repeat until no h changes by more than `TOLERANCE`:
    downstream, h_d[j] = max(0, min(min over essential inputs m of
    1 − lost share of m, 1 − lost share of non-essential purchases));
    upstream, h_u[i] = max(0, 1 − lost share of sales). h = min(h_d, h_u).
    """
    loss = cascade_loss(net, stopped)
    return 1.0 - loss.toarray()


def cascade_loss(net: Network, stopped: list[np.ndarray]):
    """Output lost (1 − h) as a sparse (n × scenarios) matrix: a scenario touches
    few enterprises, so the cascade is iterated on what is lost, not kept."""
    from scipy.sparse import csr_array

    n, b = len(net.size), len(stopped)
    rows = np.concatenate(list(stopped)).astype(np.int64) if b else np.zeros(0, np.int64)
    cols = np.repeat(np.arange(b), [len(x) for x in stopped])
    start = csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, b))
    down = _iterate(start, lambda lost: _down_step(net, lost, n, b))
    up = _iterate(start, lambda lost: net.upstream @ lost)
    return down.maximum(up)


def _iterate(start, step):
    """Repeat lost = max(lost, min(1, step(lost)), stopped) until no entry moves
    more than `TOLERANCE`."""
    lost = start
    for _ in range(MAX_ROUNDS):
        new = step(lost).tocsr()
        new.data = np.minimum(new.data, 1.0)
        # A loss smaller than the tolerance changes no answer; left out, it does
        # not spread through the whole network in ever smaller amounts.
        new.data[new.data < TOLERANCE] = 0.0
        new.eliminate_zeros()
        new = new.maximum(lost).maximum(start)
        change = new - lost
        if not change.nnz or np.abs(change.data).max() <= TOLERANCE:
            return new
        lost = new
    return lost


def _down_step(net: Network, lost, n: int, b: int):
    """Loss of each buyer from its suppliers' losses: the largest of each
    essential input's lost share and of the non-essential purchases' lost share."""
    from scipy.sparse import coo_array

    other = (net.other @ lost).tocoo()
    if not len(net.pair_buyer):
        return other
    pairs = (net.essential @ lost).tocoo()
    row = np.concatenate([other.row, net.pair_buyer[pairs.row]])
    col = np.concatenate([other.col, pairs.col])
    data = np.concatenate([other.data, pairs.data])
    if not len(data):
        return coo_array((n, b))
    key = row.astype(np.int64) * b + col
    order = np.lexsort((-data, key))
    first = np.r_[True, key[order][1:] != key[order][:-1]]
    pick = order[first]  # the largest loss of each (buyer, scenario)
    return coo_array((data[pick], (row[pick], col[pick])), shape=(n, b))


def critical_enterprises(
    ds: Dataset,
    weight: str | pd.Series = "auto",
    *,
    candidates: int = CANDIDATES,
    every_up_to: int = MAX_SCENARIOS,
) -> tuple[pd.DataFrame, bool]:
    """Each enterprise's `risk` (share of the region's output lost if it stops,
    its own included), `affected` (other enterprises keeping < 99 % of their
    output) and `sole_buyer_of` (producers whose only local buyer it is),
    largest risk first, ties by id.

    Every enterprise is a scenario when there are at most `every_up_to`; beyond,
    the `candidates` with the most local links (the second value says so).
    """
    net = network(ds, weight)
    ent = ds.enterprises
    n = len(ent)
    sampled = n > every_up_to
    if sampled:
        order = np.lexsort((ent["id"].to_numpy(), -net.local_links))
        scenario_rows = np.sort(order[:candidates])
    else:
        scenario_rows = np.arange(n)
    total = net.size.sum()
    risk = np.zeros(len(scenario_rows))
    affected = np.zeros(len(scenario_rows), dtype=np.int64)
    for start in range(0, len(scenario_rows), BATCH):
        batch = scenario_rows[start : start + BATCH]
        loss = cascade_loss(net, [np.array([r]) for r in batch]).tocoo()
        lost = np.bincount(loss.col, weights=net.size[loss.row] * loss.data, minlength=len(batch))
        risk[start : start + len(batch)] = lost / total if total > 0 else 0.0
        hit = (loss.data > 1 - AFFECTED_BELOW) & (loss.row != batch[loss.col])
        affected[start : start + len(batch)] = np.bincount(loss.col[hit], minlength=len(batch))
    frame = ent.iloc[scenario_rows][["id", "name", "type", "district"]].reset_index(drop=True)
    frame["risk"] = risk
    frame["affected"] = affected
    frame["sole_buyer_of"] = _sole_buyers(ds)[scenario_rows]
    frame = frame.sort_values(["risk", "id"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)[CRITICAL_COLUMNS], sampled
