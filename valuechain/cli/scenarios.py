"""The commands that act on the analyses: priorities (whom to call, what to
attract, whom to protect), critical (which enterprises the region can least
afford to lose) and whatif (before and after a closure or a new plant)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from valuechain.cli.group import main
from valuechain.cli.options import (
    Finite,
    analysis_options,
    count,
    dataset_argument,
    format_option,
    load_options,
    slice_options,
    weight_option,
)
from valuechain.cli.shared import (
    emit,
    guard,
    lang_of,
    load_dataset,
    refuse_input_as_output,
    resolve_weights,
)
from valuechain.i18n import t
from valuechain.printing import printable

if TYPE_CHECKING:  # for the annotations; --help imports no pandas
    from valuechain.analysis.slices import Slice


@main.command()
@dataset_argument
@load_options
@click.option(
    "--action",
    "actions",
    type=click.Choice(["connect", "attract", "protect"]),
    multiple=True,
    help="Only this list (repeatable; default: all three).",
)
@click.option(
    "--top", type=count(0), default=10, show_default=True, help="Rows per list (0 = all)."
)
@slice_options("district", "chain", "type")
@analysis_options
@click.pass_context
@guard
def priorities(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    actions: tuple[str, ...],
    top: int,
    slice: Slice,
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """What to do first: whom to connect, which plant to attract, whom to protect.

    connect: each producer's sales of a product that leave the region, largest
    first, with the nearest enterprise that uses the product (existing or new
    buyer) and the value now leaving. attract: each missing processing stage,
    ranked by the value of its raw input now leaving the region. protect: the
    enterprises whose stop would cost the region 5 % or more of its output.
    See docs/methods.md.

    \b
    Example:
      valuechain priorities
      valuechain priorities --action connect --district "Na Rì" --top 20
      valuechain priorities --format csv > priorities.csv
    """
    from valuechain.analysis.critical import IN_DOCUMENTS
    from valuechain.analysis.priorities import ACTIONS, protects
    from valuechain.analysis.priorities import priorities as rank

    ds = load_dataset(ctx, dataset, decimal, year)
    name, w = resolve_weights(ctx, ds, weight)
    actions = actions or ACTIONS
    if "protect" in actions and not protects(ds):
        from valuechain.i18n.numbers import number_text

        lang = lang_of(ctx)
        n, most = number_text(len(ds.enterprises), lang), number_text(IN_DOCUMENTS, lang)
        click.echo(t("protect_large", lang, n=n, limit=most), err=True)
        actions = tuple(a for a in actions if a != "protect")
    frame = rank(ds, w, actions=actions, top=top or None, slice=slice)
    if fmt != "table":
        emit(ctx, frame, fmt=fmt, limit=limit, weight=name, year=ds.year, ds=ds)
        return
    from valuechain.output.formats import priorities_tables

    tables = priorities_tables(frame, ds, lang_of(ctx), name, limit or None, actions)
    click.echo(tables, nl=False)


@main.command()
@dataset_argument
@load_options
@click.option(
    "--candidates",
    type=count(1),
    default=150,
    show_default=True,
    help="Above 50,000 enterprises, the most to test: those with the largest bound on "
    "their loss, until the bounds show that no other can enter the top 100.",
)
@analysis_options
@click.pass_context
@guard
def critical(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    candidates: int,
    weight: str,
    fmt: str,
    limit: int,
) -> None:
    """Rank enterprises by how much of the region's output is lost if they stop.

    The loss follows local links: buyers lose what the enterprise supplied
    (all of their output when it was an input their products are made from),
    suppliers lose what it bought, and so on until nothing changes; nobody is
    replaced within the year. risk = share of the region's output lost;
    affected = other enterprises keeping under 99 % of theirs; sole_buyer_of =
    producers whose only local buyer it is. See docs/methods.md.

    \b
    Example:
      valuechain critical --limit 10
      valuechain critical my_province/ --format csv > critical.csv
    """
    from valuechain.analysis import critical as module
    from valuechain.output.formats import number_text

    ds = load_dataset(ctx, dataset, decimal, year)
    name, w = resolve_weights(ctx, ds, weight)
    limit_every = module.MAX_SCENARIOS
    frame, screen = module.critical_enterprises(
        ds, w, candidates=candidates, every_up_to=limit_every
    )
    lang = lang_of(ctx)
    if screen.sampled:
        key = "critical_proven" if screen.certified else "critical_screened"
        key = key if screen.stopped else "critical_budget"
        recall = "" if screen.recall is None else f"{screen.recall:.0%}"
        text = t(key, lang, n=number_text(len(ds.enterprises), lang), k=screen.count,
                 limit=number_text(limit_every, lang), top=screen.top, recall=recall)  # fmt: skip
        click.echo(text, err=True)
    extra = {"tested": screen.tested, "recall": screen.recall}
    emit(ctx, frame, fmt=fmt, limit=limit, weight=name, year=ds.year, ds=ds, extra=extra)


def _lat_lon(ctx, param, value):
    if value is None:
        return None
    try:
        lat, lon = (float(x) for x in value.replace(" ", "").split(","))
    except ValueError:
        raise click.BadParameter(t("at_format", lang_of(ctx))) from None
    if not (abs(lat) <= 90 and abs(lon) <= 180):
        raise click.BadParameter(t("at_range", lang_of(ctx)))
    return lat, lon


@main.command()
@dataset_argument
@load_options
@click.option(
    "--remove",
    "remove",
    multiple=True,
    metavar="ID",
    help="An enterprise that closes (repeatable).",
)
@click.option(
    "--add-processor", metavar="PRODUCT", help="A new plant making this product (a code)."
)
@click.option("--at", callback=_lat_lon, metavar="LAT,LON", help="Where the new plant stands.")
@click.option("--district", metavar="NAME", help="Or: the new plant in this district (its centre).")
@click.option(
    "--inputs", metavar="CODES", help="What the plant buys, ';'-separated (default: its recipe)."
)
@click.option(
    "--capacity",
    type=Finite(min=0),
    help="Volume it can take, in the unit of its inputs' links (default: unlimited).",
)
@click.option(
    "--max-km", type=Finite(min=0), default=50.0, show_default=True, help="How far it buys from."
)
@weight_option()
@format_option("table for people; json for programs.", choices=("table", "json"))
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the scenario on a map (HTML): what closes or opens, the links lost or "
    "redirected, the producers that lose or gain a local buyer.",
)
@click.pass_context
@guard
def whatif(
    ctx: click.Context,
    dataset: Path | None,
    decimal: str | None,
    year: str | None,
    remove: tuple[str, ...],
    add_processor: str | None,
    at: tuple[float, float] | None,
    district: str | None,
    inputs: str | None,
    capacity: float | None,
    max_km: float,
    weight: str,
    fmt: str,
    map_path: Path | None,
) -> None:
    """Before and after a scenario: an enterprise closes, or a new plant opens.

    --remove ID takes the enterprise and its links away: who loses their only
    local buyer, which products and chains weaken, and how much output every
    enterprise it hits keeps. --add-processor Q places a plant making Q and
    redirects to it the outside sales of its inputs by producers within
    --max-km, nearest first, up to --capacity. See docs/methods.md.

    \b
    Example:
      valuechain whatif --remove CB-TUYEN-CD
      valuechain whatif --add-processor mdf --district "Chợ Mới" --capacity 20000
      valuechain whatif --add-processor plywood --at 22.15,105.83 --format json
      valuechain whatif --remove CB-TUYEN-CD --map graphs/whatif.html
    """
    from valuechain.analysis.whatif import Scenario
    from valuechain.analysis.whatif import whatif as run_whatif
    from valuechain.output import formats

    lang = lang_of(ctx)
    if bool(remove) == bool(add_processor):
        raise click.UsageError(t("whatif_one", lang), ctx)
    if add_processor and (at is None) == (district is None):
        raise click.UsageError(t("whatif_where", lang), ctx)
    ds = load_dataset(ctx, dataset, decimal, year)
    weight, _w = resolve_weights(ctx, ds, weight)  # the rule decided once, here
    from valuechain.analysis.whatif import product_code

    scenario = Scenario(
        remove=remove,
        add_processor=product_code(ds, add_processor) if add_processor else None,
        at=at,
        district=district,
        inputs=tuple(c.strip() for c in (inputs or "").split(";") if c.strip()),
        capacity=capacity,
        max_km=max_km,
    )
    if map_path is not None:
        refuse_input_as_output(ctx, dataset, map_path)
    result = run_whatif(ds, scenario, weight)
    if map_path is not None:
        from valuechain.output.map.options import MapOptions
        from valuechain.output.map.scenario import write_scenario_map

        options = MapOptions(weight=weight, lang=lang)
        written = write_scenario_map(ds, scenario, result, map_path, options)
        click.echo(printable(written), err=True)
    if fmt == "json":
        click.echo(formats.to_json(result), nl=False)
        return
    click.echo(formats.whatif_text(result, ds, lang), nl=False)
