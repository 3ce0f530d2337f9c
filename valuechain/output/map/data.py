"""What the linkage map draws: nodes, edges, positions and gap marks, as plain data.

`map_payload` turns a dataset and its analyses into JSON-ready dicts; `htmlmap`
renders them. Nothing here knows HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.analysis.coupling import chain_coupling
from valuechain.analysis.critical import IN_DOCUMENTS, PROTECT_RISK, critical_enterprises
from valuechain.analysis.shares import local_sales_share
from valuechain.analysis.slices import Slice, slice_mask
from valuechain.analysis.suggest import SUGGEST_COLUMNS, suggest_links
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.arrays import fast_isin, fast_map
from valuechain.i18n import t
from valuechain.loading.boundaries import Outline
from valuechain.loading.columns import KNOWN, PRODUCER_TYPES
from valuechain.loading.dataset import Dataset
from valuechain.loading.files import ROW
from valuechain.output.formats import display_names, plain
from valuechain.output.map import DRAWN_IN_FULL
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
from valuechain.output.palette import (
    CHAIN_COLOURS,
    EXTERNAL_EDGE,
    GAP_COLOUR,
    TYPE_STYLE,
    chain_colours,
)

__all__ = ["MapOptions", "map_payload", "TYPE_STYLE", "CHAIN_COLOURS", "slice_dataset"]


@dataclass(frozen=True)
class MapOptions:
    """How to draw: `layout` geo | chain | force | auto; `suggestions` = how many of
    the suggested links' top pairs to draw; the slice filters keep only matching
    enterprises."""

    layout: str = "auto"
    weight: str = "auto"
    suggestions: int = 20
    slice: Slice = Slice()  # what to draw (`Slice`); the whole region by default
    lang: str = "vi"
    width: int = 1400
    height: int = 900
    # Above `threshold` enterprises the map draws groups: "chain" (chain × stage)
    # or "district" (district × type); "none" always draws enterprises.
    aggregate: str = "chain"
    threshold: int = DRAWN_IN_FULL
    # Draw the local links gained and lost since this year (links carry years).
    compare_year: int | None = None
    # District or commune outlines (`read_boundaries`), under the geographic layout.
    boundaries: tuple[Outline, ...] = ()


def _inside(ds: Dataset, links: pd.DataFrame, sl: Slice, ids: pd.Series) -> np.ndarray:
    """Links with both ends in the slice or outside the region (not both outside);
    for a chain slice, only those carrying its products."""
    keep = np.ones(len(links), dtype=bool)
    if sl.chains:
        chain_of = ds.product_attribute("chain")
        keep &= fast_map(links["product"], chain_of).isin(sl.chains).to_numpy()
    src_in = links["source_ext"].to_numpy() | fast_isin(links["source"], ids)
    tgt_in = links["target_ext"].to_numpy() | fast_isin(links["target"], ids)
    both_ext = (links["source_ext"] & links["target_ext"]).to_numpy()
    return keep & src_in & tgt_in & ~both_ext


def slice_dataset(ds: Dataset, sl: Slice) -> Dataset:
    """The dataset cut to a slice's enterprises, for the aggregated map of a slice
    too large to draw enterprise by enterprise. Only drawing uses it: the
    analyses shown come from the whole dataset.
    """
    from dataclasses import replace

    keep = slice_mask(ds, sl)
    ids = ds.enterprises.loc[keep, "id"]
    return replace(
        ds,
        enterprises=ds.enterprises[keep].reset_index(drop=True),
        offers=ds.offers[fast_isin(ds.offers["id"], ids)].reset_index(drop=True),
        links=ds.links[_inside(ds, ds.links, sl, ids)].reset_index(drop=True),
    )


CONTEXT_COLOUR = {"background": "#EEEEEE", "border": "#B5B5B5"}


@dataclass
class _Analyses:
    """The whole dataset's analyses a map draws from (a slice selects their rows)."""

    weight: str
    links: pd.DataFrame  # ds.links with `w` and `chain`
    unlinked: pd.DataFrame
    coupling: pd.DataFrame  # indexed by chain
    weak_chains: list[str]
    sold: pd.Series  # weight of each party's sales (enterprises and outside labels)
    bought: pd.Series  # weight of each party's purchases


