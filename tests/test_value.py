"""Value added, local content and raw leakage (`valuechain value`): the worked
example of docs/methods.md, every number derived by hand below, through the
library, the command line and the workbook."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

import valuechain as vc
from tests.conftest import write_dataset
from valuechain.cli import main
from valuechain.output.formats import to_csv

ENTERPRISES = """id,name,type,district,outputs,inputs,employees,output_value
F1,Forest one,forestry,A,log,,10,
F2,Forest two,forestry,A,log,,5,100
T1,Log trader,service,B,log,log,2,
P1,Sawmill,processor,B,sawn_wood,log,20,
P2,Veneer plant,processor,A,veneer,log,,30
M1,Mine,mine,B,pbzn_ore,,30,220
"""
LINKS = """source,target,product,value
F1,P1,log,60
F1,EXT:HN,log,40
F2,T1,log,50
T1,EXT:HN,log,70
EXT:TN,P1,log,20
P1,EXT:HN,sawn_wood,150
EXT:TN,P2,log,45
M1,EXT:HN,pbzn_ore,200
"""

# Per enterprise (output = output_value, else the value of its sales):
#   F1: sales 60 + 40 = 100 → output 100; buys nothing        → VA 100
#   F2: output_value 100 (sells 50);       buys nothing       → VA 100
#   T1: sales 70 → output 70;   buys 50 locally (F2)          → VA 70 − 50 = 20
#   P1: sales 150 → output 150; buys 60 locally, 20 outside   → VA 150 − 80 = 70
#   P2: output_value 30;        buys 45 outside               → VA 30 − 45 = −15, flagged
#   M1: output_value 220 (sells 200); buys nothing            → VA 220
ENTERPRISE_ROWS = [
    ("F1", "timber", 1, 100.0, 0.0, 0.0, 100.0, ""),
    ("F2", "timber", 1, 100.0, 0.0, 0.0, 100.0, ""),
    ("T1", "timber", 1, 70.0, 50.0, 0.0, 20.0, ""),
    ("P1", "timber", 2, 150.0, 60.0, 20.0, 70.0, ""),
    ("P2", "timber", 2, 30.0, 0.0, 45.0, -15.0, "negative_value_added"),
    ("M1", "lead_zinc", 1, 220.0, 0.0, 0.0, 220.0, ""),
]
# By chain and stage (a trader of logs is at the logs' stage, 1):
#   lead_zinc 1: M1;        employees 30; output 220; VA 220; per worker 220/30
#   timber 1: F1, F2, T1;   employees 10+5+2 = 17; output 100+100+70 = 270;
#             VA 100+100+20 = 220; per worker 220/17; bought outside 0
#   timber 2: P1, P2;       employees 20 (P2 has no count); output 150+30 = 180;
#             VA 70−15 = 55; per worker: P1's 70 / 20 = 3.5 (P2 left out of
#             both); bought outside 20+45 = 65
STAGE_ROWS = [
    ("lead_zinc", 1, 1, 30.0, 220.0, 220.0, 220 / 30, 0.0),
    ("timber", 1, 3, 17.0, 270.0, 220.0, 220 / 17, 0.0),
    ("timber", 2, 2, 20.0, 180.0, 55.0, 3.5, 65.0),
]
# By chain:
#   timber: VA 220 + 55 = 275; bought outside 65; local content 275 / (275 + 65)
#     raw leakage: stage 1 is F1, F2, T1; they sell logs outside 40 (F1) + 70 (T1)
#     = 110; their output 270 less what they sell one another (F2 → T1, 50) = 220;
#     110 / 220 = 0.5
#   lead_zinc: VA 220; bought outside 0; local content 220 / 220 = 1;
#     raw leakage 200 / 220
CHAIN_ROWS = [
    ("lead_zinc", 220.0, 0.0, 1.0, 200 / 220),
    ("timber", 275.0, 65.0, 275 / 340, 0.5),
]


@pytest.fixture
def example(tmp_path):
    return write_dataset(tmp_path, enterprises=ENTERPRISES, links=LINKS)


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(r) for r in frame[columns].itertuples(index=False)]


def test_the_worked_example_through_the_library(example):
    ds = vc.load(example)
    per = vc.value_added(ds, by="enterprise")
    columns = ["id", "chain", "stage", "output", "bought_local", "bought_outside"]
    # every figure here is a sum of whole numbers: exact
    assert _rows(per, [*columns, "value_added", "flag"]) == ENTERPRISE_ROWS
    stage = vc.value_added(ds, by="stage")
    assert list(stage.columns) == [
        "chain", "stage", "enterprises", "employees", "output", "value_added",
        "value_added_per_worker", "bought_outside",
    ]  # fmt: skip
    for got_row, want in zip(_rows(stage, list(stage.columns)), STAGE_ROWS, strict=True):
        assert got_row[:3] == want[:3]
        assert got_row[3:] == pytest.approx(want[3:])
    chain = vc.value_added(ds, by="chain")
    assert list(chain.columns) == [
        "chain", "value_added", "bought_outside", "local_content", "raw_leakage",
    ]  # fmt: skip
    for got_row, want in zip(_rows(chain, list(chain.columns)), CHAIN_ROWS, strict=True):
        assert got_row[0] == want[0]
        assert got_row[1:] == pytest.approx(want[1:])


def test_the_worked_example_through_the_command_line(example):
    run = CliRunner().invoke
    result = run(main, ["value", str(example), "--by", "chain", "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout))
    for got_row, want in zip(_rows(frame, list(frame.columns)), CHAIN_ROWS, strict=True):
        assert got_row[0] == want[0]
        assert got_row[1:] == pytest.approx(want[1:])
    stage = json.loads(run(main, ["value", str(example), "--format", "json"]).stdout)
    assert stage["weight"] == "value"
    assert [(r["chain"], r["stage"], r["enterprises"]) for r in stage["rows"]] == [
        (c, s, n) for c, s, n, *_ in STAGE_ROWS
    ]
    assert [r["value_added_per_worker"] for r in stage["rows"]] == pytest.approx(
        [r[6] for r in STAGE_ROWS]
    )
    # the table for people: Vietnamese headers, shares as percentages
    table = run(main, ["value", str(example), "--by", "chain"]).stdout
    assert "Tỷ lệ nguyên liệu thô bán ra ngoài tỉnh" in table and "50,0 %" in table


def test_the_worked_example_through_the_workbook(example, tmp_path):
    import openpyxl

    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["export", str(example), "--to", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    rows = list(book["GTGT theo chuỗi"].iter_rows(values_only=True))
    # chains by their Vietnamese names, the same figures as the command line
    assert rows[1][0] == "Chì – kẽm" and rows[2][0] == "Gỗ"
    assert [r[1:] for r in rows[1:]] == [pytest.approx(r[1:]) for r in CHAIN_ROWS]
    stages = list(book["GTGT theo công đoạn"].iter_rows(values_only=True))
    assert [r[1:3] for r in stages[1:]] == [(s, n) for _c, s, n, *_ in STAGE_ROWS]
    assert [r[5] for r in stages[1:]] == [220, 220, 55]


def test_a_slice_keeps_its_enterprises_with_their_whole_region_figures(example):
    ds = vc.load(example)
    # District A: F1, F2, P2. Timber stage 1 is then F1 and F2 only: output 200,
    # VA 200; stage 2 is P2: VA −15, bought outside 45. Raw leakage of the
    # slice: F1 sells 40 outside; F2 sells to T1 (in B: local, not outside);
    # output 200, nothing sold between F1 and F2 → 40 / 200 = 0.2.
    chain = vc.value_added(ds, by="chain", slice=vc.Slice(district="a"))
    assert _rows(chain, ["chain", "value_added", "bought_outside"]) == [("timber", 185.0, 45.0)]
    assert chain["raw_leakage"].tolist() == pytest.approx([0.2])
    assert chain["local_content"].tolist() == pytest.approx([185 / 230])
    only = vc.value_added(ds, by="enterprise", slice=vc.Slice(chain="Chì – kẽm"))
    assert only["id"].tolist() == ["M1"]
    csv = (
        CliRunner()
        .invoke(
            main, ["value", str(example), "--district", "A", "--by", "chain", "--format", "csv"]
        )
        .stdout
    )
    assert csv == to_csv(chain)


def test_no_value_at_all_is_a_clear_refusal(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,outputs\nF1,Farm,farm,log\n",
        links="source,target,product,volume\nF1,EXT,log,5\n",
    )
    result = CliRunner().invoke(main, ["--lang", "en", "value", str(folder)])
    assert result.exit_code == 3
    assert "value added needs values" in result.output
    assert "Traceback" not in result.output


def test_attract_rows_estimate_the_value_a_missing_stage_would_add(example):
    # Missing here: lead and zinc concentrate (stage 2, from the ore M1 sells
    # outside: 200). The region's stage-2 plants of other chains: P1 adds 70 on
    # 60 + 20 = 80 of inputs (0.875 per đồng); P2 adds −15 and is left out; the
    # median is 0.875 → 200 × 0.875 = 175. Stage 3 (chopsticks from logs,
    # furniture from sawn wood): no stage-3 plant anywhere → the assumed 0.25:
    # logs leaving 40 (F1) + 70 (T1) = 110 → 27.5; sawn wood leaving 150 → 37.5.
    frame = vc.priorities(vc.load(example), actions=("attract",), top=None)
    estimate = dict(zip(frame["product"], frame["value_added_estimate"], strict=True))
    assert estimate["lead_conc"] == pytest.approx(175.0)
    assert estimate["zinc_conc"] == pytest.approx(175.0)
    assert estimate["chopsticks"] == pytest.approx(27.5)
    assert estimate["furniture"] == pytest.approx(37.5)
    # connect and protect rows estimate nothing
    rest = vc.priorities(vc.load(example), actions=("connect",), top=None)
    assert len(rest) and rest["value_added_estimate"].isna().all()


def test_the_samples_report_says_where_timber_and_ore_make_their_value(tmp_path):
    # The report's value section: a sentence per weak chain and every chain's
    # local content and raw leakage, the figures of `value --by chain`.
    import re
    from html import unescape

    from valuechain.output.formats import percent_text

    result = CliRunner().invoke(main, ["--lang", "en", "report", "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    text = re.sub(
        r"\s+",
        " ",
        unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", page, flags=re.S))),
    )
    section = text[text.index("Where the value is made") :]
    chains = vc.value_added(vc.load(), by="chain").set_index("chain")
    timber = chains.loc["timber"]
    n = round(100 * timber["local_content"])
    share = percent_text(timber["raw_leakage"], "en", 0)
    assert (
        f"Of each 100 đồng the Timber chain sells, {n} are added in the province; {share} of its "
        "raw output leaves unprocessed: Plantation logs." in section
    )
    for code, name in (("timber", "Timber"), ("iron", "Iron"), ("lead_zinc", "Lead–zinc")):
        # the table's row: name, value added, bought outside, then the two shares
        content = re.escape(percent_text(chains.loc[code, "local_content"], "en"))
        leakage = re.escape(percent_text(chains.loc[code, "raw_leakage"], "en"))
        assert re.search(rf"{name} [\d,\-]+ [\d,]+ {content} {leakage}", section), code


def test_values_without_any_product_or_link(tmp_path):
    """Declared output values, but no link and no product anywhere (a first
    survey of outputs only): each enterprise's value added is still counted,
    and no chain or stage exists."""
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,output_value\nA,a,farm,100\nB,b,processor,250\n",
        links="source,target,value\n",
    )
    ds = vc.load(folder)
    rows = vc.value_added(ds, by="enterprise").set_index("id")
    # Nothing bought: each adds its whole output, A 100 and B 250.
    assert rows["value_added"].to_dict() == {"A": 100.0, "B": 250.0}
    assert rows["chain"].tolist() == ["", ""]
    assert vc.value_added(ds, by="stage").empty and vc.value_added(ds, by="chain").empty
    result = CliRunner().invoke(main, ["--lang", "en", "value", str(folder), "--by", "enterprise"])
    assert result.exit_code == 0, result.stderr
