"""The map's data and the report's HTML, without a browser (see test_browser.py for that)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.analysis.slices import Slice
from valuechain.cli import main
from valuechain.loading.dataset import load
from valuechain.output.map.data import MapOptions, map_payload
from valuechain.output.map.page import render_map
from valuechain.output.palette import GAP_COLOUR
from valuechain.output.report.page import ReportOptions, render_report

XSS = "<img src=x onerror=alert(1)>"


def _external_refs(html: str) -> list[str]:
    """Tags that would load something (script/link/img/iframe with src or href), and
    CSS url()s not inlined as data: (the browser tests count real requests too)."""
    tags = re.findall(
        r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*\b(?:src|href)=", html
    )
    urls = [
        u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", html) if not u.startswith(("data:", "#"))
    ]
    return tags + urls


def test_map_nodes_edges_and_gaps(spec5):
    payload = map_payload(load(spec5), MapOptions(lang="en"))
    ids = [n["id"] for n in payload["nodes"]]
    # 7 enterprises + the outside parties named in links.csv: EXT:A, EXT:B, EXT.
    assert sorted(ids) == sorted(
        ["F1", "F2", "F3", "M1", "P1", "P2", "S1", "EXT", "EXT:A", "EXT:B"]
    )
    unlinked = {n["id"] for n in payload["nodes"] if n["unlinked"]}
    assert unlinked == {"F3", "M1"}
    assert all(n["color"]["border"] == GAP_COLOUR for n in payload["nodes"] if n["unlinked"])
    kinds = sorted((e["from"], e["to"], e["kind"]) for e in payload["edges"])
    assert ("F3", "P1", "suggestion") in kinds and ("M1", "P2", "suggestion") in kinds
    assert ("F2", "EXT:A", "external") in kinds and ("F1", "P1", "local") in kinds
    assert len([k for k in kinds if k[2] != "suggestion"]) == 7  # one edge per link pair
    # 6 of 7 enterprises have coordinates (86% ≥ 80%; M1 has none): the default is geo.
    assert payload["layout"] == "geo"
    assert map_payload(load(spec5), MapOptions(layout="force"))["layout"] == "force"
    assert payload["summary"]["unlinked"] == 2 and payload["summary"]["weak_chains"] == []


def test_geo_layout_keeps_north_up(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,lat,lon\nN,north,farm,22.5,105\nS,south,farm,21.5,105\n",
        links="source,target\n",
    )
    nodes = {n["id"]: n for n in map_payload(load(folder), MapOptions())["nodes"]}
    assert nodes["N"]["y"] < nodes["S"]["y"]  # screen y grows downward


def test_map_slice_by_chain(spec5):
    payload = map_payload(load(spec5), MapOptions(slice=Slice(chain="metal")))
    assert sorted(n["id"] for n in payload["nodes"]) == ["M1", "P2"]


def test_a_slices_header_writes_its_counts_as_numbers_are_written(tmp_path):
    """2,600 enterprises, 1,300 of them unlinked farms in district A: the header
    says "1.300 … 2.600" in Vietnamese and "1,300 … 2,600" in English, as every
    other figure on the page is written."""
    rows = ["id,name,type,district,lat,lon,outputs,inputs"]
    for i in range(2600):
        district = "A" if i % 2 else "B"
        rows.append(f"E{i},Farm {i},farm,{district},22.{i % 90:02d},105.{i % 70:02d},log,")
    links = "source,target\n"
    folder = write_dataset(tmp_path / "big", enterprises="\n".join(rows) + "\n", links=links)
    ds = load(folder)
    options = {"slice": Slice(district="A"), "aggregate": "none"}
    vi = html.unescape(render_map(ds, MapOptions(lang="vi", **options)))
    en = html.unescape(render_map(ds, MapOptions(lang="en", **options)))
    assert "Phần đang xem: 1.300 trong tổng số 2.600 doanh nghiệp" in vi
    assert "1.300 cơ sở sản xuất chưa liên kết" in vi
    assert "This slice: 1,300 of the region's 2,600 enterprises" in en
    assert "1,300 unlinked producers" in en


def test_map_html_is_offline_and_escapes_names(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises=f"id,name,type,outputs\nX1,{XSS},farm,log\n",
        links="source,target,product,value\nX1,EXT,log,1\n",
    )
    html = render_map(load(folder), MapOptions(lang="en"))
    assert _external_refs(html) == []
    assert "Content-Security-Policy" in html
    assert XSS not in html  # JSON in the page spells < as \u003c


def test_report_html(tmp_path, spec5):
    html, pngs = render_report(load(spec5), ReportOptions(lang="en", charts_dir=str(tmp_path)))
    assert _external_refs(html) == []
    assert html.count("<figure data-chart=") == 3  # coupling, flows, key sectors
    assert sorted(pngs) == ["coupling", "flows", "key_sectors"]
    assert all(data.startswith(b"\x89PNG") for data in pngs.values())
    for heading in (
        "Producers with no local buyer",
        "Missing processing stages",
        "Suggested links",
        "Enterprise flags",
        "Load report",
    ):
        assert heading in html


def test_report_escapes_data(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises=f"id,name,type,outputs,inputs\nX1,{XSS},farm,log,\nP,p,processor,,log\n",
        links="source,target,product,value\nX1,EXT,log,1\n",
        products=f"code,name,chain,stage\nlog,Log,{XSS},1\n",
    )
    html, _ = render_report(load(folder), ReportOptions(lang="en"))
    assert XSS not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_map_and_report_commands_write_where_asked(tmp_path, spec5):
    out = tmp_path / "deep" / "m.html"
    result = CliRunner().invoke(main, ["map", str(spec5), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout.strip() == str(out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    rep = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(spec5), "-o", str(rep)])
    assert result.exit_code == 0 and rep.exists()
    assert not list(Path(tmp_path).rglob("*.tmp"))  # atomic writes leave nothing behind


def test_unwritable_output_exits_1(tmp_path, spec5):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        main, ["--lang", "en", "map", str(spec5), "-o", str(blocker / "m.html")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write")


def test_aggregated_map_groups_by_chain_and_stage(spec5):
    payload = map_payload(load(spec5), MapOptions(threshold=3, lang="en"))
    assert payload["aggregated"] and payload["filters"] == ["chain"]
    counts = {n["id"]: n["info"].get("enterprises") for n in payload["nodes"]}
    # F1, F2, F3 sell log (timber, stage 1); P1 and S1 board (timber 2); M1 ore
    # (metal 1); P2 ingot (metal 2); outside parties are one node.
    assert counts == {"timber·1": 3, "timber·2": 2, "metal·1": 1, "metal·2": 1, "EXT": None}
    flows = {(e["from"], e["to"]): e["info"]["weight"] for e in payload["edges"]}
    # timber·1 → timber·2: F1→P1 100 + F2→P1 50; timber·1 → outside: 150 + 200.
    assert flows[("timber·1", "timber·2")] == 150 and flows[("timber·1", "EXT")] == 350
    assert flows[("EXT", "timber·2")] == 120 and flows[("timber·2", "EXT")] == 480


def test_aggregated_groups_are_labelled_by_chain_name(tmp_path, spec5):
    """A group's label names its chain as the legend does (the dataset's chains
    table), in the reader's language; its id and filter key stay the code."""
    import shutil

    folder = tmp_path / "named"
    shutil.copytree(spec5, folder)
    (folder / "chains.csv").write_text(
        "code,name,name_en\ntimber,Lâm sản gỗ,Wood\nmetal,Kim loại,Metals\n", "utf-8"
    )
    with (folder / "enterprises.csv").open("a", encoding="utf-8") as f:
        f.write("Q1,Quiet one,service,A,22.0,105.8,,,\n")  # lists no product
    drawn, tooltip, headings = {}, {}, {}
    for lang in ("vi", "en"):
        payload = map_payload(load(folder), MapOptions(threshold=3, lang=lang))
        drawn[lang] = {n["id"]: n["label"].split("\n")[0] for n in payload["nodes"]}
        tooltip[lang] = {n["id"]: n["info"]["name"] for n in payload["nodes"]}
        headings[lang] = payload["headings"]
        chains = {n["id"]: n["chains"] for n in payload["nodes"]}
        assert chains["timber·1"] == ["timber"] and chains["metal·2"] == ["metal"]
    # Drawn: the chain's name (its stage is the column's heading); Q1 lists no
    # product, so it has no chain and no stage (0: buyers only).
    assert drawn["vi"] == {
        "metal·1": "Kim loại",
        "metal·2": "Kim loại",
        "timber·1": "Lâm sản gỗ",
        "timber·2": "Lâm sản gỗ",
        "none·0": "không sản phẩm",
        "EXT": "bên ngoài tỉnh",
    }
    assert drawn["en"]["timber·2"] == "Wood" and drawn["en"]["none·0"] == "no product"
    # The tooltip names the stage too: 1 is sơ cấp / raw, 2 sơ chế / first processing.
    assert tooltip["vi"]["timber·1"] == "Lâm sản gỗ · sơ cấp"
    assert tooltip["vi"]["metal·2"] == "Kim loại · sơ chế"
    assert tooltip["en"]["metal·1"] == "Metals · raw"
    assert tooltip["en"]["none·0"] == "no product · buyers only"
    # Rows by chain code: metal y 0, none y 110, timber y 220; columns 320 apart.
    # Each heading stands over its column's top group: stage 0 holds only none.
    assert headings["vi"] == [
        {"x": 0.0, "y": 110.0, "label": "chỉ mua"},
        {"x": 320.0, "y": 0.0, "label": "sơ cấp"},
        {"x": 640.0, "y": 0.0, "label": "sơ chế"},
    ]