def _analyse(ds: Dataset, options: MapOptions) -> _Analyses:
    weight, w, _ = resolve_weight(ds.links, options.weight)
    links = ds.links.assign(w=w.to_numpy())
    chain_of = ds.product_attribute("chain")
    links["chain"] = fast_map(links["product"], chain_of).fillna("")
    coupling = chain_coupling(ds, w).set_index("chain")
    weak = sorted(coupling.index[coupling["weak"].fillna(False).astype(bool)])
    sold = links.groupby("source")["w"].sum()
    bought = links.groupby("target")["w"].sum()
    return _Analyses(weight, links, unlinked_producers(ds), coupling, weak, sold, bought)


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
            links = a.links[_inside(ds, a.links, sl, cut.enterprises["id"])]
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
    shown = ent[in_slice | context].reset_index(drop=True)
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
        ds, shown, ext_labels, edges, a, options, sl
    )
    risk = _risk(ds, a)
    nodes = _enterprise_nodes(ds, shown, context, sizes, xy, a, unlinked, flags, options.lang)
    for node in nodes:
        r = risk.get(node["id"])
        node["critical"] = r is not None and r >= PROTECT_RISK
        node["info"]["risk"] = plain(r)
    nodes += _external_nodes(ext_labels, xy, a, options.lang)
    name_of = display_names(ds, options.lang)["product"]
    edge_items = _edge_items(edges, colours, name_of, set(shown.loc[context, "id"]))
    change = _changes(ds, options, edge_items, {n["id"] for n in nodes}, name_of)
    edge_items += _suggestion_items(suggestions, ds, options.lang)

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


def _risk(ds: Dataset, a: _Analyses) -> dict:
    """Each enterprise's risk (critical-enterprise cascade) by id, for datasets
    small enough to test every enterprise in a map; else none."""
    if len(ds.enterprises) > IN_DOCUMENTS:
        return {}
    frame, _ = critical_enterprises(ds, a.links["w"])
    return dict(zip(frame["id"], frame["risk"], strict=True))


def _pair_edges(links: pd.DataFrame) -> pd.DataFrame:
    """One edge per (seller, buyer); its chain is that of its heaviest product."""
    links = links.sort_values("w", ascending=False, kind="stable")
    return (
        links.groupby(["source", "target"], sort=False)
        .agg(
            w=("w", "sum"),
            n=("w", "size"),
            chain=("chain", "first"),
            products=("product", lambda s: sorted({p for p in s if p})),
            external=("local", lambda s: not s.iloc[0]),
        )
        .reset_index()
    )


def _positions(
    ds: Dataset,
    shown: pd.DataFrame,
    ext_labels: list[str],
    edges: pd.DataFrame,
    a: _Analyses,
    options: MapOptions,
    sl: Slice,
) -> tuple[str, dict, pd.Series, Projection | None, list[dict]]:
    """The layout used, each node's (x, y), each enterprise's size (by its
    whole flow, else its capacity), the geographic projection, if any, and the
    stage headings of a chain layout.
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
        columns, groups = _stage_columns(ds, shown, ext_labels, edges)
        xy = chain_positions(columns, groups, edges)
        headings = _column_headings(columns, xy, options.lang)
    else:
        xy = force_positions(list(shown["id"]), ext_labels, edges, options.width)
    return layout, xy, sizes, projection, headings


# What each column of the chain layout holds (`_stage_columns`' numbers).
_COLUMN_NAMES = {-1: "outside_sellers", 0: "raw", 1: "first", 2: "deep", 3: "trade", 4: "buyers"}


def _column_headings(columns: pd.Series, xy: dict, lang: str) -> list[dict]:
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
    ds: Dataset, shown: pd.DataFrame, ext_labels: list[str], edges: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Each node's column in the chain layout and its group (chain): raw
    producers 0, processors at their first output's stage (1 or 2), services 3,
    outside buyers 4, outside parties that only sell -1."""
    stage = ds.product_attribute("stage")
    chain = ds.product_attribute("chain")
    first = shown["outputs"].fillna("").str.split(";").str[0]
    column = pd.Series(3, index=shown["id"].to_numpy())
    column[shown["type"].isin(PRODUCER_TYPES).to_numpy()] = 0
    processor = (shown["type"] == "processor").to_numpy()
    proc_stage = first.map(stage).fillna(2).clip(lower=2, upper=3).astype(int) - 1
    column[processor] = proc_stage.to_numpy()[processor]
    sells = set(edges["source"])
    buys = set(edges["target"])
    outside = pd.Series(
        [(-1 if (lab in sells and lab not in buys) else 4) for lab in ext_labels],
        index=ext_labels,
        dtype=int,
    )
    groups = pd.Series(first.map(chain).fillna("").to_numpy(), index=shown["id"].to_numpy())
    groups = pd.concat([groups, pd.Series("~", index=ext_labels)])
    return pd.concat([column, outside]), groups


