"""Chain coupling scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.analysis.shares import link_chains, share, unlinked_mask, weighted_links
from valuechain.analysis.weights import link_weights
from valuechain.arrays import code_type, factorize_text, fast_map, unique_ints
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset

__all__ = ["COUPLING_COLUMNS", "WEAK_SCORE", "chain_coupling", "chain_flows", "enterprise_chain"]

COUPLING_COLUMNS = [
    "chain",
    "enterprises",
    "completeness",
    "producer_coverage",
    "local_processing_rate",
    "local_sourcing_rate",
    "components",
    "coupling_score",
    "weak",
]
WEAK_SCORE = 50.0
BITMAP_CELLS = 2**26  # _distinct_pairs: a chains × rows bitmap up to this size
SHARES = ["completeness", "producer_coverage", "local_processing_rate", "local_sourcing_rate"]


def enterprise_chain(ds: Dataset) -> pd.Series:
    """Each enterprise's chain: that of its first output, else first input, else `none`.

    Returns a Series indexed like `ds.enterprises`.
    """
    output = ds.first_offer_attribute("chain", "output")
    chain = np.where(pd.isna(output), ds.first_offer_attribute("chain", "input"), output)
    return pd.Series(chain, index=ds.enterprises.index, dtype=object).fillna("none")


def component_labels(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Label of the weakly connected component of each of `n` nodes joined by
    edges `a[i]`–`b[i]`: the smallest node of the component (scipy's graph
    search; for a few edges, merging labels directly, which spares a command
    the 0.08 s of importing scipy.sparse.csgraph).

    >>> component_labels(5, np.array([3, 1]), np.array([1, 4])).tolist()
    [0, 1, 2, 1, 1]
    """
    if len(a) <= FEW_EDGES:
        return _merged_labels(n, a, b)
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    graph = coo_array((np.ones(len(a)), (a, b)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=True, connection="weak")
    smallest = np.full(labels.max(initial=-1) + 1, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n))
    return smallest[labels]


FEW_EDGES = 5_000  # up to here, components by merging labels in a plain loop


