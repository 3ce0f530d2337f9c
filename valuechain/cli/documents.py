"""The commands that write documents: map and report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from valuechain.cli.group import main
from valuechain.cli.options import (
    count,
    dataset_argument,
    load_options,
    output_option,
    slice_options,
    weight_option,
)
from valuechain.cli.shared import (
    guard,
    lang_of,
    load_dataset,
    refuse_input_as_output,
    resolve_weights,
)
from valuechain.output.map import DRAWN_IN_FULL
from valuechain.printing import printable

if TYPE_CHECKING:  # for the annotations; --help imports no pandas
    from valuechain.analysis.slices import Slice


@main.command(name="map")
@dataset_argument
@load_options
@output_option("graphs/linkage_map.html")
@click.option(
    "--layout",
    type=click.Choice(["auto", "geo", "chain", "force"]),
    default="auto",
    show_default=True,
    help="geo: by longitude/latitude; chain: a column per stage, raw producers to "
    "outside buyers, left to right; force: by links. auto: geo when ≥ 80% of "
    "enterprises have coordinates and no --chain is asked, else chain.",
)
@click.option(
    "--suggestions",
    type=count(0),
    default=20,
    show_default=True,
    help="How many suggested links to draw, dashed.",
)
@click.option(
    "--aggregate",
    type=click.Choice(["chain", "district", "none"]),
    default="chain",
    show_default=True,
    help="Above --threshold enterprises draw groups: chain × stage or district × type "
    "(none: always enterprises).",
)
@click.option(
    "--threshold",
    type=count(1),
    default=DRAWN_IN_FULL,
    show_default=True,
    help="How many enterprises a map shows one by one before it aggregates.",
)
@click.option(
    "--compare-year",
    type=int,
    default=None,
    metavar="YEAR",
    help="Also draw the local links gained (green) and lost (purple, dashed) since YEAR.",
)
@slice_options("chain", "district", "type")
@click.option(
    "--boundaries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE.geojson",
    help="District or commune outlines (GeoJSON polygons in longitude/latitude, "
    "as exported from a GIS), drawn and named under the geographic layout.",
)
@weight_option("What sizes nodes and widens lines.")
@click.pass_context
@guard
def map_command(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    output: Path,
    layout: str,
    suggestions: int,
    aggregate: str,
    threshold: int,
    compare_year: int | None,
    slice: Slice,
    boundaries: Path | None,
    weight: str,
) -> None:
    """Draw the interactive linkage map: one HTML file that opens offline.

    Enterprises are coloured and shaped by type and sized by flow; arrows go
    from seller to buyer, coloured by chain; links to and from outside the
    region are grey and dotted; unlinked producers have a vermilion border;
    suggested links are dashed vermilion. The page has a legend, filters by
    chain, district and type, a search box and tooltips.

    \b
    Example:
      valuechain map
      valuechain --lang en map my_province/ -o graphs/my_map.html
      valuechain map --chain timber -o graphs/timber.html
      valuechain map my_province/ --boundaries districts.geojson
    """
    from valuechain.loading.boundaries import read_boundaries
    from valuechain.output.map.options import MapOptions
    from valuechain.output.map.page import render_map_page

    refuse_input_as_output(ctx, dataset, output)
    outlines = tuple(read_boundaries(boundaries)) if boundaries else ()
    ds = load_dataset(ctx, dataset, decimal, year)
    weight, _w = resolve_weights(ctx, ds, weight)  # the rule decided once, here
    options = MapOptions(
        layout=layout,
        weight=weight,
        suggestions=suggestions,
        slice=slice,
        lang=lang_of(ctx),
        aggregate=aggregate,
        threshold=threshold,
        compare_year=compare_year,
        boundaries=outlines,
    )
    page = render_map_page(ds, options)
    click.echo(printable(page.save(output)))
    click.echo(page.said, err=True)


@main.command()
@dataset_argument
@load_options
@output_option("graphs/report.html")
@click.option(
    "--charts-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also save each chart as a PNG in this folder (for Word).",
)
@click.option(
    "--max-rows",
    type=count(1),
    default=40,
    show_default=True,
    help="Rows shown per table before it is cut (with a count).",
)
@click.option(
    "--docx",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the report as a Word document (.docx): the same sections, tables and charts.",
)
@weight_option()
@click.pass_context
@guard
def report(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    output: Path,
    charts_dir: Path | None,
    max_rows: int,
    docx: Path | None,
    weight: str,
) -> None:
    """Write the planner's report: one HTML file to read, print and attach.

    Headline figures, chain coupling and flow charts, the key-sector chart,
    and tables of unlinked producers, products by status, missing stages,
    suggested links, enterprise flags and the load report.

    \b
    Example:
      valuechain report
      valuechain --lang en report my_province/ -o graphs/report_en.html
      valuechain report --charts-dir graphs/charts
      valuechain report --docx graphs/bao_cao.docx
    """
    from valuechain.output.report.worker import ChartWorker

    # Started before pandas is imported: it loads matplotlib while this process
    # loads the data, and draws the charts while this one analyses.
    worker = ChartWorker.start()
    try:
        from valuechain.output.report.page import ReportOptions, build_report, save_report

        refuse_input_as_output(ctx, dataset, output)
        if docx is not None:
            refuse_input_as_output(ctx, dataset, docx)
        ds = load_dataset(ctx, dataset, decimal, year)
        weight, _w = resolve_weights(ctx, ds, weight)  # the rule decided once, here
        options = ReportOptions(
            weight=weight,
            lang=lang_of(ctx),
            max_rows=max_rows,
            charts_dir=str(charts_dir) if charts_dir else None,
            docx=str(docx) if docx else None,
        )
        report = build_report(ds, options, worker=worker)
        path, saved = save_report(report, output, options)
    finally:
        if worker is not None:
            worker.stop()
    for png in saved:
        click.echo(printable(png), err=True)
    click.echo(printable(path))
    click.echo(report.said, err=True)
