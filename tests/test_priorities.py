"""Priorities (whom to connect, what to attract, whom to protect): the worked
example's numbers derived by hand, and the vectorised lists against a plain
loop over every producer and product on random datasets."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.analysis.priorities import PRIORITY_COLUMNS, priorities
from valuechain.analysis.slices import Slice
from valuechain.cli import main
from valuechain.loading.dataset import load


def vc_coupling(ds):
    from valuechain.analysis.coupling import chain_coupling

    return chain_coupling(ds).set_index("chain")["coupling_score"]


def test_the_worked_example(spec5):
    frame = priorities(load(spec5), top=None)
    assert list(frame.columns) == PRIORITY_COLUMNS
    connect = frame[frame["action"] == "connect"]
    # F3 sells 200 of log to EXT:A; the nearest user of log is P1, 19.604 km
    # away (F3 at 22.2 N 105.9 E, P1 at 22.05 N 105.8 E), not yet its buyer.
    # F2 sells 150 of log outside; P1 (0.05° of latitude = 5.560 km) already
    # buys from it. M1 is isolated: its ore's user P2, distance unknown (M1 has
    # no position), nothing at stake measured. F1 sells nothing outside.
    assert connect[["rank", "id", "product", "partner", "reason"]].values.tolist() == [
        [1, "F3", "log", "P1", "new_buyer"],
        [2, "F2", "log", "P1", "existing_buyer"],
        [3, "M1", "ore", "P2", "new_buyer"],
    ]
    assert connect["km"].tolist()[:2] == pytest.approx([19.604, 5.560], abs=5e-4)
    assert math.isnan(connect["km"].iloc[2]) and math.isnan(connect["at_stake"].iloc[2])
    assert connect["at_stake"].tolist()[:2] == [200, 150]
    assert connect["partner_name"].tolist() == ["Board mill", "Board mill", "Smelter"]
    # Furniture is made from board; nobody makes furniture; S1 sells 480 of board
    # outside: what a furniture plant could process here.
    attract = frame[frame["action"] == "attract"]
    assert attract[["product", "partner", "at_stake"]].values.tolist() == [
        ["furniture", "board", 480]
    ]
    # Risks (§3.13): P1 and S1 0.7464, F1 0.3086, F2 0.2630, F3 0.1449; M1 and
    # P2 lose nothing (below 0.05).
    protect = frame[frame["action"] == "protect"]
    assert protect["id"].tolist() == ["P1", "S1", "F1", "F2", "F3"]
    assert protect["at_stake"].tolist() == pytest.approx(
        [1030 / 1380, 1030 / 1380, (100 + (1 - 170 / 270) * 880) / 1380, 0.2630, 200 / 1380],
        abs=5e-5,
    )


def test_options_select_lists_rows_and_places(spec5):
    ds = load(spec5)
    only = priorities(ds, actions=("connect",), top=1)
    assert only[["action", "id"]].values.tolist() == [["connect", "F3"]]
    district_a = priorities(ds, slice=Slice(district="a"), top=None)  # case ignored
    assert district_a.loc[district_a["action"] == "connect", "id"].tolist() == ["F2"]
    assert district_a.loc[district_a["action"] == "protect", "id"].tolist() == [
        "P1",
        "S1",
        "F1",
        "F2",
    ]
    # attract counts only what leaves from district A: S1's 480 of board
    assert district_a.loc[district_a["action"] == "attract", "at_stake"].tolist() == [480]
    # From district B no board leaves (S1 is in A): a furniture plant there has
    # nothing at stake, and a priority with nothing at stake is none.
    district_b = priorities(ds, slice=Slice(district="B"), actions=("attract",))
    assert district_b.empty


def test_the_command_line(spec5):
    run = CliRunner().invoke
    out = run(main, ["priorities", str(spec5), "--format", "json"])
    assert out.exit_code == 0, out.stderr
    rows = json.loads(out.stdout)["rows"]
    assert [r["action"] for r in rows].count("connect") == 3
    table = run(main, ["priorities", str(spec5), "--action", "connect"]).stdout
    assert "Board mill" in table and "bên mua mới" in table and "(triệu đồng)" in table
    assert "Giữ vững" not in table
    bad = run(main, ["priorities", str(spec5), "--district", "nowhere"])
    assert bad.exit_code == 2 and "nowhere" in bad.stderr


# --- a plain loop, for random datasets --------------------------------------------


def _km(a, b):
    from valuechain.analysis.geo import haversine_km

    if any(pd.isna(v) for v in (*a, *b)):
        return math.nan
    return float(haversine_km(np.array([a[0]]), np.array([a[1]]), b[0], b[1])[0])


def _plain_connect(ds, w):
    ent = ds.enterprises.set_index("id")
    uses = {}
    for eid, inputs in zip(ds.enterprises["id"], ds.enterprises["inputs"], strict=True):
        for p in filter(None, str(inputs).split(";")):
            uses.setdefault(p, set()).add(eid)
    local = {(s, t_) for s, t_, loc in ds.links[["source", "target", "local"]].values if loc}
    at_stake = {}
    for s, p, ext, wt in zip(ds.links["source"], ds.links["product"], ds.links["target_ext"], w,
                             strict=True):  # fmt: skip
        if ext and s in ent.index and ent.at[s, "type"] in ("farm", "forestry", "mine") and p:
            at_stake[(s, p)] = at_stake.get((s, p), 0.0) + wt
    from valuechain.analysis.unlinked import unlinked_producers

    unl = unlinked_producers(ds)
    for eid in unl.loc[unl["status"] == "isolated", "id"]:
        for p in filter(None, str(ent.at[eid, "outputs"]).split(";")):
            at_stake.setdefault((eid, p), math.nan)

    def capacity(c):
        cap = ent.at[c, "capacity"]
        return -math.inf if pd.isna(cap) else cap

    from tests.test_analyses import _reference_score

    rows = []
    for (s, p), stake in at_stake.items():
        users = [c for c in uses.get(p, ()) if c != s]
        if not users:
            rows.append((s, p, "", math.nan, stake, "no_local_user"))
            continue
        # the best by the evidence score; ties: nearer (unknown last), the
        # larger capacity, then the id
        scored = [(*_reference_score(ds, s, c, p), c) for c in users]
        score, km, best = min(
            scored,
            key=lambda x: (-x[0], math.isnan(x[1]), 0 if math.isnan(x[1]) else x[1],
                           -capacity(x[2]), x[2]),
        )  # fmt: skip
        reason = "existing_buyer" if (s, best) in local else "new_buyer"
        rows.append((s, p, best, km, stake, reason))
    return rows


def _random_dataset(folder, seed):
    rng = np.random.default_rng(seed)
    n = 60
    types = rng.choice(["farm", "forestry", "mine", "processor", "service"], n)
    products = ["a", "b", "c", "d"]
    lines = ["id,name,type,lat,lon,outputs,inputs,capacity"]
    for i in range(n):
        # Some enterprises share a position (ties) and some have none.
        lat, lon = (
            (round(22 + rng.integers(0, 6) * 0.05, 2), 105.8) if rng.random() < 0.85 else ("", "")
        )
        out = rng.choice(products)
        ins = ";".join(rng.choice(products, rng.integers(0, 3), replace=False))
        cap = rng.choice([100, 200, 200, ""])
        lines.append(f"E{i},Firm {i},{types[i]},{lat},{lon},{out},{ins},{cap}")
    links = ["source,target,product,value"]
    for _ in range(90):
        s = f"E{rng.integers(0, n)}"
        t_ = f"E{rng.integers(0, n)}" if rng.random() < 0.5 else "EXT:X"
        links.append(f"{s},{t_},{rng.choice(products)},{rng.integers(1, 50)}")
    return write_dataset(folder, enterprises="\n".join(lines) + "\n", links="\n".join(links) + "\n")


@pytest.mark.parametrize("seed", range(6))
def test_connect_equals_a_plain_loop(tmp_path, seed):
    from valuechain.analysis.weights import link_weights

    ds = load(_random_dataset(tmp_path / f"r{seed}", seed))
    got = priorities(ds, actions=("connect",), top=None)
    expected = _plain_connect(ds, link_weights(ds.links, "auto"))
    got_rows = {
        (r.id, r.product): (r.partner, r.km, r.at_stake, r.reason) for r in got.itertuples()
    }
    assert len(got_rows) == len(expected) == len(got)
    for s, p, partner, km, stake, reason in expected:
        g = got_rows[(s, p)]
        assert (g[0], g[3]) == (partner, reason), (s, p)
        assert (math.isnan(g[1]) and math.isnan(km)) or g[1] == pytest.approx(km, abs=1e-6)
        assert (math.isnan(g[2]) and math.isnan(stake)) or g[2] == pytest.approx(stake)
    # ranked by what is at stake (unknown last), then distance
    stakes = got["at_stake"].fillna(-1).tolist()
    assert stakes == sorted(stakes, reverse=True)


def test_suggestions_one_buyer_per_seller_and_product_with_names_and_value(spec5, tmp_path):
    import shutil

    from valuechain.analysis.suggest import suggest_links

    folder = tmp_path / "two_mills"
    shutil.copytree(spec5, folder)
    with (folder / "enterprises.csv").open("a", encoding="utf-8") as fh:
        fh.write("P3,Veneer shop,processor,B,22.25,105.9,board,log,\n")
    ds = load(folder)
    # Log is a weak link, so every log seller qualifies. F3 (22.2 N 105.9 E)
    # could sell to P3 (0.05° north: 5.56 km) or P1 (19.6 km): by default its
    # best-ranked buyer only. F2 (22.1, 105.8) and F1 (22.0, 105.8) to P3
    # (≈ 19.6 and 29.6 km; P1 buys from both already). value = what the seller
    # sells of log outside now: F3 200, F2 150, F1 nothing (null).
    frame = suggest_links(ds, "value", top=None)
    rows = frame[frame["product"] == "log"]
    assert rows[["source", "target"]].values.tolist() == [["F3", "P3"], ["F2", "P3"], ["F1", "P3"]]
    assert rows["value"].tolist()[:2] == [200, 150] and math.isnan(rows["value"].iloc[2])
    assert rows[["source_name", "target_name", "target_district"]].values.tolist()[0] == [
        "Forest 3",
        "Veneer shop",
        "B",
    ]
    every = suggest_links(ds, "value", top=None, all_buyers=True)
    assert every.loc[every["source"] == "F3", "target"].tolist() == ["P3", "P1"]
    # the first five columns, which other tools read, stay where they were
    assert list(frame.columns[:5]) == ["source", "target", "product", "km", "reason"]
    run = CliRunner().invoke
    out = run(main, ["suggest", str(folder), "--district", "b", "--format", "json"])
    assert {r["source"] for r in json.loads(out.stdout)["rows"]} <= {"F3", "M1", "P3", "P2"}


def test_protect_is_left_to_critical_beyond_a_quick_size(spec5, monkeypatch):
    import valuechain.analysis.priorities as module

    monkeypatch.setattr(module, "IN_DOCUMENTS", 5)  # the example has 7 enterprises
    ds = load(spec5)
    frame = priorities(ds, top=None)
    assert "protect" not in set(frame["action"]) and "connect" in set(frame["action"])
    # handed a critical frame, it lists them again
    from valuechain.analysis.critical import critical_enterprises

    given = priorities(ds, top=None, critical=critical_enterprises(ds, "value")[0])
    assert given.loc[given["action"] == "protect", "id"].tolist()[:2] == ["P1", "S1"]
    result = CliRunner().invoke(main, ["--lang", "en", "priorities", str(spec5)])
    assert "see valuechain critical" in result.stderr


@pytest.mark.parametrize("seed", range(4))
def test_a_short_list_is_the_head_of_the_whole_list(tmp_path, seed):
    # With `top`, only the rows that can reach the first `top` get a best buyer
    # (the rest cannot, whatever their partner's distance): the list must be the
    # whole list's head, ties in the value at stake included. Odd seeds give
    # every link the same value, so most rows tie.
    folder = _random_dataset(tmp_path / f"h{seed}", seed)
    if seed % 2:
        links = pd.read_csv(folder / "links.csv")
        links.assign(value=7).to_csv(folder / "links.csv", index=False)
    ds = load(folder)
    whole = priorities(ds, actions=("connect",), top=None)
    assert len(whole) > 12
    for top in (1, 2, 3, 5, 8, 12, len(whole) - 1, len(whole) + 3):
        short = priorities(ds, actions=("connect",), top=top)
        pd.testing.assert_frame_equal(short, whole.head(top), check_dtype=False)


def test_weak_chains_first_and_no_chain_fills_the_list(tmp_path):
    from tests.conftest import write_dataset

    # Chains tea and rice are strong: T0 and R0 sell much locally (4000, 3000).
    # Five more tea farms and three rice farms sell outside. Chain ore is weak: its
    # one mine sells everything outside (10), and a smelter would buy its ore.
    products = (
        "code,name,chain,stage,made_from\ntea_leaf,Tea leaf,tea,1,\n"
        "dry_tea,Dry tea,tea,2,tea_leaf\npaddy,Paddy,rice,1,\nrice,Rice,rice,2,paddy\n"
        "ore,Ore,ore,1,\ningot,Ingot,ore,2,ore\n"
    )
    tea = "".join(f"T{k},Tea {k},farm,22.0,105.{k},tea_leaf,\n" for k in range(6))
    rice = "".join(f"R{k},Rice {k},farm,21.0,105.{k},paddy,\n" for k in range(4))
    enterprises = (
        "id,name,type,lat,lon,outputs,inputs\n" + tea + rice
        + "P,Tea factory,processor,22.0,105.0,dry_tea,tea_leaf\n"
        "Q,Rice mill,processor,21.0,105.0,rice,paddy\n"
        "M,Mine,mine,22.5,106.0,ore,\nS,Smelter,processor,22.5,106.1,ingot,ore\n"
    )  # fmt: skip
    links = (
        "source,target,product,value\nT0,P,tea_leaf,4000\nR0,Q,paddy,3000\n"
        + "".join(f"T{k},EXT,tea_leaf,{100 * k}\n" for k in range(1, 6))
        + "R1,EXT,paddy,50\nR2,EXT,paddy,60\nR3,EXT,paddy,40\nM,EXT,ore,10\n"
    )  # fmt: skip
    ds = load(write_dataset(tmp_path, enterprises=enterprises, links=links, products=products))
    scores = vc_coupling(ds)
    assert scores["ore"] < 50 <= min(scores["tea"], scores["rice"])
    connect = priorities(ds, actions=("connect",), top=None)
    # The weak ore chain's row first, though least is at stake; then each chain's
    # first three by value (tea 500, 400, 300; rice 60, 50, 40); then tea's
    # rest, which would otherwise have pushed rice out of the top seven.
    assert connect[["id", "at_stake"]].values.tolist() == [
        ["M", 10.0], ["T5", 500.0], ["T4", 400.0], ["T3", 300.0], ["R2", 60.0], ["R1", 50.0],
        ["R3", 40.0], ["T2", 200.0], ["T1", 100.0],
    ]  # fmt: skip
    # A short list is the head of that one, though R3 (40, seventh) is only the
    # eighth strong row by value: its chain's turn brings it before T2 and T1.
    for top in range(1, 10):
        short = priorities(ds, actions=("connect",), top=top)
        assert (
            short[["id", "at_stake"]].values.tolist()
            == connect[["id", "at_stake"]].values.tolist()[:top]
        )


def test_a_shop_is_protected_only_for_what_its_stop_does_to_others(tmp_path):
    from tests.conftest import write_dataset

    # Shop S buys from outside and sells 1,000 outside: its stop loses its own
    # sales (1,000 of 1,000 + 100 + 100 = 83 %) but no one else's. Shop U buys
    # F's 100 of logs: its stop leaves F without its buyer (F keeps 0 %).
    ds = load(
        write_dataset(
            tmp_path,
            enterprises="id,name,type,outputs,inputs\nS,Shop S,service,log,log\n"
            "U,Shop U,service,log,log\nF,Farm F,farm,log,\n",
            links="source,target,product,value\nEXT,S,log,900\nS,EXT,log,1000\nF,U,log,100\n",
        )
    )
    protect = priorities(ds, actions=("protect",), top=None)
    assert "S" not in protect["id"].tolist() and "U" in protect["id"].tolist()
