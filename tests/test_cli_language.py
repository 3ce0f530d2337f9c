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
from valuechain.cli.help_vi import HELP_VI
from valuechain.cli.language import language_of

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
def test_the_help_examples_run_as_written(lang, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    examples = _examples(lang)
    assert len(examples) >= 25  # every command gives some
    for args in examples:
        result = run(args)
        assert result.exit_code in (0, 3), (args, result.stderr[-500:])


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
