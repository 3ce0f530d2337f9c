"""The map and report in a real headless Chromium: offline, no errors, the right
nodes, tooltips with the right (escaped) text, filters that hide what they should.

Locally these skip when /usr/bin/chromium is absent; in CI (CI=true) a missing
browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import write_dataset
from valuechain.analysis.slices import Slice
from valuechain.loading.dataset import load
from valuechain.output.map.data import MapOptions
from valuechain.output.map.page import write_map
from valuechain.output.report.page import ReportOptions, write_report

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
XSS = "<img src=x onerror=window.__pwned=1>"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    in_ci = os.environ.get("CI", "").lower() == "true"
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if in_ci:
            pytest.fail("CI=true but Chromium is not installed at /usr/bin/chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            pytest.fail("CI=true but playwright is not installed")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Page:
    """A page opened from disk, recording every request that is not the file itself
    and every page error."""

    def __init__(self, browser, path: Path, size=(1400, 900)):
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready]", timeout=20000)

    def drawn(self) -> list[str]:
        """The node ids vis-network draws now (not a view's ids, which re-apply a
        filter when asked)."""
        return sorted(self.page.evaluate("window.valuechainMap.network.body.nodeIndices"))

    def expect_drawing(self) -> None:
        """Arm a wait for vis-network's next drawing; `drawing_done` then waits for
        it (events, not a timed pause: a drawing that never comes fails)."""
        self.page.evaluate(
            "() => { window.__vcDrawn = new Promise(done =>"
            " window.valuechainMap.network.once('afterDrawing', () => done(true))); }"
        )

    def drawing_done(self) -> None:
        # Ten seconds only bounds a failure: a drawing that never comes is False.
        drawn = self.page.evaluate(
            "() => Promise.race([window.__vcDrawn,"
            " new Promise(never => setTimeout(() => never(false), 10000))])"
        )
        assert drawn is True, "vis-network did not draw again"

    def drawn_edges(self) -> list[str]:
        return sorted(self.page.evaluate("window.valuechainMap.network.body.edgeIndices"))

    @property
    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def node_point(self, node_id: str) -> dict:
        """Where a node is drawn on the page."""
        return self.page.evaluate(
            """(id) => { const m = window.valuechainMap; const p = m.network.getPosition(id);
                         const d = m.network.canvasToDOM(p);
                         const r = document.getElementById('network').getBoundingClientRect();
                         return {x: r.left + d.x, y: r.top + d.y}; }""",
            node_id,
        )

    def hover_node(self, node_id: str) -> str:
        """Move the mouse over a node and return the tooltip's text."""
        box = self.node_point(node_id)
        self.page.mouse.move(box["x"] + 40, box["y"] + 40)
        self.page.mouse.move(box["x"], box["y"], steps=4)
        tip = self.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
        return tip.inner_text()


def test_sample_map_loads_offline_with_every_node(browser, tmp_path):
    ds = load()
    path = write_map(ds, tmp_path / "map.html", MapOptions(lang="vi"))
    page = Page(browser, path)
    assert page.outside_requests == [] and page.errors == []
    ids = set(page.page.evaluate("window.valuechainMap.nodes.getIds()"))
    ext = set(ds.links.loc[ds.links["source_ext"], "source"]) | set(
        ds.links.loc[ds.links["target_ext"], "target"]
    )
    assert ids == set(ds.enterprises["id"]) | ext
    page.page.screenshot(path=str(tmp_path / "map.png"))


def test_chain_layout_headings_are_inside_the_first_view(browser, tmp_path):
    # The stage names stand above their columns at a constant size on screen:
    # the first view must hold them whole ("…xuất nguyên liệu" was cut at the
    # left edge of the timber chain's map, seen in a screenshot).
    path = write_map(
        load(),
        tmp_path / "map.html",
        MapOptions(lang="vi", layout="chain", slice=Slice(chain="timber")),
    )
    page = Page(browser, path)
    boxes = page.page.evaluate(
        """() => { const m = window.valuechainMap;
             const data = JSON.parse(document.getElementById('vc-data').textContent);
             const ctx = document.createElement('canvas').getContext('2d');
             ctx.font = 'bold 14px sans-serif';
             const c = m.network.body.container.getBoundingClientRect();
             return { width: c.width, heads: data.headings.map(h => {
               const p = m.network.canvasToDOM({ x: h.x, y: h.y });
               const half = ctx.measureText(h.label).width / 2;
               return { label: h.label, left: p.x - half, right: p.x + half }; }) }; }"""
    )
    assert [h["label"] for h in boxes["heads"]][0] == "Sản xuất nguyên liệu"
    for head in boxes["heads"]:
        assert head["left"] >= 0 and head["right"] <= boxes["width"], head


