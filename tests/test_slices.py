"""Slices select rows of the whole dataset's analysis; they never re-analyse a
cut-down dataset (`--district`, `--chain`, `--type` on the listings and the map)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from valuechain.analysis.coupling import chain_coupling
from valuechain.analysis.slices import Slice
from valuechain.analysis.unlinked import unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.cli import main
from valuechain.errors import SliceError
from valuechain.loading.dataset import load
from valuechain.output.map.data import MapOptions, map_payload


def _drawn(payload: dict) -> tuple[set, set, dict]:
    """(slice members, faded partners, unlinked flag per member) of a map payload."""
    ent = [n for n in payload["nodes"] if n["group"] != "external"]
    members = {n["id"] for n in ent if not n["context"]}
    context = {n["id"] for n in ent if n["context"]}
    return members, context, {n["id"]: n["unlinked"] for n in ent if not n["context"]}


def test_type_slice_keeps_sales_to_enterprises_outside_it(spec5):
    # The worked example: F1 and F2 sell log to P1 (a processor). The farms' slice must not
    # mark them unlinked: P1 is outside the slice but in the region. Re-analysing
    # the farms alone would leave F1 with no local sale at all.
    payload = map_payload(load(spec5), MapOptions(lang="en", slice=Slice(type="farm")))
    members, context, unlinked = _drawn(payload)
    assert members == {"F1", "F2"}
    assert unlinked == {"F1": False, "F2": False}
    assert "P1" in context  # their buyer, drawn faded
    assert payload["summary"]["unlinked"] == 0
    assert payload["summary"]["enterprises"] == 2 and payload["summary"]["total_enterprises"] == 7


def test_district_slice_equals_the_whole_restricted(spec5):
    # District B holds F3, M1, P2; the whole's unlinked producers are F3 and M1
    # (the worked example, "Unlinked producers"), both in B. Chain scores are the
    # whole's: timber 54.72, metal 50.
    ds = load(spec5)
    payload = map_payload(ds, MapOptions(lang="en", slice=Slice(district="b")))
    members, _context, unlinked = _drawn(payload)
    assert members == {"F3", "M1", "P2"}
    assert {i for i, u in unlinked.items() if u} == {"F3", "M1"}
    scores = {c["chain"]: c["score"] for c in payload["chains"]}
    assert scores["timber"] == pytest.approx(100 * (2 / 3 + 2 / 3 + 0.3 + 150 / 270) / 4)
    assert scores["metal"] == pytest.approx(50.0)


def test_chain_slice_keeps_the_whole_chain_score(spec5):
    # metal: M1 and P2; M1 is isolated; score 100 × (1 + 0) / 2 = 50, not weak.
    payload = map_payload(load(spec5), MapOptions(lang="en", slice=Slice(chain="metal")))
    members, _context, unlinked = _drawn(payload)
    assert members == {"M1", "P2"}
    assert unlinked == {"M1": True, "P2": False}
    assert [(c["chain"], c["score"], c["weak"]) for c in payload["chains"]] == [
        ("metal", 50, False)
    ]


@pytest.mark.parametrize(
    "option,values",
    [("district", ["Chợ Đồn", "Na Rì"]), ("type", ["farm", "forestry"]), ("chain", ["timber"])],
)
def test_every_slice_of_the_sample_equals_the_whole_restricted(option, values):
    """On the sample, for each slice option: unlinked producers, their statuses and
    the chain scores in the slice's map are the whole dataset's restricted to it."""
    ds = load()
    whole_unlinked = unlinked_producers(ds).set_index("id")["status"]
    _, w, _ = resolve_weight(ds.links)
    whole_scores = chain_coupling(ds, w).set_index("chain")["coupling_score"]
    for value in values:
        sl = Slice(**{option: value})
        ids = set(ds.enterprises.loc[sl.mask(ds), "id"])
        payload = map_payload(ds, MapOptions(lang="en", slice=sl))
        members, _context, unlinked = _drawn(payload)
        assert members == ids
        assert {i for i, u in unlinked.items() if u} == set(whole_unlinked.index) & ids
        for c in payload["chains"]:
            assert c["score"] == pytest.approx(whole_scores[c["chain"]], nan_ok=True)
        assert payload["summary"]["unlinked"] == len(set(whole_unlinked.index) & ids)


def test_the_map_and_the_listing_count_the_same_unlinked_producers():
    # The case: the sample's Chợ Đồn map counted 19 where `unlinked
    # --district` counted 15. Both now read the whole dataset's analysis.
    run = CliRunner().invoke
    csv = run(main, ["unlinked", "--district", "Chợ Đồn", "--format", "csv"]).stdout
    n_listing = len(csv.splitlines()) - 1
    payload = map_payload(load(), MapOptions(slice=Slice(district="Chợ Đồn")))
    assert payload["summary"]["unlinked"] == n_listing
    whole = unlinked_producers(load())
    ids = set(load().enterprises.query("district == 'Chợ Đồn'")["id"])
    assert n_listing == len(set(whole["id"]) & ids)


def test_slice_values_match_without_case_or_diacritics_in_either_language():
    ds = load()
    assert Slice(type=("nông nghiệp",)).resolve(ds).types == ("farm",)
    assert Slice(type=("NONG NGHIEP", "Forestry")).resolve(ds).types == ("farm", "forestry")
    assert Slice(type=("lâm nghiệp",)).resolve(ds).types == ("forestry",)
    assert Slice(chain=("Gỗ",)).resolve(ds).chains == ("timber",)
    assert Slice(chain=("go", "TIMBER")).resolve(ds).chains == ("timber",)
    assert Slice(chain=("Lead–zinc",)).resolve(ds).chains == ("lead_zinc",)
    assert Slice(district=("cho don",)).resolve(ds).districts == ("Chợ Đồn",)
    with pytest.raises(SliceError) as err:
        Slice(type="xyz").resolve(ds)
    assert err.value.exit_code == 2
    assert "farm (nông nghiệp)" in err.value.text("vi")


@pytest.mark.parametrize(
    "args,listed",
    [
        (["unlinked", "--type", "xyz"], "farm"),
        (["unlinked", "--district", "Hà Nội"], "Chợ Đồn"),
        (["map", "--chain", "durian", "-o", "{out}"], "timber"),
        (["map", "--district", "nowhere", "-o", "{out}"], "Ba Bể"),
    ],
)
def test_a_slice_value_that_matches_nothing_is_a_usage_error(tmp_path, args, listed):
    out = tmp_path / "m.html"
    args = [a.replace("{out}", str(out)) for a in args]
    result = CliRunner().invoke(main, ["--lang", "en", *args])
    assert result.exit_code == 2
    assert "matches nothing; values present:" in result.stderr and listed in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_vietnamese_labels_are_accepted_on_the_command_line(tmp_path):
    run = CliRunner().invoke
    by_label = run(main, ["unlinked", "--type", "nông nghiệp", "--format", "csv"])
    by_code = run(main, ["unlinked", "--type", "farm", "--format", "csv"])
    assert by_label.exit_code == 0 and by_label.stdout == by_code.stdout
    assert len(by_code.stdout.splitlines()) > 1
    result = run(main, ["map", "--chain", "Gỗ", "-o", str(tmp_path / "t.html")])
    assert result.exit_code == 0 and (tmp_path / "t.html").exists()
