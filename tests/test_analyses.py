"""The analyses of docs/methods.md (unlinked producers to key sectors) on small
hand-built datasets, the edge cases, and a cross-check of
the vectorised code against a straightforward loop implementation."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from tests.conftest import write_dataset
from valuechain.analysis.coupling import chain_coupling, enterprise_chain
from valuechain.analysis.products import missing_stages, product_status
from valuechain.analysis.suggest import suggest_links
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.loading.dataset import load

CATALOG = """code,name,chain,stage,made_from
pm,missing,c,1,
pn,no buyer,c,1,
ps,no supply,c,1,
pw,weak,c,1,
pl,linked,c,1,
pu,unused,c,2,pl
po,own use,d,1,
"""


def _statuses(tmp_path):
    # A makes pm, pn, pw, pl, po; B uses pm, ps, pw, pl; A also uses po (itself alone).
    enterprises = (
        "id,name,type,outputs,inputs\nA,a,farm,pm;pn;pw;pl;po,po\nB,b,processor,,pm;ps;pw;pl\n"
    )
    # pw: local 1 of 1+3 → 0.25 → weak. pl: local 3 of 3+1 → 0.75 → linked.
    links = "source,target,product,value\nA,B,pw,1\nA,EXT,pw,3\nA,B,pl,3\nA,EXT,pl,1\n"
    return load(write_dataset(tmp_path, enterprises=enterprises, links=links, products=CATALOG))


def test_every_product_status(tmp_path):
    ds = _statuses(tmp_path)
    _, w, _ = resolve_weight(ds.links)
    out = product_status(ds, w).set_index("product")
    assert out["status"].to_dict() == {
        "pm": "missing_link",  # producer A, different consumer B, no local link
        "pn": "no_local_buyer",  # producer A, no consumer
        "ps": "no_local_supply",  # consumer B, no producer
        "pw": "weak_link",  # local share 0.25
        "pl": "linked",  # local share 0.75
        "pu": "unused",  # nobody lists it
        "po": "unused",  # A alone makes and uses it: no *different* consumer
    }
    assert out.loc["pw", "local_share"] == pytest.approx(0.25)
    assert out.loc["pl", "local_share"] == pytest.approx(0.75)
    # pu is made from pl, which A makes, and nobody makes pu.
    assert missing_stages(ds).values.tolist() == [["c", "pu", "pl"]]


def test_shares_are_null_when_weights_sum_to_zero(tmp_path):
    ds = load(
        write_dataset(
            tmp_path,
            enterprises="id,name,type\nA,a,farm\nB,b,processor\n",
            links="source,target,value\nA,EXT,0\nB,A,0\n",
        )
    )
    _, w, _ = resolve_weight(ds.links)
    flags = enterprise_flags(ds, w).set_index("id")
    assert math.isnan(flags.loc["A", "local_out_share"])
    # A null share raises no external_dependent flag; A has one buyer (EXT).
    assert flags.loc["A", "flags"] == ["single_buyer"]


def test_ext_labels_count_as_distinct_buyers(tmp_path):
    ds = load(
        write_dataset(
            tmp_path,
            enterprises="id,name,type\nA,a,farm\n",
            links="source,target,value\nA,EXT:x,1\nA,EXT:y,1\nA,ext : x,1\nA,EXT,1\n",
        )
    )
    _, w, _ = resolve_weight(ds.links)
    flags = enterprise_flags(ds, w).set_index("id")
    # EXT:x (twice, "ext : x" is the same label, merged), EXT:y, EXT → 3 buyers.
    assert flags.loc["A", "buyers"] == 3
    assert flags.loc["A", "top_buyer_share"] == pytest.approx(2 / 4)


def test_weight_rule(tmp_path):
    ds = load(
        write_dataset(
            tmp_path,
            enterprises="id,name,type\nA,a,farm\nB,b,processor\n",
            links="source,target,product,volume,value\nA,B,x,2,\nA,EXT,x,6,9\n",
        )
    )
    # One value missing → auto falls to volume (both present).
    assert resolve_weight(ds.links)[0] == "volume"
    name, w, missing = resolve_weight(ds.links, "value")
    assert (name, w.tolist(), missing) == ("value", [0.0, 9.0], 1)
    assert resolve_weight(ds.links, "links")[1].tolist() == [1.0, 1.0]


def test_coupling_components_and_unclassified(tmp_path):
    ds = load(
        write_dataset(
            tmp_path,
            enterprises=(
                "id,name,type,outputs,inputs\nA,a,farm,log,\nB,b,farm,log,\n"
                "C,c,processor,veneer,log\nD,d,farm,durian,\n"
            ),
            links="source,target,product,value\nA,C,log,5\n",
        )
    )
    _, w, _ = resolve_weight(ds.links)
    out = chain_coupling(ds, w).set_index("chain")
    # timber: A–C linked, B alone → 2 components; unclassified (durian): D alone.
    assert out.loc["timber", "components"] == 2
    assert out.loc["unclassified", "components"] == 1
    assert math.isnan(out.loc["unclassified", "completeness"])
    # unclassified: coverage 0 (D unlinked), nothing else → score 0, weak.
    assert out.loc["unclassified", "coupling_score"] == 0 and out.loc["unclassified", "weak"]


def test_enterprise_chain_first_output_then_input(tmp_path):
    ds = load(
        write_dataset(
            tmp_path,
            enterprises=(
                "id,name,type,outputs,inputs\nA,a,farm,orange;log,\nB,b,service,,log\n"
                "C,c,service,,\nD,d,processor,log,orange\n"
            ),
            links="source,target\n",
        )
    )
    # A: first output orange -> citrus; B: no output, first input log -> timber;
    # C: nothing -> none; D: output log (timber) wins over input orange (citrus)
    assert enterprise_chain(ds).tolist() == ["citrus", "timber", "none", "timber"]


def test_suggest_ranking_and_max_km(tmp_path):
    # F1 and F2 both sell log to nobody locally; P is 11.1 km north of F1 (0.1°
    # of latitude) and 22.2 km north of F2; F3 has no position.
    enterprises = (
        "id,name,type,lat,lon,outputs,inputs,capacity\n"
        "F1,f1,forestry,22.0,105.0,log,,10\nF2,f2,forestry,21.9,105.0,log,,99\n"
        "F3,f3,forestry,,,log,,500\nP,p,processor,22.1,105.0,,log,\n"
    )
    ds = load(write_dataset(tmp_path, enterprises=enterprises, links="source,target\n"))
    _, w, _ = resolve_weight(ds.links)
    out = suggest_links(ds, w)
    assert out["source"].tolist() == ["F1", "F2", "F3"]  # nearest first, unknown last
    assert out["km"][0] == pytest.approx(2 * math.pi * 6371.0 * 0.1 / 360, abs=1e-6)
    assert suggest_links(ds, w, max_km=15)["source"].tolist() == ["F1"]
    assert suggest_links(ds, w, top=1)["source"].tolist() == ["F1"]


def test_suggest_ties_broken_by_capacity(tmp_path):
    enterprises = (
        "id,name,type,outputs,inputs,capacity\n"
        "F1,f1,forestry,log,,10\nF2,f2,forestry,log,,99\nP,p,processor,,log,\n"
    )
    ds = load(write_dataset(tmp_path, enterprises=enterprises, links="source,target\n"))
    out = suggest_links(ds, resolve_weight(ds.links)[1])
    assert out["source"].tolist() == ["F2", "F1"]  # no distances: largest capacity first


# --- the vectorised code against plain loops ----------------------------------------

PRODUCTS = ["log", "veneer", "plywood", "orange", "pbzn_ore", "lead_conc"]


def _random_dataset(folder, seed):
    rng = random.Random(seed)
    types = ["farm", "forestry", "mine", "processor", "service"]
    rows, ids = [], [f"E{i}" for i in range(rng.randint(1, 25))]
    for i in ids:
        outs = ";".join(rng.sample(PRODUCTS, rng.randint(0, 2)))
        ins = ";".join(rng.sample(PRODUCTS, rng.randint(0, 2)))
        lat = f"{rng.uniform(21, 23):.4f}" if rng.random() < 0.8 else ""
        rows.append(f"{i},n{i},{rng.choice(types)},{lat},105.5,{outs},{ins}")
    links = []
    for _ in range(rng.randint(0, 40)):
        s = rng.choice(ids + ["EXT", "EXT:a"])
        t = rng.choice(ids + ["EXT:b"])
        if s != t and not (s.startswith("EXT") and t.startswith("EXT")):
            links.append(f"{s},{t},{rng.choice(PRODUCTS)},{rng.randint(0, 50)}")
    return load(
        write_dataset(
            folder,
            enterprises="id,name,type,lat,lon,outputs,inputs\n" + "\n".join(rows) + "\n",
            links="source,target,product,value\n" + "\n".join(links) + "\n",
        )
    )


def _reference_unlinked(ds):
    ents = ds.enterprises.to_dict("records")
    links = ds.links.to_dict("records")
    out = {}
    for e in ents:
        if e["type"] not in ("farm", "forestry", "mine"):
            continue
        mine = [lk for lk in links if lk["source"] == e["id"]]
        if any(lk["local"] for lk in mine):
            continue
        outs = set(filter(None, e["outputs"].split(";")))
        cands = [
            c
            for c in ents
            if c["id"] != e["id"] and outs & set(filter(None, c["inputs"].split(";")))
        ]
        out[e["id"]] = ("external_only" if mine else "isolated", len(cands))
    return out


def _reference_status(ds, w):
    links = ds.links.assign(w=w)
    status = {}
    for code in ds.products["code"]:
        prod = {
            e
            for e, p, r in ds.offers[["id", "product", "role"]].values
            if p == code and r == "output"
        }
        cons = {
            e
            for e, p, r in ds.offers[["id", "product", "role"]].values
            if p == code and r == "input"
        }
        mine = links[(links["product"] == code) & ~links["source_ext"]]
        n_local = int(mine["local"].sum())
        total = mine["w"].sum()
        share = mine.loc[mine["local"], "w"].sum() / total if total else float("nan")
        if any(p != c for p in prod for c in cons) and n_local == 0:
            status[code] = "missing_link"
        elif prod and not cons:
            status[code] = "no_local_buyer"
        elif cons and not prod:
            status[code] = "no_local_supply"
        elif n_local and share < 0.5:
            status[code] = "weak_link"
        elif n_local:
            status[code] = "linked"
        else:
            status[code] = "unused"
    return status


@pytest.mark.parametrize("seed", range(25))
def test_vectorised_matches_loops(tmp_path, seed):
    ds = _random_dataset(tmp_path, seed)
    _, w, _ = resolve_weight(ds.links)
    got = unlinked_producers(ds)
    assert {r.id: (r.status, r.candidates) for r in got.itertuples()} == _reference_unlinked(ds)
    status = product_status(ds, w)
    assert dict(zip(status["product"], status["status"], strict=True)) == _reference_status(ds, w)
    # Every analysis runs on every random dataset without error.
    chain_coupling(ds, w)
    suggest_links(ds, w)
    assert isinstance(enterprise_flags(ds, w), pd.DataFrame)


def _reference_flags(ds, w):
    """Figures and flags per enterprise (methods, "Enterprise flags"), by loops over the links."""
    links = [
        dict(r, w=float(x) if x == x else 0.0)
        for r, x in zip(ds.links.to_dict("records"), w, strict=True)
    ]
    ents = ds.enterprises.to_dict("records")
    out = {}
    for e in ents:
        sold = [lk for lk in links if lk["source"] == e["id"]]
        bought = [lk for lk in links if lk["target"] == e["id"]]
        if not sold and not bought:
            continue
        nan = float("nan")
        total = sum(lk["w"] for lk in sold)
        per_buyer = {}
        for lk in sold:
            per_buyer[lk["target"]] = per_buyer.get(lk["target"], 0.0) + lk["w"]
        out_share = sum(lk["w"] for lk in sold if lk["local"]) / total if total else nan
        top = max(per_buyer.values()) / total if sold and total else nan
        in_share, imports = nan, False
        if e["type"] == "processor" and bought:
            in_total = sum(lk["w"] for lk in bought)
            local_in = sum(lk["w"] for lk in bought if lk["local"])
            in_share = local_in / in_total if in_total else nan
            for lk in bought:
                makers = [
                    o
                    for o in ents
                    if o["id"] != e["id"] and lk["product"] in o["outputs"].split(";")
                ]
                imports |= bool(lk["source_ext"] and lk["product"] and makers)
        flags = []
        if out_share < 0.5:
            flags.append("external_dependent")
        if sold and len(per_buyer) == 1:
            flags.append("single_buyer")
        if imports:
            flags.append("imports_inputs")
        out[e["id"]] = (out_share, len(per_buyer) if sold else None, top, in_share, flags)
    return out


def _reference_coupling(ds, w):
    """Chain coupling (methods, "Chain coupling") by loops: members, shares,
    components (union-find)."""
    chain_of = dict(zip(ds.products["code"], ds.products["chain"], strict=True))
    stage_of = dict(zip(ds.products["code"], ds.products["stage"], strict=True))
    ents = {e["id"]: e for e in ds.enterprises.to_dict("records")}
    links = [
        dict(r, w=float(x) if x == x else 0.0)
        for r, x in zip(ds.links.to_dict("records"), w, strict=True)
    ]
    unlinked = set(_reference_unlinked(ds))
    producers = ("farm", "forestry", "mine")

    def codes(e, column):
        return [c for c in e[column].split(";") if c]

    def ratio(num, den):
        return num / den if den else float("nan")

    out = {}
    for chain in sorted(
        {chain_of[c] for e in ents.values() for c in codes(e, "outputs") + codes(e, "inputs")}
    ):
        members = [
            i
            for i, e in ents.items()
            if any(chain_of[c] == chain for c in codes(e, "outputs") + codes(e, "inputs"))
        ]
        catalog = [
            c
            for c, ch in chain_of.items()
            if ch == chain and c in set(ds.products.loc[ds.products["in_catalog"], "code"])
        ]
        made = [c for c in catalog if any(c in codes(e, "outputs") for e in ents.values())]
        sellers = [
            i
            for i in members
            if ents[i]["type"] in producers
            and any(chain_of[c] == chain for c in codes(ents[i], "outputs"))
        ]
        mine = [lk for lk in links if lk["product"] and chain_of.get(lk["product"]) == chain]
        raw = [
            lk
            for lk in mine
            if stage_of[lk["product"]] == 1
            and lk["source"] in ents
            and ents[lk["source"]]["type"] in producers
        ]
        into = [
            lk for lk in mine if lk["target"] in ents and ents[lk["target"]]["type"] == "processor"
        ]
        shares = [
            ratio(len(made), len(catalog)),
            ratio(sum(i not in unlinked for i in sellers), len(sellers)),
            ratio(
                sum(
                    lk["w"]
                    for lk in raw
                    if lk["local"] and ents[lk["target"]]["type"] == "processor"
                ),
                sum(lk["w"] for lk in raw),
            ),
            ratio(sum(lk["w"] for lk in into if not lk["source_ext"]), sum(lk["w"] for lk in into)),
        ]
        parent = {i: i for i in members}

        def root(i, parent=parent):
            while parent[i] != i:
                i = parent[i]
            return i

        for lk in mine:
            if lk["local"] and lk["source"] in parent and lk["target"] in parent:
                parent[root(lk["source"])] = root(lk["target"])
        known = [x for x in shares if x == x]
        score = 100 * sum(known) / len(known) if known else float("nan")
        out[chain] = (len(members), *shares, len({root(i) for i in members}), score)
    return out


def _same(a, b):
    """Equal, NaN equal to NaN, floats to 1e-9."""
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
        return (a != a and b != b) or abs(a - b) < 1e-9
    return a == b


@pytest.mark.parametrize("seed", range(25))
def test_flags_and_coupling_match_loops(tmp_path, seed):
    ds = _random_dataset(tmp_path, seed)
    _, w, _ = resolve_weight(ds.links)
    flags = enterprise_flags(ds, w)
    expected = _reference_flags(ds, w)
    assert set(flags["id"]) == set(expected)
    for r in flags.itertuples():
        buyers = None if pd.isna(r.buyers) else int(r.buyers)
        got = (r.local_out_share, buyers, r.top_buyer_share, r.local_in_share, r.flags)
        assert all(_same(a, b) for a, b in zip(got, expected[r.id], strict=True)), (r.id, got)
    coupling = chain_coupling(ds, w)
    expected = _reference_coupling(ds, w)
    assert coupling["chain"].tolist() == list(expected)
    for r in coupling.itertuples():
        got = (
            r.enterprises,
            r.completeness,
            r.producer_coverage,
            r.local_processing_rate,
            r.local_sourcing_rate,
            r.components,
            r.coupling_score,
        )
        assert all(_same(a, b) for a, b in zip(got, expected[r.chain], strict=True)), (r.chain, got)


def _reference_score(ds, seller, buyer, product):
    """The evidence score of one (seller, buyer, product) by plain loops over the
    links (docs/methods.md, "Suggested links"), and the km."""
    from valuechain.analysis.evidence import KM_SCALE, UNKNOWN_NEAR, WEIGHTS
    from valuechain.analysis.geo import haversine_km

    ents = {e["id"]: e for e in ds.enterprises.to_dict("records")}
    local = {(s, t, p) for s, t, p, loc in ds.links[["source", "target", "product", "local"]].values
             if loc}  # fmt: skip
    s, b = ents[seller], ents[buyer]
    km = float(haversine_km(s["lat"], s["lon"], b["lat"], b["lon"]))
    near = np.exp(-km / KM_SCALE) if not math.isnan(km) else UNKNOWN_NEAR
    peer_buys = sum(1 for x, t, p in local if t == buyer and p == product
                    and ents[x]["district"] == s["district"])  # fmt: skip
    buys = sum(1 for _x, t, p in local if t == buyer and p == product)
    bought_by = {t for x, t, _p in local if x == seller}
    alike = [t for t in bought_by if ents[t]["district"] == b["district"]]
    sells_like = sum(1 for t in alike if ents[t]["type"] == b["type"])

    def partners(i):
        return {t for x, t, _p in local if x == i} | {x for x, t, _p in local if t == i}

    common = len(partners(seller) & partners(buyer))
    sold = ds.links[(ds.links["source"] == seller) & (ds.links["product"] == product)]
    active = sold["target"].nunique()
    feats = {"near": near, "peer_buys": np.log1p(peer_buys), "buys": np.log1p(buys),
             "sells_like": np.log1p(sells_like), "common": np.log1p(common),
             "active": np.log1p(active)}  # fmt: skip
    score = 0.0
    for name in ("near", "peer_buys", "buys", "sells_like", "common", "active"):
        score += WEIGHTS[name] * feats[name]
    return score, km


def test_features_of_a_few_pairs_equal_those_of_all(tmp_path):
    # A few pairs table only the sales that touch their enterprises: each
    # feature must be the one the dataset's whole tables give.
    from valuechain.analysis.evidence import Evidence, candidates, features
    from valuechain.synthetic import GenerateOptions, generate, write_dataset

    folder = write_dataset(*generate(GenerateOptions(enterprises=1500, seed=5)), tmp_path / "g")
    ev = Evidence.of(load(folder))
    pairs = candidates(ev, keep_existing=True)
    whole = features(ev, pairs, narrow=False)
    rng = np.random.default_rng(0)
    for size in (1, 7, 60):
        few = pairs.iloc[np.sort(rng.choice(len(pairs), size, replace=False))]
        pd.testing.assert_frame_equal(features(ev, few, narrow=True), whole.loc[few.index])
    # The test is not empty: the pairs drawn have common partners and peers.
    assert (whole["common"] > 0).mean() > 0.1 and (whole["peer_buys"] > 0).mean() > 0.05


def _reference_suggest(ds, w):
    """Every qualifying (seller, buyer, product), ranked by the evidence score as
    docs/methods.md says (ties: nearer, unknown distance last, the seller's then
    the buyer's larger capacity, ids), by loops."""
    status = dict(_reference_status(ds, w).items())
    unlinked = set(_reference_unlinked(ds))
    ents = {e["id"]: e for e in ds.enterprises.to_dict("records")}
    local = {(s, t) for s, t, loc in ds.links[["source", "target", "local"]].values if loc}
    rows = []
    for p in ents.values():
        for code in sorted(set(filter(None, p["outputs"].split(";")))):
            if not (p["id"] in unlinked or status.get(code) in ("missing_link", "weak_link")):
                continue
            for c in ents.values():
                if c["id"] == p["id"] or (p["id"], c["id"]) in local:
                    continue
                if code in c["inputs"].split(";"):
                    score, km = _reference_score(ds, p["id"], c["id"], code)
                    cap = p["capacity"] if p["capacity"] == p["capacity"] else -math.inf
                    bcap = c["capacity"] if c["capacity"] == c["capacity"] else -math.inf
                    rows.append((-score, math.isnan(km), km, -cap, -bcap, p["id"], c["id"], code))
    rows.sort(key=lambda r: (r[0], r[1], 0 if r[1] else r[2], *r[3:]))
    return [(r[5], r[6], r[7]) for r in rows], {(r[5], r[6], r[7]): r[2] for r in rows}


@pytest.mark.parametrize("seed", range(25))
def test_suggest_and_nearest_match_brute_force(tmp_path, seed):
    ds = _random_dataset(tmp_path, seed)
    if "capacity" not in ds.enterprises or ds.enterprises["capacity"].isna().all():
        ds.enterprises["capacity"] = range(len(ds.enterprises))
    _, w, _ = resolve_weight(ds.links)
    expected, km = _reference_suggest(ds, w)

    def pairs(frame):
        return list(zip(frame["source"], frame["target"], frame["product"], strict=True))

    def first_each(ranked):  # the best-ranked buyer of each (seller, product)
        seen: set = set()
        return [k for k in ranked if (k[0], k[2]) not in seen and not seen.add((k[0], k[2]))]

    assert pairs(suggest_links(ds, w, top=None, all_buyers=True)) == expected
    assert pairs(suggest_links(ds, w, top=None)) == first_each(expected)
    assert pairs(suggest_links(ds, w, top=5, all_buyers=True)) == expected[:5]
    assert pairs(suggest_links(ds, w, top=5)) == first_each(expected)[:5]
    within = [k for k in expected if km[k] <= 60]
    assert pairs(suggest_links(ds, w, top=None, max_km=60, all_buyers=True)) == within
    assert pairs(suggest_links(ds, w, top=None, max_km=60)) == first_each(within)
    # Nearest candidate distance of each unlinked producer = the brute-force minimum.
    from valuechain.analysis.geo import haversine_km

    ents = ds.enterprises.set_index("id")
    for r in unlinked_producers(ds).itertuples():
        p = ents.loc[r.id]
        outs = set(filter(None, p["outputs"].split(";")))
        dists = [
            float(haversine_km(p["lat"], p["lon"], c["lat"], c["lon"]))
            for cid, c in ents.iterrows()
            if cid != r.id and outs & set(filter(None, c["inputs"].split(";")))
        ]
        dists = [d for d in dists if d == d]
        if dists:
            assert r.nearest_km == pytest.approx(min(dists), abs=1e-6)
        else:
            assert math.isnan(r.nearest_km) and r.nearest_candidate == ""


@pytest.mark.parametrize("seed", range(10))
def test_component_labels_by_search(seed):
    import numpy as np

    from valuechain.analysis import coupling

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    m = int(rng.integers(0, 2 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    if seed == 0:  # a long path numbered against the hooking order
        a, b = np.arange(n - 1, 0, -1), np.arange(n - 2, -1, -1)
    ours = coupling.component_labels(n, a, b)
    # Reference: a plain graph search from each unseen node in ascending order
    # labels its component with that node, the component's smallest.
    near = {i: set() for i in range(n)}
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        near[x].add(y)
        near[y].add(x)
    expected = [-1] * n
    for start in range(n):
        if expected[start] < 0:
            expected[start], todo = start, [start]
            while todo:
                for y in near[todo.pop()]:
                    if expected[y] < 0:
                        expected[y] = start
                        todo.append(y)
    assert ours.tolist() == expected


@pytest.mark.parametrize("bitmap", [0, 2**26])  # told by a sort; marked in a bitmap
def test_distinct_pairs_in_order(bitmap, monkeypatch):
    import numpy as np

    from valuechain.analysis import coupling

    monkeypatch.setattr(coupling, "BITMAP_CELLS", bitmap)
    rng = np.random.default_rng(7)
    chain, row = rng.integers(0, 5, 500), rng.integers(0, 40, 500)
    got_chain, got_row = coupling._distinct_pairs(chain, row, 5, 40)
    expected = sorted(set(zip(chain.tolist(), row.tolist(), strict=True)))
    assert list(zip(got_chain.tolist(), got_row.tolist(), strict=True)) == expected