def test_fixture_map_tooltips_and_filters(browser, tmp_path, spec5):
    path = write_map(load(spec5), tmp_path / "map.html", MapOptions(lang="en"))
    page = Page(browser, path)
    assert page.outside_requests == [] and page.errors == []
    ids = sorted(page.page.evaluate("window.valuechainMap.nodes.getIds()"))
    assert ids == ["EXT", "EXT:A", "EXT:B", "F1", "F2", "F3", "M1", "P1", "P2", "S1"]
    text = page.hover_node("F3")
    assert "Forest 3" in text and "forestry" in text and "external only" in text
    assert "external dependent" in text
    # Filter by chain: only the metal chain's enterprises remain, no outside party.
    page.page.select_option("#f-chain", "metal")
    assert page.drawn() == ["M1", "P2"]
    page.page.select_option("#f-chain", "")
    page.page.uncheck("#t-external")
    visible = page.drawn()
    assert not [i for i in visible if i.startswith("EXT")] and len(visible) == 7

    def suggested() -> list[str]:
        return page.page.evaluate(
            "(m => m.network.body.edgeIndices.map(i => m.edges.get(i))"
            ".filter(e => e.kind === 'suggestion').map(e => e.from + '>' + e.to))"
            "(window.valuechainMap)"
        )

    # By default exactly the priorities' connect rows (§5): 1. F3 → P1 (200 of
    # log leaving, P1 a new buyer), 2. F2 → P1 (150, an existing buyer), 3. M1 →
    # P2 (isolated). No other suggestion is left for the toggle to add.
    assert sorted(suggested()) == ["F2>P1", "F3>P1", "M1>P2"]
    page.page.check("#t-suggest")
    assert sorted(suggested()) == ["F2>P1", "F3>P1", "M1>P2"]
    page.page.uncheck("#t-suggest")
    # Search selects the matching node.
    page.page.fill("#search", "smelter")
    assert page.page.inner_text("#found") == "1 found"
    assert page.page.evaluate("window.valuechainMap.network.getSelectedNodes()") == ["P2"]


def test_html_in_a_name_is_shown_as_text(browser, tmp_path):
    folder = write_dataset(
        tmp_path / "d",
        enterprises=f"id,name,type,outputs,ghi_chu\nX1,{XSS},farm,log,{XSS}\n",
        links="source,target,product,value\nX1,EXT,log,1\n",
    )
    path = write_map(load(folder), tmp_path / "map.html", MapOptions(lang="en"))
    page = Page(browser, path)
    text = page.hover_node("X1")
    assert XSS in text  # shown literally
    # The planner's own column is in the tooltip, under its own header, as text;
    # the product by its name, no code beside it.
    assert f"ghi_chu\t{XSS}" in text and "Plantation logs" in text and "(log)" not in text
    assert page.page.evaluate("window.__pwned") is None
    assert page.page.evaluate("document.querySelectorAll('div.vis-tooltip img').length") == 0
    assert page.dialogs == [] and page.errors == [] and page.outside_requests == []


def test_maps_of_awkward_datasets_open(browser, tmp_path):
    cases = {
        "no_links": ("id,name,type,lat,lon\nA,a,farm,22,105\n", "source,target\n"),
        "no_coordinates": (
            "id,name,type,outputs\nA,a,farm,log\nB,b,processor,\n",
            "source,target,product\nA,B,log\nA,EXT,log\n",
        ),
        "one_enterprise": ("id,name,type\nA,a,farm\n", "source,target\n"),
    }
    thousand = ["id,name,type,lat,lon,outputs,inputs"]
    links = ["source,target,product,value"]
    for i in range(1000):
        kind = ["forestry", "processor", "service", "farm"][i % 4]
        thousand.append(
            f"E{i},Enterprise {i},{kind},{21.5 + (i % 37) / 40},{105.3 + (i % 29) / 30},log,log"
        )
        if i % 3:
            links.append(f"E{i},E{(i * 7 + 3) % 1000},log,{i % 17 + 1}")
    cases["thousand"] = ("\n".join(thousand) + "\n", "\n".join(links) + "\n")
    for name, (ent, lnk) in cases.items():
        folder = write_dataset(tmp_path / name, enterprises=ent, links=lnk)
        path = write_map(load(folder), tmp_path / f"{name}.html", MapOptions(lang="en"))
        page = Page(browser, path)
        assert page.errors == [] and page.outside_requests == [], name
        n = page.page.evaluate("window.valuechainMap.nodes.length")
        assert n >= 1, name
        page.page.close()


