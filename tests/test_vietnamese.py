"""Names, numbers and dates the reader's way: Vietnamese by default, English
with --lang en; machine formats unchanged."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from valuechain.cli import main
from valuechain.output.formats import date_text, number_text, percent_text


@pytest.mark.parametrize(
    ("value", "digits", "vi", "en"),
    [(1234.5, 1, "1.234,5", "1,234.5"), (15000, 0, "15.000", "15,000"), (0.5, 2, "0,50", "0.50")],
)
def test_numbers_are_written_the_readers_way(value, digits, vi, en):
    assert number_text(value, "vi", digits) == vi and number_text(value, "en", digits) == en
    # and read back to the same number
    back = float(vi.replace(".", "").replace(",", "."))
    assert back == pytest.approx(value)


def test_percent_and_date():
    assert percent_text(0.758, "vi") == "75,8 %" and percent_text(0.758, "en") == "75.8%"
    day = dt.date(2026, 12, 2)
    assert date_text(day, "vi") == "02/12/2026" and date_text(day, "en") == "2 Dec 2026"
    assert dt.datetime.strptime(date_text(day, "vi"), "%d/%m/%Y").date() == day


def test_tables_show_names_and_vietnamese_numbers():
    out = CliRunner().invoke(main, ["coupling", "--limit", "0"]).stdout
    assert out.splitlines()[0] == "Trọng số: giá trị (triệu đồng) · Năm: 2024"
    assert "Gỗ " in out and "timber" not in out  # the chain's name, not its code
    assert re.search(r"\d+,\d %", out)  # 75,8 %
    csv = CliRunner().invoke(main, ["coupling", "--format", "csv"]).stdout
    assert "timber," in csv  # programs read codes and plain numbers


def test_report_and_map_in_vietnamese(tmp_path):
    run = CliRunner().invoke
    assert run(main, ["report", "-o", str(tmp_path / "r.html")]).exit_code == 0
    report = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r"lập ngày \d\d/\d\d/\d{4}", report)
    assert "trọng số: giá trị" in report and "Gỗ" in report
    assert run(main, ["map", "-o", str(tmp_path / "m.html")]).exit_code == 0
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    summary = re.search(r'<p id="summary">(.*?)</p>', page).group(1)
    assert "chuỗi yếu: Quế, Cam quýt, Sắt, Gỗ" in summary
    assert "trọng số giá trị" in summary and "29 %" in summary


def test_xlsx_analysis_sheets_speak_the_readers_language(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "x.xlsx"
    assert CliRunner().invoke(main, ["export", "--to", "xlsx", "-o", str(out)]).exit_code == 0
    book = load_workbook(out, read_only=True)
    sheet = book["Liên kết chuỗi 2024"]
    values = {c for row in sheet.iter_rows(min_row=2, values_only=True) for c in row}
    assert {"có", "không"} <= values and not any(isinstance(v, bool) for v in values)
    statuses = {
        r[-1] for r in book["Tình trạng sản phẩm 2024"].iter_rows(min_row=2, values_only=True)
    }
    assert "liên kết yếu" in statuses and "weak_link" not in statuses


def test_another_regions_report_cites_no_bac_kan_resolution(tmp_path):
    import shutil

    from valuechain.loading.dataset import bundled_sample

    other = tmp_path / "tinh_khac"
    shutil.copytree(bundled_sample(), other)
    (other / "about.csv").unlink()  # the sample's own words about itself
    run = CliRunner().invoke
    assert run(main, ["report", str(other), "-o", str(tmp_path / "o.html")]).exit_code == 0
    page = (tmp_path / "o.html").read_text(encoding="utf-8")
    assert "nghị quyết" not in page.lower() and "MINH HOẠ" not in page
    assert "tinh_khac" in page  # titled by its own folder
    assert run(main, ["report", "-o", str(tmp_path / "s.html")]).exit_code == 0
    assert "Mục tiêu của Nghị quyết" in (tmp_path / "s.html").read_text(encoding="utf-8")


# English a Vietnamese page must not show. Codes a program reads (column names
# in the load report, commands) are not prose, so the list is of words that
# only prose and labels use.
ENGLISH = re.compile(
    r"\b(the|and|of|for|with|from|to|by|is|are|value|volume|weight|links?|chain|producers?|"
    r"enterprises?|share|total|local|outside|suggested|status|weak|missing|none|all|"
    r"true|false|nan|None|auto|timber|lead_zinc|farm_inputs|external_only|single_buyer)\b"
)


def _visible(page: str) -> str:
    """The text a reader sees in the page's HTML (inline SVG charts included)."""
    import html

    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"[\w/]+\.(csv|xlsx|md)\b", " ", text)  # file names are names


