"""Clusters and progress over time (docs/methods.md, "Industrial clusters" and "Progress
over time") on hand-worked two-year data."""

from __future__ import annotations

import json
import math
import shutil

import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.analysis.clusters import cluster_occupancy
from valuechain.analysis.progress import chain_trend, compare, year_trend
from valuechain.cli import main
from valuechain.loading.dataset import load

ENTERPRISES = (
    "id,name,type,outputs,inputs,cluster,land_ha\n"
    "F1,f1,farm,log,,C1,4\nF2,f2,farm,log,,ZZ,\n"
    "P1,p1,processor,,log,C1,3\nP2,p2,processor,,log,C2,2\n"
)
LINKS = (
    "source,target,product,value,year\n"
    "F1,P1,log,10,2021\nF2,EXT,log,5,2021\nF1,P2,log,3,2021\n"
    "F1,P1,log,12,2024\nF2,P1,log,6,2024\n"
)
CLUSTERS = "id,name,area_ha,district\nC1,One,10,A\nC2,Two,,A\n"


@pytest.fixture
def two_years(tmp_path):
    return load(
        write_dataset(tmp_path / "d", enterprises=ENTERPRISES, links=LINKS, clusters=CLUSTERS)
    )


def test_clusters(two_years):
    out = cluster_occupancy(two_years).set_index("cluster")
    # C1: F1 (4 ha) + P1 (3 ha) = 7 of 10 ha = 0.7 ≥ 0.6.
    assert out.loc["C1", ["enterprises", "land_used_ha", "occupancy"]].tolist() == [2, 7.0, 0.7]
    assert out.loc["C1", "meets_target"] is True
    # C2 has no area: occupancy and the target are unknown, not 0.
    assert math.isnan(out.loc["C2", "occupancy"]) and out.loc["C2", "meets_target"] is None
    assert (
        cluster_occupancy(two_years, target=0.8).set_index("cluster").loc["C1", "meets_target"]
        is False
    )
    report = two_years.report.frame("en")
    assert report.loc[report["column"] == "cluster", ["level", "row"]].values.tolist() == [
        ["warning", 3]
    ]  # F2 names cluster ZZ, which clusters.csv lacks


def test_year_trend(two_years):
    out = year_trend(two_years).set_index("year")
    # 2021: local F1→P1 10 + F1→P2 3 of 18 leaving enterprises; F2 sells only to EXT.
    assert out.loc[2021, ["links", "local_links", "unlinked"]].tolist() == [3, 2, 1]
    assert out.loc[2021, "local_share"] == pytest.approx(13 / 18)
    assert math.isnan(out.loc[2021, "new_local_links"])  # no previous year: null
    # 2024: F1→P1 12 and F2→P1 6, all local; F2→P1 is new, F1→P2 is lost.
    assert out.loc[2024, ["links", "local_links", "local_share", "unlinked"]].tolist() == [
        2,
        2,
        1.0,
        0,
    ]
    assert out.loc[2024, ["new_local_links", "lost_local_links"]].tolist() == [1, 1]


def test_chain_trend(two_years):
    out = chain_trend(two_years).set_index(["year", "chain"])["coupling_score"]
    # timber: completeness 1/9 (only log of the catalog's nine timber products is
    # made). 2021: coverage 1/2, processing 13/18, sourcing 13/13.
    assert out[(2021, "timber")] == pytest.approx(100 * (1 / 9 + 0.5 + 13 / 18 + 1) / 4)
    # 2024: coverage 1, processing 18/18, sourcing 18/18.
    assert out[(2024, "timber")] == pytest.approx(100 * (1 / 9 + 1 + 1 + 1) / 4)


def _split(tmp_path):
    a = write_dataset(
        tmp_path / "a",
        enterprises=ENTERPRISES,
        links="".join(
            [LINKS.splitlines(True)[0]] + [r for r in LINKS.splitlines(True)[1:] if "2021" in r]
        ),
    )
    b = write_dataset(
        tmp_path / "b",
        enterprises=ENTERPRISES,
        links="".join(
            [LINKS.splitlines(True)[0]] + [r for r in LINKS.splitlines(True)[1:] if "2024" in r]
        ),
    )
    return a, b