def test_aggregated_map_of_a_large_dataset_opens(browser, tmp_path):
    from valuechain.synthetic import GenerateOptions, generate, write_dataset

    folder = write_dataset(*generate(GenerateOptions(enterprises=3000, seed=3)), tmp_path / "g")
    for mode in ("chain", "district"):
        path = write_map(
            load(folder),
            tmp_path / f"{mode}.html",
            MapOptions(lang="en", aggregate=mode, threshold=1000),
        )
        page = Page(browser, path)
        assert page.errors == [] and page.outside_requests == [], mode
        assert page.page.evaluate("window.valuechainMap.nodes.length") < 200
        assert "Aggregated by" in page.page.inner_text("#summary")
        page.page.close()


def test_aggregated_groups_are_named_as_the_legend_names_their_chains(browser, tmp_path):
    ds = load()
    path = write_map(ds, tmp_path / "groups.html", MapOptions(threshold=100, lang="vi"))
    page = Page(browser, path)
    assert page.errors == []
    # The labels map.js wrote on the canvas (those wholly in view and clear of
    # others), each by its node's text.
    drawn = page.page.evaluate(
        "(m => Object.fromEntries(m.labels().map(b =>"
        " [b.id, m.nodes.get(b.id).text.split('\\n')[0]])))(window.valuechainMap)"
    )
    # The sample's chains table names arrowroot "Dong riềng" and lead_zinc "Chì –
    # kẽm"; its four enterprises listing no product are buyers only. The drawn
    # label names the chain; its column's heading names the stage.
    assert drawn["arrowroot·1"] == drawn["arrowroot·2"] == "Dong riềng"
    assert drawn["lead_zinc·3"] == "Chì – kẽm"
    assert drawn["none·0"] == "không sản phẩm"
    codes = set(ds.chain_names()["code"])
    assert not [label for label in drawn.values() if label in codes]
    # Stage 1 is "sơ cấp": the tooltip says it with the chain's name.
    assert "Dong riềng · sơ cấp" in page.hover_node("arrowroot·1")
    page.page.close()


def test_report_loads_offline_with_charts(browser, tmp_path):
    path, _ = write_report(load(), tmp_path / "report.html", ReportOptions(lang="en"))
    page = Page(browser, path, size=(1100, 900))
    assert page.outside_requests == [] and page.errors == []
    charts = page.page.evaluate(
        "[...document.querySelectorAll('figure[data-chart]')].map(f => f.dataset.chart)"
    )
    # The sample has two survey rounds and clusters: Progress and clusters
    # sections; and four weak chains, each with its value chart.
    assert charts == [
        "coupling", "flows", "value_cinnamon", "value_citrus", "value_iron", "value_timber",
        "progress", "clusters", "key_sectors",
    ]  # fmt: skip
    assert "Progress over the years" in page.page.inner_text("body")
    heights = page.page.evaluate(
        "[...document.querySelectorAll('figure svg')].map(s => s.getBoundingClientRect().height)"
    )
    assert all(h > 100 for h in heights)  # drawn, not empty


def _node_boxes_outside(page, box: dict) -> list[str]:
    """The drawn nodes whose centre, on the page, falls inside `box`."""
    return page.page.evaluate(
        """(box) => { const m = window.valuechainMap, net = m.network;
          const r = document.getElementById('network').getBoundingClientRect();
          return net.body.nodeIndices.filter(id => {
            const p = net.canvasToDOM(net.getPosition(id));
            const x = r.left + p.x, y = r.top + p.y;
            return x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
          }); }""",
        box,
    )


def test_no_node_under_the_panel_and_the_panel_folds(browser, tmp_path):
    path = write_map(load(), tmp_path / "map.html", MapOptions(lang="vi"))
    page = Page(browser, path)
    panel = page.page.locator("#panel").bounding_box()
    assert _node_boxes_outside(page, panel) == []
    network = page.page.locator("#network").bounding_box()
    assert network["x"] >= panel["x"] + panel["width"]  # drawn beside it
    page.page.click("#fold")
    folded = page.page.locator("#network").bounding_box()
    assert folded["x"] == 0 and folded["width"] > network["width"]
    assert page.page.locator("#search").is_hidden()
    small = page.page.locator("#panel").bounding_box()
    assert _node_boxes_outside(page, small) == []  # refitted to the new width
    page.page.click("#fold")
    assert page.page.locator("#search").is_visible()
    page.page.close()


