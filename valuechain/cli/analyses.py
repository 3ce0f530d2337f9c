"""The listing commands: validate, summary, unlinked, gaps, coupling, suggest, linkages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from valuechain.cli.group import main
from valuechain.cli.options import (
    Finite,
    analysis_options,
    count,
    dataset_argument,
    decimal_option,
    format_option,
    format_options,
    load_options,
    slice_options,
    weight_option,
)
from valuechain.cli.shared import (
    column_notes,
    emit,
    guard,
    lang_of,
    load_dataset,
    read_dataset,
    resolve_weights,
    weight_notes,
)
from valuechain.i18n import Language, t

if TYPE_CHECKING:  # for the annotations; --help imports no pandas
    from valuechain.analysis.slices import Slice


@main.command()
@dataset_argument
@decimal_option
@format_options
@click.pass_context
@guard
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
    from valuechain.output import formats

    ds = read_dataset(ctx, dataset, decimal)
    notes = column_notes(ds, lang_of(ctx)) + weight_notes(ds.for_year(None), lang_of(ctx), "auto")
    for line in notes:
        click.echo(line, err=True)
    report = ds.report
    frame = report.frame(lang_of(ctx))
    lang = lang_of(ctx)
    if fmt == "json":
        click.echo(
            formats.to_json(
                {"rejected_rows": report.rejected_rows, "counts": report.counts, "rows": frame}
            ),
            nl=False,
        )
    elif fmt == "csv":
        click.echo(formats.to_csv(frame), nl=False)
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
        # Errors first, then warnings, then notes (many notes, such as converted
        # coordinates, must not push a warning past the limit); a message is never
        # cut: its list of accepted words or merged spellings is read whole.
        rank = frame["level"].map({"error": 0, "warning": 1, "info": 2}).fillna(3)
        frame = frame.iloc[rank.argsort(kind="stable")].reset_index(drop=True)
        click.echo(
            formats.to_table(frame, lang=lang, limit=limit or None, width=10_000, notes=notes),
            nl=False,
        )
    if report.rejected_rows:
        ctx.exit(3)


@main.command()
@dataset_argument
@load_options
@weight_option("Weight rule reported in the summary.")
@format_option("table for people; json (or csv key,value lines) for programs.")
@click.pass_context
@guard
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
    from valuechain.analysis.summary import summarize
    from valuechain.output import formats

    ds = load_dataset(ctx, dataset, decimal, year)
    result = summarize(ds, weight=weight)
    if fmt == "json":
        click.echo(formats.to_json(result), nl=False)
        return
    rows: list[tuple[str, Any]] = []
    for key, value in result.items():
        if isinstance(value, dict):
            rows.extend((f"{key}.{k}", v) for k, v in value.items())
        else:
            rows.append((key, value))
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["key", "value"]).astype({"value": object})
    if fmt == "csv":
        click.echo(formats.to_csv(frame), nl=False)
    else:
        click.echo(formats.to_table(summary_words(rows, ds, lang_of(ctx)), lang=lang_of(ctx),
                                    limit=None, width=60), nl=False)  # fmt: skip


def summary_words(rows: list[tuple], ds, lang: Language):
    """The summary for people: each figure named in the reader's language, a
    type, district or chain by its name ("Theo chuỗi: Gỗ"); csv and json keep the
    stable English keys."""
    import pandas as pd

    from valuechain.output import formats

    chain_name = formats.chain_display_names(ds, lang)
    shown = []
    for key, value in rows:
        group, dot, member = key.partition(".")
        if dot:
            member = member or "–"  # enterprises without a district
            if group == "by_type":
                member = t("val_" + member, lang)
            elif group == "by_chain":
                member = str(chain_name.get(member, member))
            label = t("sum_" + group, lang, name=member)
        else:
            label = t("sum_" + key, lang)
        if key == "weight":
            value = formats.value_text(value, lang)
        elif key == "year":  # a year is a label, not a quantity: 2024, never "2,024"
            value = "–" if value is None else formats.value_text(str(value), lang)
        shown.append((label, value))
    return pd.DataFrame(shown, columns=["figure", "value"]).astype({"value": object})


@main.command()
@dataset_argument
@load_options
@slice_options("type", "district")
@analysis_options
@click.pass_context
@guard
def unlinked(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    slice: Slice,
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """List producers with no local buyer.

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
    from valuechain.analysis.unlinked import unlinked_producers

    ds = load_dataset(ctx, dataset, decimal, year)
    name, _w = resolve_weights(ctx, ds, weight)
    frame = unlinked_producers(ds, slice=slice)
    emit(ctx, frame, fmt=fmt, limit=limit, weight=name, year=ds.year, ds=ds)


