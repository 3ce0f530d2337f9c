"""The command group, its shared options, and the helpers every command uses:
loading with the load report's note, one error line with the exit code,
and printing a listing as table, csv or json."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from valuechain.choices import FORMATS, WEIGHTS
from valuechain.cli.language import environment_language
from valuechain.i18n import LANGS, VI, Language, t
from valuechain.printing import printable

__all__ = ["main", "Problem"]


class Problem(click.ClickException):
    """A message for the user with the exit code (1 environment, 3 data)."""

    def __init__(self, message: str, exit_code: int = 3, lang: Language = VI) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click's is one for the class
        self.lang = lang

    def show(self, file: Any = None) -> None:
        prefix = t("error_word", self.lang)
        click.echo(f"{prefix}: {printable(self.format_message())}", err=True)


def _lang_from_context() -> Language:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "lang" in ctx.obj:
            return ctx.obj["lang"]
        ctx = ctx.parent
    return environment_language()


def guard(func: Callable) -> Callable:
    """Turn library errors into one clear line and the exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from valuechain.errors import ValuechainError

        lang = _lang_from_context()
        try:
            return func(*args, **kwargs)
        except ValuechainError as exc:
            raise Problem(exc.text(lang), exc.exit_code, lang) from exc
        except OSError as exc:
            raise Problem(str(exc), 1, lang) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            # A bug, not the user's data: one line, unless -v asks for the traceback.
            ctx = click.get_current_context(silent=True)
            if ctx is not None and ctx.find_root().obj and ctx.find_root().obj.get("verbose"):
                raise
            raise Problem(t("internal_error", lang, error=repr(exc)), 1, lang) from exc

    return wrapper


# --- shared options -------------------------------------------------------------


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


def format_options(func: Callable) -> Callable:
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for people; csv and json for programs.",
    )(func)
    func = click.option(
        "--limit",
        type=count(0),
        default=30,
        show_default=True,
        help="Rows shown in a table (0 = all). csv and json are never cut.",
    )(func)
    return func


# --- helpers ----------------------------------------------------------------------


def lang_of(ctx: click.Context) -> Language:
    """The language of this command line (`--lang`, else $VALUECHAIN_LANG, else vi)."""
    return ctx.obj["lang"]


# Above this many bytes of input a load takes seconds: say what is happening.
LARGE_INPUT = 20_000_000


def _input_bytes(dataset: Path | None) -> int:
    from valuechain.loading.dataset import input_files

    if dataset is None or not dataset.exists():
        return 0
    return sum(p.stat().st_size for p in input_files(dataset))


def load_dataset(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None = None,
):
    """`read_dataset` and cut to a year (`--year`, by default the latest)."""
    ds = read_dataset(ctx, dataset, decimal)
    if year is not None and not ds.years:
        click.echo(t("year_ignored", lang_of(ctx), year=year), err=True)
    ds = ds.for_year(year)
    rejected = ds.report.rejected_rows
    if rejected:
        click.echo(t("rejected_note", lang_of(ctx), n=rejected), err=True)
    for line in column_notes(ds, lang_of(ctx)):
        click.echo(line, err=True)
    return ds


def column_notes(ds, lang: Language) -> list[str]:
    """One line for each numeric column of which not one number could be read."""
    return [
        t("column_unreadable_note", lang, column=p["column"], file=p["file"])
        for p in ds.report.problems
        if p["code"] == "column_unreadable"
    ]


def weight_notes(ds, lang: Language, weight: str) -> list[str]:
    """One line when the automatic weight passes over a column some links have."""
    from valuechain.analysis.weights import auto_fallback

    fallback = auto_fallback(ds.links) if weight == "auto" else None
    if fallback is None:
        return []
    column, missing, used = fallback
    return [t("weight_fallback", lang, column=column, n=missing, m=len(ds.links), to=used)]


def read_dataset(ctx: click.Context, dataset: Path | None, decimal: str | None):
    """Load a dataset whole; on a large input (or with -v) report progress on
    stderr, since a million enterprises take seconds to validate."""
    import time

    from valuechain.loading.dataset import load
    from valuechain.output.formats import number_text

    lang = lang_of(ctx)
    size = _input_bytes(dataset)
    if size > LARGE_INPUT:
        arrow_pool()
    chatty = ctx.obj["verbose"] or size > LARGE_INPUT
    start = time.perf_counter()
    if chatty:
        click.echo(
            t("loading", lang, path=printable(dataset) if dataset else t("sample_name", lang))
            + (f" ({number_text(round(size / 1e6), lang)} MB)" if size else ""),
            err=True,
        )
    ds = load(dataset, year="all", decimal=decimal, cache=ctx.obj["cache"])
    if chatty:
        from valuechain.loading.cache import cache_root

        click.echo(
            t(
                "loaded_cache" if ds.from_cache else "loaded",
                lang,
                n=number_text(len(ds.enterprises), lang),
                m=number_text(len(ds.links), lang),
                s=number_text(time.perf_counter() - start, lang, 1),
                cache=cache_root(),
            ),
            err=True,
        )
    return ds