def test_print_keeps_title_source_and_legend(browser, tmp_path):
    path = write_map(load(), tmp_path / "map.html", MapOptions(lang="en"))
    page = Page(browser, path)
    page.expect_drawing()
    page.page.emulate_media(media="print")
    page.drawing_done()  # drawn again to the printed page's size
    for shown in ("#title", "#source", "#legend-edges", "#legend-chains", "#f-types"):
        assert page.page.locator(shown).is_visible(), shown
    for hidden in ("#search", "#reset", "#fold", "#f-chain"):
        assert page.page.locator(hidden).is_hidden(), hidden
    assert "Data: " in page.page.inner_text("#source")
    # the map itself keeps its room on the page and is drawn again to it
    assert page.page.locator("#network").bounding_box()["height"] > 500
    assert len(page.drawn()) > 200
    page.page.close()


def test_the_view_saves_as_a_png(browser, tmp_path):
    path = write_map(load(), tmp_path / "map.html", MapOptions(lang="en"))
    page = Page(browser, path)
    page.page.select_option("#f-district", "Na Rì")  # the view as the planner left it
    with page.page.expect_download() as info:
        page.page.click("#save-png")
    saved = tmp_path / "view.png"
    info.value.save_as(saved)
    data = saved.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    box = page.page.locator("#network canvas").bounding_box()
    assert width >= box["width"] and height >= box["height"] + 40  # the map and its title
    assert page.outside_requests == [] and page.errors == []
    page.page.close()


def test_search_ignores_case_and_diacritics(browser, tmp_path):
    path = write_map(load(), tmp_path / "map.html", MapOptions(lang="vi"))
    page = Page(browser, path)
    page.page.fill("#search", "tuyen quang chi kem cho don")  # typed without marks
    selected = page.page.evaluate("window.valuechainMap.network.getSelectedNodes()")
    assert selected == ["CB-TUYEN-CD"]  # Xưởng tuyển quặng chì kẽm Chợ Đồn
    page.page.fill("#search", "XƯỞNG TUYỂN QUẶNG")
    assert page.page.evaluate("window.valuechainMap.network.getSelectedNodes()") == ["CB-TUYEN-CD"]
    page.page.close()


def test_the_report_leads_with_what_to_do(browser, tmp_path, spec5):
    path, _ = write_report(load(spec5), tmp_path / "report.html", ReportOptions(lang="en"))
    page = Page(browser, path, size=(1100, 900))
    headings = page.page.evaluate("[...document.querySelectorAll('h2')].map(h => h.innerText)")
    assert headings[:3] == ["Priorities", "Firms to protect", "By district"]
    first = page.page.evaluate(
        "[...document.querySelector('table').querySelectorAll('tbody tr')]"
        ".map(r => [...r.cells].map(c => c.innerText))"
    )
    # The worked example's connect list: F3 (200 leaving, P1 19.6 km away, a new
    # buyer), F2 (150, P1 already buys from it), M1 (isolated, nothing measured).
    assert [r[1] for r in first] == ["Forest 3", "Farm 2", "Mine 1"]
    assert first[0][4:] == ["Board mill", "A", "19.6", "200", "new buyer"]
    assert first[1][-1] == "existing buyer"
    page.page.close()


# --- the drawn map equals the filter state, whatever the order of actions --------


def _final_state_oracle(payload: dict, state: dict) -> set[str]:
    """The enterprises of the slice a planner asked for, from the page's own data:
    type ticked, district and chain matching (outside parties and faded partners
    are drawn beside them and are compared page against page)."""
    return {
        n["id"]
        for n in payload["nodes"]
        if n["group"] != "external"
        and not n.get("context")
        and n["group"] in state["types"]
        and (not state["district"] or n["district"] == state["district"])
        and (not state["chain"] or state["chain"] in n["chains"])
    }


def _random_actions(rng, payload: dict, n: int) -> list[tuple]:
    types = [t for t in payload["types"]]
    chains = [""] + [c["chain"] for c in payload["chains"]]
    districts = [""] + payload["districts"]
    kinds = ["type", "type", "chain", "district", "external", "suggest", "search", "reset"]
    actions = []
    for _ in range(n):
        kind = rng.choice(kinds)
        if kind == "type":
            actions.append(("type", rng.choice(types)))
        elif kind == "chain":
            actions.append(("chain", rng.choice(chains)))
        elif kind == "district":
            actions.append(("district", rng.choice(districts)))
        elif kind == "search":
            actions.append(("search", rng.choice(["", "a", "ch", "CB0", "zz"])))
        else:
            actions.append((kind, None))
    return actions