def test_aggregated_map_by_district(spec5):
    payload = map_payload(load(spec5), MapOptions(threshold=3, aggregate="district"))
    ids = sorted(n["id"] for n in payload["nodes"])
    assert ids == [
        "A·farm",
        "A·processor",
        "A·service",
        "B·forestry",
        "B·mine",
        "B·processor",
        "EXT",
    ]
    assert payload["filters"] == ["district", "type"]


def test_the_chain_layout_runs_left_to_right(spec5):
    # Columns: EXT:B only sells (left of everything), the farms and forest F1–F3
    # and the mine M1 raw producers, P1 makes board (stage 2) and P2 ingot,
    # S1 a service, EXT and EXT:A buy (right). Every link then runs left to right.
    payload = map_payload(load(spec5), MapOptions(layout="chain", suggestions=0))
    x = {n["id"]: n["x"] for n in payload["nodes"]}
    assert x["EXT:B"] < x["F1"] == x["F2"] == x["F3"] == x["M1"] < x["P1"] < x["S1"] < x["EXT:A"]
    edges = [e for e in payload["edges"] if e["kind"] in ("local", "external")]
    assert edges and all(x[e["from"]] < x[e["to"]] for e in edges)


def test_a_chains_map_is_drawn_as_a_chain_and_the_region_by_geography():
    ds = load()
    assert map_payload(ds, MapOptions(slice=Slice(chain="timber")))["layout"] == "chain"
    assert map_payload(ds, MapOptions())["layout"] == "geo"
    timber = map_payload(ds, MapOptions(slice=Slice(chain="timber"), suggestions=0))
    x = {n["id"]: n["x"] for n in timber["nodes"]}
    local = [e for e in timber["edges"] if e["kind"] == "local"]
    backwards = [e for e in local if x[e["from"]] >= x[e["to"]]]
    assert len(backwards) <= len(local) // 20  # a sample trader may sell back to a mill


