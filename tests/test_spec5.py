"""The worked example (docs/methods.md, "The example used throughout"): every number
below was derived by hand.

The fixture is tests/fixtures/spec5 (the example's three CSVs, verbatim).
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from valuechain.analysis.coupling import chain_coupling
from valuechain.analysis.linkages import linkage_indices
from valuechain.analysis.products import missing_stages, product_status
from valuechain.analysis.suggest import suggest_links
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.cli import main
from valuechain.loading.dataset import load


@pytest.fixture
def ds(spec5):
    return load(spec5)


@pytest.fixture
def w(ds):
    name, weights, missing = resolve_weight(ds.links)
    assert (name, missing) == ("value", 0)  # every link has a value
    return weights


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def test_unlinked(ds):
    out = unlinked_producers(ds).set_index("id")
    assert list(out.index) == ["F3", "M1"]  # F1, F2 sell to P1
    assert out.loc["F3", "status"] == "external_only"
    assert out.loc["F3", "candidates"] == 1 and out.loc["F3", "nearest_candidate"] == "P1"
    # Δlat 0.15° = 16.68 km, Δlon 0.1°·cos 22.1° = 10.30 km → 19.604 km
    assert out.loc["F3", "nearest_km"] == pytest.approx(19.604, abs=5e-4)
    assert out.loc["M1", "status"] == "isolated"
    assert out.loc["M1", "candidates"] == 1
    assert out.loc["M1", "nearest_candidate"] == "" and _nan(out.loc["M1", "nearest_km"])


def test_flags(ds, w):
    out = enterprise_flags(ds, w).set_index("id")
    assert sorted(out.index) == ["F1", "F2", "F3", "P1", "S1"]  # M1, P2 have no link
    flags = {i: sorted(f) for i, f in out["flags"].items()}
    assert flags == {
        "F1": ["single_buyer"],
        "F2": ["external_dependent"],
        "F3": ["external_dependent", "single_buyer"],
        "P1": ["imports_inputs", "single_buyer"],
        "S1": ["external_dependent", "single_buyer"],
    }
    assert out.loc["F2", "local_out_share"] == pytest.approx(50 / 200)  # 0.25
    assert out.loc["F2", "buyers"] == 2
    # P1 buys log 100 (F1) + 50 (F2) locally and 120 from EXT:B: 150 / 270.
    assert out.loc["P1", "local_in_share"] == pytest.approx(150 / 270)


def test_products(ds, w):
    out = product_status(ds, w).set_index("product")
    assert out["status"].to_dict() == {
        "log": "weak_link",
        "board": "weak_link",
        "furniture": "unused",
        "ore": "missing_link",
        "ingot": "no_local_buyer",
    }
    assert out.loc["log", ["producers", "consumers", "local_links"]].tolist() == [3, 1, 2]
    assert out.loc["log", "local_share"] == pytest.approx(150 / 500)  # (100+50)/(100+50+150+200)
    assert out.loc["board", "local_share"] == pytest.approx(400 / 880)  # 400/(400+480)
    assert _nan(out.loc["ore", "local_share"])


def test_stages(ds):
    assert missing_stages(ds).values.tolist() == [["timber", "furniture", "board"]]


def test_coupling(ds, w):
    out = chain_coupling(ds, w).set_index("chain")
    t = out.loc["timber"]
    assert t["enterprises"] == 5
    assert t["completeness"] == pytest.approx(2 / 3)
    assert t["producer_coverage"] == pytest.approx(2 / 3)
    assert t["local_processing_rate"] == pytest.approx(150 / 500)
    assert t["local_sourcing_rate"] == pytest.approx(150 / 270)
    assert t["components"] == 2
    # 100 × (0.6667 + 0.6667 + 0.3 + 0.5556) / 4 = 54.72
    assert t["coupling_score"] == pytest.approx(100 * (2 / 3 + 2 / 3 + 0.3 + 150 / 270) / 4)
    assert round(t["coupling_score"], 2) == 54.72 and not t["weak"]
    m = out.loc["metal"]
    assert (m["enterprises"], m["completeness"], m["producer_coverage"]) == (2, 1.0, 0.0)
    assert _nan(m["local_processing_rate"]) and _nan(m["local_sourcing_rate"])
    assert m["components"] == 2
    assert m["coupling_score"] == pytest.approx(50.0) and not m["weak"]  # weak is < 50


def test_linkages(ds):
    out = linkage_indices(ds, by="type").set_index("sector")
    assert list(out.index) == ["farm", "forestry", "processor", "service"]  # mine: x = 0
    assert out["x"].tolist() == [300, 200, 400, 480]
    # Column sums of L: 1, 1, 1.375, 2.1458; total 5.5208.
    bl = [4 * s / 5.520833 for s in (1, 1, 1.375, 2.145833)]
    assert out["BL"].tolist() == pytest.approx(bl, abs=1e-4)
    assert out["BL"].round(4).tolist() == [0.7245, 0.7245, 0.9962, 1.5547]
    assert out["FL"].round(4).tolist() == [1.3333, 0.6667, 1.3333, 0.6667]
    assert out["class"].tolist() == ["forward", "weak", "forward", "backward"]


def test_suggest(ds, w):
    out = suggest_links(ds, w)
    assert out[["source", "target", "product"]].values.tolist() == [
        ["F3", "P1", "log"],
        ["M1", "P2", "ore"],
    ]
    assert out["km"][0] == pytest.approx(19.604, abs=5e-4) and _nan(out["km"][1])
    assert sorted(out["reason"][0]) == ["unlinked", "weak_link"]


def test_cli_json_and_csv(spec5):
    run = CliRunner().invoke
    gaps = json.loads(run(main, ["gaps", str(spec5), "--format", "json"]).stdout)
    assert gaps["weight"] == "value"
    assert {p["product"]: p["status"] for p in gaps["products"]}["ore"] == "missing_link"
    assert gaps["stages"] == [{"chain": "timber", "product": "furniture", "from": "board"}]
    assert {e["id"]: e["local_out_share"] for e in gaps["enterprises"]}["F2"] == 0.25

    result = run(main, ["unlinked", str(spec5), "--format", "csv"])
    assert result.exit_code == 0
    # csv is unrounded (the shortest text that reads back to the same float):
    # the km is the worked example's 19.604 (Δlat 16.68 km, Δlon 10.30 km) to all its digits.
    head, f3, m1, end = result.stdout.split("\n")
    assert head == "id,name,type,district,outputs,status,candidates,nearest_candidate,nearest_km"
    assert f3.startswith("F3,Forest 3,forestry,B,log,external_only,1,P1,")
    km = f3.rsplit(",", 1)[1]
    assert float(km) == pytest.approx(19.604, abs=5e-4) and len(km) > len("19.604")
    assert repr(float(km)) == km
    assert (m1, end) == ("M1,Mine 1,mine,B,ore,isolated,1,,", "")
    result = run(main, ["suggest", str(spec5), "--format", "csv"])
    lines = result.stdout.split("\n")
    # The five columns other tools read first; names, districts and the value now leaving after.
    assert lines[0] == (
        "source,target,product,km,reason,"
        "source_name,source_district,target_name,target_district,value"
    )
    f3 = lines[1].split(",")
    assert f3[:3] == ["F3", "P1", "log"] and f3[4] == "unlinked;weak_link"
    assert float(f3[3]) == pytest.approx(19.604, abs=5e-4)
    assert f3[5:] == ["Forest 3", "B", "Board mill", "A", "200"]  # F3 sells 200 of log outside
    assert lines[2:] == ["M1,P2,ore,,unlinked;missing_link,Mine 1,B,Smelter,B,", ""]
    coupling = json.loads(run(main, ["coupling", str(spec5), "--format", "json"]).stdout)
    rows = {r["chain"]: r for r in coupling["rows"]}
    # 100 × (2/3 + 2/3 + 0.3 + 150/270) / 4, unrounded
    assert rows["timber"]["coupling_score"] == pytest.approx(
        100 * (2 / 3 + 2 / 3 + 0.3 + 150 / 270) / 4, rel=1e-15
    )
    assert rows["timber"]["weak"] is False
    assert rows["metal"]["local_processing_rate"] is None
    linkages = run(main, ["linkages", str(spec5), "--format", "csv"]).stdout.splitlines()
    assert linkages[0] == "sector,x,BL,FL,class"
    # Service's L column sums 1 + 5/6 + 0.3125 = 103/48 of a total 265/48, so
    # BL = 4 · 103/265 = 412/265; G's row sums 2, 1, 2, 1 give FL = 4 · 1/6 = 2/3.
    sector, x, bl, fl, cls = linkages[4].split(",")
    assert (sector, x, cls) == ("service", "480", "backward")
    assert float(bl) == pytest.approx(412 / 265, rel=1e-12)
    assert float(fl) == pytest.approx(2 / 3, rel=1e-12)
