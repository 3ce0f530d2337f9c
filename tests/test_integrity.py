"""Every row where it belongs: the analysis of a noisy dataset equals the analysis
of the same dataset with the noise removed by hand.

A rejected row (a repeated id, a type nothing decides, a self-link, an unknown
endpoint…) or a dropped cell (a coordinate out of range, a negative value) must
change nothing but itself: no later row's products, names or positions may move
onto another enterprise. Hypothesis draws random datasets, plants every kind of
noise at random places, writes both versions as CSV folders and as workbooks,
and compares every analysis and every export of the two, cell for cell.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import valuechain as vc
from valuechain.errors import ValuechainError
from valuechain.i18n import t
from valuechain.loading.files import ROW
from valuechain.output.map.data import MapOptions, map_payload

CATALOG = [
    {"code": "a", "name": "A raw", "chain": "x", "stage": 1, "made_from": ""},
    {"code": "b", "name": "B mid", "chain": "x", "stage": 2, "made_from": "a"},
    {"code": "c", "name": "C top", "chain": "x", "stage": 3, "made_from": "b"},
    {"code": "m", "name": "M raw", "chain": "y", "stage": 1, "made_from": ""},
    {"code": "n", "name": "N mid", "chain": "y", "stage": 2, "made_from": "m"},
]
PRODUCTS = [p["code"] for p in CATALOG]
# Canonical words and a few a planner types; "Hợp tác xã" decides nothing and is
# derived from the peers that sell the same first output (or the row rejected,
# alike in both versions); an empty type is derived from the VSIC code.
TYPES = ["farm", "forestry", "mine", "processor", "service", "Chế biến gỗ", "nông nghiệp",
         "Hợp tác xã", ""]  # fmt: skip
VSIC = ["0150", "0210", "0710", "1610", "4610"]
# One district typed three ways: merged alike in both versions, since a rejected
# row's spelling must not decide which one is shown.
DISTRICTS = ["Ba Bể", "Chợ Đồn", "Na Rì", "Cho Don", "chợ đồn "]
ENTERPRISE_COLUMNS = ["id", "name", "type", "vsic", "district", "lat", "lon", "outputs", "inputs",
                      "capacity", "output_value", "employees", "ghi_chu"]  # fmt: skip
LINK_COLUMNS = ["source", "target", "product", "volume", "value", "year"]


@dataclass
class Table:
    """Rows of one table: `clean` as a planner would fix it by hand; `noisy` as
    typed, i.e. `typed` (one per clean row, in order) with planted rows between."""

    clean: list[dict]
    typed: list[dict] = field(init=False)
    noisy: list[dict] = field(init=False)

    def __post_init__(self) -> None:
        self.typed = [dict(r) for r in self.clean]
        self.noisy = list(self.typed)

    def __repr__(self) -> str:
        return f"Table(clean={self.clean!r},\n      noisy={self.noisy!r})"

    def after(self, clean_index: int) -> int:
        """The first position after the typed version of clean row `clean_index`."""
        return next(i for i, r in enumerate(self.noisy) if r is self.typed[clean_index]) + 1


@st.composite
def enterprise(draw, i: int) -> dict:
    has_position = draw(st.booleans())
    kind = draw(st.sampled_from(TYPES))
    return {
        "id": f"E{i}",
        "name": f"Cơ sở {i}",
        "type": kind,
        "vsic": draw(st.sampled_from(VSIC)) if kind == "" else "",
        "district": draw(st.sampled_from(DISTRICTS)),
        "lat": draw(st.floats(21.8, 22.6).map(lambda v: round(v, 3))) if has_position else None,
        "lon": draw(st.floats(105.5, 106.2).map(lambda v: round(v, 3))) if has_position else None,
        "outputs": ";".join(draw(st.lists(st.sampled_from(PRODUCTS), max_size=2, unique=True))),
        "inputs": ";".join(draw(st.lists(st.sampled_from(PRODUCTS), max_size=2, unique=True))),
        "capacity": draw(st.one_of(st.none(), st.integers(1, 900))),
        "output_value": draw(st.one_of(st.none(), st.integers(1, 5000))),
        "employees": draw(st.one_of(st.none(), st.integers(1, 300))),
        # A column of the planner's own, kept as an attribute.
        "ghi_chu": draw(st.sampled_from(["", f"ghi chú {i}", 'có, "trích"', "=1+1"])),
    }


ENTERPRISE_NOISE = ["duplicate_id", "unknown_type", "empty_id", "bad_lat", "bad_lon"]
LINK_NOISE = ["self_link", "unknown_endpoint", "to_rejected", "negative_value", "negative_volume"]


@st.composite
def dataset(draw) -> tuple[Table, Table]:
    """(enterprises, links), each with its clean and its noisy rows."""
    n = draw(st.integers(2, 9))
    ents = Table([draw(enterprise(i)) for i in range(n)])
    ids = [e["id"] for e in ents.clean]
    ends = st.sampled_from([*ids, "EXT", "EXT:Hà Nội", "EXT:Thái Nguyên"])
    year = st.sampled_from([2022, 2023]) if draw(st.booleans()) else st.none()
    rows = []
    for _ in range(draw(st.integers(1, 14))):
        source, target = draw(ends), draw(ends)
        if source == target or (source.startswith("EXT") and target.startswith("EXT")):
            continue
        rows.append(
            {
                "source": source,
                "target": target,
                "product": draw(st.sampled_from(PRODUCTS)),
                "volume": draw(st.integers(1, 500)),
                "value": draw(st.integers(1, 900)),
                "year": draw(year),
            }
        )
    links = Table(rows)
    rejected_ids: list[str] = []

    def plant(table: Table, row: dict, after: int = 0) -> None:
        table.noisy.insert(draw(st.integers(after, len(table.noisy))), row)

    for k in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(ENTERPRISE_NOISE))
        other = draw(enterprise(100 + k))
        if kind == "duplicate_id":
            # A second row under an id already used, with other content:
            # rejected, the first stays.
            # (Of a row that loads for sure: were the first rejected, the copy
            # would be the first loadable one, and stay.)
            sure = [i for i, e in enumerate(ents.clean) if e["type"] != "Hợp tác xã"]
            if not sure:
                continue
            first = draw(st.sampled_from(sure))
            plant(ents, other | {"id": ids[first], "name": f"Bản sao {k}"}, ents.after(first))
        elif kind == "unknown_type":
            # A word that decides no type, no VSIC, no output a peer could decide by.
            rejected_ids.append(f"BAD{k}")
            plant(ents, other | {"id": f"BAD{k}", "type": "zzz", "vsic": "", "outputs": ""})
        elif kind == "empty_id":
            plant(ents, other | {"id": "", "name": f"Vô danh {k}"})
        else:
            # Out of range: the cell is dropped, the row kept.
            column, value = ("lat", 95.5) if kind == "bad_lat" else ("lon", 200.25)
            target = draw(st.integers(0, n - 1))
            ents.typed[target][column] = value
            ents.clean[target][column] = None

    for k in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(LINK_NOISE))
        if kind == "self_link":
            who = draw(st.sampled_from(ids))
            plant(links, {"source": who, "target": who, "product": "a", "value": 7,
                          "year": draw(year)})  # fmt: skip
        elif kind in ("unknown_endpoint", "to_rejected"):
            pool = rejected_ids or [f"NOPE{k}"]
            stranger = draw(st.sampled_from(pool)) if kind == "to_rejected" else f"NOPE{k}"
            pair = [draw(st.sampled_from(ids)), stranger]
            if draw(st.booleans()):
                pair.reverse()
            plant(links, {"source": pair[0], "target": pair[1], "product": "b", "volume": 3,
                          "value": 11, "year": draw(year)})  # fmt: skip
        elif links.clean:
            # A negative quantity: the cell is dropped, the link kept.
            column = "value" if kind == "negative_value" else "volume"
            target = draw(st.integers(0, len(links.clean) - 1))
            links.typed[target][column] = -abs(links.typed[target][column] or 1)
            links.clean[target][column] = None
    return ents, links


# --- writing the two versions ------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value)


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    path.write_text(out.getvalue(), encoding="utf-8")


def write_folder(folder: Path, ents: list[dict], links: list[dict]) -> Path:
    folder.mkdir(parents=True)
    _write_csv(folder / "enterprises.csv", ENTERPRISE_COLUMNS, ents)
    _write_csv(folder / "links.csv", LINK_COLUMNS, links)
    _write_csv(folder / "products.csv", list(CATALOG[0]), CATALOG)
    return folder


def write_workbook(path: Path, ents: list[dict], links: list[dict]) -> Path:
    """The same tables as sheets: numbers as numbers, text as text, empty as empty."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in (
        ("enterprises", ENTERPRISE_COLUMNS, ents),
        ("links", LINK_COLUMNS, links),
        ("products", list(CATALOG[0]), CATALOG),
    ):
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) if row.get(c) != "" else None for c in columns])
    book.save(path)
    return path


