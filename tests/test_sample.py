"""The bundled Bắc Kạn sample tells the story the resolution describes."""

from __future__ import annotations

import pytest

from valuechain.analysis.coupling import chain_coupling
from valuechain.analysis.products import missing_stages, product_status
from valuechain.analysis.suggest import suggest_links
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.loading.dataset import load


@pytest.fixture(scope="module")
def sample():
    ds = load()
    name, w, _ = resolve_weight(ds.links)
    assert name == "value"
    return ds, w


def test_timber_and_fruit_chains_are_weak_tea_and_rice_are_not(sample):
    ds, w = sample
    weak = set(chain_coupling(ds, w).query("weak == True")["chain"])
    assert {"timber", "citrus", "iron", "cinnamon"} <= weak
    assert not {"tea", "rice", "arrowroot"} & weak


def test_forestry_sells_logs_raw_while_plywood_plants_import(sample):
    ds, w = sample
    unlinked = unlinked_producers(ds)
    forestry = unlinked[unlinked["type"] == "forestry"]
    assert len(forestry) >= 10  # many forest growers with no local buyer
    assert (forestry["candidates"] > 0).all()  # ... although local mills use logs
    flags = enterprise_flags(ds, w).set_index("id")
    for plant in ("CB-GOVINA", "CB-LECHEN"):
        assert "imports_inputs" in flags.loc[plant, "flags"]
    status = product_status(ds, w).set_index("product")["status"]
    assert status["log"] == "weak_link"
    assert status["iron_ore"] == "no_local_buyer"  # ore leaves the province raw
    assert status["cinnamon_bark"] == "no_local_buyer"
    assert status["cement"] == "no_local_supply"


def test_missing_deep_processing(sample):
    ds, _ = sample
    stages = {(r.product, r._3) for r in missing_stages(ds).itertuples()}
    assert ("mdf", "log") in stages  # the MDF plant that did not proceed
    assert ("iron_conc", "iron_ore") in stages
    assert ("citrus_juice", "orange") in stages


def test_suggestions_are_close_pairs_best_scored_first(sample):
    ds, w = sample
    out = suggest_links(ds, w, top=20, all_sellers=True)
    assert len(out) == 20
    assert out["score"].is_monotonic_decreasing  # the evidence score decides the order
    assert (out["km"] < 10).all()  # nearness weighs most: the best pairs are close
