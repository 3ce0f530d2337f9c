"""The options the commands share: one declaration and one help text each
(their Vietnamese is in `valuechain/i18n/help.py`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from valuechain.choices import FORMATS, WEIGHTS

__all__ = [
    "Finite",
    "MAX_COUNT",
    "count",
    "dataset_argument",
    "decimal_option",
    "load_options",
    "SLICE_OPTIONS",
    "slice_options",
    "analysis_options",
    "weight_option",
    "output_option",
    "format_option",
    "format_options",
]


class Finite(click.FloatRange):
    """A float in a range that is a number: nan and inf are usage errors."""

    def convert(self, value, param, ctx):
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            from valuechain.cli.language import translate

            self.fail(
                translate("{value!r} is not a finite number.").format(value=value), param, ctx
            )
        return number


# Counts (rows, suggestions, enterprises…): whole numbers up to a billion, so
# that an absurd value is a usage error, never an overflow deep inside.
MAX_COUNT = 10**9


def count(min: int = 0) -> click.IntRange:  # noqa: A002 (click's own word)
    return click.IntRange(min=min, max=MAX_COUNT)


def dataset_argument(func: Callable) -> Callable:
    return click.argument(
        "dataset",
        required=False,
        type=click.Path(exists=False, file_okay=True, dir_okay=True, path_type=Path),
    )(func)


def decimal_option(func: Callable) -> Callable:
    return click.option(
        "--decimal",
        type=click.Choice([",", "."]),
        default=None,
        help="Decimal mark of the CSV files (default: detected per file).",
    )(func)


def load_options(func: Callable) -> Callable:
    """--decimal and --year, shared by every command that loads a dataset."""
    func = decimal_option(func)
    func = click.option(
        "--year",
        default=None,
        metavar="YEAR|all",
        help="Year of links to analyse (default: the latest; 'all' pools).",
    )(func)
    return func


# The slice options: one declaration and one help text each, for every command
# that takes a slice. A new dimension is a field of `analysis.slices.Slice`, its
# matching in `resolve_slice`, and a line here.
SLICE_OPTIONS = {
    "district": (
        "--district",
        "NAME",
        "Only enterprises of this district (repeatable; case and diacritics ignored).",
    ),
    "chain": (
        "--chain",
        "CHAIN",
        "Only this value chain, by code or name (repeatable; case and diacritics ignored).",
    ),
    "type": (
        "--type",
        "TYPE",
        "Only enterprises of this type, by code or Vietnamese name (repeatable; case and "
        "diacritics ignored).",
    ),
}


def slice_options(*dimensions: str) -> Callable[[Callable], Callable]:
    """Add the options of `dimensions` (of `SLICE_OPTIONS`, in the order given)
    and hand the command one `slice` argument, a `Slice` of the values given."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            from valuechain.analysis.slices import Slice

            values = {d: kwargs.pop("slice_" + d) for d in dimensions}
            return func(*args, slice=Slice(**values), **kwargs)

        for dimension in reversed(dimensions):
            flag, metavar, text = SLICE_OPTIONS[dimension]
            command = click.option(
                flag, "slice_" + dimension, multiple=True, metavar=metavar, help=text
            )(command)
        return command

    return decorate


def analysis_options(func: Callable) -> Callable:
    """--weight and --format / --limit, shared by the analysis listings."""
    return weight_option()(format_options(func))


def weight_option(
    help_text: str = "What a link weighs in shares: auto = value, else volume, else link count.",
) -> Callable:
    return click.option(
        "--weight", type=click.Choice(WEIGHTS), default="auto", show_default=True, help=help_text
    )


def output_option(default: str) -> Callable:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help="HTML file to write (written whole or not at all).",
    )


def format_option(
    help: str = "table for people; csv and json for programs.",
    choices: tuple[str, ...] = FORMATS,
) -> Callable:
    """`--format` (into `fmt`): a table for people by default; `help` says what
    the machine formats hold for the command."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="table",
        show_default=True,
        help=help,
    )


def format_options(func: Callable) -> Callable:
    """`--format` and `--limit` of the listing commands."""
    func = format_option()(func)
    func = click.option(
        "--limit",
        type=count(0),
        default=30,
        show_default=True,
        help="Rows shown in a table (0 = all). csv and json are never cut.",
    )(func)
    return func