# --- what is compared --------------------------------------------------------------


def _frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[ROW], errors="ignore").reset_index(drop=True)


def _attempt(func):
    """The result, or the error a user would see (its class and message)."""
    try:
        return func()
    except ValuechainError as exc:
        return f"{type(exc).__name__}: {exc}"


def analyses(ds, tmp: Path) -> dict[str, object]:
    """Every analysis and export of `ds` in a comparable form."""
    pooled = ds.pooled()
    out: dict[str, object] = {
        "enterprises": _frame(ds.enterprises),
        "links": _frame(ds.links),
        "offers": _frame(ds.offers),
        "products": ds.products,
        "unlinked": vc.unlinked_producers(ds),
        "flags": vc.enterprise_flags(ds, "auto"),
        "gaps": vc.product_status(ds, "auto"),
        "stages": vc.missing_stages(ds),
        "coupling": vc.chain_coupling(ds),
        "suggest": vc.suggest_links(ds, top=None),
        "suggest_all": vc.suggest_links(ds, top=None, all_buyers=True),
        "linkages": _attempt(lambda: vc.linkage_indices(ds)),
        "linkages_district": _attempt(lambda: vc.linkage_indices(ds, by="district")),
        "priorities": vc.priorities(ds, top=None),
        "critical": vc.critical_enterprises(ds)[0],
        "value_stage": _attempt(lambda: vc.value_added(ds, by="stage")),
        "value_chain": _attempt(lambda: vc.value_added(ds, by="chain")),
        "value_enterprise": _attempt(lambda: vc.value_added(ds, by="enterprise")),
        "trend": vc.year_trend(pooled),
        "chain_trend": vc.chain_trend(pooled),
        "summary": {k: v for k, v in vc.summarize(ds).items() if k != "rejected_rows"},
    }
    # The map's data as drawn: every enterprise, and the groups of a large dataset.
    out["map"] = map_payload(ds, MapOptions(lang="en"))
    out["map_chains"] = map_payload(ds, MapOptions(lang="en", threshold=1))
    out["map_districts"] = map_payload(ds, MapOptions(lang="en", threshold=1, aggregate="district"))
    out["report"] = _report(ds)
    graph = vc.build_graph(ds)
    out["graph"] = (sorted(graph.nodes(data=True)), sorted(graph.edges(data=True)))
    for fmt in ("geojson", "gexf", "graphml"):
        path, _ = vc.export(ds, fmt, tmp / f"out.{fmt}", lang="en")
        text = path.read_text(encoding="utf-8")
        out[fmt] = json.loads(text) if fmt == "geojson" else _without_dates(text)
    path, _ = vc.export(ds, "xlsx", tmp / "out.xlsx", lang="en")
    sheets = pd.read_excel(path, sheet_name=None)
    # What differs by design: the load report, and the summary's count of it.
    # (A sheet's name ends in the year its analyses are of.)
    load = next(n for n in sheets if n.startswith(t("xl_load", "en")))
    summary = next(n for n in sheets if n.startswith(t("xl_summary", "en")))
    del sheets[load]
    sheets[summary] = sheets[summary][sheets[summary].iloc[:, 0] != "rejected_rows"]
    out["xlsx"] = sheets
    return out


