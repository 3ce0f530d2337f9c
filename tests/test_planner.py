"""Spreadsheets as planners write them: Vietnamese headers with units, title
rows, Vietnamese sheet names, everyday type words, DMS coordinates, sellers by
name. The same data written that way and the clean way give the same answers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.analysis.coupling import chain_coupling
from valuechain.analysis.linkages import linkage_indices
from valuechain.analysis.products import missing_stages, product_status
from valuechain.analysis.suggest import suggest_links
from valuechain.analysis.unlinked import unlinked_producers
from valuechain.cli import main
from valuechain.loading.dataset import load


def _planner_workbook(path: Path) -> Path:
    """The worked example (tests/fixtures/spec5) as a district officer writes it."""
    from openpyxl import Workbook

    book = Workbook()
    guide = book.active
    guide.title = "Ghi chú"
    guide.append(["Số liệu điều tra năm 2024"])
    ent = book.create_sheet("Doanh nghiệp")
    ent.append(["DANH SÁCH DOANH NGHIỆP, HỢP TÁC XÃ"])  # a title row
    ent.append([])
    ent.append(
        ["Mã số", "Tên doanh nghiệp", "Loại hình", "Mã ngành VSIC", "Huyện", "Vĩ độ", "Kinh độ",
         "Sản phẩm đầu ra", "Nguyên liệu đầu vào", "Công suất (m3/năm)"]
    )  # fmt: skip
    rows = [
        # Hợp tác xã is a legal form: farm from VSIC 0113; coordinates in DMS.
        ["F1", "Farm 1", "Hợp tác xã", "0113", "A", "22°0'0\"N", "105°48'E", "log", None, 300],
        ["F2", "Farm 2", "Trang trại keo", None, "A", 22.1, 105.8, "log", None, 200],
        ["F3", "Forest 3", "Lâm trường", None, "B", 22.2, 105.9, "log", None, 500],
        ["M1", "Mine 1", "Khai thác khoáng sản", None, "B", None, None, "ore", None, 1000],
        ["P1", "Board mill", "Chế biến gỗ", None, "A", 22.05, 105.8, "board", "log", None],
        ["P2", "Smelter", "Công ty", "2410", "B", 22.3, 106.0, "ingot", "ore", None],
        ["S1", "Trader", "Vận tải", None, "A", 22.0, 105.9, "board", "board", None],
    ]
    for row in rows:
        ent.append(row)
    links = book.create_sheet("Liên kết")
    links.append(["Bên bán", "Bên mua", "Mặt hàng", "Khối lượng (m3)", "Giá trị (triệu đồng)"])
    for row in [
        ["F1", "P1", "log", 100, 100],
        ["Farm 2", "Board mill", "log", 50, 50],  # by name
        ["F2", "EXT:A", "log", 150, 150],
        ["F3", "EXT:A", "log", 200, 200],
        ["EXT:B", "P1", "log", 100, 120],
        ["P1", "S1", "board", 80, 400],
        ["S1", "EXT", "board", 80, 480],
    ]:
        links.append(row)
    products = book.create_sheet("Danh mục sản phẩm")
    products.append(["Mã sản phẩm", "Tên sản phẩm", "Chuỗi giá trị", "Công đoạn", "Chế biến từ",
                     "Đơn vị tính"])  # fmt: skip
    for row in [
        ["log", "Log", "timber", 1, None, "m3"],
        ["board", "Board", "timber", 2, "log", "m3"],
        ["furniture", "Furniture", "timber", 3, "board", "pcs"],
        ["ore", "Ore", "metal", 1, None, "t"],
        ["ingot", "Ingot", "metal", 2, "ore", "t"],
    ]:
        products.append(row)
    book.save(path)
    return path


def test_the_planners_workbook_gives_the_clean_answers(tmp_path, spec5):
    planner = load(_planner_workbook(tmp_path / "khao_sat.xlsx"))
    clean = load(spec5)
    assert planner.report.rejected_rows == 0
    for analysis in (unlinked_producers, missing_stages, linkage_indices):
        pd.testing.assert_frame_equal(analysis(planner), analysis(clean))
    for analysis in (product_status, chain_coupling, suggest_links):
        pd.testing.assert_frame_equal(analysis(planner, "auto"), analysis(clean, "auto"))
    assert list(planner.enterprises["type"]) == list(clean.enterprises["type"])
    assert planner.enterprises.loc[0, ["lat", "lon"]].tolist() == [22.0, 105.8]


def test_each_rule_says_what_it_did(tmp_path):
    frame = load(_planner_workbook(tmp_path / "k.xlsx")).report.frame("en")
    lines = {(r.row if pd.notna(r.row) else None, r.column, r.message) for r in frame.itertuples()}
    sheet = "k.xlsx:Doanh nghiệp"
    assert set(frame.loc[frame["file"] == sheet, "level"]) <= {"info", "warning"}
    # Row 1 the title, row 2 blank, row 3 the header: F1 is row 4, P2 row 9.
    assert (None, "", "2 title rows skipped; the header is row 3") in lines
    assert (4, "type", "unknown type 'Hợp tác xã'; derived 'farm' from vsic 0113") in lines
    assert (4, "lat", "coordinate '22°0'0\"N' (degrees, minutes, seconds) read as 22.000000") in (
        lines
    )
    assert (4, "lon", "coordinate '105°48'E' (degrees, minutes, seconds) read as 105.800000") in (
        lines
    )
    assert (9, "type", "unknown type 'Công ty'; derived 'processor' from vsic 2410") in lines
    assert (
        3,
        "source",
        "'Farm 2' is no id but the name of exactly one enterprise: read as 'F2'",
    ) in lines
    assert (3, "target", "'Board mill' is no id but the name of exactly one enterprise: "
            "read as 'P1'") in lines  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Chế biến gỗ", "processor"),
        ("Lâm trường", "forestry"),
        ("Vận tải", "service"),
        ("Hợp tác xã nông nghiệp", "farm"),
        ("Chăn nuôi lợn", "farm"),
        ("Xưởng cơ khí", "processor"),
        ("Bán buôn vật tư", "service"),
        ("HTX", None),
        ("Công ty TNHH", None),
        ("tàu vũ trụ", None),
    ],
)
def test_type_words_match_the_longest_alias_contained(cell, expected):
    from valuechain.loading.columns import type_of_word

    assert type_of_word(cell) == expected


def test_a_generic_type_is_derived_from_peers_selling_the_same_first_output(tmp_path):
    # HTX Ba has no VSIC; the two others selling `orange` first are farms → farm.
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,outputs\nA,a,Trang trại,orange\nB,b,nông nghiệp,orange\n"
        "C,HTX Ba,HTX,orange;tangerine\nD,d,HTX,mystery\n",
        links="source,target\n",
    )
    ds = load(folder)
    assert dict(zip(ds.enterprises["id"], ds.enterprises["type"], strict=True)) == {
        "A": "farm",
        "B": "farm",
        "C": "farm",
    }
    report = ds.report.frame("en")
    assert report["message"].tolist() == [
        "type 'HTX' does not say; derived 'farm' from the enterprises that also sell 'orange'",
        "unknown type 'HTX' and no usable vsic: row rejected; accepted types: farm (nông "
        "nghiệp), forestry (lâm nghiệp), mine (khai khoáng), processor (chế biến), service "
        "(dịch vụ)",
    ]
    assert report["row"].tolist() == [4, 5]


def test_a_link_to_a_rejected_enterprise_says_so(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type\nA,a,farm\nB,b,spaceship\n",
        links="source,target\nA,B\n",
    )
    report = load(folder).report.frame("en")
    assert report.loc[report["file"].str.endswith("links.csv"), "message"].tolist() == [
        "'B' is the enterprise rejected at row 3 of the enterprises table: row rejected"
    ]


def test_an_ambiguous_name_is_not_guessed(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type\nA,Cơ sở Hà,farm\nB,co so ha,processor\nC,c,processor\n",
        links="source,target\nCơ sở Hà,C\n",
    )
    report = load(folder).report.frame("en")
    assert report["message"].tolist() == [
        "'Cơ sở Hà' is neither an enterprise id nor EXT…: row rejected"
    ]


def test_headers_with_units_and_a_near_miss_are_named(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="Mã,Tên,Loại hình,Sản phẩm chính (tấn),Ghi chú\nA,a,farm,log,x\n",
        links='Bên bán,Bên mua,Giá trị (triệu đồng),"Sản lượng, tấn"\nA,EXT,5,3\n',
    )
    ds = load(folder)
    assert ds.enterprises.loc[0, "outputs"] == "log"
    assert ds.links.loc[0, "value"] == 5 and ds.links.loc[0, "volume"] == 3
    messages = ds.report.frame("en")["message"].tolist()
    assert messages == ["column 'Ghi chú' matches no known column: kept as an attribute"]
    folder2 = write_dataset(
        tmp_path / "b",
        enterprises="id,name,type,outpts\nA,a,farm,log\n",
        links="source,target\n",
    )
    assert load(folder2).report.frame("en")["message"].tolist() == [
        "column 'outpts' not used (kept as an attribute) — did you mean outputs?"
    ]


def test_a_weight_that_falls_back_is_said_on_stderr(tmp_path):
    # 2 of 3 links have no value: auto weighs by volume, and every analysis says so.
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,outputs,inputs\nA,a,farm,log,\nB,b,processor,,log\n",
        links="source,target,product,volume,value\nA,B,log,10,5\nA,EXT,log,20,\nA,EXT:X,log,1,\n",
    )
    run = CliRunner().invoke
    for command in (["coupling"], ["gaps"], ["validate"]):
        out = run(main, ["--lang", "en", command[0], str(folder)])
        assert out.stderr.count("2 of 3 links have no 'value', so shares are weighed by") == 1


def test_the_template_reads_back_with_no_warning_and_filled_it_loads(tmp_path):
    from openpyxl import load_workbook

    for lang in ("vi", "en"):
        out = tmp_path / f"t_{lang}.xlsx"
        assert CliRunner().invoke(main, ["--lang", lang, "template", "-o", str(out)]).exit_code == 0
        ds = load(out)
        assert ds.report.problems == []
        assert list(ds.enterprises["type"]) == ["farm", "processor"]
        assert len(ds.links) == 2
        book = load_workbook(out)
        first = book.sheetnames[0]
        assert first == ("Hướng dẫn" if lang == "vi" else "instructions")
        table = book.worksheets[1]
        assert table.data_validations.dataValidation, "a drop-down list for type"
        # The chains and about sheets read back as the dataset's own tables; the
        # catalog names products generically (any region's tea, not Shan tea).
        assert ds.chains is not None and "tea" in set(ds.chains["code"])
        assert ds.about == {}  # nothing filled in yet: nothing said
        names = ds.products.set_index("code")["name"]
        assert names["tea_leaf"] == "Chè búp tươi" and "Bao Thai" not in names["rice"]
        assert ds.chain_names().set_index("code").loc["tea", "name"] in ("Chè", "Tea")
    # Filled in: the examples replaced by a planner's rows.
    book = load_workbook(tmp_path / "t_vi.xlsx")
    ent, links = book["Doanh nghiệp"], book["Liên kết"]
    ent.delete_rows(2, 2)
    links.delete_rows(2, 2)
    ent.append(["LN01", "Tổ trồng rừng", "lâm nghiệp", None, "Ba Bể", 22.4, 105.6, "log"])
    ent.append(["CB01", "Xưởng bóc ván", "chế biến", None, "Ba Bể", 22.41, 105.61, "veneer", "log"])
    links.append(["LN01", "CB01", "log", 100, 80, 2024])
    book.save(tmp_path / "filled.xlsx")
    ds = load(tmp_path / "filled.xlsx")
    assert ds.report.problems == [] and len(ds.links) == 1
    assert unlinked_producers(ds).empty  # LN01 sells to CB01


def test_the_template_never_replaces_a_workbook_without_force(tmp_path):
    run = CliRunner().invoke
    out = tmp_path / "filled.xlsx"
    out.write_bytes(b"a district's data")
    refused = run(main, ["--lang", "en", "template", "-o", str(out)])
    assert refused.exit_code == 2 and "already there" in refused.stderr
    assert out.read_bytes() == b"a district's data"
    assert run(main, ["template", "-o", str(out), "--force"]).exit_code == 0
    assert load(out).report.problems == []
    named = run(main, ["--lang", "en", "template", "-o", str(tmp_path / "t.csv")])
    assert named.exit_code == 2 and "must end in .xlsx" in named.stderr
    assert not (tmp_path / "t.csv").exists()