def test_a_single_chain_without_districts_is_split_into_trading_groups(tmp_path):
    # 25 separate trading groups: in each, 20 farms sell maize (value 10 each) to
    # one feed mill. Chain × stage gives 2 groups (feed·1: 500 farms, feed·2: 25
    # mills) and there are no districts, so the map splits by Louvain communities:
    # 25 disconnected stars are 25 communities. Kept: the 20 largest parts and any
    # of ≥ 1 % of 525 enterprises (5.25) — the 25 farm parts of 20 each; the mills'
    # parts (1 each) rejoin feed·2. Nodes: 25 farm groups + feed·2 = 26.
    ent = ["id,name,type,outputs,inputs"]
    links = ["source,target,product,value"]
    for g in range(25):
        ent.append(f"P{g},Mill {g},processor,feed,maize")
        for i in range(20):
            ent.append(f"F{g}_{i},Farm {g} {i},farm,maize,")
            links.append(f"F{g}_{i},P{g},maize,10")
    folder = write_dataset(
        tmp_path / "d",
        enterprises="\n".join(ent) + "\n",
        links="\n".join(links) + "\n",
        products="code,name,chain,stage,made_from\nmaize,Maize,feed,1,\nfeed,Feed,feed,2,maize\n",
    )
    payload = map_payload(load(folder), MapOptions(threshold=100, lang="en"))
    counts = {n["id"]: n["info"]["enterprises"] for n in payload["nodes"]}
    farms = {k: v for k, v in counts.items() if k.startswith("feed·1·")}
    assert len(counts) == 26 and len(farms) == 25 and set(farms.values()) == {20}
    assert counts["feed·2"] == 25
    flows = {(e["from"], e["to"]): e["info"]["weight"] for e in payload["edges"]}
    # each farm group sells only to the mills: 20 farms × 10 = 200
    assert {t for _, t in flows} == {"feed·2"} and set(flows.values()) == {200}


