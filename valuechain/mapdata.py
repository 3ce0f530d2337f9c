"""What the linkage map draws: nodes, edges, positions and gap marks, as plain data.

`map_payload` turns a dataset and its analyses into JSON-ready dicts; `htmlmap`
renders them. Nothing here knows HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._columns import PRODUCER_TYPES
from ._common import local_sales_share
from ._fast import fast_isin, fast_map
from ._text import fold
from .coupling import chain_coupling
from .i18n import t
from .load import Dataset
from .maplayout import force_positions, geo_positions, ring, scale, spread
from .output import plain
from .palette import (
    CHAIN_COLOURS,
    EXTERNAL_EDGE,
    GAP_COLOUR,
    TYPE_STYLE,
    chain_colours,
)
from .suggest import suggest_links
from .unlinked import enterprise_flags, unlinked_producers
from .weights import resolve_weight

__all__ = ["MapOptions", "map_payload", "TYPE_STYLE", "CHAIN_COLOURS", "slice_dataset"]


@dataclass(frozen=True)
class MapOptions:
    """How to draw: `layout` geo | force | auto; `suggestions` = how many of §3.7's
    top pairs to draw; the slice filters keep only matching enterprises."""

    layout: str = "auto"
    weight: str = "auto"
    suggestions: int = 20
    chains: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    lang: str = "vi"
    width: int = 1400
    height: int = 900
    # Above `threshold` enterprises the map draws groups: "chain" (chain × stage)
    # or "district" (district × type); "none" always draws enterprises.
    aggregate: str = "chain"
    threshold: int = 1500
    # Draw the local links gained and lost since this year (links carry years).
    compare_year: int | None = None


def slice_dataset(ds: Dataset, *, chains=(), districts=(), types=()) -> Dataset:
    """The dataset cut to the enterprises of some chains / districts / types.

    A chain keeps the enterprises listing one of its products and the links
    carrying its products. Links keep both ends inside the slice or outside the
    region; outside parties stay.
    """
    from dataclasses import replace

    ent = ds.enterprises
    keep = pd.Series(True, index=ent.index)
    links = ds.links
    if chains:
        chain_of = ds.products.set_index("code")["chain"]
        members = ds.offers.loc[ds.offers["product"].map(chain_of).isin(chains), "id"]
        keep &= fast_isin(ent["id"], members)
        links = links[links["product"].map(chain_of).isin(chains)]
    if districts:
        wanted = {fold(d) for d in districts}
        keep &= ent["district"].map(fold).isin(wanted)
    if types:
        keep &= ent["type"].isin(types)
    ids = set(ent.loc[keep, "id"])
    inside = (
        (links["source_ext"] | fast_isin(links["source"], ids))
        & (links["target_ext"] | fast_isin(links["target"], ids))
        & ~(links["source_ext"] & links["target_ext"])
    )
    links = links[inside]
    # A link from outside to an enterprise cut away is gone; drop outside-only links.
    links = links[~(links["source_ext"] & ~fast_isin(links["target"], ids))]
    links = links[~(links["target_ext"] & ~fast_isin(links["source"], ids))]
    return replace(
        ds,
        enterprises=ent[keep].reset_index(drop=True),
        offers=ds.offers[fast_isin(ds.offers["id"], ids)].reset_index(drop=True),
        links=links.reset_index(drop=True),
    )


def map_payload(ds: Dataset, options: MapOptions) -> dict:
    """Everything the map page needs, JSON-ready.

    Keys: `nodes`, `edges` (vis-network items plus an `info` dict for the
    tooltip), `chains` (colour, score, weak), `districts`, `types`, `summary`,
    `layout`, `weight`, `year`.
    """
    lang = options.lang
    if options.chains or options.districts or options.types:
        ds = slice_dataset(
            ds, chains=options.chains, districts=options.districts, types=options.types
        )
    weight, w, _ = resolve_weight(ds.links, options.weight)
    ent = ds.enterprises
    links = ds.links.assign(w=w.to_numpy())
    chain_of = ds.products.set_index("code")["chain"]
    name_of = ds.products.set_index("code")["name"]
    links["chain"] = fast_map(links["product"], chain_of).fillna("")

    unlinked_frame = unlinked_producers(ds)
    coupling = chain_coupling(ds, w).set_index("chain")
    weak_chains = sorted(coupling.index[coupling["weak"].fillna(False).astype(bool)])
    if options.aggregate != "none" and len(ent) > options.threshold:
        from .mapaggregate import aggregate_payload

        return aggregate_payload(ds, links, unlinked_frame, coupling, weak_chains, weight, options)
    unlinked = unlinked_frame.set_index("id")
    flags = enterprise_flags(ds, w).set_index("id")
    suggestions = (
        suggest_links(ds, w, top=options.suggestions, unlinked=unlinked_frame)
        if options.suggestions
        else pd.DataFrame(columns=["source", "target", "product", "km", "reason"])
    )

    # Edges: one per (seller, buyer); its chain is that of its heaviest product.
    links = links.sort_values("w", ascending=False, kind="stable")
    pair = links.groupby(["source", "target"], sort=False)
    edges = pair.agg(
        w=("w", "sum"),
        chain=("chain", "first"),
        products=("product", lambda s: sorted({p for p in s if p})),
        external=("local", lambda s: not s.iloc[0]),
    ).reset_index()
    colours = chain_colours(list(coupling.index) + [c for c in edges["chain"].unique() if c])

    throughput = (
        links.groupby("source")["w"].sum().add(links.groupby("target")["w"].sum(), fill_value=0)
    )
    out_w = links.groupby("source")["w"].sum()
    in_w = links.groupby("target")["w"].sum()
    ext_labels = sorted(
        set(links.loc[links["source_ext"], "source"])
        | set(links.loc[links["target_ext"], "target"])
    )

    # Positions.
    n_geo = int((ent["lat"].notna() & ent["lon"].notna()).sum())
    layout = options.layout
    if layout == "auto":
        layout = "geo" if len(ent) and n_geo >= 0.8 * len(ent) else "force"
    size_basis = ent["id"].map(throughput)
    if size_basis.fillna(0).sum() == 0:
        size_basis = ent["capacity"]
    sizes = scale(size_basis, 8, 30)
    if layout == "geo":
        pos, _radius = geo_positions(ent, options.width, options.height)
        gx, gy = spread(pos["x"].to_numpy(), pos["y"].to_numpy(), sizes.to_numpy())
        xy = {i: (x, y) for i, x, y in zip(ent["id"], gx, gy, strict=True)}
        xy.update(ring(ext_labels, gx, gy))
    else:
        xy = force_positions(list(ent["id"]), ext_labels, edges, options.width)
    # Labels: the larger half of the nodes carry a readable label at the fitted
    # zoom; smaller ones show theirs when the planner zooms in (drawThreshold).
    rank = sizes.rank(ascending=False, method="first")
    font = np.where(rank <= max(30, len(sizes) // 6), 20, 0)
    offers = ds.offers
    outputs = offers[offers["role"] == "output"].groupby("id")["product"].agg(list)
    inputs = offers[offers["role"] == "input"].groupby("id")["product"].agg(list)
    ent_chains = (
        offers.assign(chain=offers["product"].map(chain_of))
        .groupby("id")["chain"]
        .agg(lambda s: sorted(set(s)))
    )

    def names(codes) -> str:
        return (
            ", ".join(f"{name_of.get(c, c)} ({c})" for c in codes)
            if isinstance(codes, list)
            else ""
        )

    nodes = []
    for row, size, fsize in zip(ent.itertuples(index=False), sizes, font, strict=True):
        colour, shape = TYPE_STYLE.get(row.type, TYPE_STYLE["service"])
        eid = row.id
        is_unlinked = eid in unlinked.index
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
            "status": t("val_" + unlinked.at[eid, "status"], lang) if is_unlinked else "",
        }
        nodes.append(
            {
                "id": eid,
                "label": _short(row.name),
                "x": round(float(x), 1),
                "y": round(float(y), 1),
                "shape": shape,
                "size": round(float(size), 1),
                "color": {
                    "background": colour,
                    "border": GAP_COLOUR if is_unlinked else "#333333",
                    "highlight": {"background": colour, "border": "#000000"},
                },
                "borderWidth": 4 if is_unlinked else 1,
                "font": {"size": int(fsize)},
                "group": row.type,
                "district": row.district,
                "chains": ent_chains.get(eid, []),
                "unlinked": is_unlinked,
                "producer": row.type in PRODUCER_TYPES,
                "info": info,
            }
        )
    for label in ext_labels:
        x, y = xy.get(label, (0.0, 0.0))
        colour, shape = TYPE_STYLE["external"]
        nodes.append(
            {
                "id": label,
                "label": label.split(":", 1)[1] if ":" in label else label,
                "x": round(float(x), 1),
                "y": round(float(y), 1),
                "shape": shape,
                "size": 14,
                "color": {"background": colour, "border": "#666666"},
                "borderWidth": 1,
                "font": {"size": 20},
                "group": "external",
                "district": "",
                "chains": [],
                "unlinked": False,
                "producer": False,
                "info": {
                    "name": label,
                    "id": label,
                    "type": t("val_external", lang),
                    "flow_out": plain(out_w.get(label)),
                    "flow_in": plain(in_w.get(label)),
                },
            }
        )

    widths = scale(edges["w"], 1, 8).where(
        ~edges["external"].astype(bool), scale(edges["w"], 0.6, 3)
    )
    edge_items = []
    for i, (row, width) in enumerate(zip(edges.itertuples(index=False), widths, strict=True)):
        external = bool(row.external)
        edge_items.append(
            {
                "id": f"e{i}",
                "from": row.source,
                "to": row.target,
                "kind": "external" if external else "local",
                "chain": row.chain,
                "width": round(float(width), 2),
                "arrows": "to",
                "color": {
                    "color": EXTERNAL_EDGE if external else colours.get(row.chain, "#555555"),
                    "opacity": 0.35 if external else 0.9,
                },
                "dashes": [2, 5] if external else False,
                "info": {
                    "products": ", ".join(f"{name_of.get(p, p)} ({p})" for p in row.products),
                    "weight": plain(row.w),
                    "chain": row.chain,
                },
            }
        )
    change = _changes(ds, options, edge_items, {n["id"] for n in nodes}, name_of)
    for i, row in enumerate(suggestions.itertuples(index=False)):
        edge_items.append(
            {
                "id": f"s{i}",
                "from": row.source,
                "to": row.target,
                "kind": "suggestion",
                "chain": chain_of.get(row.product, ""),
                "width": 2.5,
                "arrows": "to",
                "color": {"color": GAP_COLOUR, "opacity": 0.95},
                "dashes": [10, 6],
                "info": {
                    "products": f"{name_of.get(row.product, row.product)} ({row.product})",
                    "km": plain(row.km, "km"),
                    "reason": ", ".join(t("val_" + r, lang) for r in row.reason),
                },
            }
        )

    local = links["local"]
    local_share = local_sales_share(links, links["w"])
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
                "score": plain(coupling.at[c, "coupling_score"]) if c in coupling.index else None,
                "weak": c in weak_chains,
            }
            for c in sorted(coupling.index)
        ],
        "districts": sorted(d for d in ent["district"].unique() if d),
        "types": [ty for ty in TYPE_STYLE if ty == "external" or (ent["type"] == ty).any()],
        "summary": {
            "enterprises": len(ent),
            "links": len(ds.links),
            "local_links": int(local.sum()),
            "local_share": plain(local_share),
            "unlinked": len(unlinked),
            "weak_chains": weak_chains,
            "suggestions": len(suggestions),
        },
        "layout": layout,
        "weight": weight,
        "year": plain(ds.year),
    }


GAINED_COLOUR = "#009E73"
LOST_COLOUR = "#CC79A7"


def _changes(
    ds: Dataset, options: MapOptions, edge_items: list[dict], node_ids: set, name_of: pd.Series
) -> dict | None:
    """Mark the local links gained since `options.compare_year` and add the lost ones
    as edges of their own; return the counts, or None when not asked."""
    if options.compare_year is None:
        return None
    from .progress import local_link_keys

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
                        "products": f"{name_of.get(p, p)} ({p})" if p else "",
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


def _short(name: str, limit: int = 26) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
