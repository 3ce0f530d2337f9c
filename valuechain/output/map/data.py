"""What the linkage map draws, as plain data: `map_payload` runs the analyses a
map shows, places the nodes and assembles the page's data from the nodes and
edges of `elements` (records of the `items` contract). `page` renders it;
nothing here knows HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.analysis.coupling import chain_coupling
from valuechain.analysis.critical import IN_DOCUMENTS, network, scenario_risks
from valuechain.analysis.shares import local_sales_share
from valuechain.analysis.slices import Slice, slice_mask
from valuechain.analysis.suggest import SUGGEST_COLUMNS, suggest_links
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.arrays import fast_isin, fast_map
from valuechain.i18n import Language, t
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset
from valuechain.output.formats import display_names, plain
from valuechain.output.map.elements import (
    changes,
    enterprise_nodes,
    external_nodes,
    pair_edges,
    suggestion_edges,
)
from valuechain.output.map.layout import (
    Projection,
    chain_positions,
    force_positions,
    geo_positions,
    outline_items,
    ring,
    scale,
    spread,
)
from valuechain.output.map.options import MapOptions, inside_links, slice_dataset
from valuechain.output.palette import (
    TYPE_STYLE,
    chain_colours,
)

__all__ = ["MapOptions", "Analyses", "map_payload", "slice_dataset"]


@dataclass
class Analyses:
    """The whole dataset's analyses a map draws from (a slice selects their rows)."""

    weight: str
    links: pd.DataFrame  # ds.links with `w` and `chain`
    unlinked: pd.DataFrame
    coupling: pd.DataFrame  # indexed by chain
    weak_chains: list[str]
    sold: pd.Series  # weight of each party's sales (enterprises and outside labels)
    bought: pd.Series  # weight of each party's purchases


def _analyse(ds: Dataset, options: MapOptions) -> Analyses:
    weight, w, _ = resolve_weight(ds.links, options.weight)
    links = ds.links.assign(w=w.to_numpy())
    chain_of = ds.product_attribute("chain")
    links["chain"] = fast_map(links["product"], chain_of).fillna("")
    coupling = chain_coupling(ds, w).set_index("chain")
    weak = sorted(coupling.index[coupling["weak"].fillna(False).astype(bool)])
    sold = links.groupby("source")["w"].sum()
    bought = links.groupby("target")["w"].sum()
    return Analyses(weight, links, unlinked_producers(ds), coupling, weak, sold, bought)


def _drawn_links(links: pd.DataFrame, ids: pd.Series, sl: Slice) -> np.ndarray:
    """The links a slice's map draws: those with an end in the slice (and, for a
    chain slice, carrying one of its products)."""
    touch = fast_isin(links["source"], ids) | fast_isin(links["target"], ids)
    if sl.chains:
        touch &= links["chain"].isin(sl.chains).to_numpy()
    return touch