def _apply(page, action: tuple, state: dict, payload: dict) -> None:
    kind, value = action
    p = page.page
    if kind == "type":
        p.click(f"input[data-type={value}]")
        state["types"] ^= {value}
    elif kind == "chain":
        p.select_option("#f-chain", value)
        state["chain"] = value
    elif kind == "district":
        p.select_option("#f-district", value)
        state["district"] = value
    elif kind == "external":
        p.click("#t-external")
        state["external"] = not state["external"]
    elif kind == "suggest":
        p.click("#t-suggest")
        state["suggest"] = not state["suggest"]
    elif kind == "search":
        p.fill("#search", value)
    elif kind == "reset":
        p.click("#reset")
        state.update(
            chain="", district="", types=set(payload["types"]), external=True, suggest=False
        )


def _set_directly(page, state: dict, payload: dict) -> None:
    """A fresh page brought to `state` by the fewest actions."""
    p = page.page
    for ty in payload["types"]:
        if ty not in state["types"]:
            p.click(f"input[data-type={ty}]")
    if state["chain"]:
        p.select_option("#f-chain", state["chain"])
    if state["district"]:
        p.select_option("#f-district", state["district"])
    if not state["external"]:
        p.click("#t-external")
    if state["suggest"]:
        p.click("#t-suggest")


def _payload(page) -> dict:
    import json

    return json.loads(
        page.page.inner_text("#vc-data")
        or page.page.evaluate("document.getElementById('vc-data').textContent")
    )


@pytest.mark.parametrize("dataset", ["sample", "generated"])
def test_drawn_map_equals_the_filter_state_after_random_actions(browser, tmp_path, dataset):
    import json
    import random

    if dataset == "sample":
        ds = load()
    else:
        from valuechain.synthetic import GenerateOptions, generate, write_dataset

        dataset = generate(GenerateOptions(enterprises=1000, seed=5))
        folder = write_dataset(*dataset, tmp_path / "g")
        ds = load(folder)
    path = write_map(ds, tmp_path / "map.html", MapOptions(lang="vi"))
    first = Page(browser, path)
    payload = json.loads(first.page.evaluate("document.getElementById('vc-data').textContent"))
    assert not payload["aggregated"]
    all_drawn = first.drawn()
    rng = random.Random(20261202)
    first.page.close()
    for trial in range(6):
        page = Page(browser, path)
        # The first action after opening must already change what is drawn.
        page.page.click(f"input[data-type={payload['types'][0]}]")
        state = {
            "chain": "",
            "district": "",
            "types": set(payload["types"]) - {payload["types"][0]},
            "external": True,
            "suggest": False,
        }
        assert page.drawn() != all_drawn, "the first filter action changed nothing"
        for action in _random_actions(rng, payload, 8):
            _apply(page, action, state, payload)
            expected = _final_state_oracle(payload, state)
            # The slice's own enterprises are drawn in their colours; partners in
            # other districts, faded (as `map --district` draws them).
            drawn = page.page.evaluate(
                "(m => m.network.body.nodeIndices.map(id => [id,"
                " m.network.body.nodes[id].options.color.background]))(window.valuechainMap)"
            )
            context = {n["id"] for n in payload["nodes"] if n.get("context")}
            own = {i for i, colour in drawn if not i.startswith("EXT") and colour != "#EEEEEE"}
            faded = {i for i, colour in drawn if not i.startswith("EXT") and colour == "#EEEEEE"}
            assert own - context == expected, (trial, action)
            district_of = {n["id"]: n["district"] for n in payload["nodes"]}
            assert all(district_of[i] != state["district"] for i in faded - context), action
        fresh = Page(browser, path)
        _set_directly(fresh, state, payload)
        assert page.drawn() == fresh.drawn(), (trial, state)
        assert page.drawn_edges() == fresh.drawn_edges(), (trial, state)
        assert page.errors == [] and fresh.errors == []
        page.page.close()
        fresh.page.close()


