"""The backtest on a two-year dataset small enough to rank by hand, every figure
derived below; and the command line."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.analysis.backtest import backtest
from valuechain.cli import main
from valuechain.loading.dataset import load

# Two farms sell logs; two mills use them. District A: F1 and mill P1, 0.01° of
# longitude apart; district B: F2 and P2, likewise, 0.2° east. E3 only enters in
# 2024. In 2023: F1 → P1 (local), F1 and F2 → outside. In 2024 F2 starts
# selling to P2 and the newcomer E3 to P1.
ENTERPRISES = """id,name,type,district,lat,lon,outputs,inputs,since
F1,Farm 1,farm,A,22.0,105.0,log,,2023
P1,Mill 1,processor,A,22.0,105.01,,log,2023
F2,Farm 2,farm,B,22.0,105.2,log,,2023
P2,Mill 2,processor,B,22.0,105.21,,log,2023
E3,Farm 3,farm,A,22.0,105.02,log,,2024
"""
LINKS = """source,target,product,value,year
F1,P1,log,10,2023
F1,EXT,log,5,2023
F2,EXT,log,5,2023
F1,P1,log,10,2024
F2,P2,log,5,2024
E3,P1,log,3,2024
"""


def test_a_two_year_backtest_worked_by_hand(tmp_path):
    ds = load(write_dataset(tmp_path, enterprises=ENTERPRISES, links=LINKS), year="all")
    frame = backtest(ds, ks=(1, 2, 3))
    # New local links 2023 → 2024: F2 → P2 and E3 → P1 (F1 → P1 went on) = 2;
    # between enterprises present in 2023: F2 → P2 only = 1.
    assert set(frame["new_links"]) == {2} and set(frame["new_between_known"]) == {1}
    got = {
        (r.method, r.k): (r.precision, r.recall, r.average_precision) for r in frame.itertuples()
    }
    # Candidates in 2023 (makers of log F1, F2 × users P1, P2, less F1 → P1 which
    # trades): F1 → P2, F2 → P1, F2 → P2. Their scores (docs/methods.md; km along
    # latitude 22°: 0.01° of longitude = 111.195 × cos 22° × 0.01 = 1.031 km):
    #   F2 → P2: near 4 × exp(−1.031/25) = 3.838; active 1.5 × ln(1 + 1 buyer, EXT)
    #            = 1.040; nothing else → 4.878
    #   F1 → P2: near 4 × exp(−21.65/25) = 1.682; active 1.5 × ln(1 + 2: P1, EXT)
    #            = 1.648 → 3.330
    #   F2 → P1: near 4 × exp(−19.59/25) = 1.827; active 1.040; P1 buys log from
    #            1 seller: 0.2 × ln 2 = 0.139 → 3.006
    # Ranked F2 → P2 (new: a hit), F1 → P2, F2 → P1. precision@1 = 1, @2 = 1/2,
    # @3 = 1/3; recall@k = 1/2 from k = 1 (the newcomer's link cannot be named);
    # average precision = (1/1) / 2 new links = 0.5.
    assert got[("score", 1)] == (1.0, 0.5, 0.5)
    assert got[("score", 2)] == (0.5, 0.5, 0.5)
    assert got[("score", 3)] == pytest.approx((1 / 3, 0.5, 0.5))
    # Nearest: F1's nearest user P1 trades already, so P2 (21.65 km); F2's is P2
    # (1.031 km). Nearest first: F2 → P2 (hit), F1 → P2: precision@1 = 1, @2 =
    # 1/2, @3 = 1/3 (two suggestions only); average precision 1/2 as above.
    assert got[("nearest", 1)] == (1.0, 0.5, 0.5)
    assert got[("nearest", 2)] == (0.5, 0.5, 0.5)
    assert got[("nearest", 3)] == pytest.approx((1 / 3, 0.5, 0.5))
    # Random: 3 compatible triples, 1 of them new: expected precision 1/3 at any
    # k; recall@k = k × 1/3 / 2; average precision (1/3) × (1 found / 2 new) = 1/6.
    for k in (1, 2, 3):
        p, r, ap = got[("random", k)]
        assert (p, r, ap) == pytest.approx((1 / 3, k / 6, 1 / 6))


def test_the_evidence_score_of_the_worked_example():
    # The scores above, through the library.
    import tempfile
    from pathlib import Path

    from valuechain.analysis.backtest import known_at
    from valuechain.analysis.evidence import Evidence, candidates, score_pairs

    with tempfile.TemporaryDirectory() as folder:
        ds = load(write_dataset(Path(folder), enterprises=ENTERPRISES, links=LINKS), year="all")
        ev = Evidence.of(known_at(ds, 2023))
        scored = score_pairs(ev, candidates(ev))
    ids = ev.index.ids
    scores = {
        f"{ids[s]}>{ids[b]}": v
        for s, b, v in zip(scored["s"], scored["b"], scored["score"], strict=True)
    }
    assert scores == pytest.approx({"F2>P2": 4.878, "F1>P2": 3.330, "F2>P1": 3.006}, abs=1e-3)
    assert math.isclose(scored.loc[scored["score"].idxmax(), "km"], 1.031, abs_tol=1e-3)


def test_the_command_line(tmp_path):
    folder = write_dataset(tmp_path, enterprises=ENTERPRISES, links=LINKS)
    run = CliRunner().invoke
    out = run(main, ["backtest", str(folder), "--k", "1,3", "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert (
        lines[0]
        == "from,to,new_links,new_between_known,method,k,precision,recall,average_precision"
    )
    assert lines[1] == "2023,2024,2,1,score,1,1,0.5,0.5"
    one_year = write_dataset(
        tmp_path / "one", enterprises=ENTERPRISES, links=LINKS.replace("2024", "2023")
    )
    refused = run(main, ["--lang", "en", "backtest", str(one_year)])
    assert refused.exit_code == 3 and "needs two survey years" in refused.stderr
    bad = run(main, ["--lang", "en", "backtest", str(folder), "--from", "2024", "--to", "2023"])
    assert bad.exit_code == 2
    bad_k = run(main, ["--lang", "en", "backtest", str(folder), "--k", "ten"])
    assert bad_k.exit_code == 2 and "positive whole numbers" in bad_k.stderr


def test_since_is_read_as_a_year_and_decides_who_was_present(tmp_path):
    from valuechain.analysis.backtest import present_at

    # F1 since 2023; P1 since a date in 2024 (read as 2024, with a note); F2's
    # "soon" is no year (dropped with a warning: present whenever it has links);
    # P2 has none.
    enterprises = ENTERPRISES.replace(
        "processor,A,22.0,105.01,,log,2023", "processor,A,22.0,105.01,,log,01/06/2024"
    )
    enterprises = enterprises.replace("farm,B,22.0,105.2,log,,2023", "farm,B,22.0,105.2,log,,soon")
    enterprises = enterprises.replace(
        "processor,B,22.0,105.21,,log,2023", "processor,B,22.0,105.21,,log,"
    )
    ds = load(write_dataset(tmp_path, enterprises=enterprises, links=LINKS))
    since = ds.enterprises.set_index("id")["since"]
    assert since["F1"] == 2023 and since["P1"] == 2024 and since["E3"] == 2024
    assert since[["F2", "P2"]].isna().all()
    found = {(p["column"], p["code"], p["row"]) for p in ds.report.problems}
    # rows 3 (P1, header is row 1) and 4 (F2)
    assert {("since", "year_from_date", 3), ("since", "bad_year", 4)} <= found
    # An empty `since` counts as present (no year known to say otherwise).
    assert present_at(ds, 2023).tolist() == [True, False, True, True, False]