def map_payload(ds: Dataset, options: MapOptions) -> dict:
    """Everything the map page needs, JSON-ready.

    Keys: `nodes`, `edges` (vis-network items plus an `info` dict for the
    tooltip), `chains` (colour, score, weak), `districts`, `types`, `summary`,
    `layout`, `weight`, `year`.

    Every analysis runs on the whole dataset. A slice (`options.slice`) then
    selects what is drawn: its enterprises, the links
    with an end among them, and the partners at the other end, drawn faded as
    context (`context: true`), so a district's map shows where its producers
    sell. Raises `SliceError` for a slice value that matches nothing.
    """
    sl = options.slice.resolve(ds)
    a = _analyse(ds, options)
    ent = ds.enterprises
    in_slice = slice_mask(ds, sl)
    if options.aggregate != "none" and int(in_slice.sum()) > options.threshold:
        from valuechain.output.map.aggregate import aggregate_payload

        cut, links = ds, a.links
        if sl:
            cut = slice_dataset(ds, sl)
            links = a.links[inside_links(ds, a.links, sl, cut.enterprises["id"])]
            links = links.reset_index(drop=True)
        unl = a.unlinked[fast_isin(a.unlinked["id"], cut.enterprises["id"])]
        payload = aggregate_payload(cut, links, unl, a.coupling, a.weak_chains, a.weight, options)
        payload["summary"].update(total_enterprises=len(ent), sliced=bool(sl))
        return payload

    slice_ids = ent.loc[in_slice, "id"]
    drawn = _drawn_links(a.links, slice_ids, sl) if sl else np.ones(len(a.links), dtype=bool)
    suggestions = (
        suggest_links(
            ds,
            a.links["w"],
            top=options.suggestions,
            unlinked=a.unlinked,
            slice=sl,
        )
        if options.suggestions
        else pd.DataFrame(columns=SUGGEST_COLUMNS)
    )
    suggestions = _with_priorities(ds, a, suggestions, options)
    links = a.links[drawn]
    partners = pd.concat(
        [links["source"], links["target"], suggestions["source"], suggestions["target"]]
    )
    context = ~in_slice & fast_isin(ent["id"], partners)
    rows = np.flatnonzero(np.asarray(in_slice | context))  # the drawn enterprises' rows
    shown = ent.take(rows).reset_index(drop=True)
    context = context[in_slice | context]
    unlinked = a.unlinked[fast_isin(a.unlinked["id"], slice_ids)]
    flags = enterprise_flags(ds, a.links["w"]).set_index("id")
    edges = _pair_edges(links)
    colours = chain_colours(list(a.coupling.index) + [c for c in edges["chain"].unique() if c])
    ext_labels = sorted(
        set(links.loc[links["source_ext"], "source"])
        | set(links.loc[links["target_ext"], "target"])
    )
    layout, xy, sizes, projection, headings = _positions(
        ds, shown, rows, ext_labels, edges, a, options, sl
    )
    risk = _risk(ds, a)
    added = _value_added(ds)
    nodes = enterprise_nodes(ds, shown, context, sizes, xy, a, flags, risk, added, options.lang)
    nodes += external_nodes(ext_labels, xy, a, options.lang)
    name_of = display_names(ds, options.lang)["product"].to_dict()
    edge_items = pair_edges(edges, colours, name_of, set(shown.loc[context, "id"]))
    change = changes(ds, options, edge_items, {n["id"] for n in nodes}, name_of)
    edge_items += suggestion_edges(suggestions, ds, options.lang)

    # The slice's own sales among the links drawn.
    slice_links = links[fast_isin(links["source"], slice_ids)] if sl else links
    members = shown[~context]
    return {
        "aggregated": False,
        "compare": change,
        "filters": ["chain", "district", "type"],
        "nodes": nodes,
        "edges": edge_items,
        "chains": [
            {
                "chain": c,
                "colour": colours.get(c, "#555555"),
                "score": plain(a.coupling.at[c, "coupling_score"]),
                "weak": c in a.weak_chains,
            }
            for c in sorted(a.coupling.index)
            if not sl.chains or c in sl.chains
        ],
        "districts": sorted(d for d in members["district"].unique() if d),
        "types": [ty for ty in TYPE_STYLE if ty == "external" or (members["type"] == ty).any()],
        "summary": {
            "enterprises": int(in_slice.sum()),
            "total_enterprises": len(ent),
            "sliced": bool(sl),
            "links": len(links),
            "local_links": int(links["local"].sum()),
            "local_share": plain(local_sales_share(slice_links, slice_links["w"])),
            "unlinked": len(unlinked),
            "weak_chains": [c for c in a.weak_chains if not sl.chains or c in sl.chains],
            "suggestions": len(suggestions),
        },
        "layout": layout,
        "headings": headings,
        "boundaries": outline_items(options.boundaries, projection if layout == "geo" else None),
        "weight": a.weight,
        "year": plain(ds.year),
    }