def test_a_district_slice_draws_its_partners_faded(browser, tmp_path):
    """`--district` selects from the whole analysis; the enterprises elsewhere that
    trade with the district are drawn as faded context, with their links."""
    import json

    ds = load()
    path = write_map(
        ds, tmp_path / "d.html", MapOptions(lang="en", slice=Slice(district="cho don"))
    )
    page = Page(browser, path)
    in_district = set(ds.enterprises.loc[ds.enterprises["district"] == "Chợ Đồn", "id"])
    drawn = set(page.drawn())
    assert in_district <= drawn
    others = {i for i in drawn if not i.startswith("EXT")} - in_district
    links = ds.links[ds.links["local"]]
    partners = set(links.loc[links["source"].isin(in_district), "target"]) | set(
        links.loc[links["target"].isin(in_district), "source"]
    )
    payload = json.loads(page.page.evaluate("document.getElementById('vc-data').textContent"))
    suggested = {e["to"] for e in payload["edges"] if e["kind"] == "suggestion"}
    assert others and others <= partners | suggested
    assert "of the region's 203 enterprises" in page.page.inner_text("#summary")
    assert page.errors == []


def test_firms_to_protect_keep_their_colour_and_wear_a_halo(browser, tmp_path):
    # The toggle draws a dark halo; the node stays the colour of its type
    # (a processor blue), whether the halo is on, off or on again.
    path = write_map(load(), tmp_path / "m.html", MapOptions(lang="en"))
    page = Page(browser, path)
    look = """(() => { const o = window.valuechainMap.network.body.nodes['CB-TUYEN-CD'].options;
                       return [o.color.background, o.shadow.enabled]; })()"""
    assert page.page.evaluate(look) == ["#0072B2", True]
    page.page.click("#t-critical")
    assert page.page.evaluate(look) == ["#0072B2", False]
    page.page.click("#t-critical")
    assert page.page.evaluate(look) == ["#0072B2", True]
    assert page.errors == []


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for k, a in enumerate(boxes)
        for b in boxes[k + 1 :]
        if a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    ]


def test_labels_never_overlap_and_keep_their_size_when_zoomed(browser, tmp_path):
    path = write_map(load(), tmp_path / "map.html", MapOptions(lang="vi"))
    page = Page(browser, path)
    fitted = page.page.evaluate("window.valuechainMap.labels()")
    assert len(fitted) >= 20 and _overlaps(fitted) == []
    assert {round(b["h"]) for b in fitted} <= {16, 32}  # one or two lines of 16 px
    page.expect_drawing()
    page.page.evaluate(
        "(() => { const n = window.valuechainMap.network; n.moveTo({scale: n.getScale() * 3}); })()"
    )
    page.drawing_done()
    zoomed = page.page.evaluate("window.valuechainMap.labels()")
    assert zoomed and _overlaps(zoomed) == []
    assert {round(b["h"]) for b in zoomed} <= {16, 32}  # the same size on screen
    page.page.close()


def test_selecting_a_node_dims_all_but_its_partners(browser, tmp_path, spec5):
    path = write_map(load(spec5), tmp_path / "map.html", MapOptions(lang="en"))
    page = Page(browser, path)
    box = page.node_point("P1")
    page.expect_drawing()
    page.page.mouse.click(box["x"], box["y"])
    page.drawing_done()
    colours = page.page.evaluate(
        """Object.fromEntries(window.valuechainMap.network.body.nodeIndices.map(id =>
             [id, window.valuechainMap.network.body.nodes[id].options.color.background]))"""
    )
    # P1 buys logs from F1, F2 and EXT:B and sells board to S1; the suggested
    # link F3 → P1 is drawn by default: those stay coloured, the rest is dimmed.
    lit = {i for i, c in colours.items() if c != "#EFEFEF"}
    assert lit == {"P1", "F1", "F2", "EXT:B", "S1", "F3"}
    labelled = {b["id"] for b in page.page.evaluate("window.valuechainMap.labels()")}
    assert labelled <= lit
    page.expect_drawing()
    page.page.mouse.click(5 + page.page.locator("#network").bounding_box()["x"], 5 + 100)
    page.drawing_done()
    after = page.page.evaluate(
        "window.valuechainMap.network.body.nodeIndices.filter(id =>"
        " window.valuechainMap.network.body.nodes[id].options.color.background === '#EFEFEF')"
    )
    assert after == []  # deselected: nothing dimmed
    page.page.close()


WILLEMS_38 = Path(__file__).resolve().parent / "fixtures" / "willems" / "38.csv"