def _report(ds) -> dict[str, object]:
    """The report as laid out (its cards, notes and sections, cells written as
    shown), but for what differs by design: its load section and its card of
    rejected rows; and its title lines, which name the input. Charts are not
    drawn (their specs are the analyses above); everything else is the report's
    own code."""
    from unittest import mock

    from valuechain.output.report.page import ReportOptions, build_report

    undrawn = mock.patch(
        "valuechain.output.report.page.draw_here", lambda *_a, **_k: ("<svg/>", None)
    )
    with undrawn:
        report = build_report(ds, ReportOptions(lang="en"))
    load, rejected = t("report_h_load", "en"), t("report_rejected", "en")
    return {
        "cards": [card for card in report.cards if card["label"] != rejected],
        "weak": report.weak_note,
        "said": report.said,
        "sections": [s for s in report.sections if s["title"] != load],
    }


def _without_dates(text: str) -> str:
    """A GEXF file carries the day it was written."""
    import re

    return re.sub(r'lastmodifieddate="[^"]*"', "", text)


def assert_same(noisy: dict, clean: dict) -> None:
    assert noisy.keys() == clean.keys()
    for name in clean:
        a, b = noisy[name], clean[name]
        if isinstance(b, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=name)
        elif isinstance(b, dict) and b and all(isinstance(v, pd.DataFrame) for v in b.values()):
            assert a.keys() == b.keys(), name
            for sheet in b:
                pd.testing.assert_frame_equal(
                    a[sheet].reset_index(drop=True), b[sheet].reset_index(drop=True), obj=sheet
                )
        else:
            assert _plain(a) == _plain(b), name