def _enterprise_nodes(
    ds: Dataset,
    shown: pd.DataFrame,
    context: np.ndarray,
    sizes: pd.Series,
    xy: dict,
    a: _Analyses,
    unlinked: pd.DataFrame,
    flags: pd.DataFrame,
    lang: str,
) -> list[dict]:
    """A vis-network node per enterprise drawn; context nodes (outside a slice,
    trading with it) faded, with the whole dataset's facts in their tooltip."""
    chain_of = ds.product_attribute("chain")
    name_of = display_names(ds, lang)["product"]
    out_w, in_w = a.sold, a.bought
    unlinked_all = a.unlinked.set_index("id")
    offers = ds.offers[fast_isin(ds.offers["id"], shown["id"])]
    outputs = offers[offers["role"] == "output"].groupby("id")["product"].agg(list)
    inputs = offers[offers["role"] == "input"].groupby("id")["product"].agg(list)
    ent_chains = (
        offers.assign(chain=offers["product"].map(chain_of))
        .groupby("id")["chain"]
        .agg(lambda s: sorted(set(s)))
    )

    def names(codes) -> str:
        return ", ".join(str(name_of.get(c, c)) for c in codes) if isinstance(codes, list) else ""

    # The planner's own columns, shown in the tooltip as the file names them.
    own = [c for c in shown.columns if c not in KNOWN["enterprises"] and c != ROW]
    # (A missing cell, such as the new plant's of a what-if, stays missing under
    # astype(str) in pandas 3: blank first, then text.)
    own_values = shown[own].astype(object).fillna("").astype(str).to_numpy()

    nodes = []
    rows = zip(shown.itertuples(index=False), sizes, context, strict=True)
    for k, (row, size, is_context) in enumerate(rows):
        colour, shape = TYPE_STYLE.get(row.type, TYPE_STYLE["service"])
        eid = row.id
        is_unlinked = eid in unlinked_all.index
        f = flags.loc[eid] if eid in flags.index else None
        x, y = xy.get(eid, (0.0, 0.0))
        info = {
            "name": row.name,
            "id": eid,
            "type": t("val_" + row.type, lang),
            "district": row.district,
            "outputs": names(outputs.get(eid)),
            "inputs": names(inputs.get(eid)),
            "flow_out": plain(out_w.get(eid)),
            "flow_in": plain(in_w.get(eid)),
            "local_share": plain(f["local_out_share"]) if f is not None else None,
            "flags": [t("val_" + x_, lang) for x_ in (f["flags"] if f is not None else [])],
            "status": t("val_" + unlinked_all.at[eid, "status"], lang) if is_unlinked else "",
            "context": t("map_context", lang) if is_context else "",
            "extra": [
                [c, v] for c, v in zip(own, own_values[k], strict=True) if v not in ("", "nan")
            ]
            if own
            else [],
        }
        if is_context:
            color = {**CONTEXT_COLOUR, "highlight": {"background": colour, "border": "#000000"}}
        else:
            color = {
                "background": colour,
                "border": GAP_COLOUR if is_unlinked else "#333333",
                "highlight": {"background": colour, "border": "#000000"},
            }
        nodes.append(
            {
                "id": eid,
                "label": short_label(row.name),
                "x": round(float(x), 1),
                "y": round(float(y), 1),
                "shape": shape,
                "size": round(float(size) * (0.7 if is_context else 1.0), 1),
                "color": color,
                "borderWidth": 4 if is_unlinked and not is_context else 1,
                "group": row.type,
                "district": row.district,
                "chains": ent_chains.get(eid, []),
                "unlinked": is_unlinked and not is_context,
                "producer": row.type in PRODUCER_TYPES,
                "context": bool(is_context),
                "info": info,
            }
        )
    return nodes


