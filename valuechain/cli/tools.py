"""export (Excel, QGIS, Gephi) and generate (synthetic datasets)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from valuechain.choices import EXPORT_FORMATS
from valuechain.cli._base import (
    Finite,
    _guard,
    _lang,
    _load,
    _refuse_input_as_output,
    _weights,
    count,
    dataset_argument,
    load_options,
    main,
    weight_option,
)
from valuechain.i18n import t


@main.command()
@click.option("--enterprises", "n", type=count(1), required=True, help="How many enterprises.")
@click.option(
    "--links-per-enterprise",
    "k",
    type=Finite(0, 1000),
    default=5.0,
    show_default=True,
    help="Average links per enterprise.",
)
@click.option(
    "--seed", type=click.IntRange(0, 2**32 - 1), default=1, show_default=True, help="Random seed."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write enterprises.csv and links.csv into.",
)
@click.pass_context
@_guard
def generate(ctx: click.Context, n: int, k: float, seed: int, output: Path) -> None:
    """Write a synthetic dataset (for benchmarks and trying the tool at scale).

    Enterprises belong to the default catalog's chains and stages, degrees are
    heavy-tailed, about a third of links leave the region, and enterprises sit
    around district centres. The same seed gives the same files.

    \b
    Example:
      valuechain generate --enterprises 100000 -o /tmp/vn100k
      valuechain generate --enterprises 1000000 --links-per-enterprise 5 --seed 7 -o big/
    """
    from valuechain.synthetic import GenerateOptions, generate, write_dataset

    steps = ["enterprises", "positions", "links", "write"]
    label = t("generating", _lang(ctx), n=n)
    with click.progressbar(length=len(steps), label=label, file=sys.stderr) as bar:
        enterprises, links = generate(
            GenerateOptions(enterprises=n, links_per_enterprise=k, seed=seed),
            progress=lambda _step: bar.update(1),
        )
        write_dataset(enterprises, links, output)
        bar.update(1)
    click.echo(t("generated", _lang(ctx), path=output, n=len(enterprises), m=len(links)))


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
@_guard
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

    _refuse_input_as_output(ctx, dataset, output or Path(f"graphs/valuechain.{fmt}"))
    ds = _load(ctx, dataset, decimal, year)
    _weights(ctx, ds, weight)
    lang = _lang(ctx)
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
    if notes.get("parallel_links_merged"):
        click.echo(t("export_merged_note", lang, n=notes["parallel_links_merged"]), err=True)
    click.echo(str(path))


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Workbook to write (default: graphs/mau_du_lieu.xlsx, or graphs/template.xlsx "
    "with --lang en).",
)
@click.pass_context
@_guard
def template(ctx: click.Context, output: Path | None) -> None:
    """Write an empty workbook to fill in, that valuechain reads back as it is.

    Sheets for enterprises, links, clusters and the product catalog, with
    headers in the chosen language and their units, an instructions sheet, two
    example rows per table and a drop-down list of types.

    \b
    Example:
      valuechain template
      valuechain --lang en template -o graphs/template.xlsx
    """
    from valuechain.output.template import write_template

    lang = _lang(ctx)
    default = "graphs/mau_du_lieu.xlsx" if lang == "vi" else "graphs/template.xlsx"
    click.echo(str(write_template(output or Path(default), lang=lang)))