def _shown_strings(value) -> list[str]:
    """Every text of the map's data that the page puts on screen: labels, legend,
    tooltips' words (ids, codes and colours are not text for people)."""
    skip = {
        "id",
        "from",
        "to",
        "chain",
        "color",
        "colour",
        "group",
        "shape",
        "locale",
        "lang",
        "weight",
        "key",
        "code",
        "source",
        "target",
        "type_code",
        "dashes",
        "arrows",
    }
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in skip for s in _shown_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _shown_strings(v)]
    return [value] if isinstance(value, str) else []


def test_no_english_where_a_vietnamese_planner_reads(tmp_path):
    import json

    run = CliRunner().invoke
    assert run(main, ["report", "-o", str(tmp_path / "r.html")]).exit_code == 0
    report = _visible((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert ENGLISH.findall(report) == []
    assert "Tổng giá trị (triệu đồng)" in report  # the flows chart's axis, with its unit
    assert re.search(r"\b1\.000\.000\b", report)  # its ticks, the Vietnamese way
    assert run(main, ["map", "-o", str(tmp_path / "m.html")]).exit_code == 0
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert ENGLISH.findall(_visible(page)) == []
    data = json.loads(re.search(r'id="vc-data">(.*?)</script>', page, re.S).group(1))
    words = ENGLISH.findall(
        " ".join(
            _shown_strings(data["strings"])
            + _shown_strings([n.get("label", "") for n in data["nodes"]])
        )
    )
    assert words == []
    assert data["strings"]["flow_out"] == "Lưu lượng bán (triệu đồng)"


def test_every_key_built_from_a_name_exists_in_both_languages(spec5):
    """Headers are `col_` + a column, values `val_` + a status, flag, reason or
    action: every one the listings can print has its words (TEXT holds both
    languages by construction), and the bundled catalog names every product and
    chain in both."""
    import json

    from valuechain.analysis.critical import CRITICAL_COLUMNS
    from valuechain.analysis.districts import DISTRICT_COLUMNS
    from valuechain.analysis.priorities import PRIORITY_COLUMNS
    from valuechain.analysis.products import STATUSES
    from valuechain.i18n import TEXT
    from valuechain.loading.catalog import chain_names, default_catalog_path

    run = CliRunner().invoke
    columns = set(CRITICAL_COLUMNS) | set(DISTRICT_COLUMNS) | set(PRIORITY_COLUMNS)
    for command in ("unlinked", "gaps", "coupling", "suggest", "linkages", "clusters", "trend"):
        out = run(main, [command, "--format", "csv"]).stdout
        columns |= set(out.splitlines()[0].split(","))
    assert sorted(c for c in columns if "col_" + c not in TEXT) == []
    values = set(STATUSES) | {"isolated", "external_only", "existing_buyer", "new_buyer",
                              "no_local_user", "missing_stage", "critical", "connect",
                              "attract", "protect", "unlinked"}  # fmt: skip
    flags = json.loads(run(main, ["gaps", "--format", "json"]).stdout)["enterprises"]
    values |= {f for row in flags for f in row["flags"]}
    assert sorted(v for v in values if "val_" + v not in TEXT) == []
    catalog = pd.read_csv(default_catalog_path(), dtype=str, keep_default_na=False)
    assert (catalog["name"] != "").all() and (catalog["name_en"] != "").all()
    chains = chain_names()
    assert set(catalog["chain"]) <= set(chains["code"])
    assert (chains["name"] != "").all() and (chains["name_en"] != "").all()
