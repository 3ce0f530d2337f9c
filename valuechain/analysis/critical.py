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
from typing import Any

import numpy as np
import pandas as pd

from valuechain.analysis.weights import link_weights
from valuechain.arrays import factorize_text, spans
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset
from valuechain.sparse import Columns, Entries

__all__ = [
    "CRITICAL_COLUMNS",
    "Network",
    "Screen",
    "network",
    "cascade",
    "scenario_risks",
    "loss_bounds",
    "critical_enterprises",
]

CRITICAL_COLUMNS = ["id", "name", "type", "district", "risk", "affected", "sole_buyer_of"]
PROTECT_RISK = 0.05  # an enterprise whose loss costs this share of output is one to protect
IN_DOCUMENTS = 2_000  # the map and report test every enterprise up to this many
TOLERANCE = 1e-9  # risks agree with the iteration's fixed point to this
# A loss passes on once it has grown by more than this: what is held back,
# multiplied along a chain or around a cycle, stays far below `TOLERANCE`.
PASS_ON = 1e-10
AFFECTED_BELOW = 0.99  # an enterprise keeping less than this share of its output is hit
# Every enterprise a scenario up to here (90 s at 50,000); beyond, the screen.
MAX_SCENARIOS = 50_000
# Beyond, the screen tests at most this many by default. A loss reaches tens of
# thousands of enterprises in a national-size network: a scenario costs about
# half a second at a million enterprises (benchmarks/RESULTS.md).
CANDIDATES = 150
SCREEN_TOP = 100  # the screen looks for the true top 100
SCREEN_BATCH = 16  # candidates tested between two looks at the bounds
SERIES_ROUNDS = 60  # terms of the loss series summed for every enterprise
# What the screen found of the true top 100 where its bounds were estimates:
# all of it on both such generated networks where every enterprise could be
# tested (benchmarks/RESULTS.md, "Critical enterprises: the screen"; 2026-12-04),
# and the true top 5 on each of 12 random networks of 400 enterprises.
MEASURED_RECALL = 1.0
BATCH = 1024  # scenarios iterated together, at most
CELLS = 2**22  # and at most this many enterprise × scenario cells (arrays of 32 MiB)
# Losses around a cycle shrink geometrically: enough rounds for the tolerance
# even when a cycle keeps most of what it loses each round.
MAX_ROUNDS = 100_000


@dataclass
class Network:
    """The local supply network as the cascade needs it, enterprises by row.

    - `essential`: (pairs × n) entries: row k is one (buyer j, essential input m),
      entry i the share of j's purchases of m bought from enterprise i;
      `pair_buyer[k]` is j.
    - `other`: (n × n) entries: [j, i] = j's non-essential local purchases from i
      over all of j's purchases.
    - `upstream`: (n × n) entries: [i, j] = i's local sales to j over all of i's sales.
    - `size`: each enterprise's output (output_value, else the larger of its
      sales and its purchases).
    - `local_links`: each enterprise's number of local links (in and out).
    """

    essential: Entries
    pair_buyer: np.ndarray
    other: Entries
    upstream: Entries
    size: np.ndarray
    local_links: np.ndarray
    paths_down: _Paths | None = None  # built on first use (`_downstream`)
    paths_up: _Paths | None = None