def weak_share_option(func: Callable) -> Callable:
    return click.option(
        "--weak-share",
        type=Finite(0, 1),
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
@guard
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
    """Show each product's linkage status, missing stages and enterprise flags.

    The table and csv list the products; json adds the missing processing
    stages and every enterprise's coupling flags.

    \b
    Example:
      valuechain gaps
      valuechain gaps --format json > gaps.json
    """
    from valuechain.analysis.products import missing_stages, product_status
    from valuechain.analysis.unlinked import enterprise_flags

    ds = load_dataset(ctx, dataset, decimal, year)
    name, w = resolve_weights(ctx, ds, weight)
    products = product_status(ds, w, weak_share=weak_share)
    if fmt == "json":
        from valuechain.output import formats

        payload = {
            "weight": name,
            "year": ds.year,
            "products": products,
            "stages": missing_stages(ds),
            "enterprises": enterprise_flags(ds, w, dependent_share=weak_share),
        }
        click.echo(formats.to_json(payload), nl=False)
        return
    emit(ctx, products, fmt=fmt, limit=limit, weight=name, year=ds.year, ds=ds)
    if fmt == "table":
        stages = missing_stages(ds)
        if len(stages):
            from valuechain.output import formats

            click.echo("")
            click.echo(t("missing_stages_title", lang_of(ctx)))
            names = formats.display_names(ds, lang_of(ctx))
            table = formats.to_table(stages, lang=lang_of(ctx), limit=limit or None, names=names)
            click.echo(table, nl=False)


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
    type=Finite(0, 100),
    default=50.0,
    show_default=True,
    help="A chain scoring below this is weak.",
)
@analysis_options
@click.pass_context
@guard
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
    """Score how well each value chain is coupled, 0–100.

    The score is the mean of completeness, producer coverage, local processing
    and local sourcing; a chain under 50 is weak.

    \b
    Example:
      valuechain coupling
      valuechain --lang en coupling --format csv
    """
    from valuechain.analysis.coupling import chain_coupling

    ds = load_dataset(ctx, dataset, decimal, year)
    name, w = resolve_weights(ctx, ds, weight)
    emit(
        ctx,
        chain_coupling(ds, w, weak_score=weak_score),
        fmt=fmt,
        limit=limit,
        weight=name,
        year=ds.year,
        ds=ds,
    )


