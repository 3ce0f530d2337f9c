"""export (Excel, QGIS, Gephi), generate (synthetic datasets and invoice lines)
and invoices (national e-invoice lines to a region's dataset, on Dask)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from valuechain.choices import EXPORT_FORMATS
from valuechain.cli.group import main
from valuechain.cli.options import Finite, count, dataset_argument, load_options, weight_option
from valuechain.cli.shared import (
    guard,
    lang_of,
    load_dataset,
    refuse_input_as_output,
    resolve_weights,
)
from valuechain.i18n import t
from valuechain.printing import printable


@main.command()
@click.option("--enterprises", "n", type=count(1), default=None, help="How many enterprises.")
@click.option(
    "--invoices",
    "invoice_lines",
    type=count(1),
    default=None,
    help="Write this many national invoice lines instead (Parquet parts, a "
    "registry and a national table), for `valuechain invoices`.",
)
@click.option(
    "--links-per-enterprise",
    "k",
    type=Finite(0, 1000),
    default=5.0,
    show_default=True,
    help="Average links per enterprise.",
)
@click.option(
    "--tail",
    type=Finite(0.5, 10),
    default=1.5,
    show_default=True,
    help="Pareto shape of how much each enterprise trades: smaller gives a heavier "
    "tail (a few enterprises with very many links).",
)
@click.option(
    "--seed", type=click.IntRange(0, 2**32 - 1), default=1, show_default=True, help="Random seed."
)
@click.option(
    "--years",
    type=click.IntRange(1, 50),
    default=1,
    show_default=True,
    help="Survey years (the last is 2024): links end, firms enter and new links form each year.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write enterprises.csv and links.csv (or the invoice lines) into.",
)
@click.pass_context
@guard
def generate(
    ctx: click.Context,
    n: int | None,
    invoice_lines: int | None,
    k: float,
    tail: float,
    seed: int,
    years: int,
    output: Path,
) -> None:
    """Write a synthetic dataset (for benchmarks and trying the tool at scale).

    Enterprises belong to the default catalog's chains and stages, degrees are
    heavy-tailed, about a third of links leave the region, and enterprises sit
    around district centres. With --years N: N survey years, in which links
    end, firms enter and new links form by distance, popularity and the
    buyers of a district's other sellers (docs/methods.md), for backtest.
    With --invoices: national invoice lines (heavy-tailed trading pairs, each
    mostly one product, a few unreadable lines of each kind), the region's
    registry and the national table. The same seed gives the same files.

    \b
    Example:
      valuechain generate --enterprises 100000 -o /tmp/vn100k
      valuechain generate --enterprises 1000000 --links-per-enterprise 5 --seed 7 -o big/
      valuechain generate --enterprises 10000 --years 3 -o /tmp/years
      valuechain generate --enterprises 20000 --tail 1.1 -o /tmp/heavy
      valuechain generate --invoices 10000000 -o /tmp/invoices
    """
    if (n is None) == (invoice_lines is None):
        raise click.UsageError(t("generate_one_of", lang_of(ctx)), ctx)
    if invoice_lines is not None:
        _generate_invoices(ctx, invoice_lines, seed, output)
        return
    assert n is not None  # exactly one of the two was given
    from valuechain.output.formats import number_text
    from valuechain.synthetic import GenerateOptions, generate, write_dataset

    steps = ["enterprises", "positions", "links", *(["year"] * (years - 1)), "write"]
    label = t("generating", lang_of(ctx), n=number_text(n, lang_of(ctx)))
    with click.progressbar(length=len(steps), label=label, file=sys.stderr) as bar:
        enterprises, links = generate(
            GenerateOptions(
                enterprises=n, links_per_enterprise=k, seed=seed, years=years, tail=tail
            ),
            progress=lambda _step: bar.update(1),
        )
        write_dataset(enterprises, links, output)
        bar.update(1)
    lang = lang_of(ctx)
    count = {"n": number_text(len(enterprises), lang), "m": number_text(len(links), lang)}
    click.echo(t("generated", lang, path=printable(output), **count))


def _generate_invoices(ctx: click.Context, lines: int, seed: int, output: Path) -> None:
    from valuechain.i18n.numbers import number_text
    from valuechain.invoices.synthetic import write_invoices

    lang = lang_of(ctx)
    label = t("generating_invoices", lang, n=number_text(lines, lang))
    with click.progressbar(length=lines, label=label, file=sys.stderr) as bar:
        paths = write_invoices(lines, output, seed=seed, progress=bar.update)
    click.echo(
        t(
            "generated_invoices",
            lang,
            n=number_text(lines, lang),
            **{k: str(v) for k, v in paths.items()},
        )
    )


def _memory(ctx: click.Context, value: str) -> str:
    """A size Dask understands (2GiB, 500MB, 1.5GB), checked before a cluster starts."""
    import re

    if not re.fullmatch(r"\d+(\.\d+)?\s*([kmgt]i?)?b", value.strip(), re.IGNORECASE):
        raise click.BadParameter(t("bad_memory", lang_of(ctx), value=value), ctx)
    return value.strip()


@main.command()
@click.argument("lines", metavar="LINES")
@click.option(
    "--registry",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The region's enterprises table (CSV or Excel) whose id is the tax code.",
)
@click.option(
    "--national",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Every firm's province (id, province): outside parties become EXT:<province>.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the dataset into.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="An existing Dask cluster's scheduler (tcp://host:8786); else a local cluster.",
)
@click.option(
    "--workers", type=count(1), default=2, show_default=True, help="Local cluster: processes."
)
@click.option(
    "--memory-limit",
    default="2GiB",
    show_default=True,
    callback=lambda ctx, param, value: _memory(ctx, value),
    help="Local cluster: memory of each process (e.g. 2GiB, 500MB).",
)
@click.pass_context
@guard
def invoices(
    ctx: click.Context,
    lines: str,
    registry: Path,
    national: Path | None,
    output: Path,
    scheduler: str | None,
    workers: int,
    memory_limit: str,
) -> None:
    """Turn national e-invoice lines into a dataset for one region, on Dask.

    LINES is a Parquet or CSV file, a folder of them (any partitioning) or a
    glob, with columns seller, buyer (tax codes), date, amount (đồng, before
    tax) and optionally product and quantity. The dataset has the registry as
    its enterprises and one link per seller, buyer, product and year with at
    least one side in the registry (value in million đồng). Lines without a
    seller or buyer, or with an unreadable date or amount, are counted by
    reason and left out, as are lines between two firms outside the region;
    the counts are printed and written to invoices_report.csv. No process
    holds all the lines: each worker reads, cleans and sums its part. Needs
    pip install 'valuechain[dask]'.

    \b
    Example:
      valuechain invoices lines/ --registry registry.csv --national national.csv -o region/
      valuechain invoices 'lines/*.parquet' --registry registry.csv -o region/ --workers 4
      valuechain invoices lines/ --registry registry.csv -o region/ --scheduler tcp://10.0.0.5:8786
    """
    from valuechain.invoices.engine import run_invoices
    from valuechain.output.formats import number_text

    lang = lang_of(ctx)
    run = run_invoices(
        lines,
        registry,
        output,
        national=national,
        scheduler=scheduler,
        workers=workers,
        memory_limit=memory_limit,
        progress=True,
    )
    click.echo(printable(run.folder))
    done = {k: number_text(getattr(run, k), lang) for k in ("read", "used", "links")}
    click.echo(t("invoices_done", lang, **done))
    if run.credit_notes:
        click.echo("  " + t("invoices_credit_notes", lang, n=number_text(run.credit_notes, lang)))
    for reason, n in run.left_out.items():
        if n or reason in ("no_seller", "no_buyer", "date", "amount", "outside"):
            why = t("reason_" + reason, lang)
            click.echo("  " + t("invoices_left_out", lang, reason=why, n=number_text(n, lang)))
    for worker, peak in sorted(run.workers_peak.items()):
        mib = number_text(round(peak / 2**20), lang)
        click.echo(t("invoices_worker_peak", lang, worker=worker, mib=mib), err=True)


@main.command(name="export")
@dataset_argument
@load_options
@click.option(
    "--to",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="xlsx for Excel, geojson for QGIS, gexf or graphml for Gephi.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default graphs/valuechain.<format>).",
)
@weight_option()
@click.pass_context
@guard
def export_command(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    fmt: str,
    output: Path | None,
    weight: str,
) -> None:
    """Export the dataset and its analyses for Excel, QGIS or Gephi.

    xlsx: the data and one sheet per analysis (valuechain reads it back as a
    dataset). geojson: enterprises as points, local links as lines, with the
    analysis fields. gexf / graphml: the graph with every attribute.

    \b
    Example:
      valuechain export --to xlsx -o graphs/bac_kan.xlsx
      valuechain export my_province/ --to geojson -o graphs/links.geojson
      valuechain export --to gexf -o graphs/bac_kan.gexf
    """
    from valuechain.output.export import export
    from valuechain.output.formats import number_text

    refuse_input_as_output(ctx, dataset, output or Path(f"graphs/valuechain.{fmt}"))
    ds = load_dataset(ctx, dataset, decimal, year)
    weight, _w = resolve_weights(ctx, ds, weight)  # the rule decided once, here
    lang = lang_of(ctx)
    target = output or Path(f"graphs/valuechain.{fmt}")
    path, notes = export(ds, fmt, target, weight=weight, lang=lang)
    if fmt == "geojson":
        note = t(
            "export_geojson_note",
            lang,
            external=notes["external_links_left_out"],
            nopos=notes["local_links_without_position"],
            ent=notes["enterprises_without_position"],
        )
        click.echo(note, err=True)
    for table in ("enterprises", "links"):
        if notes.get(f"{table}_columns_left_out"):
            n = number_text(notes[f"{table}_columns_left_out"], lang)
            click.echo(t("export_columns_note", lang, table=table, n=n), err=True)
    if notes.get("parallel_links_merged"):
        n = number_text(notes["parallel_links_merged"], lang)
        click.echo(t("export_merged_note", lang, n=n), err=True)
    click.echo(printable(path))


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Workbook to write (default: graphs/mau_du_lieu.xlsx, or graphs/template.xlsx "
    "with --lang en).",
)
@click.option("--force", is_flag=True, help="Replace a workbook that is already there.")
@click.pass_context
@guard
def template(ctx: click.Context, output: Path | None, force: bool) -> None:
    """Write an empty workbook to fill in, that valuechain reads back as it is.

    Sheets for enterprises, links, clusters, the product catalog (named
    generically, to trim), the chains and what the data is about, with headers
    in the chosen language and their units, an instructions sheet, two example
    rows per table and a drop-down list of types. A workbook already there is
    never replaced without --force: it may hold a district's filled-in data.

    \b
    Example:
      valuechain template
      valuechain --lang en template -o graphs/template_cho_don.xlsx
    """
    from valuechain.output.template import write_template

    lang = lang_of(ctx)
    default = "graphs/mau_du_lieu.xlsx" if lang == "vi" else "graphs/template.xlsx"
    target = output or Path(default)
    if target.suffix.lower() != ".xlsx":
        raise click.UsageError(t("template_not_xlsx", lang, path=printable(target)), ctx)
    if target.exists() and not force:
        raise click.UsageError(t("template_exists", lang, path=printable(target)), ctx)
    click.echo(printable(write_template(target, lang=lang)))