def _plain(value: object) -> object:
    """NaN equals NaN for the comparison."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# --- the properties ----------------------------------------------------------------

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    report_multiple_bugs=False,
    # Shrinking a dataset takes minutes; a failing example of a few rows is
    # printed whole and reads well enough.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check(tmp_path: Path, tables: tuple[Table, Table], as_workbook: bool) -> None:
    ents, links = tables
    import tempfile

    with tempfile.TemporaryDirectory(dir=tmp_path) as work:
        root = Path(work)
        if as_workbook:
            noisy_path = write_workbook(root / "noisy.xlsx", ents.noisy, links.noisy)
            clean_path = write_workbook(root / "clean.xlsx", ents.clean, links.clean)
        else:
            noisy_path = write_folder(root / "noisy", ents.noisy, links.noisy)
            clean_path = write_folder(root / "clean", ents.clean, links.clean)
        noisy, clean = vc.load(noisy_path), vc.load(clean_path)
        planted = len(ents.noisy) - len(ents.clean) + len(links.noisy) - len(links.clean)
        assert noisy.report.rejected_rows == clean.report.rejected_rows + planted
        # The command line reads a dataset validated before back from the cache:
        # the noisy input, validated once and read back, must analyse the same.
        vc.load(noisy_path, cache=True)
        cached = vc.load(noisy_path, cache=True)
        assert cached.from_cache
        assert cached.report.problems == noisy.report.problems
        for folder in ("a", "b", "c"):
            (root / folder).mkdir()
        clean_analyses = analyses(clean, root / "b")
        assert_same(analyses(noisy, root / "a"), clean_analyses)
        assert_same(analyses(cached, root / "c"), clean_analyses)


@PROPERTY
@given(tables=dataset())
def test_noisy_csv_folder_analyses_like_its_clean_version(tmp_path, tables):
    _check(tmp_path, tables, as_workbook=False)


@PROPERTY
@given(tables=dataset())
def test_noisy_workbook_analyses_like_its_clean_version(tmp_path, tables):
    _check(tmp_path, tables, as_workbook=True)


# --- the planner's five rows -------------------------------------------------------

FIVE_ROWS = [
    {"id": "A1", "name": "Farm A", "type": "farm", "district": "X", "outputs": "tea_leaf"},
    {"id": "A1", "name": "Dup row", "type": "farm", "district": "X", "outputs": "dry_tea",
     "inputs": "tea_leaf"},
    {"id": "C1", "name": "Factory C", "type": "processor", "district": "X", "outputs": "dry_tea",
     "inputs": "tea_leaf"},
    {"id": "D1", "name": "Farm D", "type": "farm", "district": "X", "outputs": "orange"},
    {"id": "E1", "name": "Shop E", "type": "service", "district": "X", "inputs": "dry_tea"},
]  # fmt: skip
FIVE_LINKS = [
    {"source": "A1", "target": "C1", "product": "tea_leaf", "value": 100},
    {"source": "C1", "target": "C1", "product": "dry_tea", "value": 5},  # self-link: rejected
    {"source": "C1", "target": "E1", "product": "dry_tea", "value": 200},
]


@pytest.mark.parametrize("as_workbook", [False, True], ids=["csv", "xlsx"])
def test_a_rejected_row_moves_nothing_onto_later_enterprises(tmp_path, as_workbook):
    write = write_workbook if as_workbook else write_folder
    path = write(tmp_path / ("five.xlsx" if as_workbook else "five"), FIVE_ROWS, FIVE_LINKS)
    ds = vc.load(path)
    ent = ds.enterprises.set_index("id")
    # Row 3 (the second A1) is rejected; each later row keeps its own products.
    assert list(ent.index) == ["A1", "C1", "D1", "E1"]
    assert ent.loc["A1", ["name", "outputs", "inputs"]].tolist() == ["Farm A", "tea_leaf", ""]
    assert ent.loc["C1", ["outputs", "inputs"]].tolist() == ["dry_tea", "tea_leaf"]
    assert ent.loc["D1", ["outputs", "inputs"]].tolist() == ["orange", ""]
    assert ent.loc["E1", ["outputs", "inputs"]].tolist() == ["", "dry_tea"]
    # The self-link (links row 3) is rejected; the link after it stays C1 → E1.
    assert ds.links[["source", "target", "product", "value"]].values.tolist() == [
        ["A1", "C1", "tea_leaf", 100.0],
        ["C1", "E1", "dry_tea", 200.0],
    ]
    # D1 is the one unlinked producer, isolated, and no one takes oranges: 0 candidates.
    # (A1 sells tea_leaf to C1: linked.)
    unlinked = vc.unlinked_producers(ds)
    assert unlinked[["id", "outputs", "status", "candidates"]].values.tolist() == [
        ["D1", "orange", "isolated", 0]
    ]
    assert ds.report.rejected_rows == 2


def test_endpoint_rows_follow_the_links_they_were_found_for(spec5):
    from dataclasses import replace

    ds = vc.load(spec5)
    src, _ = ds.endpoint_rows()
    ids = ds.enterprises["id"]
    # The same number of links in the reverse order: the rows must be found
    # again, not read from the first links.
    flipped = replace(ds, links=ds.links.iloc[::-1].reset_index(drop=True))
    flipped_src, _ = flipped.endpoint_rows()
    expected = [ids.iloc[r] if r >= 0 else "outside" for r in src[::-1]]
    assert [ids.iloc[r] if r >= 0 else "outside" for r in flipped_src] == expected
    # A dataset edited in place is looked up again too.
    ds.links = ds.links.iloc[::-1].reset_index(drop=True)
    assert list(ds.endpoint_rows()[0]) == list(flipped_src)
