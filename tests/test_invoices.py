"""National e-invoice lines to a region's dataset on Dask (`valuechain invoices`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from valuechain.cli import main
from valuechain.invoices.engine import line_files, read_national, read_registry, run_invoices
from valuechain.invoices.lines import reference_links
from valuechain.loading.dataset import load

if os.environ.get("CI", "").lower() == "true":
    import dask.dataframe  # noqa: F401  (in CI a missing Dask is a failure, not a skip)
    import distributed  # noqa: F401
else:
    pytest.importorskip("distributed", reason="pip install -e '.[test]' installs Dask")

A, B, C, D, E = (f"01000000{k:02d}" for k in range(1, 6))
HEADER = "seller,buyer,date,product,quantity,amount\n"
FIRST = [  # lines/a.csv
    f"{A},{B},2024-01-05,maize,10,1000000",  # 1
    f"{A},{B},15/03/2024,maize,5.5,2500000",  # 2: day/month/year
    f"{A},{B},2023-12-31,maize,1,500000",  # 3: the year before
    f"{A},{C},2024-02-01,maize,2,3000000",  # 4: to Hà Nội
    f"{C},{A},2024-02-02,fertiliser,,700000",  # 5: no quantity
    f"{E},{B},2024-06-01,fertiliser,3,400000",  # 6: E is in no province table
]
SECOND = [  # lines/more/b.csv: another folder, as partitioned exports are
    f"{C},{D},2024-01-01,maize,1,999",  # 7: both outside the region
    f",{B},2024-01-01,maize,1,100",  # 8: no seller
    f"{A},,2024-01-01,maize,1,100",  # 9: no buyer
    f"{A},{B},31/02/2024,maize,1,100",  # 10: no such day
    f"{A},{B},2024-01-01,maize,1,abc",  # 11: unreadable amount
    f"0100 000 001,{B},2024-07-07,maize,0.25,1500000",  # 12: A typed with spaces
]
# Links, each summed by hand:
#   A→B maize 2024: lines 1, 2, 12 — volume 10 + 5.5 + 0.25 = 15.75,
#                   value (1,000,000 + 2,500,000 + 1,500,000) / 10^6 = 5.0
#   A→B maize 2023: line 3 — 1, 0.5
#   A→EXT:Hà Nội maize 2024: line 4 — 2, 3.0
#   EXT:Hà Nội→A fertiliser 2024: line 5 — no volume, 0.7
#   EXT→B fertiliser 2024: line 6 — 3, 0.4
EXPECTED = [
    (A, B, "maize", 1.0, 0.5, 2023),
    (A, B, "maize", 15.75, 5.0, 2024),
    (A, "EXT:Hà Nội", "maize", 2.0, 3.0, 2024),
    ("EXT", B, "fertiliser", 3.0, 0.4, 2024),
    ("EXT:Hà Nội", A, "fertiliser", None, 0.7, 2024),
]
# Read 12: used 7 (1–6, 12); left out one each of five reasons (7–11), none
# for a bad tax code or a line too large.
COUNTS = {"no_seller": 1, "no_buyer": 1, "bad_tax_code": 0, "date": 1, "amount": 1,
          "too_large": 0, "outside": 1}  # fmt: skip


@pytest.fixture
def invoices(tmp_path: Path) -> dict[str, Path]:
    lines = tmp_path / "lines"
    (lines / "more").mkdir(parents=True)
    (lines / "a.csv").write_text(HEADER + "\n".join(FIRST) + "\n", encoding="utf-8")
    (lines / "more" / "b.csv").write_text(HEADER + "\n".join(SECOND) + "\n", encoding="utf-8")
    registry = tmp_path / "registry.csv"
    # A lost its leading zero in a spreadsheet, B was typed with spaces.
    registry.write_text(
        "id,name,type,outputs,inputs\n100000001,Farm A,farm,maize,fertiliser\n"
        " 0100 000 002,Mill B,processor,feed,maize\n",
        encoding="utf-8",
    )
    national = tmp_path / "national.csv"
    national.write_text(
        f"id,province\n{A},Bắc Kạn\n{B},Bắc Kạn\n{C},Hà Nội\n{D},Cao Bằng\n", encoding="utf-8"
    )
    return {"lines": lines, "registry": registry, "national": national}


def _links(folder: Path) -> list[tuple]:
    frame = pd.read_csv(folder / "links.csv", dtype={"source": str, "target": str})
    return [
        (r.source, r.target, r.product, None if pd.isna(r.volume) else r.volume, r.value, r.year)
        for r in frame.itertuples(index=False)
    ]


@pytest.fixture
def port_8787_taken():
    """Dask's default dashboard port held by another program, as on a machine
    where a cluster or notebook already runs: a local cluster must not need it."""
    import socket

    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
        holder.listen()
    except OSError:
        pass  # already taken by someone else: the same situation
    yield
    holder.close()


def test_hand_worked_lines_through_a_local_cluster(invoices, tmp_path, port_8787_taken):
    run = run_invoices(
        invoices["lines"],
        invoices["registry"],
        tmp_path / "region",
        national=invoices["national"],
        workers=1,
        memory_limit="1GiB",
    )
    assert sorted(_links(run.folder), key=str) == sorted(EXPECTED, key=str)
    assert (run.read, run.used, run.left_out, run.links) == (12, 7, COUNTS, 5)
    report = pd.read_csv(run.folder / "invoices_report.csv")
    assert dict(zip(report["lines"], report["count"], strict=True)) == {
        "read": 12,
        "used": 7,
        "credit_notes": 0,
        **COUNTS,
    }
    ds = load(run.folder)  # a dataset every other command reads
    assert sorted(ds.enterprises["id"]) == [A, B] and ds.report.rejected_rows == 0
    assert set(run.workers_peak) and all(p > 0 for p in run.workers_peak.values())


def test_without_the_national_table_outside_parties_are_ext(invoices, tmp_path):
    run = run_invoices(invoices["lines"], invoices["registry"], tmp_path / "r", workers=1)
    targets = {(s, t) for s, t, *_ in _links(run.folder)}
    assert (A, "EXT") in targets and ("EXT", A) in targets
    assert not any(t.startswith("EXT:") for _, t in targets)


def test_the_engine_equals_the_plain_aggregation_chunk_by_chunk(tmp_path):
    from valuechain.invoices.synthetic import write_invoices

    paths = write_invoices(30_000, tmp_path / "inv", seed=5)
    run = run_invoices(
        paths["lines"], paths["registry"], tmp_path / "r", national=paths["national"], workers=2
    )
    ent = read_registry(paths["registry"])
    links, counts = reference_links(
        line_files(paths["lines"]),
        pd.Index(ent["id"]),
        read_national(paths["national"]),
        batch=7_000,
    )
    from valuechain.output.formats import to_csv

    assert (run.folder / "links.csv").read_text(encoding="utf-8") == to_csv(links)
    assert run.read == 30_000 and run.used == counts[""]
    # each unreadable kind, three per part, all counted
    assert {
        k: run.left_out[k] for k in ("no_seller", "no_buyer", "date", "amount")
    } == dict.fromkeys(("no_seller", "no_buyer", "date", "amount"), 3)


def test_without_dask_the_command_says_how_to_get_it(invoices, tmp_path, monkeypatch):
    for name in ("dask", "dask.dataframe", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    result = CliRunner().invoke(
        main,
        [
            "--lang",
            "en",
            "invoices",
            str(invoices["lines"]),
            "--registry",
            str(invoices["registry"]),
            "-o",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 1
    assert "pip install 'valuechain[dask]'" in result.stderr and "Traceback" not in result.output


def test_lines_without_their_columns_are_refused_with_the_file(tmp_path, invoices):
    bad = tmp_path / "bad.csv"
    bad.write_text("seller,buyer,when,total\n1,2,3,4\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "--lang",
            "en",
            "invoices",
            str(bad),
            "--registry",
            str(invoices["registry"]),
            "-o",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 3
    assert "bad.csv" in result.stderr and "date, amount" in result.stderr


def test_the_command_runs_on_a_separately_started_scheduler(invoices, tmp_path):
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    info = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen(
        [
            str(bin_dir / "dask"),
            "scheduler",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(info),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    try:
        for _ in range(300):
            if info.exists() and info.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        worker = subprocess.Popen(
            [
                str(bin_dir / "dask"),
                "worker",
                address,
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-dashboard",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        from distributed import Client

        with Client(address, timeout="20s") as client:
            client.wait_for_workers(1, timeout=60)
        out = tmp_path / "region"
        command = [
            str(bin_dir / "valuechain"), "--lang", "en", "invoices", str(invoices["lines"]),
            "--registry", str(invoices["registry"]), "--national", str(invoices["national"]),
            "-o", str(out), "--scheduler", address,
        ]  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[:2] == [str(out), "Read 12 invoice lines, used 7; 5 links"]
        assert sorted(_links(out), key=str) == sorted(EXPECTED, key=str)
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


def test_a_memory_limit_that_is_not_a_size_is_a_usage_error(invoices, tmp_path):
    args = [
        str(invoices["lines"]),
        "--registry",
        str(invoices["registry"]),
        "-o",
        str(tmp_path / "r"),
    ]
    result = CliRunner().invoke(main, ["--lang", "en", "invoices", *args, "--memory-limit", "lots"])
    assert result.exit_code == 2 and "'lots' is not a size" in result.stderr
    result = CliRunner().invoke(main, ["--lang", "vi", "invoices", *args, "--memory-limit", "2XB"])
    assert result.exit_code == 2 and "không phải một dung lượng" in result.stderr


def test_a_registry_in_another_dress_reads_as_a_dataset_would(tmp_path):
    # UTF-16 with semicolons, as some spreadsheet exports write it; A lost its
    # leading zero, B was typed with spaces.
    path = tmp_path / "registry.csv"
    path.write_text("id;name\n100000001;Nông trại A\n 0100 000 002;Xưởng B\n", encoding="utf-16")
    frame = read_registry(path)
    assert frame["id"].tolist() == [A, B] and frame["name"].tolist() == ["Nông trại A", "Xưởng B"]


def _lines_folder(tmp_path: Path, rows: list[str]) -> Path:
    folder = tmp_path / "odd_lines"
    folder.mkdir()
    (folder / "a.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_amounts_beyond_any_invoice_are_left_out_and_sums_never_wrap(invoices, tmp_path):
    from valuechain.invoices.engine import read_national, read_registry

    big = 10**15  # the bound: a line of exactly 10^15 đồng is used
    rows = [
        f"{A},{B},2024-01-01,maize,1,{10**20}",  # beyond the bound: left out
        f"{A},{B},2024-01-01,maize,1,{5 * 10**18}",  # two that would sum past int64:
        f"{A},{B},2024-01-01,maize,1,{5 * 10**18}",  # each beyond the bound, left out
        *[f"{A},{B},2024-02-02,log,1,{big}"] * 10_000,  # 10^19 đồng in all: past int64
    ]
    folder = _lines_folder(tmp_path, rows)
    region = pd.Index(read_registry(invoices["registry"])["id"])
    national = read_national(invoices["national"])
    links, counts = reference_links(line_files(folder), region, national)
    # 10,000 × 10^15 đồng = 10^19 đồng = 10^13 million đồng, exactly; maize has none.
    assert links[["product", "value", "volume"]].values.tolist() == [["log", 1e13, 10_000.0]]
    assert counts["too_large"] == 3 and counts[""] == 10_000
    run = run_invoices(folder, invoices["registry"], tmp_path / "out", workers=1)
    assert _links(run.folder) == [(A, B, "log", 10_000.0, 1e13, 2024)]
    assert run.left_out["too_large"] == 3


def test_credit_notes_bad_codes_far_dates_and_vietnamese_amounts(invoices, tmp_path):
    rows = [
        f"{A},{B},2024-01-01,maize,2,3.000.000",  # 3,000,000 đồng, the Vietnamese way
        f"{A},{B},2024-01-05,maize,-1,-1.000.000",  # a credit note: netted
        f"01000000A1,{B},2024-01-01,maize,1,100",  # a tax code with a letter
        f"#REF!,{B},2024-01-01,maize,1,100",  # a spreadsheet error for a code
        f"{A},{B},9999-12-31,maize,1,100",  # no invoice's day
    ]
    run = run_invoices(
        _lines_folder(tmp_path, rows), invoices["registry"], tmp_path / "o", workers=1
    )
    # A→B maize 2024: (3,000,000 − 1,000,000) / 10^6 = 2.0 million; volume 2 − 1 = 1.
    assert _links(run.folder) == [(A, B, "maize", 1.0, 2.0, 2024)]
    assert (run.credit_notes, run.left_out["bad_tax_code"], run.left_out["date"]) == (1, 2, 1)
    assert load(run.folder).years == [2024]


def test_the_output_is_a_new_folder_outside_the_lines(invoices, tmp_path):
    run = CliRunner().invoke
    base = [
        "--lang",
        "en",
        "invoices",
        str(invoices["lines"]),
        "--registry",
        str(invoices["registry"]),
    ]
    inside = run(main, [*base, "-o", str(invoices["lines"] / "region")])
    assert inside.exit_code == 2 and "inside the invoice lines folder" in inside.stderr
    assert not (invoices["lines"] / "region").exists()
    # A folder holding an older dataset: refused whole, nothing mixed into it.
    old = tmp_path / "old"
    old.mkdir()
    (old / "about.csv").write_text("key,value\nregion,X\n", encoding="utf-8")
    taken = run(main, [*base, "-o", str(old)])
    assert taken.exit_code == 2 and "already holds files (about.csv)" in taken.stderr
    # A killed run's temporary file is no dataset: removed, and the run goes ahead.
    killed = tmp_path / "killed"
    killed.mkdir()
    (killed / ".links.csv.x1y2.tmp").write_text("half a tab", encoding="utf-8")
    done = run(main, [*base, "-o", str(killed), "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in killed.iterdir()) == [
        "enterprises.csv", "invoices_report.csv", "links.csv",
    ]  # fmt: skip


class _Client:
    """What `_lost` asks of a Dask client: its status, and the scheduler's workers."""

    def __init__(self, status: str, workers: dict) -> None:
        self.status, self._workers = status, workers
        self._scheduler_identity: dict = {}

    def _update_scheduler_info(self, n_workers: int) -> None:
        raise AssertionError("called through sync")

    def sync(self, func, *args, **kwargs) -> dict:
        return {"workers": self._workers}


def test_a_lost_cluster_is_told_in_the_users_language_and_as_it_is():
    from valuechain.invoices.engine import _lost

    cancelled = RuntimeError("2 Futures cancelled")
    gone = _lost(_Client("closed", {}), cancelled)
    alone = _lost(_Client("running", {}), cancelled)
    data = _lost(_Client("running", {"tcp://w1": {}}), cancelled)
    assert gone.text("en") == (
        "the Dask cluster was lost (no scheduler): nothing was written; run again when it is up"
    )
    assert alone.text("vi") == (
        "mất cụm Dask (không còn tiến trình tính toán nào): không ghi gì; chạy lại khi cụm "
        "hoạt động"
    )
    # Workers still up: not "no worker left", but what was lost, and the error's kind.
    assert data.text("en") == (
        "the Dask cluster lost a task's data and could not compute it again (RuntimeError): "
        "nothing was written; run again"
    )
    assert "worker" not in data.text("vi") and "RuntimeError" in data.text("vi")