def _merged_labels(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`component_labels` by union–find over the nodes the edges touch: each
    edge joins two sets under the smaller root (a root is its set's smallest
    node); a node no edge touches is its own label."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.get(i, i) != i:
            parent[i] = parent.get(parent[i], parent[i])
            i = parent[i]
        return i

    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    labels = np.arange(n, dtype=np.int64)
    touched = list(parent)
    labels[touched] = [root(i) for i in touched]
    return labels


def _components(
    member_chain: np.ndarray,
    member_row: np.ndarray,
    edges: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """Weakly connected components per chain, all chains in one sparse graph.

    Nodes are the (chain code, enterprise row) pairs of the members, ordered by
    chain (as `_distinct_pairs` gives them) and numbered in that order; `edges`
    (chain codes, source rows, target rows) are local links, kept where both
    ends are members of the link's chain. Returns the component count per chain
    code.
    """
    n_chains = int(member_chain.max(initial=-1)) + 1
    if not n_chains:
        return np.zeros(0, dtype=np.int64)
    chain, src, dst = edges
    n = int(max(member_row.max(initial=-1), src.max(initial=-1), dst.max(initial=-1))) + 1
    member_at = _bounds(member_chain, n_chains)
    # Edges grouped by chain (numpy sorts 16-bit integers stably by radix); their
    # order is no matter to the components, so they stay grouped.
    by_chain = np.argsort(chain.astype(code_type(n_chains), copy=False), kind="stable")
    src, dst = src[by_chain], dst[by_chain]
    edge_at = _bounds(chain, n_chains)
    # One chain at a time, a table from enterprise row to node: it stays small
    # (n entries) where one table over every (chain, row) pair would not.
    table = np.full(n, -1, dtype=np.int32)
    a = np.empty(len(chain), dtype=np.int32)
    b = np.empty(len(chain), dtype=np.int32)
    for c in range(n_chains):
        rows = member_row[member_at[c] : member_at[c + 1]]
        table[rows] = np.arange(member_at[c], member_at[c + 1], dtype=np.int32)
        mine = slice(edge_at[c], edge_at[c + 1])
        np.take(table, src[mine], out=a[mine])
        np.take(table, dst[mine], out=b[mine])
        table[rows] = -1
    ok = (a >= 0) & (b >= 0)
    labels = component_labels(len(member_row), a[ok], b[ok])
    roots = labels == np.arange(len(labels))  # a component is labelled by its smallest node
    return np.bincount(member_chain[roots], minlength=n_chains)


def _distinct_pairs(
    chain: np.ndarray, row: np.ndarray, n_chains: int, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (chain, row) pairs, ordered by chain then row: marked in a
    chains × rows bitmap when that is small, else told by a sort."""
    key = chain.astype(np.int64) * n + row
    if n_chains * n <= BITMAP_CELLS:
        seen = np.zeros(n_chains * n, dtype=bool)
        seen[key] = True
        key = np.flatnonzero(seen)
    else:
        key = unique_ints(key)
    return key // max(n, 1), key % max(n, 1)


def _weight_by_chain(
    bucket: np.ndarray, weight: np.ndarray, masks: list[np.ndarray], n_chains: int
) -> list[np.ndarray]:
    """For each mask, the weight of the links it holds per chain (`bucket`: each
    link's chain code, n_chains for none; reused in place). One weighted count
    over (chain, which masks hold) serves every mask."""
    held = np.zeros(len(bucket), dtype=np.uint8)
    for bit, mask in enumerate(masks):
        held |= mask.view(np.uint8) << bit
    bucket <<= len(masks)
    bucket += held
    table = np.bincount(bucket, weights=weight, minlength=(n_chains + 1) << len(masks))
    table = table.reshape(n_chains + 1, 1 << len(masks))[:n_chains]
    combos = np.arange(1 << len(masks))
    return [table[:, (combos >> bit) & 1 == 1].sum(axis=1) for bit in range(len(masks))]


def _completeness(
    ds: Dataset, made_codes: np.ndarray, products: pd.Index, chains: pd.Index
) -> pd.Series:
    """Per chain: share of its catalog products that some enterprise lists as an
    output (`made_codes`: codes into `products` of every output listed)."""
    in_catalog = ds.products[ds.products["in_catalog"]]
    made = np.zeros(len(products) + 1, dtype=bool)
    made[made_codes] = True
    is_made = made[products.get_indexer(in_catalog["code"])]
    return share(
        in_catalog[is_made].groupby("chain").size().reindex(chains, fill_value=0),
        in_catalog.groupby("chain").size().reindex(chains, fill_value=0),
    )


def _producer_coverage(
    ds: Dataset, chain: np.ndarray, row: np.ndarray, chains: pd.Index
) -> pd.Series:
    """Per chain: share of its selling producers (one per (chain code, enterprise
    row) of their outputs) that are linked: not unlinked by the unlinked rule."""
    linked = ~unlinked_mask(ds)
    chain_of_seller, seller_row = _distinct_pairs(chain, row, len(chains), len(linked))
    ok = linked[seller_row]
    return share(
        pd.Series(np.bincount(chain_of_seller[ok], minlength=len(chains)), index=chains),
        pd.Series(np.bincount(chain_of_seller, minlength=len(chains)), index=chains),
    )


def _bounds(codes: np.ndarray, n_codes: int) -> np.ndarray:
    """Where each code's run starts once `codes` are ordered (n_codes + 1 bounds)."""
    bounds = np.zeros(n_codes + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=n_codes), out=bounds[1:])
    return bounds


def chain_coupling(
    ds: Dataset,
    weight: str | pd.Series = "auto",
    *,
    weak_score: float = WEAK_SCORE,
) -> pd.DataFrame:
    """One row per chain that has at least one enterprise listing one of its products.

    `weight` is the weight rule (`auto`, `value`, `volume`, `links`) or each
    link's weight as a Series.

    Returns `COUPLING_COLUMNS` ordered by chain. Shares are NaN when their
    denominator is 0 (completeness also for a chain with no catalog product, such
    as `unclassified`); `coupling_score` = 100 × mean of the non-null shares
    (NaN when all are null); `weak` when the score is below `weak_score`.
    """
    w = link_weights(ds.links, weight)
    ent = ds.enterprises
    is_producer = ent["type"].isin(PRODUCER_TYPES).to_numpy()
    is_processor = (ent["type"] == "processor").to_numpy()
    src, tgt = ds.endpoint_rows()
    local = ds.links["local"].to_numpy(dtype=bool)

    # Members: (chain, enterprise) for every product an enterprise lists.
    codes, products = factorize_text(ds.offers["product"])
    catalog = ds.products.drop_duplicates("code").set_index("code")
    product_chain = catalog["chain"].reindex(products)  # one per distinct product
    chains = pd.Index(sorted(product_chain.dropna().unique()), name="chain")
    offer_chain = chains.get_indexer(product_chain)[codes]
    rows = ds.offer_rows()
    known = offer_chain >= 0
    member_chain, member_row = _distinct_pairs(
        offer_chain[known], rows[known], len(chains), len(ent)
    )
    out = pd.DataFrame(index=chains)
    out["enterprises"] = np.bincount(member_chain, minlength=len(chains))

    # Each link's bucket is its chain's code, len(chains) for none.
    link_code, link_chain_names, stage = link_chains(ds)
    lut = chains.get_indexer(link_chain_names)
    lut = np.append(np.where(lut >= 0, lut, len(chains)), len(chains))
    bucket = lut.astype(code_type((len(chains) + 1) << 4))[link_code]
    edges = local & (bucket < len(chains))
    out["components"] = _components(
        member_chain, member_row, (bucket[edges], src[edges], tgt[edges])
    )

    output = (ds.offers["role"] == "output").to_numpy()
    out["completeness"] = _completeness(ds, codes[output], products, chains)
    selling = output & known & is_producer[rows]
    out["producer_coverage"] = _producer_coverage(ds, offer_chain[selling], rows[selling], chains)
    # Links of no known weight go to the bucket of none, where their NaN stays.
    weight = np.asarray(w, dtype=np.float64)
    bucket[np.isnan(weight)] = len(chains)
    # Outside ends (-1) are clipped to row 0 and masked by `>= 0`: no shifted copy.
    raw = (stage == 1) & (src >= 0) & np.take(is_producer, src, mode="clip")
    to_processor = (tgt >= 0) & np.take(is_processor, tgt, mode="clip")
    processed, raw_w, sourced, bought = _weight_by_chain(
        bucket,
        weight,
        [
            raw & local & to_processor,
            raw,
            to_processor & ~ds.links["source_ext"].to_numpy(),
            to_processor,
        ],
        len(chains),
    )
    out["local_processing_rate"] = share(
        pd.Series(processed, index=chains), pd.Series(raw_w, index=chains)
    )
    out["local_sourcing_rate"] = share(
        pd.Series(sourced, index=chains), pd.Series(bought, index=chains)
    )
    out["coupling_score"] = 100.0 * out[SHARES].mean(axis=1, skipna=True)
    out["weak"] = (out["coupling_score"] < weak_score).where(out["coupling_score"].notna())
    return out.reset_index()[COUPLING_COLUMNS]


def chain_flows(ds: Dataset, weight: str | pd.Series = "auto") -> pd.DataFrame:
    """Weight of links leaving enterprises per chain, split into `local` and `external`.

    Links with no product or a product without a chain are left out. Returns
    columns `chain, local, external`, ordered by chain.
    """
    w = link_weights(ds.links, weight)
    chain_of = ds.product_attribute("chain")
    links = weighted_links(ds, w)
    links = links[~links["source_ext"]].assign(chain=fast_map(links["product"], chain_of))
    links = links.dropna(subset=["chain"])
    table = links.pivot_table(
        index="chain", columns="local", values="w", aggfunc="sum", fill_value=0.0
    )
    table = table.reindex(columns=[True, False], fill_value=0.0)
    return pd.DataFrame(
        {"chain": table.index, "local": table[True].to_numpy(), "external": table[False].to_numpy()}
    )
