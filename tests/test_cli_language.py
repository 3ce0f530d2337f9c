"""The command line in the user's language: help, usage errors and click's own
words follow --lang and VALUECHAIN_LANG (default Vietnamese); the examples the
help gives run as written."""

from __future__ import annotations

import inspect
import re
import shlex

import click
import pytest
from click.testing import CliRunner

from valuechain.cli import main
from valuechain.cli.language import language_of
from valuechain.i18n.help import HELP_VI

# Words a Vietnamese page must not show: English prose and click's own words.
# (Command names, option names, choices and file names are what the user types,
# so they are not on the list.)
ENGLISH = re.compile(
    r"\b(the|and|of|for|with|when|which|Usage|Options|Commands|Example|Show|default|"
    r"Error|Invalid|Missing|Try|help)\b"
)


def run(args: list[str]):
    return CliRunner().invoke(main, args, prog_name="valuechain")


def _commands(group: click.Group):
    yield [], group
    for name, command in group.commands.items():
        yield [name], command


def _help_texts(command: click.Command):
    texts = [command.help, command.epilog]
    texts += [p.help for p in command.params if isinstance(p, click.Option)]
    return [inspect.cleandoc(text) for text in texts if text]


@pytest.mark.parametrize(("path", "command"), list(_commands(main)), ids=lambda x: str(x))
def test_every_help_text_has_its_vietnamese(path, command):
    run(["--lang", "en", "--help"])  # the English, as written
    missing = [text[:60] for text in _help_texts(command) if text not in HELP_VI]
    assert missing == []


def _words(text: str) -> list[str]:
    # option names (--max-km), `code` spans and quoted values are typed, not read
    text = re.sub(r"--[\w-]+|`[^`]*`|'[^']*'|\"[^\"]*\"|\$\w+|\[[a-z|,.]+\]", " ", text)
    return ENGLISH.findall(text)


@pytest.mark.parametrize("path", [[]] + [[name] for name in main.commands])
def test_help_reads_in_vietnamese_by_default_and_english_on_request(path, monkeypatch):
    monkeypatch.delenv("VALUECHAIN_LANG", raising=False)
    vi = run([*path, "--help"])
    assert vi.exit_code == 0
    assert vi.stdout.startswith("Cách dùng: valuechain")
    assert _words(vi.stdout) == []
    en = run(["--lang", "en", *path, "--help"])
    assert en.stdout.startswith("Usage: valuechain") and "Options:" in en.stdout
    assert "Cách dùng" not in en.stdout


def test_the_environment_chooses_the_language_and_lang_overrides_it(monkeypatch):
    monkeypatch.setenv("VALUECHAIN_LANG", "en")
    assert run(["--help"]).stdout.startswith("Usage:")
    assert run(["--lang", "vi", "map", "--help"]).stdout.startswith("Cách dùng:")
    assert language_of(["--lang=vi"]) == "vi" and language_of(["--", "--lang", "vi"]) == "en"


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (
            ["unlinked", "--weight", "x"],
            "Lỗi: Giá trị không hợp lệ cho '--weight': 'x' không thuộc các giá trị",
            "Error: Invalid value for '--weight': 'x' is not one of",
        ),
        (["nope"], "Lỗi: Không có lệnh 'nope'.", "Error: No such command 'nope'."),
        (["compare"], "Lỗi: Thiếu đối số 'TRƯỚC'.", "Error: Missing argument 'BEFORE'."),
        (["map", "--colour"], "Không có tuỳ chọn '--colour'", "No such option '--colour'"),
        (["suggest", "--max-km", "nan"], "'nan' không phải một số hữu hạn", "is not a finite"),
        (["whatif", "--at", "north"], "VĨ_ĐỘ,KINH_ĐỘ, ví dụ", "LAT,LON, e.g."),
    ],
)
def test_usage_errors_speak_the_users_language(args, vi, en, monkeypatch):
    monkeypatch.delenv("VALUECHAIN_LANG", raising=False)
    result = run(args)
    assert result.exit_code == 2
    assert vi in result.stderr and "Xem hướng dẫn: 'valuechain" in result.stderr
    assert _words(result.stderr) == []
    result = run(["--lang", "en", *args])
    assert result.exit_code == 2 and en in result.stderr and "Try 'valuechain" in result.stderr


