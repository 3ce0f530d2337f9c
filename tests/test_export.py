"""Exports for Excel, QGIS and Gephi: each opens in its tool's reader with every
analysis field, no spreadsheet cell is a formula, and round trips are exact."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.conftest import write_dataset
from valuechain.cli import main
from valuechain.loading.dataset import load
from valuechain.output.export import export

COLUMNS = ["id", "name", "type", "district", "lat", "lon", "outputs", "inputs", "capacity"]


@pytest.fixture
def evil(tmp_path):
    """A dataset whose text cells try to run as spreadsheet formulas."""
    return write_dataset(
        tmp_path / "evil",
        enterprises=(
            "id,name,type,district,lat,lon,outputs,inputs\n"
            'A,"=HYPERLINK(""http://x"",""y"")",farm,+61,22,105,log,\n'
            "B,@SUM(1),processor,-x,22.1,105.1,,log\n"
            "C,Plain,service,\tTab,,,log,log\n"
        ),
        links="source,target,product,value\nA,B,log,-3\nA,EXT:=1+1,log,5\n",
    )


def test_xlsx_sheets_headers_and_no_formulas(tmp_path, spec5):
    path, _ = export(load(spec5), "xlsx", tmp_path / "out.xlsx", lang="en")
    book = load_workbook(path)
    assert book.sheetnames == [
        "enterprises",
        "links",
        "products",
        "Priorities",
        "Summary",
        "Unlinked producers",
        "Product status",
        "Missing stages",
        "Enterprise flags",
        "Chain coupling",
        "Linkage indices",
        "Value added by stage",
        "Value added by chain",
        "Suggested links",
        "Critical enterprises",
        "Load report",
    ]
    coupling = book["Chain coupling"]
    assert coupling.freeze_panes == "A2"
    header = [c.value for c in coupling[1]]
    assert header[:3] == ["Chain", "Enterprises", "Completeness"]
    # Chains are shown by name where a program does not read them: the §5
    # catalog is the dataset's own and names no chain, so both read as a
    # readable form of their code (no bundled name is borrowed).
    rows = list(coupling.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == ["Metal", "Timber"]
    timber = [r for r in rows if r[0] == "Timber"][0]
    assert timber[2] == pytest.approx(2 / 3)  # a number, shown as a percentage
    assert coupling.cell(row=2, column=3).number_format == "0.0%"
    # Vietnamese headers on request.
    vi = load_workbook(export(load(spec5), "xlsx", tmp_path / "vi.xlsx", lang="vi")[0])
    assert [c.value for c in vi["Liên kết chuỗi"][1]][0] == "Chuỗi"


def test_xlsx_round_trip_gives_the_same_enterprises(tmp_path, spec5):
    before = load(spec5)
    path, _ = export(before, "xlsx", tmp_path / "out.xlsx")
    after = load(path)
    pd.testing.assert_frame_equal(after.enterprises[COLUMNS], before.enterprises[COLUMNS])
    pd.testing.assert_frame_equal(
        after.links[["source", "target", "product", "volume", "value"]],
        before.links[["source", "target", "product", "volume", "value"]],
    )
    assert after.report.rejected_rows == 0


def test_no_cell_is_a_formula(tmp_path, evil):
    before = load(evil)
    path, _ = export(before, "xlsx", tmp_path / "out.xlsx", lang="en")
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(
                    ("=", "+", "-", "@", "\t", "\r")
                ):
                    float(cell.value)  # only a plain number such as +61 may start so
    names = [r[1] for r in book["enterprises"].iter_rows(min_row=2, values_only=True)]
    assert names[:2] == ['\'=HYPERLINK("http://x","y")', "'@SUM(1)"]
    # ... and valuechain reads its own guard back to the original text.
    assert load(path).enterprises["name"].tolist() == before.enterprises["name"].tolist()


def test_geojson_is_rfc7946(tmp_path, spec5):
    path, notes = export(load(spec5), "geojson", tmp_path / "out.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    # 6 of 7 enterprises have a position (M1 has none); local links F1→P1, F2→P1,
    # P1→S1 all have both ends placed; 4 links touch outside parties.
    assert len(points) == 6 and len(lines) == 3
    assert notes == {
        "enterprises_without_position": 1,
        "external_links_left_out": 4,
        "local_links_without_position": 0,
    }
    for f in points:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    f3 = next(f for f in points if f["properties"]["id"] == "F3")
    assert f3["geometry"]["coordinates"] == [105.9, 22.2]  # lon first
    assert f3["properties"]["status"] == "external_only"
    assert f3["properties"]["flags"] == "external_dependent;single_buyer"
    assert f3["properties"]["nearest_candidate"] == "P1"
    for f in lines:
        assert len(f["geometry"]["coordinates"]) == 2
        assert {"source", "target", "weight", "chain", "product_status"} <= set(f["properties"])


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_formats_round_trip(tmp_path, spec5, fmt):
    ds = load(spec5)
    path, _ = export(ds, fmt, tmp_path / f"out.{fmt}")
    g = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    assert sorted(g.nodes) == sorted(
        ["F1", "F2", "F3", "M1", "P1", "P2", "S1", "EXT", "EXT:A", "EXT:B"]
    )
    assert sorted(g.edges) == sorted(zip(ds.links["source"], ds.links["target"], strict=True))
    f3 = g.nodes["F3"]
    assert f3["type"] == "forestry" and f3["district"] == "B" and f3["status"] == "external_only"
    assert f3["chain"] == "timber" and float(f3["x"]) == 105.9 and float(f3["y"]) == 22.2
    assert float(g.edges["F2", "EXT:A"]["weight"]) == 150
    assert g.edges["F1", "P1"]["product_status"] == "weak_link"
    assert "lat" not in g.nodes["M1"]  # no position: left out, not written as NaN


def test_export_command(tmp_path, spec5):
    out = tmp_path / "x.geojson"
    result = CliRunner().invoke(
        main, ["--lang", "en", "export", str(spec5), "--to", "geojson", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    assert "4 links to or from outside and 0 links without positions are left out" in result.stderr


def test_a_file_size_limit_while_the_workbook_is_written_is_one_line(tmp_path):
    import resource
    import subprocess
    import sys
    from pathlib import Path

    def small_files():  # 40 KiB: the workbook's temporary sheet files cannot be written
        resource.setrlimit(resource.RLIMIT_FSIZE, (40 * 1024, resource.RLIM_INFINITY))

    out = tmp_path / "x.xlsx"
    exe = str(Path(sys.executable).parent / "valuechain")
    done = subprocess.run(
        [exe, "--lang", "en", "export", "--to", "xlsx", "-o", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: cannot write {out}: a file-size limit was reached"
    ]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_user_columns_named_like_graph_attributes_keep_their_data(tmp_path):
    import xml.dom.minidom

    from tests.conftest import write_dataset

    folder = write_dataset(
        tmp_path / "d",
        enterprises="id,name,type,lat,lon,x,y,size\nA,a,farm,22,105,left,up,big\nB,b,processor,,,right,down,small\n",
        links="source,target,value\nA,B,5\n",
    )
    for fmt in ("gexf", "graphml"):
        path, _ = export(load(folder), fmt, tmp_path / f"g.{fmt}")
        xml.dom.minidom.parse(str(path))
        text = path.read_text(encoding="utf-8")
        assert "left" in text and "small" in text  # the user's x and size, kept as x_, size_


def test_a_table_wider_than_a_sheet_keeps_what_fits_and_says_so(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from tests.conftest import write_dataset
    from valuechain.output import export as module

    monkeypatch.setattr(module, "MAX_COLUMNS", 20)  # as 16,384 is for a real sheet
    extra = ",".join(f"c{i}" for i in range(30))
    values = ",".join(str(i) for i in range(30))
    folder = write_dataset(
        tmp_path / "d",
        enterprises=f"id,name,type,{extra}\nA,a,farm,{values}\n",
        links="source,target,value\n",
    )
    path, notes = export(load(folder), "xlsx", tmp_path / "w.xlsx")
    # 16 known columns + 30 extras = 46; the first 20 are kept, 26 left out.
    assert notes == {"enterprises_columns_left_out": 26}
    assert load_workbook(path)["enterprises"].max_column == 20
