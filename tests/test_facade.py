"""`import valuechain as vc` is the library, and it answers like the command line."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import valuechain as vc
from valuechain.cli import main
from valuechain.output.formats import to_csv

README = Path(__file__).resolve().parent.parent / "README.md"


def _library_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## As a library") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_snippet_runs_and_gives_the_command_lines_numbers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "graphs").mkdir()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_library_snippet(), "README", "exec"), {})
    assert (tmp_path / "graphs" / "linkage_map.html").stat().st_size > 10_000
    csv = CliRunner().invoke(main, ["unlinked", "--format", "csv"]).stdout
    n_cli = len(csv.splitlines()) - 1
    assert f"[{n_cli} rows x 9 columns]" in out.getvalue()
    assert n_cli == 55  # the README's comment says so


def test_library_equals_command_line_on_a_two_year_dataset():
    # The sample has two survey rounds (2021, 2024): both sides use 2024.
    ds = vc.load()
    assert ds.years == [2021, 2024] and ds.year == 2024
    run = CliRunner().invoke
    for args, frame in [
        (["unlinked"], vc.unlinked_producers(ds)),
        (["coupling"], vc.chain_coupling(ds, weight="auto")),
        (["gaps"], vc.product_status(ds, weight="auto")),
        (["coupling", "--weight", "links"], vc.chain_coupling(ds, weight="links")),
        (["unlinked", "--year", "2021"], vc.unlinked_producers(vc.load(year=2021))),
    ]:
        # Whole frames: the command's csv is, byte for byte, the library's frame
        # written by the one csv writer (every row, column and cell; no filter,
        # order or rounding of the command's own).
        assert len(frame) > 0, args
        assert run(main, [*args, "--format", "csv"]).stdout == to_csv(frame), args
    pooled = vc.load(year="all")
    assert pooled.year == "all" and len(pooled.links) > len(ds.links)


def test_help_answers_without_pandas():
    # --help is the first thing a planner runs: it must not wait for pandas
    # (0.1 s instead of 0.5 s). valuechain.text needs pandas; printable lives apart.
    code = (
        "import sys; from valuechain.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pandas', 'numpy'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage" in out.stdout or "Cách dùng" in out.stdout
    assert out.stderr.strip() == "[]"


def test_importing_the_package_imports_no_analysis():
    code = "import sys, valuechain; print(sorted(m for m in sys.modules if 'pandas' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert set(vc.__all__) >= {
        "load", "unlinked_producers", "enterprise_flags", "product_status", "missing_stages",
        "chain_coupling", "linkage_indices", "suggest_links", "cluster_occupancy",
        "year_trend", "compare", "build_graph", "write_map", "write_report", "export",
    }  # fmt: skip


def test_a_slice_gives_the_library_the_command_lines_rows(tmp_path):
    # Every command that takes --district / --chain / --type: the library given
    # the same `Slice` returns the command's csv, byte for byte (every row, column
    # and cell), and the map the same file.
    ds = vc.load()
    run = CliRunner().invoke
    cho_don = vc.Slice(district="Chợ Đồn")
    for args, frame in [
        (["unlinked", "--district", "Chợ Đồn"], vc.unlinked_producers(ds, slice=cho_don)),
        (
            ["unlinked", "--type", "lâm nghiệp", "--district", "cho don"],
            vc.unlinked_producers(ds, slice=vc.Slice(type="lâm nghiệp", district="cho don")),
        ),
        (
            ["suggest", "--district", "Na Rì", "--chain", "Gỗ"],
            vc.suggest_links(ds, slice=vc.Slice(district="Na Rì", chain="Gỗ")),
        ),
        (["suggest", "--type", "farm"], vc.suggest_links(ds, slice=vc.Slice(type="farm"))),
        (
            ["priorities", "--district", "Na Rì", "--chain", "timber"],
            vc.priorities(ds, slice=vc.Slice(district="Na Rì", chain="timber")),
        ),
    ]:
        assert len(frame) > 0, args
        assert run(main, [*args, "--format", "csv"]).stdout == to_csv(frame), args
    # The slice is the whole region's analysis restricted: Chợ Đồn's unlinked
    # producers are exactly the whole list's rows with that district.
    whole = vc.unlinked_producers(ds)
    mine = vc.unlinked_producers(ds, slice=cho_don)
    assert to_csv(mine) == to_csv(whole[whole["district"] == "Chợ Đồn"].reset_index(drop=True))
    library = vc.write_map(ds, tmp_path / "lib.html", vc.MapOptions(slice=cho_don))
    result = run(main, ["map", "--district", "Chợ Đồn", "-o", str(tmp_path / "cli.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli.html").read_bytes() == library.read_bytes()
