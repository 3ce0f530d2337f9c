"""Progress against the resolution: clusters, trend, compare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from valuechain.cli.group import main
from valuechain.cli.options import (
    Finite,
    analysis_options,
    dataset_argument,
    decimal_option,
    format_option,
    format_options,
    load_options,
    weight_option,
)
from valuechain.cli.shared import Problem, emit, guard, lang_of, load_dataset
from valuechain.i18n import t


@main.command()
@dataset_argument
@load_options
@click.option(
    "--target",
    type=Finite(0, 10),
    default=None,
    help="Occupancy a cluster must reach (default: the plan's, from the dataset's about "
    "table, else 0.6).",
)
@format_options
@click.pass_context
@guard
def clusters(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    target: float | None,
    fmt: str,
    limit: int,
) -> None:
    """Occupancy of industrial clusters against the target.

    Land used is the sum of `land_ha` of the enterprises whose `cluster` is the
    cluster's id, over its `area_ha` from clusters.csv.

    \b
    Example:
      valuechain clusters
      valuechain clusters --target 0.8 --format csv
    """
    from valuechain.analysis.clusters import cluster_occupancy, occupancy_target

    ds = load_dataset(ctx, dataset, decimal, year)
    target = occupancy_target(ds) if target is None else target
    frame = cluster_occupancy(ds, target=target)
    emit(ctx, frame, fmt=fmt, limit=limit, weight=None, year=None, extra={"target": target})


@main.command()
@dataset_argument
@decimal_option
@click.option(
    "--by",
    type=click.Choice(["year", "chain"]),
    default="year",
    show_default=True,
    help="year: totals per year; chain: each chain's score per year.",
)
@analysis_options
@click.pass_context
@guard
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
    and lost, or each chain's coupling score with --by chain.

    \b
    Example:
      valuechain trend
      valuechain trend --by chain --format csv
    """
    from valuechain.analysis.progress import chain_trend, year_trend
    from valuechain.analysis.weights import resolve_weight

    ds = load_dataset(ctx, dataset, decimal, "all")
    if not ds.years:
        raise Problem(t("no_years", lang_of(ctx)), 3, lang_of(ctx))
    name = resolve_weight(ds.links, weight)[0]
    frame = chain_trend(ds, weight=weight) if by == "chain" else year_trend(ds, weight=weight)
    emit(ctx, frame, fmt=fmt, limit=limit, weight=name, year="all")


@main.command()
@click.argument("before", type=click.Path(path_type=Path))
@click.argument("after", type=click.Path(path_type=Path))
@decimal_option
@weight_option()
@format_option("table for people; json or csv (the chains) for programs.")
@click.pass_context
@guard
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
    from valuechain.analysis.progress import compare as compare_datasets
    from valuechain.output import formats

    a = load_dataset(ctx, before, decimal, None)
    b = load_dataset(ctx, after, decimal, None)
    result = compare_datasets(a, b, weight=weight)
    import pandas as pd

    chains = pd.DataFrame(result["chains"], columns=["chain", "score_a", "score_b", "delta"])
    if fmt == "json":
        click.echo(formats.to_json(result), nl=False)
        return
    if fmt == "csv":
        click.echo(formats.to_csv(chains), nl=False)
        return
    lang = lang_of(ctx)
    ta, tb = result["totals"]["a"], result["totals"]["b"]
    keys = {
        "links": "cmp_links_total",
        "local_links": "cmp_local_links",
        "local_share": "cmp_local_share",
        "unlinked": "cmp_unlinked",
    }

    def shown(key: str, value: Any) -> Any:
        return f"{100 * value:.1f}%" if key == "local_share" and value is not None else value

    rows = [(t(label, lang), shown(k, ta[k]), shown(k, tb[k])) for k, label in keys.items()]
    totals = pd.DataFrame(rows, columns=["figure", "score_a", "score_b"])
    notes = [t("cmp_head", lang, a=before, b=after, weight=result["weight"])]
    click.echo(
        formats.to_table(
            totals.rename(columns={"figure": "key"}), lang=lang, limit=None, notes=notes
        ),
        nl=False,
    )
    click.echo("")
    click.echo(formats.to_table(chains, lang=lang, limit=None), nl=False)
    click.echo("")
    for key in ("became_linked", "became_unlinked"):
        ids = result[key]
        listed = ", ".join(ids[:40]) + (f" … (+{len(ids) - 40})" if len(ids) > 40 else "")
        n = formats.number_text(len(ids), lang)
        click.echo(t("cmp_" + key, lang, n=n) + (": " + listed if ids else ""))
    new, lost = (
        formats.number_text(result[k], lang) for k in ("new_local_links", "lost_local_links")
    )
    click.echo(t("cmp_links", lang, new=new, lost=lost))
