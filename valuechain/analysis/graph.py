"""The supply graph as a `networkx.DiGraph`."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from valuechain.analysis.weights import resolve_weight
from valuechain.loading.dataset import Dataset
from valuechain.loading.files import ROW

__all__ = ["build_graph", "external_nodes"]


def external_nodes(links: pd.DataFrame) -> list[str]:
    """Distinct outside-party labels (`EXT…`) among the link endpoints, sorted."""
    ends = pd.concat(
        [links.loc[links["source_ext"], "source"], links.loc[links["target_ext"], "target"]]
    )
    return sorted(ends.unique())


def build_graph(ds: Dataset, *, weight: str = "auto") -> nx.DiGraph:
    """Return the dataset as a DiGraph.

    One node per enterprise (attributes: every column, `outputs`/`inputs` as
    lists) and one per distinct `EXT` label (`type = "external"`); one edge per
    merged link with `product`, `volume`, `value`, `weight` (per the `--weight`
    rule, whose name is stored in `G.graph["weight"]`) and `count`. Two links
    between the same pair with different products become one edge whose
    `weight`, `volume` and `value` are summed, whose `product` lists both
    (`;`-joined) and whose `count` is 2; `G.graph` also keeps `links` (the link
    count) and `year` (the year the links were cut to).
    """
    name, w, _missing = resolve_weight(ds.links, weight)
    g = nx.DiGraph(weight=name, links=len(ds.links), year=ds.year)
    ent = ds.enterprises.drop(columns=[ROW])
    records = ent.to_dict("records")
    for rec in records:
        rec["outputs"] = [c for c in rec["outputs"].split(";") if c]
        rec["inputs"] = [c for c in rec["inputs"].split(";") if c]
    g.add_nodes_from((rec["id"], rec) for rec in records)
    g.add_nodes_from(
        (label, {"id": label, "name": label, "type": "external"})
        for label in external_nodes(ds.links)
    )
    links = ds.links.assign(weight=w)
    grouped = links.groupby(["source", "target"], sort=False).agg(
        product=("product", lambda s: ";".join(dict.fromkeys(p for p in s if p))),
        volume=("volume", lambda s: s.sum(min_count=1)),
        value=("value", lambda s: s.sum(min_count=1)),
        weight=("weight", "sum"),
        count=("weight", "size"),
    )
    g.add_edges_from(
        (s, t, attrs)
        for (s, t), attrs in zip(grouped.index, grouped.to_dict("records"), strict=True)
    )
    return g
