"""The command line (README, "Command line"): exact text, formats, exit codes, and no traceback on
any dataset `validate` accepts."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.cli import main

COMMANDS = ["validate", "summary", "unlinked", "gaps", "coupling", "suggest", "linkages"]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run("--lang", "en", command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and f"valuechain {command}" in result.stdout
    result = run(command, "--help")  # Vietnamese by default
    assert "Ví dụ:" in result.stdout and f"valuechain {command}" in result.stdout


def test_group_help_lists_every_command():
    out = run("--help").stdout
    assert all(c in out for c in COMMANDS)


def test_usage_error_exits_2():
    assert run("unlinked", "--format", "xml").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_missing_dataset_exits_3_with_one_line(tmp_path):
    result = run("--lang", "en", "summary", str(tmp_path / "nowhere"))
    assert result.exit_code == 3
    assert result.stderr == f"Error: {tmp_path / 'nowhere'}: does not exist\n"
    result = run("summary", str(tmp_path / "nowhere"))  # Vietnamese by default
    assert result.stderr == f"Lỗi: {tmp_path / 'nowhere'}: không tồn tại\n"


def test_the_program_keeps_the_commands_output_and_exit_code(tmp_path, spec5):
    """The installed program (`run`: the command, then an exit without the cycle
    collector's walk) prints what the command printed and exits with its code."""
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "valuechain"]
    assert script.value == "valuechain.cli:run"
    program = [sys.executable, "-m", "valuechain.cli", "--lang", "en"]
    missing = subprocess.run(
        [*program, "summary", str(tmp_path / "nowhere")], capture_output=True, text=True
    )
    assert (missing.returncode, missing.stdout) == (3, "")
    assert missing.stderr == f"Error: {tmp_path / 'nowhere'}: does not exist\n"
    # The worked example's enterprises.csv: F1, F2, F3, M1, P1, P2, S1 = 7 rows;
    # links.csv: 7 rows, of which F1->P1, F2->P1 and P1->S1 are local = 3.
    done = subprocess.run(
        [*program, "summary", str(spec5), "--format", "json"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["enterprises"], summary["links"], summary["local_links"]) == (7, 7, 3)


EDGE = {
    "no_links": (
        "id,name,type,lat,lon,outputs,inputs\nA,a,farm,22,105,log,\nB,b,processor,22.1,105,,log\n",
        "source,target\n",
    ),
    "no_coordinates": (
        "id,name,type,outputs,inputs\nA,a,farm,log,\nB,b,processor,,log\n",
        "source,target,product,value\nA,EXT,log,5\n",
    ),
    "no_values": (
        "id,name,type,outputs,inputs\nA,a,farm,log,\nB,b,processor,,log\n",
        "source,target,product\nA,B,log\nA,EXT,log\n",
    ),
    "single_enterprise": ("id,name,type\nA,a,farm\n", "source,target\n"),
    "only_external": (
        "id,name,type,outputs\nA,a,mine,pbzn_ore\n",
        "source,target,product,volume\nA,EXT:China,pbzn_ore,5\n",
    ),
}


@pytest.mark.parametrize("case", sorted(EDGE))
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_every_command_on_edge_datasets(tmp_path, case, fmt):
    enterprises, links = EDGE[case]
    folder = write_dataset(tmp_path, enterprises=enterprises, links=links)
    for command in COMMANDS:
        args = [command, str(folder)]
        if command != "summary" or fmt == "json":
            args += ["--format", fmt]
        result = run("--lang", "en", *args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command,
            result.output,
        )
        if command == "linkages" and case in (
            "no_links",
            "single_enterprise",
            "no_values",
            "only_external",
        ):
            # No link values: linkage indices cannot be computed (methods, "Key sectors").
            assert result.exit_code == 3 and result.stderr.startswith("Error: "), command
        else:
            assert result.exit_code == 0, (command, result.output)
        if fmt == "json" and result.exit_code == 0:
            json.loads(result.stdout)


def test_unlinked_filters_and_formats(spec5):
    result = run("unlinked", str(spec5), "--type", "mine", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["weight"] == "value" and payload["year"] is None
    assert [r["id"] for r in payload["rows"]] == ["M1"]
    assert payload["rows"][0]["nearest_km"] is None
    result = run("unlinked", str(spec5), "--district", "b", "--format", "csv")
    assert [r["id"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["F3", "M1"]
    assert run("unlinked", str(spec5), "--district", "A", "--format", "csv").stdout == (
        "id,name,type,district,outputs,status,candidates,nearest_candidate,nearest_km\n"
    )


def test_table_is_localised_and_states_the_weight(spec5):
    en = run("--lang", "en", "unlinked", str(spec5)).stdout.splitlines()
    assert en[0] == "Weight: value (million VND)"
    assert en[1].split()[:2] == ["Id", "Name"]
    assert "external only" in en[3]
    vi = run("--lang", "vi", "unlinked", str(spec5)).stdout.splitlines()
    assert (
        vi[0] == "Trọng số: giá trị (triệu đồng)"
    )  # the weight in the reader's words, with its unit
    assert "chỉ bán ra ngoài tỉnh" in vi[3]


def test_long_tables_say_what_was_left_out(spec5):
    out = run("--lang", "en", "gaps", str(spec5), "--limit", "2").stdout
    assert "… 3 more rows (use --limit 0 or --format csv to see all)" in out


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises='id,name,type,outputs\n=cmd,=HYPERLINK("x"),farm,log\n@a,+b,mine,ore\n',
        links="source,target\n",
    )
    rows = list(csv.reader(io.StringIO(run("unlinked", str(folder), "--format", "csv").stdout)))
    assert rows[1][:2] == ["'=cmd", '\'=HYPERLINK("x")']
    assert rows[2][:2] == ["'@a", "'+b"]
    # json keeps ids exactly as loaded.
    payload = json.loads(run("unlinked", str(folder), "--format", "json").stdout)
    assert [r["id"] for r in payload["rows"]] == ["=cmd", "@a"]


def test_explicit_weight_with_missing_numbers_warns(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type\nA,a,farm\n",
        links="source,target,value\nA,EXT,\nA,EXT:b,3\n",
    )
    result = run("--lang", "en", "coupling", str(folder), "--weight", "value")
    assert "--weight value: 1 links have no value, counted as 0" in result.stderr


def test_rejected_rows_are_mentioned_by_analyses(tmp_path):
    folder = write_dataset(
        tmp_path, enterprises="id,name,type\nA,a,farm\nA,dup,farm\n", links="source,target\n"
    )
    result = run("--lang", "en", "unlinked", str(folder))
    assert result.exit_code == 0
    assert "1 rows were rejected while loading; see: valuechain validate" in result.stderr


def test_counts_in_messages_are_written_as_the_reader_writes_numbers(tmp_path):
    """A count in a sentence is written like every figure: 1.234 in Vietnamese,
    1,234 in English. 2,500 farms, 1,200 more rows repeating an id (rejected),
    nobody buying: 2,500 unlinked, of which the table shows 20 (--limit 20)."""
    rows = ["id,name,type,outputs"]
    rows += [f"F{i},Farm {i},farm,log" for i in range(2500)]
    rows += [f"F{i},Again {i},farm,log" for i in range(1200)]  # ids already seen
    folder = write_dataset(tmp_path, enterprises="\n".join(rows) + "\n", links="source,target\n")
    vi = run("unlinked", str(folder), "--limit", "20")
    en = run("--lang", "en", "unlinked", str(folder), "--limit", "20")
    assert vi.exit_code == en.exit_code == 0
    assert "1.200 dòng bị loại khi nạp dữ liệu" in vi.stderr
    assert "1,200 rows were rejected while loading" in en.stderr
    # 2,500 rows listed, 20 shown: 2,500 - 20 = 2,480 more.
    assert "… còn 2.480 dòng nữa" in vi.stdout
    assert "… 2,480 more rows" in en.stdout


def test_summary_of_the_bundled_sample():
    summary = json.loads(run("summary", "--format", "json").stdout)
    assert summary["enterprises"] >= 150 and summary["links"] >= 300
    assert set(summary["by_type"]) == {"farm", "forestry", "mine", "processor", "service"}
    assert len(summary["by_chain"]) >= 6 and len(summary["by_district"]) == 8
    assert summary["local_links"] > 0 and summary["external_links"] > 0
    assert summary["rejected_rows"] == 0
    # the table for people names each figure in words and writes the survey
    # year as a year, not as 2,024; a chain by its name
    table = run("--lang", "en", "summary").stdout
    assert re.search(r"^Year +2024$", table, re.M) and "2,024" not in table
    assert re.search(r"^Chain: Timber +\d+$", table, re.M) and "by_chain" not in table
    vi = run("summary").stdout
    assert re.search(r"^Doanh nghiệp +203$", vi, re.M) and re.search(r"^Chuỗi: Gỗ +\d+$", vi, re.M)


def test_thresholds_are_options(spec5):
    # log's local share is 0.3 and board's 0.4545: below 0.5 both are weak links,
    # below 0.2 neither is.
    rows = list(csv.DictReader(io.StringIO(run("gaps", str(spec5), "--format", "csv").stdout)))
    assert {r["product"]: r["status"] for r in rows}["log"] == "weak_link"
    rows = list(
        csv.DictReader(
            io.StringIO(run("gaps", str(spec5), "--format", "csv", "--weak-share", "0.2").stdout)
        )
    )
    status = {r["product"]: r["status"] for r in rows}
    assert (status["log"], status["board"]) == ("linked", "linked")
    # timber scores 54.72: weak below 55, not below 50.
    rows = list(
        csv.DictReader(
            io.StringIO(run("coupling", str(spec5), "--format", "csv", "--weak-score", "55").stdout)
        )
    )
    assert {r["chain"]: r["weak"] for r in rows} == {"metal": "true", "timber": "true"}


@pytest.mark.parametrize(
    ("by", "sectors"),
    [
        ("type", ["farm", "forestry", "processor", "service"]),
        ("district", ["A", "B"]),
        # metal's M1 and P2 have no links: x = 0, left out.
        ("chain", ["timber"]),
        ("sector", ["farm", "forestry", "processor", "service"]),  # no sector column: type
    ],
)
def test_linkages_by(spec5, by, sectors):
    result = run("linkages", str(spec5), "--by", by, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["sector"] for r in json.loads(result.stdout)["rows"]] == sectors


def test_readme_documents_every_command():
    # Like sqlite-utils' docs test: a command missing from the README fails here.

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"valuechain {name}" in readme or f"`{name}`" in readme, name
        assert "Example:" in (main.commands[name].help or ""), name


def test_verbose_reports_progress(spec5):
    result = run("--lang", "en", "-v", "summary", str(spec5))
    # 7 enterprises and 7 links in the worked example (methods, "The example used throughout").
    assert f"Loading {spec5}" in result.stderr
    assert "Loaded 7 enterprises, 7 links in" in result.stderr
    assert "Loading" not in run("--lang", "en", "summary", str(spec5)).stderr


def test_arrow_pool_is_jemalloc_unless_the_user_chose(monkeypatch):
    import pyarrow as pa

    from valuechain.cli.shared import arrow_pool

    before = pa.default_memory_pool()
    try:
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
        arrow_pool()
        assert pa.default_memory_pool().backend_name == before.backend_name
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
        arrow_pool()
        try:
            pa.jemalloc_memory_pool()
        except NotImplementedError:  # a build without it keeps its pool
            assert pa.default_memory_pool().backend_name == before.backend_name
        else:
            assert pa.default_memory_pool().backend_name == "jemalloc"
    finally:
        pa.set_memory_pool(before)


@pytest.mark.parametrize("command", sorted(main.commands))
def test_help_cites_nothing_the_user_does_not_have(command):
    # No pointer to the project's internal contract, no installation path.
    for lang in ("vi", "en"):
        out = run("--lang", lang, command, "--help").stdout
        assert "SPEC" not in out and "§" not in out, (command, lang)
        assert "site-packages" not in out


def test_the_bundled_sample_is_named_not_located(tmp_path):
    from valuechain.loading.dataset import load

    ds = load()
    # by what its about table says of it
    assert ds.label("vi") == "Bắc Kạn (dữ liệu mẫu minh hoạ)"
    assert ds.source("en").startswith("illustrative, built from public facts about Bắc Kạn")
    out = tmp_path / "m.html"
    assert run("--lang", "en", "map", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Value-chain linkage map — Bắc Kạn (illustrative sample)" in html
    assert "_sample" not in html and "data/bac_kan" not in html
    assert run("-v", "summary").stderr.count("dữ liệu mẫu Bắc Kạn") == 1