def arrow_pool() -> None:
    """Have pyarrow allocate through jemalloc where its build has it (Linux
    wheels), unless ARROW_DEFAULT_MEMORY_POOL names a pool. The default
    (mimalloc) hands freed pages back at once and the next table faults them in
    again; jemalloc reuses them. On a million enterprises: about 1.2 s less per
    command, 15 % less peak memory. Set here, for the command line only: a
    program using valuechain as a library keeps its own pool."""
    import contextlib

    import pyarrow as pa

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    with contextlib.suppress(NotImplementedError):  # no jemalloc (Windows, macOS wheels)
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def refuse_input_as_output(ctx: click.Context, dataset: Path | None, output: Path) -> None:
    """A usage error when `output` is one of the dataset's own files: inputs are
    never modified."""
    from valuechain.loading.dataset import bundled_sample, input_files

    source = dataset if dataset is not None else bundled_sample()
    if not source.exists():
        return
    if output.resolve() in {p.resolve() for p in input_files(source)}:
        raise click.UsageError(t("output_is_input", lang_of(ctx), path=output), ctx)


def resolve_weights(ctx: click.Context, ds, weight: str):
    from valuechain.analysis.weights import resolve_weight

    for line in weight_notes(ds, lang_of(ctx), weight):
        click.echo(line, err=True)
    name, w, missing = resolve_weight(ds.links, weight)
    if missing:
        click.echo(t("weight_missing", lang_of(ctx), weight=name, n=missing), err=True)
    return name, w


def _notes(ctx: click.Context, weight: str | None, year: object) -> list[str]:
    lang = lang_of(ctx)
    parts = []
    from valuechain.output.formats import value_text, with_unit

    if weight:  # with its unit: the figures below are counted in it
        parts.append(
            t("weight_used", lang, weight=with_unit(value_text(weight, lang), weight, lang))
        )
    if year is not None:
        parts.append(t("year_used", lang, year=value_text(str(year), lang)))
    return [" · ".join(parts)] if parts else []


def emit(
    ctx: click.Context,
    frame,
    *,
    fmt: str,
    limit: int,
    weight: str | None,
    year: object,
    extra: dict | None = None,
    ds=None,
) -> None:
    """Print a listing: the table with a notes line, csv (notes on stderr), or json."""
    from valuechain.output import formats

    if fmt == "csv":
        for note in _notes(ctx, weight, year):
            click.echo(note, err=True)
        click.echo(formats.to_csv(frame), nl=False)
    elif fmt == "json":
        payload: dict = {}
        if weight is not None:
            payload["weight"] = weight
        payload["year"] = year
        payload.update(extra or {})
        payload["rows"] = frame
        click.echo(formats.to_json(payload), nl=False)
    else:
        notes = _notes(ctx, weight, year)
        names = formats.display_names(ds, lang_of(ctx)) if ds is not None else None
        table = formats.to_table(
            frame, lang=lang_of(ctx), limit=limit or None, notes=notes, names=names
        )
        click.echo(table, nl=False)


# --- the group ---------------------------------------------------------------------


def _commands_word(ctx: click.Context) -> str:
    """click's own heading for the list of commands, in the user's language."""
    import click.core

    return click.core._("Commands")  # answered in the user's language (cli/language.py)


class Group(click.Group):
    """The `valuechain` group: speaks the user's language before click parses,
    so help, usage and click's own errors come in it too."""

    def main(self, args=None, *rest, **options):  # noqa: ANN001 (click's signature)
        import sys

        from valuechain.cli.language import language_of, speak

        speak(language_of(sys.argv[1:] if args is None else list(args)), self)
        try:
            return super().main(args, *rest, **options)
        finally:  # the commands' help back as the code wrote it, for the next caller
            speak("en", self)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands with their whole first sentence (click would cut it at the
        width with "..." mid-phrase); long ones wrap."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section(_commands_word(ctx)):
                formatter.write_dl(rows)


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example:\n\n\b\n  valuechain summary\n  valuechain --lang en unlinked "
    "--type farm\n  valuechain map -o graphs/linkage_map.html",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of tables, maps and messages (default vi, or $VALUECHAIN_LANG).",
)
@click.option("-v", "--verbose", count=True, help="Say what is being done, on stderr.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read and validate the inputs again instead of reusing the validated copy "
    "kept in the user's cache (also: VALUECHAIN_CACHE=0).",
)
@click.version_option(package_name="valuechain")
@click.pass_context
def main(ctx: click.Context, lang: str | None, verbose: int, no_cache: bool) -> None:
    """Find where a region's value chains are broken.

    DATASET is a folder of CSV files (enterprises.csv, links.csv, optional
    products.csv and clusters.csv) or one .xlsx workbook with those sheets; it
    defaults to the bundled Bắc Kạn sample. How each figure is computed:
    docs/methods.md.
    """
    ctx.obj = {
        "lang": Language(lang) if lang else environment_language(),
        "verbose": verbose,
        "cache": not no_cache,
    }