def network(ds: Dataset, weight: str | pd.Series = "auto") -> Network:
    """Build the cascade's matrices from the dataset's links (all vectorised)."""
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
    essential = Entries(pair_codes, src[ess_local], np.nan_to_num(share), (len(pair_keys), n))
    pair_buyer = (np.asarray(pair_keys) // (len(products) + 1)).astype(np.int64)

    other_local = local & ~is_essential
    other = Entries(
        tgt[other_local],
        src[other_local],
        _ratio(w[other_local], purchases[tgt[other_local]]),
        (n, n),
    )
    upstream = Entries(src[local], tgt[local], _ratio(w[local], sales[src[local]]), (n, n))
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


def cascade_loss(net: Network, stopped: list[np.ndarray]) -> Any:
    """Output lost (1 − h) as a sparse (n × scenarios) matrix."""
    from scipy.sparse import coo_array

    n, b = len(net.size), len(stopped)
    if not b:
        return coo_array((n, 0)).tocsr()
    rows = np.concatenate(list(stopped)).astype(np.int64)
    cols = np.repeat(np.arange(b), [len(x) for x in stopped])
    lost = _losses(net, cols * n + rows, b)
    at = np.flatnonzero(lost)
    scenario, enterprise = np.divmod(at, n)
    return coo_array((lost[at], (enterprise, scenario)), shape=(n, b)).tocsr()


def scenario_risks(net: Network, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each enterprise of `rows` stopped alone: the share of the region's
    output lost (`risk`) and how many other enterprises keep less than
    `AFFECTED_BELOW` of theirs, a batch of scenarios at a time."""
    n = len(net.size)
    total = net.size.sum()
    risk = np.zeros(len(rows))
    affected = np.zeros(len(rows), dtype=np.int64)
    per_batch = max(1, min(BATCH, CELLS // max(n, 1)))
    for start in range(0, len(rows), per_batch):
        batch = np.asarray(rows[start : start + per_batch], dtype=np.int64)
        b = len(batch)
        lost = _losses(net, np.arange(b) * n + batch, b)
        at = np.flatnonzero(lost)
        scenario, enterprise = np.divmod(at, n)
        part = np.bincount(scenario, weights=net.size[enterprise] * lost[at], minlength=b)
        risk[start : start + b] = part / total if total > 0 else 0.0
        hit = (lost[at] > 1 - AFFECTED_BELOW) & (enterprise != batch[scenario])
        affected[start : start + b] = np.bincount(scenario[hit], minlength=b)
    return risk, affected


def _losses(net: Network, start: np.ndarray, b: int) -> np.ndarray:
    """Loss of every cell (scenario × n + enterprise) when the cells `start`
    stop: the larger of the downstream and the upstream loss. Half of the
    scenarios run on each core (numpy lets go of the interpreter while it
    works on arrays); one way can cost ten times the other, so the halves
    split scenarios, not ways."""
    from concurrent.futures import ThreadPoolExecutor

    n = len(net.size)
    _downstream(net), _upstream(net)  # built once, before the threads share them
    half = b // 2
    if half == 0:
        return _both_ways(net, start, n, b)
    first = start < half * n
    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(_both_ways, net, start[~first] - half * n, n, b - half)
        lost = _both_ways(net, start[first], n, half)
        return np.concatenate([lost, later.result()])


def _both_ways(net: Network, start: np.ndarray, n: int, b: int) -> np.ndarray:
    lost = _spread(_downstream(net), start, n, b)
    return np.maximum(lost, _spread(_upstream(net), start, n, b), out=lost)


@dataclass
class _Paths:
    """How losses travel one way. Column i of `by_source` (rows × n, CSC) holds
    what each row loses per unit lost by enterprise i; a row belongs to
    enterprise `owner[row]`, whose loss is the largest of its rows' (capped at
    1): the rows of enterprise j are `rows[first[j] : first[j + 1]]`."""

    by_source: Columns
    owner: np.ndarray
    first: np.ndarray
    rows: np.ndarray


def _downstream(net: Network) -> _Paths:
    """A buyer's rows: its non-essential purchases (row j) and each essential
    input (row n + pair)."""
    if net.paths_down is None:
        n = len(net.size)
        owner = np.concatenate([np.arange(n), net.pair_buyer]).astype(np.int64)
        rows = np.argsort(owner, kind="stable")
        first = np.searchsorted(owner[rows], np.arange(n + 1))
        stacked = Entries.stacked(net.other, net.essential).by_column()
        net.paths_down = _Paths(stacked, owner, first, rows)
    return net.paths_down


def _upstream(net: Network) -> _Paths:
    """A supplier's one row: its local sales."""
    if net.paths_up is None:
        n = len(net.size)
        by_source = net.upstream.by_column()
        net.paths_up = _Paths(by_source, np.arange(n), np.arange(n + 1), np.arange(n))
    return net.paths_up


def _spread(paths: _Paths, start: np.ndarray, n: int, b: int) -> np.ndarray:
    """Loss of every cell (scenario × n + enterprise) when the cells `start`
    lose everything, one way.

    Only what changed travels: each round passes the cells whose loss grew
    since they last passed it on (by more than `PASS_ON`) along their links,
    adds it to the rows it reaches and recomputes the enterprises owning those
    rows. Losses only grow, so this reaches the same fixed point as repeating
    the whole step, and a round costs what changed, not what is lost."""
    m = paths.by_source
    rows_total = m.n_rows
    one_row_each = rows_total == n  # upstream: an enterprise's row is itself
    # A cell is scenario × n + enterprise: one scenario's cells lie together
    # in memory and stay together from round to round.
    lost = np.zeros(n * b)
    passed = np.zeros(n * b)
    through = lost if one_row_each else np.zeros(rows_total * b)  # each row's loss so far
    slot = np.zeros(n * b, dtype=np.int64)  # to find distinct cells without sorting
    cells = np.unique(start)
    lost[cells] = 1.0
    grown = np.ones(len(cells))
    for _ in range(MAX_ROUNDS):
        if not len(cells):
            break
        passed[cells] += grown
        scenario, source = np.divmod(cells, n)
        lo, hi = m.indptr[source], m.indptr[source + 1]
        count = hi - lo
        _, at = spans(lo, count)
        row = m.indices[at]
        reached = np.repeat(scenario * rows_total, count)
        reached += row
        weight = m.data[at]
        weight *= np.repeat(grown, count)
        if not len(reached):
            break  # nobody to pass the losses on to
        np.add.at(through, reached, weight)
        if one_row_each:  # a row is its enterprise: its running sum is its loss
            cells = _distinct(reached, slot)
            now = np.minimum(lost[cells], 1.0)  # the stopped stay at 1
        else:
            owner = np.repeat(scenario * n, count)
            owner += paths.owner[row]
            cells = _distinct(owner, slot)
            scenario, target = np.divmod(cells, n)
            lo, hi = paths.first[target], paths.first[target + 1]
            which, at = spans(lo, hi - lo)
            values = through[scenario[which] * rows_total + paths.rows[at]]
            # (every enterprise has a row of its own, so no range is empty)
            largest = np.maximum.reduceat(values, np.cumsum(hi - lo) - (hi - lo))
            now = np.maximum(lost[cells], np.minimum(largest, 1.0))
        lost[cells] = now
        grown = now - passed[cells]
        moving = grown > PASS_ON
        cells, grown = cells[moving], grown[moving]
    return lost


def _distinct(cells: np.ndarray, slot: np.ndarray) -> np.ndarray:
    """The distinct values of `cells` (in no order): each position writes its
    index into `slot` at its cell; the position whose index stayed is the one
    kept. Linear, where a sort of millions of cells a round is not."""
    index = np.arange(len(cells))
    slot[cells] = index
    return cells[slot[cells] == index]


@dataclass
class Screen:
    """How the enterprises of a `critical` listing were chosen.

    - `tested`: "every", or "screened" (the enterprises with the largest loss
      bound, in that order);
    - `count`: how many were tested; `certified`: the bounds prove that no
      untested enterprise is among the true `top`; `stopped`: the stop rule
      held before `--candidates` ran out;
    - `recall`: the share of the true top `top` the listing holds: 1.0 when
      certified; the screen's measured recall (`MEASURED_RECALL`) when it
      stopped on estimates; when `--candidates` ran out first, the share the
      proven bounds guarantee, or None if they are estimates; None when every
      enterprise was tested.
    """

    tested: str
    count: int
    certified: bool = False
    recall: float | None = None
    top: int = SCREEN_TOP
    stopped: bool = True  # False: --candidates ran out before the stop rule held

    @property
    def sampled(self) -> bool:
        return self.tested != "every"


def loss_bounds(net: Network, rounds: int = SERIES_ROUNDS) -> tuple[np.ndarray, bool]:
    """For every enterprise at once, a bound on its `risk`, and whether it is
    proven.

    An enterprise's loss is at most the sum of its rows (the largest essential
    input's lost share is at most the sum of them all), so the downstream
    losses when e stops are at most x = e + D x (D: every local purchase's
    share, essential or not) and the upstream ones at most y = e + U y. The
    output they cost, sizeᵀx, is the e-th entry of the series
    z = size + Dᵀ size + (Dᵀ)² size + …, summed for every e together; likewise
    for U. risk ≤ (z_D + z_U − size) / total. After `rounds` terms, if every
    entry of the last term shrank by at least a factor ρ < 1 over the one
    before, the rest of the series is at most last · ρ / (1 − ρ): added, the
    bound is proven; otherwise it is an estimate (still a good ranking)."""
    n = len(net.size)
    total = net.size.sum()
    if n == 0 or total <= 0:
        return np.zeros(n), True
    ess, other = net.essential, net.other
    down = Entries(  # every local purchase, the essential ones on their buyer's row
        np.concatenate([other.rows, net.pair_buyer[ess.rows]]),
        np.concatenate([other.cols, ess.cols]),
        np.concatenate([other.data, ess.data]),
        (n, n),
    )
    z_down, proven_down = _series(down.scipy(), net.size, rounds)
    z_up, proven_up = _series(net.upstream.scipy(), net.size, rounds)
    bound = np.minimum(1.0, (z_down + z_up - net.size) / total)
    return bound, proven_down and proven_up


def _series(matrix: Any, size: np.ndarray, rounds: int) -> tuple[np.ndarray, bool]:
    """size + Mᵀ size + (Mᵀ)² size + …: `rounds` terms, plus a proven bound on
    the rest when the last terms shrink geometrically (see `loss_bounds`)."""
    step = matrix.T.tocsr()
    term = size.astype(float)
    total = term.copy()
    ratio = np.inf
    for _ in range(rounds):
        following = step @ term
        total += following
        if not following.any():
            return total, True  # no longer paths: the sum is exact
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = np.where(term > 0, following / term, np.where(following > 0, np.inf, 0.0))
        ratio = ratios.max()
        term = following
    if ratio < 1:
        return total + term * ratio / (1 - ratio), True
    return total, False


def critical_enterprises(
    ds: Dataset,
    weight: str | pd.Series = "auto",
    *,
    candidates: int = CANDIDATES,
    every_up_to: int = MAX_SCENARIOS,
    top: int = SCREEN_TOP,
) -> tuple[pd.DataFrame, Screen]:
    """Each enterprise's `risk` (share of the region's output lost if it stops,
    its own included), `affected` (other enterprises keeping < 99 % of their
    output) and `sole_buyer_of` (producers whose only local buyer it is),
    largest risk first, ties by id.

    Every enterprise is a scenario when there are at most `every_up_to`; beyond,
    the screen: enterprises in the order of their loss bound (`loss_bounds`),
    `top` first, then `SCREEN_BATCH` at a time, until the next bound is below the `top`-th
    largest risk found (then no untested enterprise can enter the top: proven
    when the bounds are) or `candidates` were tested. The `Screen` says which.
    """
    net = network(ds, weight)
    ent = ds.enterprises
    n = len(ent)
    if n <= every_up_to:
        rows = np.arange(n)
        risk, affected = scenario_risks(net, rows)
        screen = Screen("every", n)
    else:
        rows, risk, affected, screen = _screened(net, ent["id"].to_numpy(), candidates, top)
    frame = ent.iloc[rows][["id", "name", "type", "district"]].reset_index(drop=True)
    frame["risk"] = risk
    frame["affected"] = affected
    frame["sole_buyer_of"] = _sole_buyers(ds)[rows]
    frame = frame.sort_values(["risk", "id"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)[CRITICAL_COLUMNS], screen


def _screened(
    net: Network, ids: np.ndarray, budget: int, top: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Screen]:
    """Test enterprises in the order of their loss bound until no untested
    bound can reach the `top`-th largest risk found, or `budget` were tested."""
    bound, proven = loss_bounds(net)
    order = np.lexsort((ids, -bound))
    limit = min(budget, len(order))
    if limit == 0:
        return order[:0], np.zeros(0), np.zeros(0, dtype=np.int64), Screen("screened", 0)
    risks, hits = [], []
    tested, stopped = 0, False
    k = min(top, limit)  # --candidates below the top: the screen answers for its top k
    while tested < limit and not stopped:
        size = k if tested == 0 else SCREEN_BATCH  # the top's worth first: no look before
        batch = order[tested : min(tested + size, limit)]
        risk, affected = scenario_risks(net, batch)
        risks.append(risk)
        hits.append(affected)
        tested += len(batch)
        found = np.concatenate(risks)
        kth = np.partition(found, -k)[-k]  # the first batch alone holds k
        stopped = tested == len(order) or bound[order[tested]] < kth
    certified = stopped and (proven or tested == len(order))
    if stopped:
        recall = 1.0 if certified else MEASURED_RECALL
    elif proven:
        # The budget ran out first: an untested enterprise can be in the top k
        # only if its bound reaches the k-th risk found, so at most that many
        # of the top k are missing.
        missing = min(k, int((bound[order[tested:]] >= kth).sum()))
        recall = (k - missing) / k
    else:
        recall = None  # neither proven nor the rule's stop: nothing measured says
    screen = Screen("screened", tested, certified, recall, top=k, stopped=stopped)
    return order[:tested], np.concatenate(risks), np.concatenate(hits), screen
