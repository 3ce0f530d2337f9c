"""Critical enterprises: the worked example by hand, and the vectorised cascade
against a plain loop on random networks with cycles."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.analysis.critical import critical_enterprises
from valuechain.analysis.weights import resolve_weight
from valuechain.cli import main
from valuechain.loading.dataset import load


def test_the_worked_example(spec5):
    # Sizes (value weight): F1 100, F2 200, F3 200, M1 0, P1 max(400, 270) = 400,
    # P2 0, S1 max(480, 400) = 480; total 1,380. Log is essential to P1 (board is
    # made from log); board is not essential to S1.
    # Stop P1: S1 loses all its purchases (400/400) -> 0; F1 sold all to P1 -> 0,
    #   F2 sold 50 of 200 -> 0.75: risk (400 + 480 + 100 + 50) / 1380, affected 3,
    #   sole buyer of F1 and F2.
    # Stop S1: P1 sold all to S1 -> 0, then F1 -> 0, F2 -> 0.75: the same risk.
    # Stop F1: P1 loses 100 of its 270 of log -> 170/270, S1 then the same:
    #   risk (100 + (100/270) * 880) / 1380, affected 2.
    # Stop F2: P1 and S1 keep 1 - 50/270: risk (200 + (50/270) * 880) / 1380.
    # Stop F3: only itself, 200 / 1380. M1, P2: size 0, nothing depends on them.
    frame, screen = critical_enterprises(load(spec5))
    assert screen.tested == "every" and screen.count == 7
    assert list(frame["id"]) == ["P1", "S1", "F1", "F2", "F3", "M1", "P2"]
    expected = {
        "P1": ((400 + 480 + 100 + 50) / 1380, 3, 2),
        "S1": ((400 + 480 + 100 + 50) / 1380, 3, 0),
        "F1": ((100 + 100 / 270 * 880) / 1380, 2, 0),
        "F2": ((200 + 50 / 270 * 880) / 1380, 2, 0),
        "F3": (200 / 1380, 0, 0),
        "M1": (0.0, 0, 0),
        "P2": (0.0, 0, 0),
    }
    for row in frame.itertuples():
        risk, affected, sole = expected[row.id]
        assert row.risk == pytest.approx(risk, abs=1e-9), row.id
        assert (row.affected, row.sole_buyer_of) == (affected, sole), row.id
    assert round(frame.loc[0, "risk"], 4) == 0.7464  # as the worked example rounds it


def _plain(ds) -> dict[str, tuple[float, int]]:
    """The cascade as written, one enterprise and one link at a time."""
    _, w, _ = resolve_weight(ds.links)
    ids = list(ds.enterprises["id"])
    enterprise = set(ids)
    links = list(zip(ds.links["source"], ds.links["target"], ds.links["product"], w, strict=True))
    sales = {i: 0.0 for i in ids}
    bought_all = {i: 0.0 for i in ids}
    bought = {}
    for s, t, m, x in links:
        if s in enterprise:
            sales[s] += x
        if t in enterprise:
            bought_all[t] += x
            bought[(t, m)] = bought.get((t, m), 0.0) + x
    recipe = {r.code: set(r.made_from) for r in ds.products.itertuples()}
    outputs = ds.offers[ds.offers["role"] == "output"].groupby("id")["product"].agg(list)
    essential = {(j, m) for j in ids for out in outputs.get(j, []) for m in recipe.get(out, set())}
    local = [(s, t, m, x) for s, t, m, x in links if s in enterprise and t in enterprise]
    values = dict(zip(ds.enterprises["id"], ds.enterprises["output_value"], strict=True))
    size = {i: values[i] if pd.notna(values[i]) else max(sales[i], bought_all[i]) for i in ids}
    total = sum(size.values())
    out = {}
    for e in ids:
        hd = {i: 0.0 if i == e else 1.0 for i in ids}
        while True:
            new = {}
            for j in ids:
                if j == e:
                    new[j] = 0.0
                    continue
                lost_m, lost_other = {}, 0.0
                for s, t, m, x in local:
                    if t != j:
                        continue
                    if (j, m) in essential:
                        lost_m[m] = lost_m.get(m, 0.0) + x * (1 - hd[s])
                    else:
                        lost_other += x * (1 - hd[s])
                keep = [1 - lost / bought[(j, m)] for m, lost in lost_m.items()]
                keep.append(1 - lost_other / bought_all[j] if bought_all[j] else 1.0)
                new[j] = max(0.0, min(keep))
            if max(abs(new[i] - hd[i]) for i in ids) <= 1e-13:  # far below the 1e-9 compared
                break
            hd = new
        hu = {i: 0.0 if i == e else 1.0 for i in ids}
        while True:
            new = {}
            for i in ids:
                lost = sum(x * (1 - hu[t]) for s, t, m, x in local if s == i)
                new[i] = 0.0 if i == e else max(0.0, 1 - lost / sales[i] if sales[i] else 1.0)
            if max(abs(new[i] - hu[i]) for i in ids) <= 1e-13:
                break
            hu = new
        h = {i: min(hd[i], hu[i]) for i in ids}
        risk = sum(size[i] * (1 - h[i]) for i in ids) / total if total else 0.0
        out[e] = (risk, sum(1 for i in ids if i != e and h[i] < 0.99))
    return out


def _random_dataset(rng: random.Random, folder):
    products = (
        "code,name,chain,stage,made_from\nraw,r,c,1,\nmid,m,c,2,raw\ntop,t,c,3,mid;raw\n"
        "aux,a,c,1,\n"
    )
    types = ["farm", "forestry", "processor", "processor", "service"]
    n = rng.randint(4, 11)
    ents = ["id,name,type,outputs,inputs,output_value"]
    for i in range(n):
        out = rng.choice(["raw", "mid", "top", "aux", "mid;aux"])
        inp = rng.choice(["", "raw", "mid", "raw;aux", "mid;raw"])
        value = rng.choice(["", "", str(rng.randint(1, 500))])
        ents.append(f"E{i},e{i},{rng.choice(types)},{out},{inp},{value}")
    ids = [f"E{i}" for i in range(n)] + ["EXT", "EXT:X"]
    links = ["source,target,product,value"]
    for _ in range(rng.randint(n, 3 * n)):
        s, t = rng.sample(ids, 2)
        if s.startswith("EXT") and t.startswith("EXT"):
            continue
        links.append(f"{s},{t},{rng.choice(['raw', 'mid', 'top', 'aux'])},{rng.randint(1, 99)}")
    return write_dataset(
        folder, enterprises="\n".join(ents) + "\n", links="\n".join(links) + "\n",
        products=products,
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(25))
def test_the_vectorised_cascade_equals_the_plain_loop(seed, tmp_path):
    ds = load(_random_dataset(random.Random(seed), tmp_path))
    frame, _ = critical_enterprises(ds)
    reference = _plain(ds)
    for row in frame.itertuples():
        risk, affected = reference[row.id]
        assert row.risk == pytest.approx(risk, abs=1e-9), (seed, row.id)
        assert row.affected == affected, (seed, row.id)


def test_above_the_limit_the_screen_tests_by_bound_and_says_so(spec5):
    import json

    # spec5's six enterprises, none of them to be tested in full (every_up_to=0):
    # with top=2 the screen tests SCREEN_BATCH at a time, in bound order, and
    # stops when the next bound is below the second largest risk found.
    frame, screen = critical_enterprises(load(spec5), every_up_to=0, top=2)
    full, every = critical_enterprises(load(spec5))
    assert every.tested == "every" and every.recall is None
    assert screen.tested == "screened" and screen.count == len(frame) <= len(full)
    assert list(frame["id"][:2]) == list(full["id"][:2])  # the true top 2
    result = CliRunner().invoke(main, ["--lang", "en", "critical", str(spec5), "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "id,name,type,district,risk,affected,sole_buyer_of"
    result = CliRunner().invoke(main, ["--lang", "en", "critical", str(spec5), "--format", "json"])
    payload = json.loads(result.stdout)
    assert payload["tested"] == "every" and payload["recall"] is None


def test_a_screened_listing_says_how_and_with_which_recall(spec5, monkeypatch):
    import json

    from valuechain.analysis import critical as module

    monkeypatch.setattr(module, "MAX_SCENARIOS", 3)  # as 40,000 is for a real region
    result = CliRunner().invoke(main, ["--lang", "en", "critical", str(spec5), "--format", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["tested"] == "screened"
    # spec5 has no loop: the series end, the bounds are proven, recall 1.
    assert payload["recall"] == 1.0
    assert "7 enterprises (over 3): tested the 7 with the largest loss bound" in result.stderr
    assert "prove that no untested enterprise is in the top 7" in result.stderr


def test_when_the_candidates_run_out_the_recall_is_what_the_bounds_guarantee(tmp_path):
    import json

    # Two identical chains F1 -> P1, F2 -> P2 (P sells all it makes outside).
    # Stopping F1 costs P1 everything (its sole source of raw) and stopping P1
    # costs F1 everything (its only buyer): all four have the risk
    # (100 + 300) / 800 and the same proven bound. With one candidate the
    # screen tests F1 (ties by id) and cannot stop: F2's bound is not below
    # F1's risk. Three untested bounds reach it, so the one of the top 1 may be
    # missing: recall guaranteed (1 - min(1, 3)) / 1 = 0, and the command says
    # to raise --candidates.
    from valuechain.analysis import critical as module

    folder = write_dataset(
        tmp_path / "d",
        enterprises="id,name,type,outputs,inputs\nF1,f1,farm,raw,\nF2,f2,farm,raw,\n"
        "P1,p1,processor,mid,raw\nP2,p2,processor,mid,raw\n",
        links="source,target,product,value\nF1,P1,raw,100\nF2,P2,raw,100\n"
        "P1,EXT,mid,300\nP2,EXT,mid,300\n",
        products="code,name,chain,stage,made_from\nraw,r,c,1,\nmid,m,c,2,raw\n",
    )
    frame, screen = critical_enterprises(load(folder), every_up_to=0, candidates=1)
    assert list(frame["id"]) == ["F1"] and frame["risk"][0] == pytest.approx(400 / 800)
    assert (screen.stopped, screen.certified, screen.top, screen.recall) == (False, False, 1, 0.0)
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "MAX_SCENARIOS", 0)
        args = ["--lang", "en", "critical", str(folder), "--candidates", "1", "--format", "json"]
        result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert "--candidates ran out before the bounds allowed a stop" in result.stderr
    payload = json.loads(result.stdout)
    assert payload["tested"] == "screened" and payload["recall"] == 0


def test_the_loss_bound_of_a_chain_by_hand(tmp_path):
    # F sells 100 raw to P (and 100 outside); P buys 300 more raw outside and
    # makes mid from raw (essential); P sells 200 mid to S (and 200 outside);
    # S buys only from P. Sizes: F 200, P max(400, 400) = 400, S 200; total 800.
    # D: P <- F 100/400 = 0.25 (essential), S <- P 200/200 = 1 (other).
    # U: F -> P 100/200 = 0.5, P -> S 200/400 = 0.5.
    # z_D = size + Dᵀ z_D: S 200; P 400 + 1·200 = 600; F 200 + 0.25·600 = 350.
    # z_U = size + Uᵀ z_U: F 200; P 400 + 0.5·200 = 500; S 200 + 0.5·500 = 450.
    # bound = (z_D + z_U − size) / 800: F 350/800, P 700/800, S 450/800.
    # A chain without caps or shared inputs: the bound is the risk itself
    # (stop S: P loses 0.5, F 0.25: (200 + 100 + 50)... = 450/800).
    from valuechain.analysis.critical import loss_bounds, network

    folder = write_dataset(
        tmp_path / "d",
        enterprises="id,name,type,outputs,inputs\nF,f,farm,raw,\nP,p,processor,mid,raw\n"
        "S,s,service,,mid\n",
        links="source,target,product,value\nF,P,raw,100\nF,EXT,raw,100\nEXT,P,raw,300\n"
        "P,S,mid,200\nP,EXT,mid,200\n",
        products="code,name,chain,stage,made_from\nraw,r,c,1,\nmid,m,c,2,raw\n",
    )
    ds = load(folder)
    bound, proven = loss_bounds(network(ds, "value"))
    assert proven  # no cycle: the series ends
    by_id = dict(zip(ds.enterprises["id"], bound, strict=True))
    assert by_id == pytest.approx({"F": 350 / 800, "P": 700 / 800, "S": 450 / 800}, abs=1e-12)
    frame, _ = critical_enterprises(ds, "value")
    assert dict(zip(frame["id"], frame["risk"], strict=True)) == pytest.approx(by_id, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_the_screen_finds_the_true_top_where_it_claims_to(seed, tmp_path):
    # Generated networks of 400 enterprises (cycles, several essential inputs):
    # every enterprise tested, then the screen alone. A proven bound is never
    # below the risk; a certified screen holds the true top 5; every risk it
    # tested is the full computation's.
    from valuechain.analysis.critical import loss_bounds, network
    from valuechain.synthetic import GenerateOptions, generate
    from valuechain.synthetic import write_dataset as write

    ents, links = generate(GenerateOptions(enterprises=400, seed=seed, links_per_enterprise=4))
    ds = load(write(ents, links, tmp_path / "g"))
    full, _ = critical_enterprises(ds)
    bound, proven = loss_bounds(network(ds))
    risk = dict(zip(full["id"], full["risk"], strict=True))
    exact = ds.enterprises["id"].map(risk).to_numpy()
    if proven:
        assert (bound >= exact - 1e-12).all()
    frame, screen = critical_enterprises(ds, every_up_to=0, top=5, candidates=400)
    assert screen.count == len(frame) < 400  # it stopped before testing everyone
    for row in frame.itertuples():
        assert row.risk == pytest.approx(risk[row.id], abs=1e-12)
    if screen.certified:
        fifth = full["risk"].iloc[4]
        assert list(frame["risk"][:5]) == pytest.approx(list(full["risk"][:5]), abs=1e-12)
        assert (frame["risk"][:5] >= fifth - 1e-12).all()
    assert screen.certified == proven


def test_seen_where_planners_look(tmp_path):
    # The map's tooltips carry the risk and mark the firms to protect (>= 5 %);
    # the report lists them; the workbook has a sheet of every enterprise's risk.
    import json
    import re

    from openpyxl import load_workbook

    run = CliRunner().invoke
    assert run(main, ["--lang", "en", "map", "-o", str(tmp_path / "m.html")]).exit_code == 0
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="vc-data">(.*?)</script>', page, re.S).group(1))
    marked = {n["id"] for n in data["nodes"] if n.get("critical")}
    frame, _ = critical_enterprises(load())
    assert marked == set(frame.loc[frame["risk"] >= 0.05, "id"]) and "CB-TUYEN-CD" in marked
    assert run(main, ["--lang", "en", "report", "-o", str(tmp_path / "r.html")]).exit_code == 0
    report = (tmp_path / "r.html").read_text(encoding="utf-8")
    section = report[report.index("Firms to protect") : report.index("How well each chain")]
    # (by its name: the report shows names, not codes)
    assert "Xưởng tuyển quặng chì kẽm Chợ Đồn" in section and "42.6%" in section
    assert f"Every one of the {len(load().enterprises)} enterprises was tested" in section
    out = tmp_path / "x.xlsx"
    assert run(main, ["--lang", "en", "export", "--to", "xlsx", "-o", str(out)]).exit_code == 0
    book = load_workbook(out, read_only=True)
    sheet = book["Critical enterprises 2024"]
    assert next(sheet.iter_rows(min_row=2, values_only=True))[0] == "CB-TUYEN-CD"
    summary = dict(book["Summary 2024"].iter_rows(min_row=2, values_only=True))
    assert summary["critical.tested"] == "every"
    assert summary["critical.enterprises_tested"] == len(load().enterprises)