def test_a_tall_stage_is_folded_into_a_block_left_of_the_next():
    from valuechain.output.map.layout import chain_positions

    sizes = {0: 300, 1: 10, 4: 100}
    ids = [f"{c}-{k:03d}" for c, n in sizes.items() for k in range(n)]
    columns = pd.Series([int(i.split("-")[0]) for i in ids], index=ids)
    xy = chain_positions(
        columns, pd.Series("", index=ids), pd.DataFrame(columns=["source", "target"])
    )
    assert len(set(xy.values())) == len(ids)  # no two nodes on the same spot
    xs = {c: [xy[i][0] for i in ids if columns[i] == c] for c in sizes}
    assert max(xs[0]) < min(xs[1]) and max(xs[1]) < min(xs[4])  # stages still left to right
    x, y = zip(*xy.values(), strict=True)
    width, height = max(x) - min(x), max(y) - min(y)
    assert 1.0 <= width / height <= 3.0  # not a thin column 300 nodes tall


def test_every_node_and_edge_keeps_the_pages_contract(spec5):
    # The page reads the fields `items.Node` / `items.Edge` declare: every node
    # and edge of every kind of map (enterprises and outside parties; groups;
    # suggestions; links gained and lost since a year) has each required field
    # and no field outside the contract.
    from valuechain.output.map.items import Edge, Node

    ds = load(spec5)
    payloads = [
        map_payload(ds, MapOptions(lang="en", suggestions=5)),
        map_payload(ds, MapOptions(threshold=3, lang="en")),
        map_payload(ds, MapOptions(threshold=3, aggregate="district")),
        map_payload(load(), MapOptions(compare_year=2021)),
    ]
    kinds = set()
    for payload in payloads:
        for n in payload["nodes"]:
            assert Node.__required_keys__ <= set(n) <= Node.__required_keys__ | {"scenario"}, n
        for e in payload["edges"]:
            kinds.add(e["kind"])
            assert Edge.__required_keys__ <= set(e), e
            assert set(e) <= Edge.__required_keys__ | Edge.__optional_keys__, e
    assert kinds == {"local", "external", "suggestion", "lost"}


def test_spread_pushes_overlapping_nodes_apart_symmetrically():
    from valuechain.output.map.layout import spread

    # Two nodes of radius 10, 10 px apart, want 10 + 10 + gap 6 = 26 apart: the
    # overlap (16) is shared, each moves 0.5 × 16 / 2 = 4 px the first round,
    # then the overlap halves every round (8, 4, …), so they end 26 apart about
    # their midpoint, x = 5: at −8 and 18; y does not move.
    x, y = spread(np.array([0.0, 10.0]), np.array([3.0, 3.0]), np.array([10.0, 10.0]))
    assert x == pytest.approx([-8.0, 18.0], abs=1e-6)
    assert y.tolist() == [3.0, 3.0]
    # Identical positions are nudged apart (in a random but seeded direction)
    # to the same 26 px; nodes already far apart stay where they are.
    x, y = spread(np.array([0.0, 0.0, 500.0]), np.array([0.0, 0.0, 0.0]), np.full(3, 10.0))
    assert np.hypot(x[1] - x[0], y[1] - y[0]) == pytest.approx(26.0, abs=1e-6)
    assert (x[2], y[2]) == (500.0, 0.0)