@main.command()
@dataset_argument
@load_options
@click.option(
    "--top",
    type=count(0),
    default=20,
    show_default=True,
    help="How many suggestions (0 = all).",
)
@click.option(
    "--max-km",
    type=Finite(min=0),
    default=None,
    help="Only pairs at most this far apart (drops pairs of unknown distance).",
)
@click.option(
    "--all-buyers",
    is_flag=True,
    help="Every buyer of each seller's product, not only the best-ranked one.",
)
@click.option(
    "--all-sellers",
    is_flag=True,
    help="Every local seller and everything it makes, with each pair's score.",
)
@slice_options("district", "chain", "type")
@weak_share_option
@analysis_options
@click.pass_context
@guard
def suggest(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    top: int,
    max_km: float | None,
    all_buyers: bool,
    all_sellers: bool,
    slice: Slice,
    weak_share: float,
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """Suggest local links: who could sell to whom.

    Pairs where the seller makes what the buyer uses and they do not trade yet,
    for unlinked producers and for products whose local link is missing or
    weak (--all-sellers: every local seller); best first by the evidence score
    (nearness, how active the seller is, common partners, what the buyer and
    the seller's neighbours already trade; see docs/methods.md), one buyer per
    seller and product (--all-buyers: every one). value = what the seller now
    sells of the product outside the region.

    \b
    Example:
      valuechain suggest --top 10
      valuechain suggest --district "Na Rì" --chain "Gỗ"
      valuechain suggest --max-km 30 --format csv > suggestions.csv
      valuechain suggest --all-sellers --top 50
    """
    from valuechain.analysis.suggest import suggest_links

    ds = load_dataset(ctx, dataset, decimal, year)
    name, w = resolve_weights(ctx, ds, weight)
    frame = suggest_links(
        ds,
        w,
        top=top or None,
        max_km=max_km,
        weak_share=weak_share,
        slice=slice,
        all_buyers=all_buyers,
        all_sellers=all_sellers,
    )
    if fmt == "table":  # people read names; programs get every column
        view = ["source_name", "source_district", "target_name", "target_district"]
        score = ["score"] if all_sellers else []
        frame = frame[[*view, "product", "km", "value", "reason", *score]]
        frame = frame.rename(columns={"value": "value_out"})
    emit(ctx, frame, fmt=fmt, limit=limit, weight=name, year=ds.year, ds=ds)


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
@guard
def linkages(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    by: str,
    fmt: str,
    limit: int,
) -> None:
    """Backward and forward linkage indices of sectors (Rasmussen–Hirschman).

    BL > 1: the sector buys more from the others than average (pulls); FL > 1:
    it sells more to them than average (pushes); both: a key sector. Needs link
    values.

    \b
    Example:
      valuechain linkages
      valuechain linkages --by district --format json
    """
    from valuechain.analysis.linkages import linkage_indices

    ds = load_dataset(ctx, dataset, decimal, year)
    emit(ctx, linkage_indices(ds, by=by), fmt=fmt, limit=limit, weight="value", year=ds.year, ds=ds)


@main.command()
@dataset_argument
@load_options
@click.option(
    "--by",
    type=click.Choice(["stage", "chain", "enterprise"]),
    default="stage",
    show_default=True,
    help="A row per chain and stage, per chain, or per enterprise.",
)
@slice_options("district", "chain")
@format_options
@click.pass_context
@guard
def value(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    by: str,
    slice: Slice,
    fmt: str,
    limit: int,
) -> None:
    """Where the value is made and where it leaves: value added by stage.

    Per enterprise: output (output_value, else the value of its sales), what
    it buys in the region and outside, and value added = output - purchases
    (a negative one is flagged: sales or purchases are missing). An enterprise
    counts in the chain and stage of its main output. Per chain: local content
    = value added in the region / (value added + inputs bought outside), and
    raw leakage = the share of the first stage's output sold outside the
    region unprocessed. Needs values (million VND). See docs/methods.md.

    \b
    Example:
      valuechain value
      valuechain value --by chain
      valuechain value --chain timber --by enterprise --format csv > timber.csv
    """
    from valuechain.analysis.value import value_added

    ds = load_dataset(ctx, dataset, decimal, year)
    resolve_weights(ctx, ds, "value")  # a link without a value counts 0: said on stderr
    frame = value_added(ds, by=by, slice=slice)
    emit(ctx, frame, fmt=fmt, limit=limit, weight="value", year=ds.year, ds=ds)


@main.command()
@dataset_argument
@decimal_option
@click.option("--from", "first", type=int, default=None, metavar="YEAR",
              help="The year suggestions are made in (default: every pair of years).")  # fmt: skip
@click.option("--to", "last", type=int, default=None, metavar="YEAR",
              help="The year they are checked in (default: the next survey year).")  # fmt: skip
@click.option("--k", "ks", default="10,50,100", show_default=True, metavar="K,K,…",
              help="How many of the first suggestions are checked.")  # fmt: skip
@format_options
@click.pass_context
@guard
def backtest(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    first: int | None,
    last: int | None,
    ks: str,
    fmt: str,
    limit: int,
) -> None:
    """Check last survey's suggestions against the links that formed since.

    For each pair of survey years, the dataset as known in the first ranks the
    local seller, buyer and product triples that did not trade yet, by the
    evidence score, by the nearest buyer (the rule used before) and at random;
    precision@k and recall@k count the first k against the local links that
    trade for the first time in the second year. Needs two survey years.

    \b
    Example:
      valuechain backtest
      valuechain backtest my_province/ --from 2022 --to 2024 --k 20,100
      valuechain backtest generated/ --format csv > backtest.csv
    """
    from valuechain.analysis.backtest import backtest as run_backtest

    try:
        wanted = tuple(sorted({int(k) for k in ks.split(",") if k.strip()}))
    except ValueError:
        wanted = ()
    if not wanted or min(wanted) < 1:
        raise click.UsageError(t("backtest_bad_k", lang_of(ctx), k=ks), ctx)
    ds = read_dataset(ctx, dataset, decimal)
    pairs = None
    if first is not None or last is not None:
        years = ds.years
        before = [y for y in years if last is not None and y < last]
        start = first if first is not None else (before[-1] if before else None)
        end = last if last is not None else next((y for y in years if y > first), None)
        if start is None or end is None or start not in years or end not in years or end <= start:
            raise click.UsageError(
                t("backtest_bad_years", lang_of(ctx), years=", ".join(map(str, years)) or "–"), ctx
            )
        pairs = [(start, end)]
    frame = run_backtest(ds, pairs=pairs, ks=wanted)
    if fmt == "table":  # the years as years, for people
        frame = frame.rename(columns={"from": "year_from", "to": "year_to"})
    emit(ctx, frame, fmt=fmt, limit=limit, weight=None, year=None, ds=ds)
