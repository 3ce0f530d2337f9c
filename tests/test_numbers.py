"""Numbers typed as text: each column's decimal mark decided from its own cells,
and every cell that reads either way listed with the value used."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from tests.conftest import write_dataset
from valuechain.loading.dataset import load
from valuechain.loading.numbers import TextNumbers, decimal_evidence, parse_numbers

ENTERPRISES = "id,name,type,outputs\nA,a,farm,log\nB,b,processor,\n"


def _values(tmp_path, value_cells: list[str], *, header: str = "value") -> tuple[list, list]:
    """Load links A→B carrying `value_cells`; return (values, [(level, row, read)])."""
    rows = "".join(f'A,B,log,"{v}",{2020 + i}\n' for i, v in enumerate(value_cells))
    links = f"source,target,product,{header},year\n" + rows
    ds = load(write_dataset(tmp_path, enterprises=ENTERPRISES, links=links), year="all")
    notes = [
        (p["level"], p["row"], p["params"]["read"])
        for p in ds.report.problems
        if p["code"] == "ambiguous_number"
    ]
    return ds.links.sort_values("year")["value"].tolist(), notes


def test_a_column_with_a_decimal_comma_reads_its_dots_as_thousands(tmp_path):
    # 22,8 shows the column's mark is the comma: 4.800 is 4800, 1.234.567 is
    # 1234567; 4.800 read either way, so it is noted (row 2) with the value used.
    values, notes = _values(tmp_path, ["4.800", "22,8", "1.234.567"])
    assert values == [4800.0, 22.8, 1234567.0]
    assert notes == [("info", 2, "4800")]


def test_dots_in_groups_of_three_show_the_comma_convention(tmp_path):
    # 1.234.567 can only be thousands: the column's mark is the comma.
    values, notes = _values(tmp_path, ["4.800", "1.234.567"])
    assert values == [4800.0, 1234567.0]
    assert notes == [("info", 2, "4800")]


def test_a_column_with_a_decimal_point_reads_4_800_as_4_8_and_says_so(tmp_path):
    values, notes = _values(tmp_path, ["4.800", "1.5"])
    assert values == [4.8, 1.5]
    assert notes == [("info", 2, "4.8")]


def test_a_column_that_shows_no_mark_warns_for_each_cell_read_either_way(tmp_path):
    # An English header and comma-separated file: the point; but the planner is told.
    values, notes = _values(tmp_path, ["4.800", "12"])
    assert values == [4.8, 12.0]
    assert notes == [("warning", 2, "4.8")]


def test_vietnamese_headers_read_an_undecided_column_the_vietnamese_way(tmp_path):
    values, notes = _values(tmp_path, ["4.800", "12"], header="Giá trị (triệu đồng)")
    assert values == [4800.0, 12.0]
    assert notes == [("warning", 2, "4800")]


def test_text_numbers_in_a_workbook_are_read_the_way_excel_left_them(tmp_path):
    # Excel stores what it reads as a number as a number (kept as it is); text
    # that looks like 4.800 was typed where Excel did not take the dot as a
    # decimal point: four thousand eight hundred, noted.
    book = Workbook()
    sheet = book.active
    sheet.title = "enterprises"
    for row in ENTERPRISES.splitlines():
        sheet.append(row.split(","))
    links = book.create_sheet("links")
    links.append(["source", "target", "product", "value", "year"])
    links.append(["A", "B", "log", "4.800", 2020])
    links.append(["A", "B", "log", 4.8, 2021])
    links.append(["A", "B", "log", "7,5", 2022])
    book.save(tmp_path / "book.xlsx")
    ds = load(tmp_path / "book.xlsx", year="all")
    assert ds.links.sort_values("year")["value"].tolist() == [4800.0, 4.8, 7.5]


PLAIN = ["4.800", "4.8", "12.345", "-1.500", "", "1234.567"]


@pytest.mark.parametrize(
    ("cells", "mark", "expected"),
    [
        # plain numbers, the fast path: one dot at most, no comma
        (PLAIN, ",", [4800, 4.8, 12345, -1500, None, 1234.567]),
        (PLAIN, ".", [4.8, 4.8, 12.345, -1.5, None, 1234.567]),
        # the regular path: commas and groups of dots
        (["1.234,5", "4,8", "1.234.567", "abc"], ",", [1234.5, 4.8, 1234567, None]),
        (["1,234.5", "4,800", "1,234,567", "1e3"], ".", [1234.5, 4800, 1234567, 1000]),
    ],
)  # fmt: skip
def test_both_paths_read_the_same_numbers(cells, mark, expected):
    got = parse_numbers(pd.Series(cells, dtype="str"), decimal=mark).tolist()
    assert [None if pd.isna(g) else g for g in got] == pytest.approx(expected, nan_ok=True)


def test_the_fast_path_agrees_with_the_regular_expressions():
    # The same cells with a comma added to one make the column take the regular path.
    cells = ["4.800", "4.8", "-12.345", "+1.000", "1234.567", "999", ".5", "7."]
    fast = TextNumbers(pd.Series(cells, dtype="str"))
    slow = TextNumbers(pd.Series([*cells, "1,5"], dtype="str"))
    assert fast.simple and not slow.simple
    assert fast.either.tolist() == slow.either[:-1].tolist()
    for mark in ",.":
        assert fast.values(mark).tolist() == slow.values(mark)[:-1].tolist()
    # A dot that cannot group thousands shows a decimal point: 4.8, 1234.567,
    # .5 and 7.; the others read either way or have no dot. The regular path
    # counts the same four, and 1,5's comma.
    assert fast.evidence() == (0, 4)
    assert slow.evidence() == (1, 4)
    assert decimal_evidence(pd.Series(["1.234.567", "1,234,567", "4,800"])) == (1, 1)
