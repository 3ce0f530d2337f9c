"""csv and json are unrounded: every number a program reads back is the float
computed in memory, bit for bit (the shortest text that reads back to it)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from valuechain.analysis.clusters import cluster_occupancy
from valuechain.analysis.coupling import chain_coupling
from valuechain.analysis.linkages import linkage_indices
from valuechain.analysis.products import product_status
from valuechain.analysis.progress import chain_trend, year_trend
from valuechain.analysis.suggest import suggest_links
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.cli import main
from valuechain.loading.dataset import load


def _listings(ds_all, ds):
    _, w, _ = resolve_weight(ds.links)
    return {
        ("unlinked",): unlinked_producers(ds),
        ("gaps",): product_status(ds, w),
        ("coupling",): chain_coupling(ds, w),
        ("suggest", "--top", "0"): suggest_links(ds, w, top=None),
        ("linkages",): linkage_indices(ds),
        ("linkages", "--by", "district"): linkage_indices(ds, by="district"),
        ("clusters",): cluster_occupancy(ds),
        ("trend",): year_trend(ds_all),
        ("trend", "--by", "chain"): chain_trend(ds_all),
    }


def _same(read: pd.Series, memory: pd.Series, what) -> None:
    if pd.api.types.is_numeric_dtype(memory) and not pd.api.types.is_bool_dtype(memory):
        a = pd.to_numeric(read, errors="raise").to_numpy(dtype=float)
        b = memory.to_numpy(dtype=float, na_value=np.nan)
        assert np.array_equal(a, b, equal_nan=True), what  # exact, not approximately


@pytest.mark.parametrize("which", ["sample", "spec5"])
def test_csv_and_json_read_back_exactly(which, spec5):
    path = None if which == "sample" else spec5
    ds = load(path)
    ds_all = load(path, year="all")
    run = CliRunner().invoke
    base = [] if path is None else [str(path)]
    for command, memory in _listings(ds_all, ds).items():
        if which == "spec5" and command[0] in ("trend", "clusters"):
            continue  # no years, no clusters
        args = [command[0], *base, *command[1:]]
        csv = run(main, [*args, "--format", "csv"])
        assert csv.exit_code == 0, (command, csv.output)
        read = pd.read_csv(io.StringIO(csv.stdout), keep_default_na=False, na_values=[""])
        assert list(read.columns) == list(memory.columns), command
        assert len(read) == len(memory), command
        for column in memory.columns:
            _same(read[column], memory[column], (command, column, "csv"))
        js = run(main, [*args, "--format", "json"])
        payload = json.loads(js.stdout)
        rows = payload["products"] if command[0] == "gaps" else payload["rows"]
        frame = pd.DataFrame(rows, columns=list(memory.columns))
        for column in memory.columns:
            _same(frame[column], memory[column], (command, column, "json"))


def test_a_share_of_three_elevenths_is_written_in_full(tmp_path):
    # One farm sells 3 (value) to a local processor and 8 outside: its local
    # share is 3/11 = 0.272727…, written as Python writes that float.
    from tests.conftest import write_dataset

    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,outputs,inputs\nF,f,farm,log,\nP,p,processor,,log\n",
        links="source,target,product,value\nF,P,log,3\nF,EXT,log,8\n",
    )
    out = CliRunner().invoke(main, ["gaps", str(folder), "--format", "csv"]).stdout
    log = next(line for line in out.splitlines() if line.startswith("log,"))
    assert log.split(",")[6] == repr(3 / 11) == "0.2727272727272727"
    flags = json.loads(CliRunner().invoke(main, ["gaps", str(folder), "--format", "json"]).stdout)
    share = {e["id"]: e["local_out_share"] for e in flags["enterprises"]}["F"]
    assert share == 3 / 11
    assert enterprise_flags is not None
