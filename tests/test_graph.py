"""The supply graph (docs/methods.md, "Words")."""

from __future__ import annotations

import pytest

from tests.conftest import write_dataset
from valuechain.analysis.graph import build_graph
from valuechain.loading.dataset import load


def test_spec5_graph(spec5):
    g = build_graph(load(spec5))
    # 7 enterprises + EXT:A, EXT:B, EXT; 7 links, all between distinct pairs.
    assert g.number_of_nodes() == 10 and g.number_of_edges() == 7
    assert g.graph["weight"] == "value"
    assert g.nodes["EXT:B"]["type"] == "external"
    assert g.nodes["P1"]["inputs"] == ["log"] and g.nodes["P1"]["district"] == "A"
    edge = g.edges["F2", "EXT:A"]
    assert (edge["product"], edge["volume"], edge["value"], edge["weight"]) == (
        "log",
        150,
        150,
        150,
    )


def test_weight_rule_and_parallel_products(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,colour\nA,a,farm,red\nB,b,processor,blue\n",
        links="source,target,product,volume,value\nA,B,x,2,\nA,B,y,3,4\n",
    )
    g = build_graph(load(folder))
    # A value is missing → auto weighs by volume; x and y between A and B become one
    # edge of volume 2 + 3 = 5.
    assert g.graph["weight"] == "volume"
    edge = g.edges["A", "B"]
    assert edge["product"] == "x;y" and edge["weight"] == 5 and edge["count"] == 2
    assert edge["value"] == 4
    assert g.nodes["A"]["colour"] == "red"  # unknown columns are attributes
    g_links = build_graph(load(folder), weight="links")
    assert g_links.edges["A", "B"]["weight"] == 2


def test_unknown_weight_is_refused(spec5):
    with pytest.raises(ValueError):
        build_graph(load(spec5), weight="tonnes")