def _external_nodes(ext_labels: list[str], xy: dict, a: _Analyses, lang: str) -> list:
    """A node per outside party drawn."""
    out_w, in_w = a.sold, a.bought
    colour, shape = TYPE_STYLE["external"]
    nodes = []
    for label in ext_labels:
        x, y = xy.get(label, (0.0, 0.0))
        place = label.split(":", 1)[1] if ":" in label else ""
        name = t("map_outside_at", lang, place=place) if place else t("map_outside", lang)
        nodes.append(
            {
                "id": label,
                "label": place or t("map_outside", lang),
                "x": round(float(x), 1),
                "y": round(float(y), 1),
                "shape": shape,
                "size": 14,
                "color": {"background": colour, "border": "#666666"},
                "borderWidth": 1,
                "group": "external",
                "district": "",
                "chains": [],
                "unlinked": False,
                "producer": False,
                "context": False,
                "info": {
                    "name": name,
                    "type": t("val_external", lang),
                    "flow_out": plain(out_w.get(label)),
                    "flow_in": plain(in_w.get(label)),
                },
            }
        )
    return nodes


def _edge_items(
    edges: pd.DataFrame, colours: dict, name_of: pd.Series, context_ids: set
) -> list[dict]:
    """A vis-network edge per (seller, buyer) pair; links with a context partner
    drawn lighter."""
    # Thousands of wide links would cover the map (and slow its drawing): then
    # the widest is 3 px, not 8.
    widest = 8 if len(edges) <= 2000 else 3
    widths = scale(edges["w"], 1, widest).where(
        ~edges["external"].astype(bool), scale(edges["w"], 0.6, min(widest, 3))
    )
    items = []
    for i, (row, width) in enumerate(zip(edges.itertuples(index=False), widths, strict=True)):
        external = bool(row.external)
        faded = row.source in context_ids or row.target in context_ids
        items.append(
            {
                "id": f"e{i}",
                "from": row.source,
                "to": row.target,
                "kind": "external" if external else "local",
                "n": int(row.n),
                "chain": row.chain,
                "width": round(float(width), 2),
                "arrows": "to",
                "color": {
                    "color": EXTERNAL_EDGE if external else colours.get(row.chain, "#555555"),
                    "opacity": 0.35 if external else (0.45 if faded else 0.9),
                },
                "dashes": [2, 5] if external else False,
                "info": {
                    "products": ", ".join(str(name_of.get(p, p)) for p in row.products),
                    "weight": plain(row.w),
                    "chain": row.chain,
                },
            }
        )
    return items


PRIORITY_ROWS = 10  # the connect rows of `priorities` drawn whatever the toggle says