def _risk(ds: Dataset, a: Analyses) -> dict:
    """Each enterprise's risk (critical-enterprise cascade) by id, for datasets
    small enough to test every enterprise in a map; else none."""
    if len(ds.enterprises) > IN_DOCUMENTS:
        return {}
    risk, _affected = scenario_risks(network(ds, a.links["w"]), np.arange(len(ds.enterprises)))
    return dict(zip(ds.enterprises["id"], risk.tolist(), strict=True))


def _value_added(ds: Dataset) -> dict[str, float]:
    """Each enterprise's value added by id (`analysis.value`); none without values."""
    from valuechain.analysis.value import enterprise_added
    from valuechain.errors import DataError

    try:
        added = enterprise_added(ds)
    except DataError:
        return {}
    return dict(zip(ds.enterprises["id"], added.tolist(), strict=True))


def _pair_edges(links: pd.DataFrame) -> pd.DataFrame:
    """One edge per (seller, buyer); its chain is that of its heaviest product."""
    links = links.sort_values("w", ascending=False, kind="stable")
    pairs = (
        links.groupby(["source", "target"], sort=False)
        .agg(w=("w", "sum"), n=("w", "size"), chain=("chain", "first"), local=("local", "first"))
        .reset_index()
    )
    products: dict[tuple[str, str], set[str]] = {}
    for key in zip(links["source"], links["target"], links["product"], strict=True):
        if key[2]:
            products.setdefault(key[:2], set()).add(key[2])
    ends = zip(pairs["source"], pairs["target"], strict=True)
    pairs["products"] = [sorted(products.get(k, ())) for k in ends]
    pairs["external"] = ~pairs.pop("local").astype(bool)
    return pairs


def _positions(
    ds: Dataset,
    shown: pd.DataFrame,
    rows: np.ndarray,
    ext_labels: list[str],
    edges: pd.DataFrame,
    a: Analyses,
    options: MapOptions,
    sl: Slice,
) -> tuple[str, dict, pd.Series, Projection | None, list[dict]]:
    """The layout used, each node's (x, y), each enterprise's size (by its
    whole flow, else its capacity), the geographic projection, if any, and the
    stage headings of a chain layout. `shown` holds the drawn enterprises, the
    rows `rows` of `ds.enterprises`.
    auto: a chain's slice, or a dataset whose enterprises mostly lack
    coordinates, is drawn as a value chain; else (or when boundaries are given
    and some enterprise has coordinates) by geography."""
    throughput = a.sold.add(a.bought, fill_value=0)
    n_geo = int((shown["lat"].notna() & shown["lon"].notna()).sum())
    layout = options.layout
    if layout == "auto":
        located = len(shown) and n_geo >= 0.8 * len(shown)
        outlined = bool(options.boundaries) and n_geo > 0
        layout = "geo" if (located and not sl.chains) or outlined else "chain"
    headings: list[dict] = []
    size_basis = shown["id"].map(throughput)
    if size_basis.fillna(0).sum() == 0:
        size_basis = shown["capacity"]
    sizes = scale(size_basis, 8, 30)
    projection = None
    if layout == "geo":
        pos, _radius, projection = geo_positions(shown, options.width, options.height)
        gx, gy = spread(pos["x"].to_numpy(), pos["y"].to_numpy(), sizes.to_numpy())
        xy = {i: (x, y) for i, x, y in zip(shown["id"], gx, gy, strict=True)}
        xy.update(ring(ext_labels, gx, gy))
    elif layout == "chain":
        columns, groups = _stage_columns(ds, rows, ext_labels, edges)
        xy = chain_positions(columns, groups, edges)
        headings = _column_headings(columns, xy, options.lang)
    else:
        xy = force_positions(list(shown["id"]), ext_labels, edges, options.width)
    return layout, xy, sizes, projection, headings


