"""The command line in the user's language: help, usage and click's own errors.

The language is known before click parses anything (`language_of`: `--lang`,
else $VALUECHAIN_LANG, else Vietnamese), so `valuechain --help`, a command's
help and a usage error all come in it. `speak(lang, group)` sets every
command's and option's help from the catalog (`i18n.help_text`; or back to the
English written in the code) and has click's own words (Usage, Options, "No
such option"…) looked up there too (`i18n.click_text`). Click reads its words
through the gettext functions its modules import; valuechain points those at
the catalog. That ties the translation to click's English, which changed in
8.3: pyproject.toml pins click to the range the tests passed on (8.4.0, 8.4.2,
8.5.0, 8.5.1), and the language tests fail when a word stops being translated.
"""

from __future__ import annotations

import gettext
import inspect
import os
from collections.abc import Sequence

import click

from valuechain.i18n import DEFAULT_LANG, LANGS, Language, click_text, help_text, metavar_text

__all__ = ["language_of", "environment_language", "speak", "translate"]

_current = DEFAULT_LANG


def language_of(args: Sequence[str]) -> str:
    """The language a command line asks for: `--lang X` / `--lang=X` before any
    `--`, else $VALUECHAIN_LANG, else the default (vi). An unknown value is left
    for click to refuse."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            return value
    return environment_language()


def environment_language() -> Language:
    """$VALUECHAIN_LANG when it names a language valuechain speaks, else the
    default (vi): the language when no `--lang` says otherwise."""
    env = os.environ.get("VALUECHAIN_LANG")
    return Language(env if env in LANGS else DEFAULT_LANG)


def translate(message: str) -> str:
    """A click message in the current language (click's gettext look-up)."""
    return click_text(message, _current)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def _answer_clicks_lookups() -> None:
    """Point the gettext functions click's modules imported at `translate`."""
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if getattr(module, "_", None) in (gettext.gettext, translate):
            setattr(module, "_", translate)  # noqa: B010
        if getattr(module, "ngettext", None) in (gettext.ngettext, _translate_plural):
            setattr(module, "ngettext", _translate_plural)  # noqa: B010


def speak(lang: str, group: click.Command) -> None:
    """Put `group`, its commands and their options in `lang`."""
    global _current
    _current = lang
    _answer_clicks_lookups()
    _localise(group, lang)


_ORIGINAL = "_valuechain_english"


def _english(thing: object, attribute: str) -> str | None:
    """The English the code gave `attribute` (kept on first translation)."""
    originals = thing.__dict__.setdefault(_ORIGINAL, {})
    if attribute not in originals:
        originals[attribute] = getattr(thing, attribute)
    return originals[attribute]


def _text(english: str | None, lang: str) -> str | None:
    if english is None or lang == "en":  # the English is the key
        return english
    return help_text(inspect.cleandoc(english), lang)


def _localise(command: click.Command, lang: str) -> None:
    for attribute in ("help", "epilog", "short_help"):
        setattr(command, attribute, _text(_english(command, attribute), lang))
    for attribute in ("options_metavar", "subcommand_metavar"):
        if hasattr(command, attribute):
            english = _english(command, attribute)
            shown = metavar_text(english, lang) if english else english
            setattr(command, attribute, shown)
    # click makes the --help option once, in the language of the time, and keeps it
    helper = getattr(command, "_help_option", None)
    for param in [*command.params, *([helper] if helper else [])]:
        if isinstance(param, click.Option):
            param.help = _text(_english(param, "help"), lang)
        param.metavar = _metavar(param, _english(param, "metavar"), lang)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _localise(sub, lang)


NUMERIC_TYPES = {"INTEGER", "INTEGER RANGE", "FLOAT", "FLOAT RANGE"}


def _metavar(param: click.Parameter, english: str | None, lang: str) -> str | None:
    """How the help names the value: Vietnamese words for the English ones; the
    values of a choice are what the user types, so they stay."""
    if isinstance(param.type, click.Choice):
        return english
    if lang == "en":  # a number is a NUMBER, not a FLOAT RANGE
        numeric = isinstance(param, click.Option) and param.type.name.upper() in NUMERIC_TYPES
        return "NUMBER" if english is None and numeric else english
    if isinstance(param, click.Argument):
        word = english or param.name.upper()
        word = metavar_text(word, lang)
        return word if param.required else f"[{word}]"
    word = english or param.type.name.upper()
    return metavar_text(word, lang)
