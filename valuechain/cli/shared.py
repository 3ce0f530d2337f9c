"""What every command does the same way: turn an error into one line and its
exit code (`guard`), load the dataset with the load report's notes
(`load_dataset`), say which weight is used (`resolve_weights`), refuse to
write over an input, and print a listing as table, csv or json (`emit`)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from valuechain.cli.language import environment_language
from valuechain.i18n import VI, Language, t
from valuechain.i18n.numbers import number_text
from valuechain.printing import printable

__all__ = [
    "Problem",
    "guard",
    "lang_of",
    "LARGE_INPUT",
    "load_dataset",
    "read_dataset",
    "column_notes",
    "weight_notes",
    "arrow_pool",
    "refuse_input_as_output",
    "resolve_weights",
    "emit",
]


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
        except OSError as exc:  # a file the system would not open (a read: writes say so)
            raise Problem(_os_error_text(exc, lang), 1, lang) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            # A bug, not the user's data: one line, unless -v asks for the traceback.
            ctx = click.get_current_context(silent=True)
            if ctx is not None and ctx.find_root().obj and ctx.find_root().obj.get("verbose"):
                raise
            raise Problem(t("internal_error", lang, error=repr(exc)), 1, lang) from exc

    return wrapper


def _os_error_text(exc: OSError, lang: Language) -> str:
    """The file and why the system refused it, in the user's language where
    valuechain knows the case."""
    from valuechain.errors import os_reason

    if exc.filename is None:
        return str(exc)
    return t("os_error", lang, file=exc.filename, reason=os_reason(exc))


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
        click.echo(
            t("rejected_note", lang_of(ctx), n=number_text(rejected, lang_of(ctx))), err=True
        )
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
        n = number_text(missing, lang_of(ctx))
        click.echo(t("weight_missing", lang_of(ctx), weight=name, n=n), err=True)
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
