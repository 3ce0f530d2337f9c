"""A district officer's workbook as typed: Vietnamese headers as people write
them, one district spelled four ways, numbers typed as text the Vietnamese
way, everyday type words, a date where the year belongs. Every row loads where
it belongs, and one report line says each thing that was decided."""

from __future__ import annotations

import datetime

import pytest
from openpyxl import Workbook

import valuechain as vc

ENTERPRISES = [
    ["Mã", "Tên cơ sở", "Loại hình", "Huyện", "Sản phẩm bán", "Nguyên liệu mua",
     "Giá trị sản xuất (tỷ đồng)"],
    ["T1", "Trại cam Định Hóa", "Trang trại", "Định Hóa", "orange", "", 2],
    ["T2", "HTX cam Định Hoá", "Hợp tác xã", "Định Hoá", "orange", "", "1,5"],
    ["T3", "Thương lái Bình", "Thương lái", "Dinh Hoa", "orange", "orange", None],
    ["T4", "Đại lý phân bón Xuân", "Đại lý phân bón", "định hóa ", "fertiliser", "", None],
    ["T5", "Xưởng nước cam", "Xưởng", "Định Hóa", "juice", "orange", "4.800"],
]  # fmt: skip
LINKS = [
    ["Bên bán", "Bên mua", "Mặt hàng", "Sản lượng (tấn)", "Giá trị (triệu đồng)", "Năm"],
    ["T1", "T5", "orange", "1.200", "4.800", 2024],
    ["T2", "T3", "orange", "300", "900,5", "30/06/2024"],
    ["T3", "EXT:Hà Nội", "orange", "250", 1000, datetime.datetime(2024, 6, 30)],
    ["T5", "EXT", "juice", "80", "2.400", 2024],
]


@pytest.fixture
def workbook(tmp_path):
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("Doanh nghiệp", ENTERPRISES), ("Liên kết", LINKS)):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "dinh_hoa.xlsx"
    book.save(path)
    return path


def test_every_row_loads_where_it_belongs(workbook):
    ds = vc.load(workbook)
    ent = ds.enterprises.set_index("id")
    assert ds.report.rejected_rows == 0
    # One district, shown as most cells spell it (Định Hóa: T1 and T5).
    assert set(ent["district"]) == {"Định Hóa"}
    # Types: the word, or (HTX, a legal form) derived from T1, which also sells orange.
    assert ent["type"].to_dict() == {
        "T1": "farm", "T2": "farm", "T3": "service", "T4": "service", "T5": "processor",
    }  # fmt: skip
    # Headers read by the alias they contain: outputs, inputs, output_value.
    assert ent["outputs"].to_dict() == {
        "T1": "orange", "T2": "orange", "T3": "orange", "T4": "fertiliser", "T5": "juice",
    }  # fmt: skip
    assert ent.loc["T5", "inputs"] == "orange"
    # Output value in tỷ đồng, ×1,000 to million VND: 2 → 2,000; 1,5 → 1,500;
    # the text 4.800 (a workbook: the Vietnamese way) → 4,800 tỷ → 4,800,000.
    assert ent["output_value"].dropna().to_dict() == {"T1": 2000.0, "T2": 1500.0, "T5": 4_800_000.0}
    links = ds.links.set_index("source")
    # 1.200 t and 4.800 million: thousands, not 1.2 and 4.8; 900,5 is 900.5.
    assert links.loc["T1", ["volume", "value"]].tolist() == [1200.0, 4800.0]
    assert links.loc["T2", ["volume", "value"]].tolist() == [300.0, 900.5]
    assert links.loc["T5", ["volume", "value"]].tolist() == [80.0, 2400.0]
    # Every link is of 2024, the two dates included.
    assert ds.years == [2024] and links["year"].tolist() == [2024] * 4


def test_each_decision_has_one_report_line(workbook):
    ds = vc.load(workbook)
    by_code = {}
    for p in ds.report.problems:
        by_code.setdefault(p["code"], []).append(p)
    merged = by_code["spellings_merged"]
    assert len(merged) == 1
    assert merged[0]["params"]["merged"] == "Định Hóa ← Định Hoá, Dinh Hoa, định hóa"
    assert [p["row"] for p in by_code["type_from_peers"]] == [3]
    assert [p["row"] for p in by_code["year_from_date"]] == [3, 4]
    assert len(by_code["money_unit"]) == 1  # Giá trị sản xuất (tỷ đồng)
    # 4.800 and 1.200 read either way: each listed with the value used.
    either = {
        (p["file"].split(":")[1], p["row"], p["params"]["read"])
        for p in by_code["ambiguous_number"]
    }
    assert either == {
        ("Doanh nghiệp", 6, "4800"),
        ("Liên kết", 2, "1200"),
        ("Liên kết", 2, "4800"),
        ("Liên kết", 5, "2400"),
    }
    assert "unknown_type" not in by_code and "column_unused_close" not in by_code


def test_a_slice_matches_every_spelling(workbook):
    ds = vc.load(workbook)
    for spelling in ("Dinh Hoa", "định hoá", "ĐỊNH HÓA"):
        assert vc.Slice(district=[spelling]).resolve(ds).districts == ("Định Hóa",)