def test_compare(tmp_path):
    a, b = _split(tmp_path)
    result = compare(load(a), load(b))
    assert result["became_linked"] == ["F2"] and result["became_unlinked"] == []
    assert (result["new_local_links"], result["lost_local_links"]) == (1, 1)
    timber = next(c for c in result["chains"] if c["chain"] == "timber")
    assert timber["delta"] == pytest.approx(100 * (1 - 0.5 + 1 - 13 / 18) / 4)
    assert result["totals"]["a"]["unlinked"] == 1 and result["totals"]["b"]["unlinked"] == 0


def test_compare_and_trend_commands(tmp_path):
    a, b = _split(tmp_path)
    out = json.loads(
        CliRunner().invoke(main, ["compare", str(a), str(b), "--format", "json"]).stdout
    )
    assert set(out) >= {
        "a",
        "b",
        "totals",
        "chains",
        "became_linked",
        "became_unlinked",
        "new_local_links",
        "lost_local_links",
    }
    table = CliRunner().invoke(main, ["--lang", "en", "compare", str(a), str(b)]).stdout
    assert "Producers that found a local buyer (1): F2" in table
    assert "Local links gained: 1; lost: 1" in table
    result = CliRunner().invoke(main, ["--lang", "en", "trend", str(a)])
    assert result.exit_code == 0 and "2021" in result.stdout
    none = write_dataset(
        tmp_path / "n", enterprises="id,name,type\nA,a,farm\n", links="source,target\n"
    )
    result = CliRunner().invoke(main, ["--lang", "en", "trend", str(none)])
    assert result.exit_code == 3 and "the links carry no year" in result.stderr


def test_the_sample_tells_its_story(tmp_path):
    """2021 → 2024 in the bundled sample: producers found local buyers, a workshop
    closed, a new plywood plant buys local logs; the two rounds split into folders
    compare the same way."""
    sample = load()
    trend = year_trend(sample).set_index("year")
    assert list(trend.index) == [2021, 2024]
    assert trend.loc[2024, "unlinked"] < trend.loc[2021, "unlinked"]
    assert trend.loc[2024, "new_local_links"] > trend.loc[2024, "lost_local_links"] > 0
    scores = chain_trend(sample).set_index(["year", "chain"])["coupling_score"]
    assert scores[(2024, "timber")] > scores[(2021, "timber")]
    # Split the rounds into two folders, as two survey rounds would be kept.
    from valuechain.loading.dataset import bundled_sample

    src = bundled_sample()
    rounds = {}
    for year in (2021, 2024):
        folder = tmp_path / str(year)
        folder.mkdir()
        shutil.copy(src / "enterprises.csv", folder)
        lines = (src / "links.csv").read_text(encoding="utf-8").splitlines(True)
        (folder / "links.csv").write_text(
            lines[0] + "".join(r for r in lines[1:] if r.rstrip().endswith(f",{year}")),
            encoding="utf-8",
        )
        rounds[year] = folder
    result = compare(load(rounds[2021]), load(rounds[2024]))
    assert len(result["became_linked"]) > len(result["became_unlinked"])
    assert result["new_local_links"] == trend.loc[2024, "new_local_links"]
    assert result["lost_local_links"] == trend.loc[2024, "lost_local_links"]
    closed = load(rounds[2024]).links
    assert not ((closed["source"] == "CB-BOC-DL") | (closed["target"] == "CB-BOC-DL")).any()


def test_map_draws_links_gained_and_lost(two_years):
    from valuechain.output.map.data import MapOptions, map_payload

    payload = map_payload(two_years.for_year(2024), MapOptions(compare_year=2021))
    changed = sorted((e["from"], e["to"], e["change"]) for e in payload["edges"] if e.get("change"))
    # 2021 → 2024: F2→P1 appeared, F1→P2 disappeared.
    assert changed == [("F1", "P2", "lost"), ("F2", "P1", "gained")]
    assert payload["compare"] == {"year": 2021, "gained": 1, "lost": 1, "lost_drawn": 1}
