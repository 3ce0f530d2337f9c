"""Chain coupling scores (SPEC §3.5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ._columns import PRODUCER_TYPES
from ._common import share, weighted_links
from ._fast import fast_isin, fast_map
from .load import Dataset
from .unlinked import unlinked_producers

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
SHARES = ["completeness", "producer_coverage", "local_processing_rate", "local_sourcing_rate"]


def enterprise_chain(ds: Dataset) -> pd.Series:
    """Each enterprise's chain: that of its first output, else first input, else `none`.

    Returns a Series indexed like `ds.enterprises` (SPEC §3.6 `--by chain`).
    """
    chain_of = ds.products.set_index("code")["chain"]
    first = ds.offers[ds.offers["pos"] == 0]
    out_first = first[first["role"] == "output"].set_index("id")["product"].map(chain_of)
    in_first = first[first["role"] == "input"].set_index("id")["product"].map(chain_of)
    ids = ds.enterprises["id"]
    return ids.map(out_first).fillna(ids.map(in_first)).fillna("none")


def _components(members: pd.DataFrame, edges: pd.DataFrame) -> pd.Series:
    """Weakly connected components per chain, all chains in one sparse graph.

    `members`: (chain, id) pairs; `edges`: (chain, source, target) local links
    between members. Returns the component count per chain.
    """
    members = members.drop_duplicates().reset_index(drop=True)
    node = pd.Series(np.arange(len(members)), index=pd.MultiIndex.from_frame(members))
    src = node.reindex(pd.MultiIndex.from_frame(edges[["chain", "source"]])).to_numpy()
    dst = node.reindex(pd.MultiIndex.from_frame(edges[["chain", "target"]])).to_numpy()
    ok = ~(np.isnan(src) | np.isnan(dst))
    n = len(members)
    graph = coo_matrix(
        (np.ones(ok.sum()), (src[ok].astype(int), dst[ok].astype(int))), shape=(n, n)
    )
    _, labels = connected_components(graph, directed=True, connection="weak")
    return pd.Series(labels).groupby(members["chain"]).nunique()


def chain_coupling(
    ds: Dataset,
    w: pd.Series,
    *,
    weak_score: float = WEAK_SCORE,
    unlinked: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per chain that has at least one enterprise listing one of its products.

    Returns `COUPLING_COLUMNS` ordered by chain. Shares are NaN when their
    denominator is 0 (completeness also for a chain with no catalog product, such
    as `unclassified`); `coupling_score` = 100 × mean of the non-null shares
    (NaN when all are null); `weak` when the score is below `weak_score`.
    `unlinked` reuses `unlinked_producers(ds)` when the caller has it.
    """
    chain_of = ds.products.set_index("code")["chain"]
    stage_of = ds.products.set_index("code")["stage"]
    types = ds.enterprises.set_index("id")["type"]
    offers = ds.offers.assign(chain=fast_map(ds.offers["product"], chain_of))
    members = offers[["chain", "id"]].drop_duplicates()
    out = pd.DataFrame(index=pd.Index(sorted(members["chain"].unique()), name="chain"))
    out["enterprises"] = members.groupby("chain").size()

    catalog = ds.products[ds.products["in_catalog"]]
    made = set(offers.loc[offers["role"] == "output", "product"])
    n_catalog = catalog.groupby("chain").size()
    n_made = catalog[fast_isin(catalog["code"], made)].groupby("chain").size()
    out["completeness"] = share(
        n_made.reindex(out.index, fill_value=0), n_catalog.reindex(out.index, fill_value=0)
    )

    if unlinked is None:
        unlinked = unlinked_producers(ds)
    unlinked = set(unlinked["id"])
    sellers = offers[
        (offers["role"] == "output") & fast_map(offers["id"], types).isin(PRODUCER_TYPES)
    ]
    sellers = sellers[["chain", "id"]].drop_duplicates()
    linked = sellers.assign(ok=~fast_isin(sellers["id"], unlinked)).groupby("chain")["ok"]
    out["producer_coverage"] = share(linked.sum(), linked.size()).reindex(out.index)

    links = weighted_links(ds, w)
    links["chain"] = fast_map(links["product"], chain_of)
    src_type = fast_map(links["source"], types)
    dst_type = fast_map(links["target"], types)
    raw = links[(fast_map(links["product"], stage_of) == 1) & src_type.isin(PRODUCER_TYPES)]
    to_proc = raw[raw["local"] & (fast_map(raw["target"], types) == "processor")]
    out["local_processing_rate"] = share(
        to_proc.groupby("chain")["w"].sum().reindex(out.index, fill_value=0),
        raw.groupby("chain")["w"].sum().reindex(out.index, fill_value=0),
    )
    into = links[dst_type == "processor"]
    from_local = into[~into["source_ext"]]
    out["local_sourcing_rate"] = share(
        from_local.groupby("chain")["w"].sum().reindex(out.index, fill_value=0),
        into.groupby("chain")["w"].sum().reindex(out.index, fill_value=0),
    )
    local = links.loc[links["local"] & links["chain"].notna(), ["chain", "source", "target"]]
    out["components"] = _components(members, local).reindex(out.index).astype(int)
    out["coupling_score"] = 100.0 * out[SHARES].mean(axis=1, skipna=True)
    out["weak"] = (out["coupling_score"] < weak_score).where(out["coupling_score"].notna())
    return out.reset_index()[COUPLING_COLUMNS]


def chain_flows(ds: Dataset, w: pd.Series) -> pd.DataFrame:
    """Weight of links leaving enterprises per chain, split into `local` and `external`.

    Links with no product or a product without a chain are left out. Returns
    columns `chain, local, external`, ordered by chain.
    """
    chain_of = ds.products.set_index("code")["chain"]
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