# What each column of the chain layout holds (`_stage_columns`' numbers).
_COLUMN_NAMES = {-1: "outside_sellers", 0: "raw", 1: "first", 2: "deep", 3: "trade", 4: "buyers"}


def _column_headings(columns: pd.Series, xy: dict, lang: Language) -> list[dict]:
    """A heading above each stage of the chain layout: at the middle of the
    column (or of its block, when a tall column is folded), above its top node."""
    out = []
    for code in sorted(set(columns)):
        ids = columns.index[columns.to_numpy() == code]
        xs = [xy[i][0] for i in ids if i in xy]
        ys = [xy[i][1] for i in ids if i in xy]
        if xs:
            label = t("map_col_" + _COLUMN_NAMES[int(code)], lang)
            out.append({"x": (min(xs) + max(xs)) / 2, "y": min(ys), "label": label})
    return out


def _stage_columns(
    ds: Dataset, rows: np.ndarray, ext_labels: list[str], edges: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Each node's column in the chain layout and its group (chain), for the
    enterprises at `rows` of `ds.enterprises` and the outside parties: raw
    producers 0, processors at their first output's stage (1 or 2), services 3,
    outside buyers 4, outside parties that only sell -1."""
    ent = ds.enterprises
    ids = ent["id"].to_numpy()[rows]
    kind = ent["type"].to_numpy()[rows]
    stage = pd.to_numeric(pd.Series(ds.first_offer_attribute("stage", "output")[rows]))
    column = pd.Series(3, index=ids)
    column[np.isin(kind, list(PRODUCER_TYPES))] = 0
    processor = kind == "processor"
    proc_stage = stage.fillna(2).clip(lower=2, upper=3).astype(int) - 1
    column[processor] = proc_stage.to_numpy()[processor]
    sells = set(edges["source"])
    buys = set(edges["target"])
    outside = pd.Series(
        [(-1 if (lab in sells and lab not in buys) else 4) for lab in ext_labels],
        index=ext_labels,
        dtype=int,
    )
    chain = pd.Series(ds.first_offer_attribute("chain", "output")[rows], dtype=object)
    groups = pd.Series(chain.fillna("").to_numpy(), index=ids)
    groups = pd.concat([groups, pd.Series("~", index=ext_labels)])
    return pd.concat([column, outside]), groups


PRIORITY_ROWS = 10  # the connect rows of `priorities` drawn whatever the toggle says


def _with_priorities(
    ds: Dataset, a: Analyses, suggestions: pd.DataFrame, options: MapOptions
) -> pd.DataFrame:
    """The suggestions to draw: exactly the top connect rows of `priorities` for
    the same slice (its ranks, `priority`, drawn by default; a row without a
    local partner has no line to draw), then the other suggestions not among
    them (behind the toggle)."""
    from valuechain.analysis.priorities import priorities

    if not options.suggestions:
        return suggestions.assign(priority=False, rank=0)
    connect = priorities(
        ds,
        a.links["w"],
        actions=("connect",),
        top=PRIORITY_ROWS,
        slice=options.slice,
        coupling=a.coupling,
    )
    top = connect[connect["partner"] != ""]
    pairs = pd.DataFrame(
        {
            "source": top["id"].to_numpy(),
            "target": top["partner"].to_numpy(),
            "product": top["product"].to_numpy(),
            "km": top["km"].to_numpy(),
            "reason": [[r] for r in top["reason"]],
            "value": top["at_stake"].to_numpy(),
            "priority": True,
            "rank": top["rank"].to_numpy(),
        }
    )
    key = pairs["source"] + "\0" + pairs["target"] + "\0" + pairs["product"]
    others = suggestions.assign(priority=False, rank=0)
    mine = others["source"] + "\0" + others["target"] + "\0" + others["product"]
    others = others[~mine.isin(key)]
    return pd.concat([pairs, others[pairs.columns]], ignore_index=True)
