"""Hostile and broken input: every row loaded or reported, every command ending
in a clear result (exit 0, 2 or 3 with one line), never an internal error."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from valuechain.cli import main
from valuechain.loading.dataset import load

HOSTILE = Path(__file__).parent / "hostile"
CORPUS = sorted(p for p in HOSTILE.iterdir() if p.name not in ("README.md", "invoices"))
INVOICES = sorted(p for p in (HOSTILE / "invoices").iterdir() if p.is_dir())
COMMANDS = [
    ["validate"],
    ["summary", "--format", "json"],
    ["unlinked", "--format", "csv"],
    ["gaps", "--format", "json"],
    ["coupling", "--format", "csv"],
    ["suggest", "--format", "csv"],
    ["linkages", "--format", "csv"],
    ["clusters", "--format", "csv"],
    ["trend", "--by", "chain", "--format", "csv"],
    ["map", "-o", "{out}/map.html"],
    ["report", "-o", "{out}/report.html"],
    ["export", "--to", "xlsx", "-o", "{out}/x.xlsx"],
    ["export", "--to", "geojson", "-o", "{out}/x.geojson"],
    ["export", "--to", "gexf", "-o", "{out}/x.gexf"],
    ["export", "--to", "graphml", "-o", "{out}/x.graphml"],
]


@pytest.mark.parametrize("dataset", CORPUS, ids=lambda p: p.name)
def test_every_command_ends_cleanly_on_hostile_input(dataset, tmp_path):
    for command in COMMANDS:
        args = [a.replace("{out}", str(tmp_path)) for a in command]
        result = CliRunner().invoke(main, ["--lang", "en", args[0], str(dataset), *args[1:]])
        where = (dataset.name, command[0])
        assert result.exit_code in (0, 2, 3), (where, result.output)
        assert "internal error" not in result.output, (where, result.output)
        assert "Traceback" not in result.output, where
        if result.exit_code in (2, 3) and command[0] != "validate":
            errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
            assert len(errors) == 1, (where, result.stderr)


def _report(folder) -> list[tuple]:
    frame = load(folder, year="all").report.frame("en")
    return [(r.level, Path(r.file).name, r.row, r.column, r.message) for r in frame.itertuples()]


def test_carriage_returns_alone_end_lines():
    ds = load(HOSTILE / "cr_line_ends")
    assert list(ds.enterprises["id"]) == ["A", "B"] and len(ds.links) == 1


def test_a_table_present_twice_is_refused_naming_both():
    result = CliRunner().invoke(
        main, ["--lang", "en", "validate", str(HOSTILE / "duplicate_table")]
    )
    assert result.exit_code == 3
    assert "table 'enterprises' is present twice (ENTERPRISES.csv and enterprises.csv)" in (
        result.stderr
    )


def test_a_sheet_present_twice_is_refused(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "enterprises"
    book.active.append(["id", "name", "type"])
    hidden = book.create_sheet("Enterprises ")
    hidden.append(["id", "name", "type"])
    hidden.sheet_state = "hidden"
    book.create_sheet("links").append(["source", "target"])
    book.save(tmp_path / "w.xlsx")
    result = CliRunner().invoke(main, ["--lang", "en", "validate", str(tmp_path / "w.xlsx")])
    assert result.exit_code == 3
    assert "sheet 'enterprises' and sheet 'Enterprises '" in result.stderr


def test_an_unclosed_quote_is_reported_and_swallows_nothing():
    # Row 2 opens a quote that never closes; read as it was, rows 3-4 would have
    # become part of one cell. The quote is read as a character: all three rows load.
    ds = load(HOSTILE / "unclosed_quote")
    assert list(ds.enterprises["id"]) == ["A", "B", "C"]
    assert ds.enterprises.loc[0, "name"] == '"a'
    assert _report(HOSTILE / "unclosed_quote") == [
        (
            "warning",
            "enterprises.csv",
            2,
            "",
            "a quote opens here and never closes: read as a plain character, else rows 3–4 "
            "would have become one cell",
        )
    ]


def test_one_stray_byte_keeps_the_file_utf8_and_names_its_row():
    ds = load(HOSTILE / "stray_byte")
    # The Vietnamese names stay intact; only the stray bytes of row 3 are replaced.
    assert ds.enterprises.loc[0, "name"] == "Nông trại Hà"
    assert ds.enterprises.loc[0, "district"] == "Chợ Đồn"
    assert ds.enterprises.loc[1, "name"] == "b\ufffd"
    assert _report(HOSTILE / "stray_byte") == [
        (
            "warning",
            "enterprises.csv",
            3,
            "",
            "a character that is not valid utf-8 (shown as �): check this row",
        )
    ]


def test_numbers_too_large_to_sum_are_dropped_with_their_row():
    problems = _report(HOSTILE / "huge_numbers")
    # capacity 1e308 (row 2) and inf (row 3); the links' value and volume 1e308.
    assert ("warning", "enterprises.csv", 2, "capacity") in [p[:4] for p in problems]
    assert ("warning", "enterprises.csv", 3, "capacity") in [p[:4] for p in problems]
    assert ("warning", "links.csv", 2, "value") in [p[:4] for p in problems]
    assert ("warning", "links.csv", 3, "value") in [p[:4] for p in problems]
    run = CliRunner().invoke
    out = run(main, ["linkages", str(HOSTILE / "huge_numbers"), "--format", "json"])
    assert out.exit_code == 3  # no value is left: the indices say so, no overflow


def test_user_columns_named_like_internal_ones_keep_their_data():
    ds = load(HOSTILE / "reserved_columns")
    assert list(ds.enterprises["_row_"]) == ["x", "1"]
    assert list(ds.enterprises["source_ext_"]) == ["z", "3"]
    assert list(ds.enterprises["viz"]) == ["y", "2"]
    assert list(ds.enterprises["_row"]) == [2, 3]  # the loader's own row numbers


def test_control_characters_are_removed_with_a_warning(tmp_path):
    ds = load(HOSTILE / "control_chars")
    assert ds.enterprises.loc[0, "name"] == "ab[31mred"
    assert ds.enterprises.loc[0, "district"] == "D"
    assert [p[:4] for p in _report(HOSTILE / "control_chars")] == [
        ("warning", "enterprises.csv", 2, "name"),
        ("warning", "enterprises.csv", 2, "district"),
    ]
    import xml.dom.minidom

    for fmt in ("gexf", "graphml"):
        out = tmp_path / f"g.{fmt}"
        CliRunner().invoke(
            main, ["export", str(HOSTILE / "control_chars"), "--to", fmt, "-o", str(out)]
        )
        xml.dom.minidom.parse(str(out))  # valid XML


def test_no_cell_the_program_writes_to_xlsx_is_a_formula(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "x.xlsx"
    result = CliRunner().invoke(
        main, ["export", str(HOSTILE / "formulas"), "--to", "xlsx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    headers = [c.value for c in book["enterprises"][1]]
    assert '\'=HYPERLINK("http://x")' in headers


def test_the_workbook_keeps_every_year_and_its_analyses_say_which(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "x.xlsx"
    assert CliRunner().invoke(main, ["export", "--to", "xlsx", "-o", str(out)]).exit_code == 0
    book = load_workbook(out, read_only=True)
    years = {row[5] for row in book["links"].iter_rows(min_row=2, values_only=True)}
    assert years == {2021, 2024}  # the sample's two survey rounds
    assert any(name.endswith(" 2024") for name in book.sheetnames)
    reread = load(out, year="all")
    assert sorted(reread.years) == [2021, 2024]


def test_a_zip_bomb_is_refused_at_once(tmp_path, monkeypatch):
    from valuechain.loading import workbook

    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (8 << 20))  # 8 MiB of zeros
    monkeypatch.setattr(workbook, "MAX_WORKBOOK_BYTES", 4 << 20)
    result = CliRunner().invoke(main, ["--lang", "en", "validate", str(book)])
    assert result.exit_code == 3
    assert "unpacks to 8 MB, beyond the limit of 4 MB" in result.stderr


def test_a_workbooks_sizes_are_written_as_the_reader_writes_numbers():
    from valuechain.errors import LoadError
    from valuechain.i18n import Figure

    # 5,120 MB against the 1,024 MB limit (1 GiB).
    refused = LoadError(
        key="workbook_too_large", path="b.xlsx", size=Figure(5 * 1024), limit=Figure(1024)
    )
    assert str(refused) == (
        "b.xlsx: the workbook unpacks to 5,120 MB, beyond the limit of 1,024 MB: not read"
    )
    assert refused.text("vi") == (
        "b.xlsx: tệp .xlsx giải nén ra 5.120 MB, quá giới hạn 1.024 MB: không đọc"
    )


def test_a_file_that_is_no_zip_is_named_for_what_it_likely_is(tmp_path):
    renamed = tmp_path / "doanh_nghiep.xlsx"
    renamed.write_text("id,name,type\nA,a,farm\n", encoding="utf-8")  # a CSV renamed
    en = CliRunner().invoke(main, ["--lang", "en", "validate", str(renamed)])
    vi = CliRunner().invoke(main, ["validate", str(renamed)])
    assert en.exit_code == vi.exit_code == 3
    assert en.stderr == (
        f"Error: {renamed}: not an .xlsx workbook (an .xlsx file is a zip archive and this "
        "one is not: an old .xls, or a CSV renamed?); open it in Excel and save it as .xlsx\n"
    )
    assert "không phải sổ Excel .xlsx" in vi.stderr and "zip file" not in vi.stderr


def test_a_damaged_sheet_is_not_a_readable_workbook(tmp_path):
    from openpyxl import Workbook

    good = tmp_path / "good.xlsx"
    book = Workbook()
    book.active.title = "enterprises"
    book.active.append(["id", "name", "type"])
    book.create_sheet("links").append(["source", "target"])
    book.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]  # cut in the middle of its XML
            dst.writestr(item, data)
    result = CliRunner().invoke(main, ["--lang", "en", "validate", str(bad)])
    assert result.exit_code == 3
    assert "not a readable .xlsx workbook" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["unlinked", "--limit", "99999999999999999999999"],
        ["suggest", "--max-km", "nan"],
        ["suggest", "--top", "99999999999999999999999"],
        ["coupling", "--weak-score", "nan"],
        ["gaps", "--weak-share", "inf"],
        ["clusters", "--target", "nan"],
        ["generate", "--enterprises", "10", "--links-per-enterprise", "inf", "-o", "{out}"],
        ["generate", "--enterprises", "10", "--seed", "-1", "-o", "{out}"],
    ],
)
def test_absurd_option_values_are_usage_errors(args, tmp_path):
    args = [a.replace("{out}", str(tmp_path / "g")) for a in args]
    result = CliRunner().invoke(main, ["--lang", "en", *args])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert not (tmp_path / "g").exists()


def test_a_lock_file_beside_the_tables_is_not_read():
    assert (HOSTILE / "lock_file" / ".#enterprises.csv").is_symlink()
    result = CliRunner().invoke(main, ["summary", str(HOSTILE / "lock_file"), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["enterprises"] == 1


def test_generate_writes_both_tables_or_neither(tmp_path, monkeypatch):
    import os

    from valuechain.output import html
    from valuechain.synthetic import GenerateOptions, generate, write_dataset

    folder = tmp_path / "g"
    write_dataset(*generate(GenerateOptions(enterprises=20, seed=1)), folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = os.fdopen
    calls = []

    def interrupted(fd, *args, **kwargs):  # Ctrl-C while the second table is written
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise KeyboardInterrupt
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(html.os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_dataset(*generate(GenerateOptions(enterprises=30, seed=2)), folder)
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after == before  # the old pair, whole; no temporary file left


def test_an_output_that_is_an_input_is_refused(tmp_path):
    import shutil

    folder = tmp_path / "d"
    shutil.copytree(Path(__file__).parent / "fixtures" / "spec5", folder)
    before = (folder / "links.csv").read_bytes()
    for args in (
        ["map", str(folder), "-o", str(folder / "links.csv")],
        ["report", str(folder), "-o", str(folder / "enterprises.csv")],
        ["export", str(folder), "--to", "geojson", "-o", str(folder / "links.csv")],
    ):
        result = CliRunner().invoke(main, ["--lang", "en", *args])
        assert result.exit_code == 2 and "never overwrites its input" in result.stderr, args
    assert (folder / "links.csv").read_bytes() == before


def test_a_year_on_a_dataset_without_years_is_said_to_be_ignored(spec5):
    result = CliRunner().invoke(main, ["--lang", "en", "unlinked", str(spec5), "--year", "2020"])
    assert result.exit_code == 0
    assert "--year 2020: the links carry no year; the option is ignored" in result.stderr


def test_the_chart_process_ignores_ctrl_c():
    # Ctrl-C reaches every process of the terminal's group: the chart process
    # leaves it to the command (no second traceback), and ends when its input closes.
    # No sleeps: a chart answered means the worker is serving (its SIGINT
    # handler is set before it serves); a chart answered after the signal,
    # by the worker itself, means the signal did not end it.
    import signal

    import pandas as pd

    from valuechain.output.report.charts import coupling_spec
    from valuechain.output.report.worker import ChartWorker

    worker = ChartWorker.start(min_cores=1)
    assert worker is not None
    spec = coupling_spec(pd.DataFrame({"chain": ["A"], "coupling_score": [70.0]}), lang="en")
    worker.submit("before", "coupling", spec)
    assert worker.result("before", "coupling", spec)[0].startswith("<svg")
    worker._process.send_signal(signal.SIGINT)
    worker.submit("after", "coupling", spec)
    with worker._done:  # the worker's own answer, not one drawn here after it died
        worker._done.wait_for(lambda: "after" in worker._results or worker._ended, timeout=60)
        assert "after" in worker._results and worker._results["after"][2] is None
    assert worker._process.poll() is None  # still there
    worker.stop()
    assert worker._process.wait(timeout=10) == 0


def test_a_full_disk_is_one_line_naming_the_file(tmp_path, monkeypatch):
    import errno
    import os

    from valuechain.output import html

    real = os.fdopen

    class Full:
        def __init__(self, fd, *args, **kwargs):
            self.handle = real(fd, *args, **kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(html.os, "fdopen", Full)
    out = tmp_path / "x.xlsx"
    result = CliRunner().invoke(main, ["--lang", "en", "export", "--to", "xlsx", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot write {out}: no space left on the disk"
    ]
    assert list(tmp_path.iterdir()) == []  # no temporary file left
    # In Vietnamese, the reason too (not the system's English).
    result = CliRunner().invoke(main, ["export", "--to", "xlsx", "-o", str(out)])
    assert result.stderr.strip().splitlines() == [
        f"Lỗi: không ghi được {out}: ổ đĩa đã hết chỗ trống"
    ]


@pytest.mark.parametrize("case", INVOICES, ids=lambda p: p.name)
def test_invoice_lines_that_are_not_what_they_seem(case, tmp_path):
    pytest.importorskip("distributed")
    expect = json.loads((case / "expect.json").read_text(encoding="utf-8"))
    registry = case / "registry.csv"
    if not registry.exists():
        registry = HOSTILE / "invoices" / "registry.csv"
    lines = case / expect.get("lines", "lines")
    out = tmp_path / "region"
    args = ["--lang", "en", "invoices", str(lines), "--registry", str(registry), "-o", str(out),
            "--workers", "1"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == expect["exit"], result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    if expect["exit"]:
        errors = result.stderr.strip().splitlines()
        assert len(errors) == 1 and expect["says"] in errors[0], errors
        assert not out.exists()
        return
    ds = load(out)
    assert len(ds.links) == expect["links"] and ds.report.rejected_rows == 0
    report = pd.read_csv(out / "invoices_report.csv").set_index("lines")["count"]
    for reason, n in expect.get("left_out", {}).items():
        assert report[reason] == n, reason


def test_a_killed_runs_temporary_file_is_removed_by_the_next(tmp_path):
    # SIGKILL leaves the temporary copy a run was writing; the next run of the
    # same output removes it (and no other file).
    stale = tmp_path / ".map.html.k1ll3d.tmp"
    stale.write_text("<html>half", encoding="utf-8")
    other = tmp_path / ".notes.tmp"
    other.write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["map", "-o", str(tmp_path / "map.html")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.tmp", "map.html"]


@pytest.mark.parametrize(
    "name", ["ctl\x1b[31mred\x07", os.fsdecode(b"bad\xff\xfebytes")], ids=["control", "not_utf8"]
)
def test_a_folder_with_an_odd_name_works_and_prints_escaped(tmp_path, name):
    import shutil

    folder = tmp_path / name
    shutil.copytree(Path(__file__).parent / "fixtures" / "spec5", folder)
    odd_out = tmp_path / f"out{name}"
    for args in (
        ["summary"],
        ["validate"],
        ["map", "-o", str(odd_out / "m.html")],
        ["export", "--to", "xlsx", "-o", str(odd_out / "x.xlsx")],
        ["report", "-o", str(odd_out / "r.html"), "--docx", str(odd_out / "r.docx")],
    ):
        result = CliRunner().invoke(main, ["--lang", "en", args[0], str(folder), *args[1:]])
        assert result.exit_code == 0, (args[0], result.output)
        printed = result.stdout + result.stderr
        assert "\x1b" not in printed and "\x07" not in printed and "\udcff" not in printed
    # The written paths print escaped; the documents name the data in words.
    assert "\\x1b[31m" in printed or "\\xff\\xfe" in printed
    assert name not in (odd_out / "r.html").read_text(encoding="utf-8")
    # An error naming the folder prints escaped too.
    (folder / "enterprises.csv").unlink()
    result = CliRunner().invoke(main, ["--lang", "en", "summary", str(folder)])
    assert result.exit_code == 3 and "\x1b" not in result.stderr and "\udcff" not in result.stderr


def test_why_a_write_failed_is_said_in_the_readers_language_where_known(tmp_path):
    import errno

    from valuechain.errors import OutputError, os_reason

    def said(exc: OSError, lang: str) -> str:
        return OutputError(key="cannot_write", path="m.html", reason=os_reason(exc)).text(lang)

    denied = PermissionError(errno.EACCES, "Permission denied")
    assert said(denied, "en") == (
        "cannot write m.html: permission denied (is the file open in another program, such as "
        "Excel?)"
    )
    assert said(denied, "vi") == (
        "không ghi được m.html: không có quyền truy cập (tệp có đang mở trong chương trình "
        "khác, như Excel?)"
    )
    read_only = OSError(errno.EROFS, "Read-only file system")
    assert said(read_only, "vi") == "không ghi được m.html: ổ đĩa chỉ cho đọc"
    # A case valuechain does not know is said as the system says it.
    busy = OSError(errno.EBUSY, "Device or resource busy")
    assert said(busy, "vi") == "không ghi được m.html: Device or resource busy"
    # A real one: a folder where the file should be.
    (tmp_path / "m.html").mkdir()
    from valuechain.output.html import write_atomic

    with pytest.raises(OutputError) as refused:
        write_atomic(tmp_path / "m.html", "<p>")
    assert refused.value.text("en").endswith(": a folder has that name")


def test_a_file_the_system_will_not_open_is_named_with_why(tmp_path, monkeypatch):
    import errno

    from valuechain.loading import dataset

    folder = tmp_path / "survey"
    folder.mkdir()
    locked = folder / "enterprises.csv"

    def refuse(path, decimal):  # as Windows answers for a file Excel holds open
        raise PermissionError(errno.EACCES, "Permission denied", str(locked))

    monkeypatch.setattr(dataset, "_load_files", refuse)
    en = CliRunner().invoke(main, ["--lang", "en", "--no-cache", "summary", str(folder)])
    vi = CliRunner().invoke(main, ["--no-cache", "summary", str(folder)])
    assert en.exit_code == vi.exit_code == 1
    assert en.stderr == (
        f"Error: {locked}: permission denied (is the file open in another program, such as "
        "Excel?)\n"
    )
    assert vi.stderr == (
        f"Lỗi: {locked}: không có quyền truy cập (tệp có đang mở trong chương trình khác, "
        "như Excel?)\n"
    )
