"""Real supply-chain topologies nobody on this project wrote (Willems 2008, four
chains from 27 to 2,025 stages): converted to the dataset format (README, "Input: a
dataset"), every command must load them whole and run without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from valuechain.cli import main
from valuechain.output.map import DRAWN_IN_FULL

WILLEMS = Path(__file__).resolve().parent / "fixtures" / "willems"
FILES = sorted(WILLEMS.glob("*.csv"))
TYPE = {
    "Part": "farm",
    "Manuf": "processor",
    "Dist": "service",
    "Trans": "service",
    "Retail": "service",
}
STAGE = {"Part": 1, "Manuf": 2}


def convert(path: Path, folder: Path) -> tuple[int, int]:
    """A stage is an enterprise making product `p_<stage>`; an arc is a link carrying
    the supplier's product, valued at its stage cost; demand-facing stages sell to
    `EXT:market`. Returns (stages, links written)."""
    raw = pd.read_csv(path, skiprows=1, dtype=str, encoding="utf-8-sig")
    arcs = raw.loc[raw["/arcs/arc/@from"].notna(), ["/arcs/arc/@from", "/arcs/arc/@to"]]
    arcs.columns = ["source", "target"]
    stages = raw.loc[raw["/stages/stage/@stageName"].notna()].copy()
    stages["id"] = stages["/stages/stage/@stageName"]
    kind = stages["/stages/stage/@stageClassification"].fillna("Manuf")
    cost = pd.to_numeric(stages["/stages/stage/@stageCost"], errors="coerce").fillna(1.0)
    cost_of = dict(zip(stages["id"], cost, strict=True))
    inputs = ("p_" + arcs["source"]).groupby(arcs["target"]).agg(";".join)
    ent = pd.DataFrame(
        {
            "id": stages["id"],
            "name": stages["id"],
            "type": kind.map(TYPE).fillna("service"),
            "outputs": "p_" + stages["id"],
            "inputs": stages["id"].map(inputs).fillna(""),
            "output_value": None,
        }
    )
    links = arcs.assign(
        product="p_" + arcs["source"], value=arcs["source"].map(cost_of).fillna(1.0)
    )
    demand = stages.loc[stages["/stages/stage/@avgDemand"].notna(), "id"]
    links = pd.concat(
        [
            links,
            pd.DataFrame(
                {
                    "source": demand,
                    "target": "EXT:market",
                    "product": "p_" + demand,
                    "value": demand.map(cost_of),
                }
            ),
        ]
    )
    products = pd.DataFrame(
        {
            "code": "p_" + stages["id"],
            "name": stages["id"],
            "chain": "willems_" + path.stem,
            "stage": kind.map(STAGE).fillna(3).astype(int),
        }
    )
    folder.mkdir(parents=True)
    ent.drop(columns="output_value").to_csv(folder / "enterprises.csv", index=False)
    links.to_csv(folder / "links.csv", index=False)
    products.to_csv(folder / "products.csv", index=False)
    return len(ent), len(links.drop_duplicates(["source", "target", "product"]))


def test_the_four_topologies_are_in_the_repository():
    # They are fixtures of the repository: a missing file fails, never skips.
    assert [p.stem for p in FILES] == ["05", "09", "12", "38"]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_command_on_a_real_topology(tmp_path, path):
    folder = tmp_path / path.stem
    n_stages, n_links = convert(path, folder)
    run = CliRunner().invoke
    result = run(main, ["--lang", "en", "validate", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.output
    summary = json.loads(run(main, ["summary", str(folder), "--format", "json"]).stdout)
    assert (summary["enterprises"], summary["links"]) == (n_stages, n_links)
    assert summary["rejected_rows"] == 0
    for command in ("unlinked", "gaps", "coupling", "suggest", "linkages"):
        result = run(main, ["--lang", "en", command, str(folder), "--format", "json"])
        assert result.exception is None or isinstance(result.exception, SystemExit), command
        assert result.exit_code in (0, 3), (command, result.output)
        if result.exit_code == 0:
            json.loads(result.stdout)
        else:  # a data limit (e.g. a singular I − A) is said in one line
            assert result.stderr.startswith("Error: "), command
    for command, out in (("map", "m.html"), ("report", "r.html")):
        result = run(main, [command, str(folder), "-o", str(tmp_path / out)])
        assert result.exit_code == 0, (command, result.output)
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert ("Aggregated by" in html or "Bản đồ gộp" in html) == (n_stages > DRAWN_IN_FULL)
