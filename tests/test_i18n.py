"""The catalog (`valuechain.i18n`): every entry in both languages, and no
English entry in what a Vietnamese planner reads."""

from __future__ import annotations

import re
import string

import pytest
from click.testing import CliRunner

from valuechain.cli import main
from valuechain.i18n import LANGS, TEXT, Language, t
from valuechain.i18n.help import CLICK_VI, HELP_VI, METAVAR_VI


def _fields(template: str) -> set[str]:
    # a list given in the reader's words (`accepted_vi`) stands for the same field
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {name.removesuffix("_vi") for name in names}


def test_every_key_has_both_languages_with_the_same_placeholders():
    assert len(TEXT) > 400  # the catalog is the module's table, not a stub
    for key, entry in TEXT.items():
        assert len(entry) == len(LANGS), key
        vi, en = entry
        assert vi.strip() and en.strip(), key
        assert _fields(vi) == _fields(en), key


def test_every_help_and_click_word_has_its_vietnamese():
    for table in (HELP_VI, CLICK_VI, METAVAR_VI):
        for english, vietnamese in table.items():
            assert english.strip() and vietnamese.strip(), english
            assert _fields(english) == _fields(vietnamese), english
    # every language but English (the keys) has the three tables, with the same keys
    from valuechain.i18n import help as tables

    for code in LANGS:
        if code == "en":
            continue
        for kind, vietnamese in (("HELP", HELP_VI), ("CLICK", CLICK_VI), ("METAVAR", METAVAR_VI)):
            assert set(getattr(tables, f"{kind}_{code.upper()}")) == set(vietnamese), (kind, code)


def test_a_language_is_its_code_with_the_catalog_at_hand():
    vi, en = Language("vi"), Language("en")
    assert vi == "vi" and en.t("error_word") == t("error_word", "en") == "Error"
    assert vi.t("error_word") == "Lỗi"
    with pytest.raises(ValueError):
        Language("fr")


def _english_phrases() -> list[str]:
    """The literal parts of the English entries that differ from their
    Vietnamese: three words or more, so that a name or a unit both share
    (CSV, Excel, km) is no false alarm."""
    phrases = set()
    for vi, en in TEXT.values():
        if vi == en:
            continue
        for literal, *_ in string.Formatter().parse(en):
            for part in re.split(r"[\n:;()·—–\[\]]", literal):
                part = part.strip(" .,")
                if len(part.split()) >= 3 and part not in vi:
                    phrases.add(part)
    for english, vietnamese in [*HELP_VI.items(), *CLICK_VI.items()]:
        for line in english.splitlines():
            line = line.strip(" .,")
            if len(line.split()) >= 3 and "valuechain " not in line and line not in vietnamese:
                phrases.add(line)
    return sorted(phrases)


COMMANDS = [
    ["--help"],
    ["unlinked", "--help"],
    ["suggest", "--help"],
    ["map", "--help"],
    ["summary"],
    ["validate"],
    ["unlinked"],
    ["gaps"],
    ["coupling", "--format", "table"],
    ["suggest", "--top", "5"],
    ["priorities"],
    ["critical"],
    ["whatif", "--remove", "CB-TUYEN-CD"],
    ["unlinked", "--district", "Nowhere"],  # a usage error: click's words and ours
    ["coupling", "--colour"],
]
# Outputs whose English holds no catalog phrase of three words: nothing to find.
NOTHING_TO_FIND = {("coupling", "--format", "table"), ("coupling", "--colour")}


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_vietnamese_output_holds_no_english_entry(args):
    result = CliRunner().invoke(main, args, env={"VALUECHAIN_LANG": "vi"})
    said = result.output + (result.stderr if result.stderr_bytes else "")
    assert said.strip(), args
    found = [p for p in _english_phrases() if p in said]
    assert found == [], (args, found)
    # the same output in English does carry them: the check can find one
    english = CliRunner().invoke(main, ["--lang", "en", *args])
    said_en = english.output + (english.stderr if english.stderr_bytes else "")
    if tuple(args) not in NOTHING_TO_FIND:
        assert any(p in said_en for p in _english_phrases()), args