def test_willems_38_is_drawn_in_full_and_answers_a_hover(browser, tmp_path):
    from tests.test_willems import convert

    folder = tmp_path / "w38"
    stages, _ = convert(WILLEMS_38, folder)
    assert stages == 2025
    path = write_map(load(folder), tmp_path / "map.html", MapOptions(lang="en"))
    page = Page(browser, path)
    assert len(page.drawn()) == 2025 + 1  # every stage and the market
    assert page.errors == [] and page.outside_requests == []
    # (how fast it comes is not for a test on a shared machine to assert)
    tip = page.hover_node("Manuf_0039")
    assert "Manuf_0039" in tip
    page.page.close()


def test_district_outlines_are_drawn_under_the_map(browser, tmp_path):
    import json

    from valuechain.loading.boundaries import read_boundaries

    folder = write_dataset(
        tmp_path / "d",
        enterprises="id,name,type,outputs,inputs,lat,lon\n"
        "A,Farm,farm,maize,,22.0,105.5\nB,Mill,processor,feed,maize,22.4,105.9\n",
        links="source,target,product,value\nA,B,maize,10\n",
    )
    # A square inside the two enterprises' span (the map fits the enterprises);
    # the link A → B crosses its top edge only at the edge's right end.
    square = [[105.6, 22.3], [105.8, 22.3], [105.8, 22.1], [105.6, 22.1], [105.6, 22.3]]
    geo = tmp_path / "b.geojson"
    feature = {"type": "Polygon", "coordinates": [square]}
    geo.write_text(
        json.dumps({"type": "Feature", "properties": {"name": XSS}, "geometry": feature})
    )
    grey_on_top_edge = """() => {
        const m = window.valuechainMap, net = m.network;
        const canvas = document.querySelector('#network canvas');
        const g = canvas.getContext('2d'), ratio = canvas.width / canvas.clientWidth;
        const a = net.canvasToDOM({x: m.outline[0], y: m.outline[1]});
        const b = net.canvasToDOM({x: m.outline[2], y: m.outline[3]});
        let grey = 0;
        for (let k = 1; k < 30; k++) {
          const x = a.x + (b.x - a.x) * k / 40, y = a.y + (b.y - a.y) * k / 40;
          const p = g.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
          const flat = Math.abs(p[0] - p[1]) < 12 && Math.abs(p[1] - p[2]) < 12;
          if (p[3] > 0 && p[0] < 225 && flat) grey++;
        }
        return grey; }"""
    counts, ring = {}, []
    for with_outline in (True, False):
        options = MapOptions(
            lang="en", boundaries=tuple(read_boundaries(geo)) if with_outline else ()
        )
        path = write_map(load(folder), tmp_path / f"m{with_outline}.html", options)
        page = Page(browser, path)
        ring = ring or _first_ring(path)  # the same place on both pages
        page.page.evaluate(f"window.valuechainMap.outline = {json.dumps(ring)}")
        counts[with_outline] = page.page.evaluate(grey_on_top_edge)
        assert page.errors == [] and page.page.evaluate("window.__pwned") is None
        page.page.close()
    # the dashed outline covers most of its edge; without it the edge is blank
    assert counts[True] >= 12 and counts[False] == 0


def _first_ring(path: Path) -> list[float]:
    import json
    import re

    html = path.read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="vc-data">(.*?)</script>', html, re.S)
    return json.loads(data.group(1))["boundaries"][0]["rings"][0] if data else []


# --- a planner's afternoon --------------------------------------------------------


def _view(page: Page) -> dict:
    return page.page.evaluate(
        "(m => ({p: m.network.getViewPosition(), s: m.network.getScale()}))(window.valuechainMap)"
    )


def _drawn_box_in_view(page: Page) -> bool:
    """Whether every drawn node lies within the network's box on the page."""
    return page.page.evaluate(
        """(m => { const el = document.getElementById('network');
                   const w = el.clientWidth, h = el.clientHeight;
                   return m.network.body.nodeIndices.every(id => {
                     const d = m.network.canvasToDOM(m.network.getPosition(id));
                     return d.x >= 0 && d.x <= w && d.y >= 0 && d.y <= h; });
                 })(window.valuechainMap)"""
    )


