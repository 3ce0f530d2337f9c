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
from valuechain.htmlmap import write_map
from valuechain.htmlreport import ReportOptions, write_report
from valuechain.load import load
from valuechain.mapdata import MapOptions

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

    @property
    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def hover_node(self, node_id: str) -> str:
        """Move the mouse over a node and return the tooltip's text."""
        box = self.page.evaluate(
            """(id) => { const m = window.valuechainMap; const p = m.network.getPosition(id);
                         const d = m.network.canvasToDOM(p);
                         const r = document.getElementById('network').getBoundingClientRect();
                         return {x: r.left + d.x, y: r.top + d.y}; }""",
            node_id,
        )
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
    assert sorted(page.page.evaluate("window.valuechainMap.nodeView.getIds()")) == ["M1", "P2"]
    page.page.select_option("#f-chain", "")
    page.page.uncheck("#t-external")
    visible = page.page.evaluate("window.valuechainMap.nodeView.getIds()")
    assert not [i for i in visible if i.startswith("EXT")] and len(visible) == 7
    page.page.uncheck("#t-suggest")
    kinds = page.page.evaluate("window.valuechainMap.edgeView.get().map(e => e.kind)")
    assert "suggestion" not in kinds and "local" in kinds
    # Search selects the matching node.
    page.page.fill("#search", "smelter")
    assert page.page.inner_text("#found") == "1 found"
    assert page.page.evaluate("window.valuechainMap.network.getSelectedNodes()") == ["P2"]


def test_html_in_a_name_is_shown_as_text(browser, tmp_path):
    folder = write_dataset(
        tmp_path / "d",
        enterprises=f"id,name,type,outputs\nX1,{XSS},farm,log\n",
        links="source,target,product,value\nX1,EXT,log,1\n",
    )
    path = write_map(load(folder), tmp_path / "map.html", MapOptions(lang="en"))
    page = Page(browser, path)
    text = page.hover_node("X1")
    assert XSS in text  # shown literally
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
    from valuechain.generate import GenerateOptions, generate, write_dataset

    folder = write_dataset(*generate(GenerateOptions(enterprises=3000, seed=3)), tmp_path / "g")
    for mode in ("chain", "district"):
        path = write_map(
            load(folder), tmp_path / f"{mode}.html", MapOptions(lang="en", aggregate=mode)
        )
        page = Page(browser, path)
        assert page.errors == [] and page.outside_requests == [], mode
        assert page.page.evaluate("window.valuechainMap.nodes.length") < 200
        assert "Aggregated by" in page.page.inner_text("#summary")
        page.page.close()


def test_report_loads_offline_with_charts(browser, tmp_path):
    path, _ = write_report(load(), tmp_path / "report.html", ReportOptions(lang="en"))
    page = Page(browser, path, size=(1100, 900))
    assert page.outside_requests == [] and page.errors == []
    charts = page.page.evaluate(
        "[...document.querySelectorAll('figure[data-chart]')].map(f => f.dataset.chart)"
    )
    # The sample has two survey rounds and clusters: Progress and clusters sections.
    assert charts == ["coupling", "flows", "progress", "clusters", "key_sectors"]
    assert "Progress over the years" in page.page.inner_text("body")
    heights = page.page.evaluate(
        "[...document.querySelectorAll('figure svg')].map(s => s.getBoundingClientRect().height)"
    )
    assert all(h > 100 for h in heights)  # drawn, not empty