# Examples that need the user's own files, or write a dataset of 100,000
# enterprises, are not run here; every other example runs on the sample.
PLACEHOLDERS = re.compile(r"my_province|tinh_cua_toi|survey|dieu_tra|round1|dot1|generate|invoices")


def _examples(lang: str) -> list[list[str]]:
    found = []
    for path, _ in _commands(main):
        text = run(["--lang", lang, *path, "--help"]).stdout
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("valuechain ") and not PLACEHOLDERS.search(line):
                found.append(shlex.split(line.split(" > ")[0])[1:])
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_help_example_parses(lang):
    # Every example's options exist and its values are of the option's type and
    # choices (parsed as the command would, not run: running all of them took a
    # minute and checked only exit codes).
    examples = _examples(lang)
    assert len(examples) >= 25  # every command gives some
    for args in examples:
        ctx = main.make_context("valuechain", list(args))
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        name, command, rest = main.resolve_command(ctx, rest)
        command.make_context(name, rest, parent=ctx)  # raises on a bad option or value


def _example(args: str) -> list[str]:
    example = shlex.split(args)
    assert example in _examples("en"), args  # the help still gives it
    return ["--lang", "en", *example] if example[0] != "--lang" else example


def _table_rows(text: str) -> list[str]:
    """The data rows of a table for people: after the dashes, before the '…' line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    return [line for line in lines[start:] if line and not line.startswith("…")]


def test_a_sample_of_the_help_examples_gives_what_it_says(tmp_path, monkeypatch):
    import csv
    import io

    monkeypatch.chdir(tmp_path)
    # The forestry producers of Chợ Đồn without a local buyer: every row is one.
    out = run(_example('unlinked --type forestry --district "Chợ Đồn"'))
    assert out.exit_code == 0
    rows = _table_rows(out.stdout)
    assert rows and all("forestry" in line and "Chợ Đồn" in line for line in rows)
    # The ten enterprises the region can least afford to lose, the concentrator first.
    rows = _table_rows(run(_example("critical --limit 10")).stdout)
    assert rows[0].startswith("CB-TUYEN-CD") and "42.6%" in rows[0] and len(rows) == 10
    # Suggestions within 30 km: no pair farther.
    out = run(_example("suggest --max-km 30 --format csv"))
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert table and all(float(row["km"]) <= 30 for row in table if row["km"])
    # Clusters against an 80 % target: meets_target says occupancy >= 0.8.
    out = run(_example("clusters --target 0.8 --format csv"))
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert table
    for row in table:
        if row["occupancy"]:
            assert (row["meets_target"] == "true") == (float(row["occupancy"]) >= 0.8), row


def test_help_lists_whole_summaries_and_calls_a_number_a_number():
    for lang in ("en", "vi"):
        text = CliRunner().invoke(main, ["--lang", lang, "--help"]).stdout
        listing = text[text.index("Commands:" if lang == "en" else "Lệnh:") :]
        assert "..." not in listing, listing  # no summary cut mid-phrase
    english = CliRunner().invoke(main, ["--lang", "en", "suggest", "--help"]).stdout
    assert "--top NUMBER" in english and "RANGE" not in english and "FLOAT" not in english


def test_map_and_report_say_what_they_show(tmp_path, spec5):
    run = CliRunner().invoke
    drawn = run(main, ["--lang", "en", "map", str(spec5), "-o", str(tmp_path / "m.html")])
    assert drawn.stdout.strip() == str(tmp_path / "m.html")  # the path alone on stdout
    assert "7 enterprises · 7 links (3 local)" in drawn.stderr
    made = run(main, ["--lang", "en", "report", str(spec5), "-o", str(tmp_path / "r.html")])
    # §5: no weak chain; M1 and F3 unlinked; 3 connections, furniture to attract.
    assert made.stderr.strip().endswith(
        "Report: 0 weak chains (–) · 2 unlinked producers · 3 connections to make, "
        "1 processing stages to attract"
    )