def test_filters_refit_count_what_is_drawn_and_reset_restores_the_first_view(browser, tmp_path):
    ds = load()
    path = write_map(ds, tmp_path / "map.html", MapOptions(lang="vi"))
    page = Page(browser, path)
    first, header = _view(page), page.page.inner_text("#summary")
    assert header.startswith("203 doanh nghiệp")
    page.page.uncheck("#t-external")  # the outside parties' ring sets the first view's extent
    page.page.select_option("#f-district", "Na Rì")
    after = _view(page)
    assert after["s"] > first["s"] and _drawn_box_in_view(page)  # closer in, all in view
    # The header counts what is drawn: Na Rì's own enterprises (not its faded partners).
    na_ri = int((ds.enterprises["district"] == "Na Rì").sum())
    shown = page.page.inner_text("#summary")
    assert shown.startswith(f"đang hiện {na_ri} doanh nghiệp") and "lọc: huyện Na Rì" in shown
    # Its partners in other districts are drawn faded, as `map --district` draws them.
    faded = page.page.evaluate(
        "(m => m.network.body.nodeIndices.filter(id => { const n = m.nodes.get(id);"
        " return n.group !== 'external' && n.district !== 'Na Rì'; })"
        ".map(id => m.network.body.nodes[id].options.color.background))(window.valuechainMap)"
    )
    assert faded and set(faded) == {"#EEEEEE"}
    page.page.click("#reset")
    assert _view(page) == first and page.page.inner_text("#summary") == header
    page.page.fill("#search", "xưởng")  # several found: the view fits them
    assert _view(page) != first
    page.page.close()


def test_a_slice_names_itself_in_the_title_the_png_and_on_paper(browser, tmp_path):
    path = write_map(
        load(), tmp_path / "map.html", MapOptions(lang="vi", slice=Slice(district="cho don"))
    )
    page = Page(browser, path)
    title = page.page.inner_text("#title")
    assert title.endswith("— huyện Chợ Đồn")
    # What the PNG is drawn with: the title with the slice, the header line, the
    # source and date, and the legend (every text written into it is recorded).
    page.page.evaluate(
        "() => { window.__drawn = []; const f = CanvasRenderingContext2D.prototype.fillText;"
        " CanvasRenderingContext2D.prototype.fillText = function (t, x, y) {"
        " window.__drawn.push(String(t)); return f.apply(this, arguments); }; }"
    )
    with page.page.expect_download():
        page.page.click("#save-png")
    drawn = page.page.evaluate("window.__drawn")
    assert title in drawn and any(d.startswith("Dữ liệu:") and "lập ngày" in d for d in drawn)
    assert "Chú giải" in drawn and any(d.startswith("Gỗ · ") for d in drawn)
    page.page.emulate_media(media="print")
    assert (
        page.page.locator("#title").is_visible()
        and page.page.locator("#legend-chains").is_visible()
    )
    page.page.close()


def test_priority_connections_are_the_priorities_rows_and_the_toggle_shows_more(browser, tmp_path):
    from valuechain.analysis.priorities import priorities

    ds = load()
    rows = priorities(ds, actions=("connect",), top=10)
    expected = sorted((int(r.rank), r.id, r.partner) for r in rows.itertuples() if r.partner)
    path = write_map(ds, tmp_path / "map.html", MapOptions(lang="vi"))
    page = Page(browser, path)

    def drawn_suggestions(priority: bool) -> list:
        return page.page.evaluate(
            "(p => (m => m.network.body.edgeIndices.map(i => m.edges.get(i))"
            ".filter(e => e.kind === 'suggestion' && !!e.priority === p)"
            ".map(e => [e.rank, e.from, e.to]))(window.valuechainMap))",
            priority,
        )

    assert sorted(tuple(x) for x in drawn_suggestions(True)) == expected
    before = len(page.drawn_edges())
    assert drawn_suggestions(False) == []
    page.page.check("#t-suggest")
    assert len(drawn_suggestions(False)) > 0 and len(page.drawn_edges()) > before
    page.page.close()


def test_a_tooltip_shows_the_value_an_enterprise_adds(browser, tmp_path):
    # The value example of docs/methods.md: P1 adds 150 − 60 − 20 = 70; P2 adds
    # 30 − 45 = −15, shown as a warning (sales or purchases missing).
    from tests.test_value import ENTERPRISES, LINKS

    folder = write_dataset(tmp_path, enterprises=ENTERPRISES, links=LINKS)
    path = write_map(load(folder), tmp_path / "map.html", MapOptions(lang="en"))
    page = Page(browser, path)
    assert page.errors == []
    assert "Value added (million VND)\t70\n" in page.hover_node("P1")
    tip = page.hover_node("P2")
    assert "Value added (million VND)" in tip
    warned = page.page.inner_text("div.vis-tooltip td.gap")
    assert warned.replace("\u2212", "-").replace(" ", "") == "-15"