def _with_priorities(
    ds: Dataset, a: _Analyses, suggestions: pd.DataFrame, options: MapOptions
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


def _suggestion_items(suggestions: pd.DataFrame, ds: Dataset, lang: str) -> list[dict]:
    """A dashed vermilion edge per suggested pair; the top priorities wider, with
    the value now leaving the region in their tooltip."""
    chain_of = ds.product_attribute("chain")
    name_of = display_names(ds, lang)["product"]
    return [
        {
            "id": f"s{i}",
            "from": row.source,
            "to": row.target,
            "kind": "suggestion",
            "priority": bool(row.priority),
            "rank": int(row.rank),
            "chain": chain_of.get(row.product, ""),
            "width": 3.5 if row.priority else 2.0,
            "arrows": "to",
            "color": {"color": GAP_COLOUR, "opacity": 0.95 if row.priority else 0.6},
            "dashes": [10, 6],
            "info": {
                "products": str(name_of.get(row.product, row.product)),
                "rank": int(row.rank) or None,
                "km": plain(row.km, "km"),
                "value": plain(row.value),
                "reason": ", ".join(t("val_" + r, lang) for r in row.reason),
            },
        }
        for i, row in enumerate(suggestions.itertuples(index=False))
    ]


GAINED_COLOUR = "#009E73"
LOST_COLOUR = "#CC79A7"


def _changes(
    ds: Dataset, options: MapOptions, edge_items: list[dict], node_ids: set, name_of: pd.Series
) -> dict | None:
    """Mark the local links gained since `options.compare_year` and add the lost ones
    as edges of their own; return the counts, or None when not asked."""
    if options.compare_year is None:
        return None
    from valuechain.analysis.progress import local_link_keys

    base = ds.for_year(options.compare_year)
    now, before = local_link_keys(ds), local_link_keys(base)
    gained = {(s, t) for s, t, _p in now - before}
    lost = sorted(before - now)
    for edge in edge_items:
        if edge["kind"] == "local" and (edge["from"], edge["to"]) in gained:
            edge["change"] = "gained"
            edge["color"] = {"color": GAINED_COLOUR, "opacity": 1.0}
            edge["width"] = max(edge["width"], 3.0)
    shown = 0
    for i, (s, t_, p) in enumerate(lost):
        if s in node_ids and t_ in node_ids:
            shown += 1
            edge_items.append(
                {
                    "id": f"l{i}",
                    "from": s,
                    "to": t_,
                    "kind": "lost",
                    "chain": "",
                    "change": "lost",
                    "width": 2.5,
                    "arrows": "to",
                    "dashes": [4, 4],
                    "color": {"color": LOST_COLOUR, "opacity": 0.95},
                    "info": {
                        "products": str(name_of.get(p, p)) if p else "",
                        "weight": None,
                        "chain": "",
                    },
                }
            )
    return {
        "year": options.compare_year,
        "gained": len(now - before),
        "lost": len(lost),
        "lost_drawn": shown,
    }


# Words of legal forms a planner abbreviates herself, longest first.
_ABBREVIATIONS = (
    ("Công ty trách nhiệm hữu hạn", "Cty TNHH"),
    ("Công ty cổ phần", "CTCP"),
    ("Công ty TNHH", "Cty TNHH"),
    ("Doanh nghiệp tư nhân", "DNTN"),
    ("Hợp tác xã", "HTX"),
    ("Tổ hợp tác", "THT"),
    ("Hộ kinh doanh", "HKD"),
    ("Doanh nghiệp", "DN"),
    ("Công ty", "Cty"),
)


def short_label(name: str, limit: int = 26) -> str:
    """A name as a map label: legal forms abbreviated (HTX, THT, DN, Cty), and,
    when still too long, the middle cut rather than the end, which is what tells
    twenty "Tổ hợp tác trồng rừng Chợ Đồn …" apart.

    >>> short_label("Tổ hợp tác trồng rừng Chợ Đồn 12")
    'THT trồng rừng Chợ Đồn 12'
    >>> short_label("Hợp tác xã nông nghiệp dịch vụ tổng hợp Bằng Vân 3")
    'HTX nông…hợp Bằng Vân 3'
    """
    import re

    text = " ".join(str(name).split())
    for long, short in _ABBREVIATIONS:
        text = re.sub(rf"(?i)\b{re.escape(long)}\b", short, text)
    if len(text) <= limit:
        return text
    head_room = limit // 2
    head = text[:head_room].rsplit(" ", 1)[0] if " " in text[:head_room] else text[:head_room]
    tail = text[-(limit - len(head) - 1) :]
    if " " in tail:  # start the end on a word
        tail = tail.split(" ", 1)[1] if not tail.startswith(" ") else tail.lstrip()
    return head + "…" + tail
