"""The `valuechain` command line (SPEC §4): the only module that knows about the terminal.

Heavy libraries (pandas, networkx, matplotlib, pyvis) are imported inside the
commands, so `valuechain --help` stays fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .i18n import DEFAULT_LANG, LANGS, t

__all__ = ["main"]

FORMATS = ("table", "csv", "json")
WEIGHTS = ("auto", "value", "volume", "links")


class Problem(click.ClickException):
    """A message for the user with SPEC §4's exit code (1 environment, 3 data)."""

    def __init__(self, message: str, exit_code: int = 3, lang: str = DEFAULT_LANG) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.lang = lang

    def show(self, file: Any = None) -> None:
        prefix = "Lỗi" if self.lang == "vi" else "Error"
        click.echo(f"{prefix}: {self.format_message()}", err=True)


def _lang_from_context() -> str:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "lang" in ctx.obj:
            return ctx.obj["lang"]
        ctx = ctx.parent
    return os.environ.get("VALUECHAIN_LANG", DEFAULT_LANG)


def _guard(func: Callable) -> Callable:
    """Turn library errors into one clear line and SPEC's exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import ValuechainError

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


def dataset_argument(func: Callable) -> Callable:
    return click.argument(
        "dataset",
        required=False,
        type=click.Path(exists=False, file_okay=True, dir_okay=True, path_type=Path),
    )(func)


def load_options(func: Callable) -> Callable:
    """--decimal and --year, shared by every command that loads a dataset."""
    func = click.option(
        "--decimal",
        type=click.Choice([",", "."]),
        default=None,
        help="Decimal mark of the CSV files (default: detected per file).",
    )(func)
    func = click.option(
        "--year",
        default=None,
        metavar="YEAR|all",
        help="Year of links to analyse (default: the latest; 'all' pools).",
    )(func)
    return func


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
        type=click.IntRange(min=0),
        default=30,
        show_default=True,
        help="Rows shown in a table (0 = all). csv and json are never cut.",
    )(func)
    return func


# --- helpers ----------------------------------------------------------------------


def _lang(ctx: click.Context) -> str:
    return ctx.obj["lang"]


def _load(ctx: click.Context, dataset: Path | None, decimal: str | None, year: str | None):
    from .load import load

    if ctx.obj["verbose"]:
        click.echo(t("loading", _lang(ctx), path=dataset or "data/bac_kan"), err=True)
    ds = load(dataset, decimal=decimal).for_year(year)
    rejected = ds.report.rejected_rows
    if rejected:
        click.echo(t("rejected_note", _lang(ctx), n=rejected), err=True)
    return ds


def _weights(ctx: click.Context, ds, weight: str):
    from .weights import resolve_weight

    name, w, missing = resolve_weight(ds.links, weight)
    if missing:
        click.echo(t("weight_missing", _lang(ctx), weight=name, n=missing), err=True)
    return name, w


def _notes(ctx: click.Context, weight: str | None, year: object) -> list[str]:
    lang = _lang(ctx)
    parts = []
    if weight:
        parts.append(t("weight_used", lang, weight=weight))
    if year is not None:
        parts.append(t("year_used", lang, year=year))
    return [" · ".join(parts)] if parts else []


def _emit(
    ctx: click.Context,
    frame,
    *,
    fmt: str,
    limit: int,
    weight: str | None,
    year: object,
    extra: dict | None = None,
) -> None:
    """Print a listing: the table with a notes line, csv (notes on stderr), or json."""
    from . import output

    if fmt == "csv":
        for note in _notes(ctx, weight, year):
            click.echo(note, err=True)
        click.echo(output.to_csv(frame), nl=False)
    elif fmt == "json":
        payload: dict = {}
        if weight is not None:
            payload["weight"] = weight
        payload["year"] = year
        payload.update(extra or {})
        payload["rows"] = frame
        click.echo(output.to_json(payload), nl=False)
    else:
        notes = _notes(ctx, weight, year)
        click.echo(
            output.to_table(frame, lang=_lang(ctx), limit=limit or None, notes=notes), nl=False
        )


# --- the group ---------------------------------------------------------------------


@click.group(
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
@click.version_option(package_name="valuechain")
@click.pass_context
def main(ctx: click.Context, lang: str | None, verbose: int) -> None:
    """Find where a region's value chains are broken.

    DATASET is a folder of CSV files (enterprises.csv, links.csv, optional
    products.csv and clusters.csv) or one .xlsx workbook with those sheets; it
    defaults to the bundled Bắc Kạn sample.
    """
    env = os.environ.get("VALUECHAIN_LANG")
    ctx.obj = {"lang": lang or (env if env in LANGS else DEFAULT_LANG), "verbose": verbose}


@main.command()
@dataset_argument
@click.option(
    "--decimal",
    type=click.Choice([",", "."]),
    default=None,
    help="Decimal mark of the CSV files (default: detected per file).",
)
@format_options
@click.pass_context
@_guard
def validate(
    ctx: click.Context, dataset: Path | None, decimal: str | None, fmt: str, limit: int
) -> None:
    """Check a dataset and list every rejected row and dropped cell.

    Each line names the file, the row as a spreadsheet shows it (header = 1) and
    the column. Exits 3 when any row was rejected, 0 otherwise.

    \b
    Example:
      valuechain validate my_province/
      valuechain validate survey.xlsx --format csv > problems.csv
    """
    from . import output
    from .load import load

    ds = load(dataset, decimal=decimal)
    report = ds.report
    frame = report.frame(_lang(ctx))
    lang = _lang(ctx)
    if fmt == "json":
        click.echo(
            output.to_json(
                {"rejected_rows": report.rejected_rows, "counts": report.counts, "rows": frame}
            ),
            nl=False,
        )
    elif fmt == "csv":
        click.echo(output.to_csv(frame), nl=False)
    else:
        loaded = sum(c["loaded"] for c in report.counts.values())
        notes = [
            t(
                "report_ok",
                lang,
                loaded=loaded,
                rejected=report.rejected_rows,
                warnings=report.warnings,
            )
        ]
        click.echo(
            output.to_table(frame, lang=lang, limit=limit or None, width=90, notes=notes), nl=False
        )
    if report.rejected_rows:
        ctx.exit(3)


@main.command()
@dataset_argument
@load_options
@weight_option("Weight rule reported in the summary.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for people; json (or csv key,value lines) for programs.",
)
@click.pass_context
@_guard
def summary(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    weight: str,
    fmt: str,
) -> None:
    """Count enterprises and links by type, district and chain.

    \b
    Example:
      valuechain summary
      valuechain summary my_province/ --format json
    """
    from . import output
    from .summary import summarize

    ds = _load(ctx, dataset, decimal, year)
    result = summarize(ds, weight=weight)
    if fmt == "json":
        click.echo(output.to_json(result), nl=False)
        return
    rows = []
    for key, value in result.items():
        if isinstance(value, dict):
            rows.extend((f"{key}.{k}", v) for k, v in value.items())
        else:
            rows.append((key, value))
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["key", "value"]).astype({"value": object})
    if fmt == "csv":
        click.echo(output.to_csv(frame), nl=False)
    else:
        click.echo(output.to_table(frame, lang=_lang(ctx), limit=None, width=60), nl=False)


@main.command()
@dataset_argument
@load_options
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only this type (farm, forestry, mine; repeatable).",
)
@click.option(
    "--district",
    "districts",
    multiple=True,
    metavar="NAME",
    help="Only this district (repeatable; case and diacritics ignored).",
)
@analysis_options
@click.pass_context
@_guard
def unlinked(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    types: tuple[str, ...],
    districts: tuple[str, ...],
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """List producers with no local buyer (SPEC §3.1).

    A producer (farm, forestry, mine) is unlinked when it sells nothing to an
    enterprise of the region: `isolated` (no sale at all) or `external_only`
    (every sale leaves the region). Each comes with the number of local
    enterprises that buy what it sells, and the nearest of them.

    \b
    Example:
      valuechain unlinked
      valuechain unlinked --type forestry --district "Chợ Đồn"
      valuechain unlinked --format csv > unlinked.csv
    """
    from ._text import fold
    from .unlinked import unlinked_producers

    ds = _load(ctx, dataset, decimal, year)
    name, _w = _weights(ctx, ds, weight)
    frame = unlinked_producers(ds)
    if types:
        frame = frame[frame["type"].isin(types)]
    if districts:
        wanted = {fold(d) for d in districts}
        frame = frame[frame["district"].map(fold).isin(wanted)]
    _emit(ctx, frame.reset_index(drop=True), fmt=fmt, limit=limit, weight=name, year=ds.year)


def weak_share_option(func: Callable) -> Callable:
    return click.option(
        "--weak-share",
        type=click.FloatRange(0, 1),
        default=0.5,
        show_default=True,
        help="A product is a weak link, an enterprise external-dependent, when its local "
        "share is below this.",
    )(func)


@main.command()
@dataset_argument
@load_options
@weak_share_option
@analysis_options
@click.pass_context
@_guard
def gaps(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    weak_share: float,
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """Show each product's linkage status, missing stages and enterprise flags (§3.2–3.4).

    The table and csv list the products; json adds the missing processing
    stages and every enterprise's coupling flags.

    \b
    Example:
      valuechain gaps
      valuechain gaps --format json > gaps.json
    """
    from .products import missing_stages, product_status
    from .unlinked import enterprise_flags

    ds = _load(ctx, dataset, decimal, year)
    name, w = _weights(ctx, ds, weight)
    products = product_status(ds, w, weak_share=weak_share)
    if fmt == "json":
        from . import output

        payload = {
            "weight": name,
            "year": ds.year,
            "products": products,
            "stages": missing_stages(ds),
            "enterprises": enterprise_flags(ds, w, dependent_share=weak_share),
        }
        click.echo(output.to_json(payload), nl=False)
        return
    _emit(ctx, products, fmt=fmt, limit=limit, weight=name, year=ds.year)
    if fmt == "table":
        stages = missing_stages(ds)
        if len(stages):
            from . import output

            click.echo("")
            click.echo(t("missing_stages_title", _lang(ctx)))
            click.echo(output.to_table(stages, lang=_lang(ctx), limit=limit or None), nl=False)


@main.command()
@dataset_argument
@load_options
@click.option(
    "--by",
    type=click.Choice(["chain"]),
    default="chain",
    show_default=True,
    help="Group by value chain (the only grouping).",
)
@click.option(
    "--weak-score",
    type=click.FloatRange(0, 100),
    default=50.0,
    show_default=True,
    help="A chain scoring below this is weak.",
)
@analysis_options
@click.pass_context
@_guard
def coupling(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    by: str,
    weak_score: float,
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """Score how well each value chain is coupled, 0–100 (SPEC §3.5).

    The score is the mean of completeness, producer coverage, local processing
    and local sourcing; a chain under 50 is weak.

    \b
    Example:
      valuechain coupling
      valuechain --lang en coupling --format csv
    """
    from .coupling import chain_coupling

    ds = _load(ctx, dataset, decimal, year)
    name, w = _weights(ctx, ds, weight)
    _emit(
        ctx,
        chain_coupling(ds, w, weak_score=weak_score),
        fmt=fmt,
        limit=limit,
        weight=name,
        year=ds.year,
    )


@main.command()
@dataset_argument
@load_options
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="How many suggestions (0 = all).",
)
@click.option(
    "--max-km",
    type=click.FloatRange(min=0),
    default=None,
    help="Only pairs at most this far apart (drops pairs of unknown distance).",
)
@weak_share_option
@analysis_options
@click.pass_context
@_guard
def suggest(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    top: int,
    max_km: float | None,
    weak_share: float,
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """Suggest local links: who could sell to whom (SPEC §3.7).

    Pairs where the seller makes what the buyer uses and they do not trade yet,
    for unlinked producers and for products whose local link is missing or
    weak; nearest first.

    \b
    Example:
      valuechain suggest --top 10
      valuechain suggest --max-km 30 --format csv > suggestions.csv
    """
    from .suggest import suggest_links

    ds = _load(ctx, dataset, decimal, year)
    name, w = _weights(ctx, ds, weight)
    frame = suggest_links(ds, w, top=top or None, max_km=max_km, weak_share=weak_share)
    _emit(ctx, frame, fmt=fmt, limit=limit, weight=name, year=ds.year)


@main.command()
@dataset_argument
@load_options
@click.option(
    "--by",
    type=click.Choice(["type", "sector", "district", "chain"]),
    default="type",
    show_default=True,
    help="What a sector is.",
)
@format_options
@click.pass_context
@_guard
def linkages(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    by: str,
    fmt: str,
    limit: int,
) -> None:
    """Backward and forward linkage indices of sectors (Rasmussen–Hirschman, SPEC §3.6).

    BL > 1: the sector buys more from the others than average (pulls); FL > 1:
    it sells more to them than average (pushes); both: a key sector. Needs link
    values.

    \b
    Example:
      valuechain linkages
      valuechain linkages --by district --format json
    """
    from .linkages import linkage_indices

    ds = _load(ctx, dataset, decimal, year)
    _emit(ctx, linkage_indices(ds, by=by), fmt=fmt, limit=limit, weight="value", year=ds.year)


def slice_options(func: Callable) -> Callable:
    """--chain, --district, --type: draw a slice of the dataset."""
    func = click.option(
        "--type",
        "types",
        multiple=True,
        metavar="TYPE",
        help="Only enterprises of this type (repeatable).",
    )(func)
    func = click.option(
        "--district",
        "districts",
        multiple=True,
        metavar="NAME",
        help="Only enterprises of this district (repeatable).",
    )(func)
    func = click.option(
        "--chain",
        "chains",
        multiple=True,
        metavar="CHAIN",
        help="Only this value chain: its enterprises and links (repeatable).",
    )(func)
    return func


@main.command(name="map")
@dataset_argument
@load_options
@output_option("graphs/linkage_map.html")
@click.option(
    "--layout",
    type=click.Choice(["auto", "geo", "force"]),
    default="auto",
    show_default=True,
    help="geo: by longitude/latitude; force: by links. auto: geo when ≥ 80% of "
    "enterprises have coordinates.",
)
@click.option(
    "--suggestions",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="How many suggested links (SPEC §3.7) to draw, dashed.",
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
    type=click.IntRange(min=1),
    default=1500,
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
@slice_options
@weight_option("What sizes nodes and widens lines.")
@click.pass_context
@_guard
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
    chains: tuple[str, ...],
    districts: tuple[str, ...],
    types: tuple[str, ...],
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
      valuechain map --chain timber --layout force -o graphs/timber.html
    """
    from .htmlmap import write_map
    from .mapdata import MapOptions

    ds = _load(ctx, dataset, decimal, year)
    _weights(ctx, ds, weight)
    options = MapOptions(
        layout=layout,
        weight=weight,
        suggestions=suggestions,
        chains=chains,
        districts=districts,
        types=types,
        lang=_lang(ctx),
        aggregate=aggregate,
        threshold=threshold,
        compare_year=compare_year,
    )
    path = write_map(ds, output, options)
    click.echo(str(path))


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
    type=click.IntRange(min=1),
    default=40,
    show_default=True,
    help="Rows shown per table before it is cut (with a count).",
)
@weight_option()
@click.pass_context
@_guard
def report(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    output: Path,
    charts_dir: Path | None,
    max_rows: int,
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
    """
    from .htmlreport import ReportOptions, write_report

    ds = _load(ctx, dataset, decimal, year)
    _weights(ctx, ds, weight)
    options = ReportOptions(
        weight=weight,
        lang=_lang(ctx),
        max_rows=max_rows,
        charts_dir=str(charts_dir) if charts_dir else None,
    )
    path, saved = write_report(ds, output, options)
    for png in saved:
        click.echo(str(png), err=True)
    click.echo(str(path))


@main.command()
@click.option(
    "--enterprises", "n", type=click.IntRange(min=1), required=True, help="How many enterprises."
)
@click.option(
    "--links-per-enterprise",
    "k",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Average links per enterprise.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
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
    from .generate import GenerateOptions, generate, write_dataset

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
    type=click.Choice(["xlsx", "geojson", "gexf", "graphml"]),
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
    from .export import export

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
@dataset_argument
@load_options
@click.option(
    "--target",
    type=click.FloatRange(0, 10),
    default=0.6,
    show_default=True,
    help="Occupancy a cluster must reach (the resolution: over 60%).",
)
@format_options
@click.pass_context
@_guard
def clusters(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    target: float,
    fmt: str,
    limit: int,
) -> None:
    """Occupancy of industrial clusters against the target (SPEC §3.8).

    Land used is the sum of `land_ha` of the enterprises whose `cluster` is the
    cluster's id, over its `area_ha` from clusters.csv.

    \b
    Example:
      valuechain clusters
      valuechain clusters --target 0.8 --format csv
    """
    from .clusters import cluster_occupancy

    ds = _load(ctx, dataset, decimal, year)
    frame = cluster_occupancy(ds, target=target)
    _emit(ctx, frame, fmt=fmt, limit=limit, weight=None, year=None, extra={"target": target})


@main.command()
@dataset_argument
@click.option(
    "--decimal",
    type=click.Choice([",", "."]),
    default=None,
    help="Decimal mark of the CSV files (default: detected per file).",
)
@click.option(
    "--by",
    type=click.Choice(["year", "chain"]),
    default="year",
    show_default=True,
    help="year: totals per year; chain: each chain's score per year.",
)
@analysis_options
@click.pass_context
@_guard
def trend(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    by: str,
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """Progress year by year: links, local share, unlinked producers, links gained
    and lost (SPEC §3.9), or each chain's coupling score with --by chain.

    \b
    Example:
      valuechain trend
      valuechain trend --by chain --format csv
    """
    from .progress import chain_trend, year_trend
    from .weights import resolve_weight

    ds = _load(ctx, dataset, decimal, "all")
    if not ds.years:
        raise Problem(t("no_years", _lang(ctx)), 3, _lang(ctx))
    name = resolve_weight(ds.links, weight)[0]
    frame = chain_trend(ds, weight=weight) if by == "chain" else year_trend(ds, weight=weight)
    _emit(ctx, frame, fmt=fmt, limit=limit, weight=name, year="all")


@main.command()
@click.argument("before", type=click.Path(path_type=Path))
@click.argument("after", type=click.Path(path_type=Path))
@click.option(
    "--decimal",
    type=click.Choice([",", "."]),
    default=None,
    help="Decimal mark of the CSV files (default: detected per file).",
)
@click.option(
    "--weight",
    type=click.Choice(WEIGHTS),
    default="auto",
    show_default=True,
    help="What a link weighs in shares.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for people; json (SPEC §4) or csv (the chains) for programs.",
)
@click.pass_context
@_guard
def compare(
    ctx: click.Context, before: Path, after: Path, decimal: str | None, weight: str, fmt: str
) -> None:
    """Compare two survey rounds: BEFORE and AFTER datasets (folders or workbooks).

    Chain scores before and after, producers that found or lost a local buyer,
    local links gained and lost. Each dataset's latest year is used.

    \b
    Example:
      valuechain compare survey_2021/ survey_2024/
      valuechain compare round1.xlsx round2.xlsx --format json
    """
    from . import output
    from .progress import compare as compare_datasets

    a = _load(ctx, before, decimal, None)
    b = _load(ctx, after, decimal, None)
    result = compare_datasets(a, b, weight=weight)
    import pandas as pd

    chains = pd.DataFrame(result["chains"], columns=["chain", "score_a", "score_b", "delta"])
    if fmt == "json":
        click.echo(output.to_json(result), nl=False)
        return
    if fmt == "csv":
        click.echo(output.to_csv(chains), nl=False)
        return
    lang = _lang(ctx)
    ta, tb = result["totals"]["a"], result["totals"]["b"]
    keys = {
        "links": "cmp_links_total",
        "local_links": "cmp_local_links",
        "local_share": "cmp_local_share",
        "unlinked": "cmp_unlinked",
    }

    def shown(key: str, value: object) -> object:
        return f"{100 * value:.1f}%" if key == "local_share" and value is not None else value

    rows = [(t(label, lang), shown(k, ta[k]), shown(k, tb[k])) for k, label in keys.items()]
    totals = pd.DataFrame(rows, columns=["figure", "score_a", "score_b"])
    notes = [t("cmp_head", lang, a=before, b=after, weight=result["weight"])]
    click.echo(
        output.to_table(
            totals.rename(columns={"figure": "key"}), lang=lang, limit=None, notes=notes
        ),
        nl=False,
    )
    click.echo("")
    click.echo(output.to_table(chains, lang=lang, limit=None), nl=False)
    click.echo("")
    for key in ("became_linked", "became_unlinked"):
        ids = result[key]
        shown = ", ".join(ids[:40]) + (f" … (+{len(ids) - 40})" if len(ids) > 40 else "")
        click.echo(t("cmp_" + key, lang, n=len(ids)) + (": " + shown if ids else ""))
    click.echo(t("cmp_links", lang, new=result["new_local_links"], lost=result["lost_local_links"]))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
