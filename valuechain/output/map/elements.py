"""The nodes and edges of an enterprise map, each made by the builders of
`items` (the contract with map.js): enterprises, outside parties, the links
between pairs, suggestions, and the links gained and lost since a year."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.analysis.critical import PROTECT_RISK
from valuechain.arrays import fast_isin
from valuechain.i18n import Language, t
from valuechain.loading.columns import KNOWN, PRODUCER_TYPES
from valuechain.loading.dataset import Dataset
from valuechain.loading.files import ROW
from valuechain.output.formats import display_names, plain
from valuechain.output.map.items import Colour, Edge, Node, edge, node, short_label
from valuechain.output.map.layout import scale
from valuechain.output.map.options import MapOptions
from valuechain.output.palette import EXTERNAL_EDGE, GAP_COLOUR, TYPE_STYLE

if TYPE_CHECKING:
    from valuechain.output.map.data import Analyses

__all__ = [
    "CONTEXT_COLOUR",
    "GAINED_COLOUR",
    "LOST_COLOUR",
    "enterprise_nodes",
    "external_nodes",
    "pair_edges",
    "suggestion_edges",
    "changes",
]

CONTEXT_COLOUR: Colour = {"background": "#EEEEEE", "border": "#B5B5B5"}


def enterprise_nodes(
    ds: Dataset,
    shown: pd.DataFrame,
    context: np.ndarray,
    sizes: pd.Series,
    xy: dict[str, tuple[float, float]],
    a: Analyses,
    flags: pd.DataFrame,
    risk: dict[str, float],
    added: dict[str, float],
    lang: Language,
) -> list[Node]:
    """A node per enterprise drawn; context nodes (outside a slice, trading with
    it) faded, with the whole dataset's facts in their tooltip; `risk` is each
    enterprise's critical-enterprise risk and `added` its value added, where
    known."""
    # Plain dicts: a pandas look-up per node and field costs more than the rest.
    chain_of = ds.product_attribute("chain").to_dict()
    name_of = display_names(ds, lang)["product"].to_dict()
    out_w, in_w = a.sold.to_dict(), a.bought.to_dict()
    status_of = dict(zip(a.unlinked["id"], a.unlinked["status"], strict=True))
    share_of = flags["local_out_share"].to_dict()
    flags_of = flags["flags"].to_dict()
    offers = ds.offers[fast_isin(ds.offers["id"], shown["id"])]
    outputs: dict[str, list[str]] = {}
    inputs: dict[str, list[str]] = {}
    ent_chains: dict[str, set[str]] = {}
    for eid, role, product in zip(offers["id"], offers["role"], offers["product"], strict=True):
        (outputs if role == "output" else inputs).setdefault(eid, []).append(product)
        ent_chains.setdefault(eid, set()).add(chain_of.get(product))

    def names(codes: list[str] | None) -> str:
        return ", ".join(str(name_of.get(c, c)) for c in codes) if codes else ""

    # The planner's own columns, shown in the tooltip as the file names them.
    own = [c for c in shown.columns if c not in KNOWN["enterprises"] and c != ROW]
    # (A missing cell, such as the new plant's of a what-if, stays missing under
    # astype(str) in pandas 3: blank first, then text.)
    own_values = shown[own].astype(object).fillna("").astype(str).to_numpy()

    nodes: list[Node] = []
    rows = zip(shown.itertuples(index=False), sizes, context, strict=True)
    for k, (row, size, is_context) in enumerate(rows):
        colour, shape = TYPE_STYLE.get(row.type, TYPE_STYLE["service"])
        eid = row.id
        is_unlinked = eid in status_of
        r = risk.get(eid)
        info = {
            "name": row.name,
            "id": eid,
            "type": t("val_" + row.type, lang),
            "district": row.district,
            "outputs": names(outputs.get(eid)),
            "inputs": names(inputs.get(eid)),
            "flow_out": plain(out_w.get(eid)),
            "flow_in": plain(in_w.get(eid)),
            "value_added": plain(added.get(eid)),
            "local_share": plain(share_of.get(eid)),
            "flags": [t("val_" + x_, lang) for x_ in flags_of.get(eid, [])],
            "status": t("val_" + status_of[eid], lang) if is_unlinked else "",
            "context": t("map_context", lang) if is_context else "",
            "extra": [
                [c, v] for c, v in zip(own, own_values[k], strict=True) if v not in ("", "nan")
            ],
            "risk": plain(r),
        }
        color: Colour
        if is_context:
            color = {**CONTEXT_COLOUR, "highlight": {"background": colour, "border": "#000000"}}
        else:
            color = {
                "background": colour,
                "border": GAP_COLOUR if is_unlinked else "#333333",
                "highlight": {"background": colour, "border": "#000000"},
            }
        nodes.append(
            node(
                eid,
                short_label(row.name),
                xy.get(eid, (0.0, 0.0)),
                shape=shape,
                size=float(size) * (0.7 if is_context else 1.0),
                color=color,
                border_width=4 if is_unlinked and not is_context else 1,
                group=row.type,
                district=row.district,
                chains=sorted(ent_chains.get(eid, [])),
                unlinked=is_unlinked and not is_context,
                producer=row.type in PRODUCER_TYPES,
                context=bool(is_context),
                critical=r is not None and r >= PROTECT_RISK,
                info=info,
            )
        )
    return nodes


def external_nodes(
    ext_labels: list[str], xy: dict[str, tuple[float, float]], a: Analyses, lang: Language
) -> list[Node]:
    """A node per outside party drawn."""
    colour, shape = TYPE_STYLE["external"]
    nodes = []
    for label in ext_labels:
        place = label.split(":", 1)[1] if ":" in label else ""
        name = t("map_outside_at", lang, place=place) if place else t("map_outside", lang)
        info = {
            "name": name,
            "type": t("val_external", lang),
            "flow_out": plain(a.sold.get(label)),
            "flow_in": plain(a.bought.get(label)),
        }
        nodes.append(
            node(
                label,
                place or t("map_outside", lang),
                xy.get(label, (0.0, 0.0)),
                shape=shape,
                size=14,
                color={"background": colour, "border": "#666666"},
                group="external",
                info=info,
            )
        )
    return nodes


def pair_edges(
    edges: pd.DataFrame, colours: dict[str, str], name_of: dict[str, str], context_ids: set[str]
) -> list[Edge]:
    """An edge per (seller, buyer) pair; links with a context partner drawn lighter."""
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
        info = {
            "products": ", ".join(str(name_of.get(p, p)) for p in row.products),
            "weight": plain(row.w),
            "chain": row.chain,
        }
        colour = EXTERNAL_EDGE if external else colours.get(row.chain, "#555555")
        items.append(
            edge(
                f"e{i}",
                row.source,
                row.target,
                kind="external" if external else "local",
                n=int(row.n),
                chain=row.chain,
                width=float(width),
                color={"color": colour, "opacity": 0.35 if external else (0.45 if faded else 0.9)},
                dashes=[2, 5] if external else False,
                info=info,
            )
        )
    return items


def suggestion_edges(suggestions: pd.DataFrame, ds: Dataset, lang: Language) -> list[Edge]:
    """A dashed vermilion edge per suggested pair; the top priorities wider, with
    the value now leaving the region in their tooltip."""
    chain_of = ds.product_attribute("chain").to_dict()
    name_of = display_names(ds, lang)["product"].to_dict()
    return [
        edge(
            f"s{i}",
            row.source,
            row.target,
            kind="suggestion",
            priority=bool(row.priority),
            rank=int(row.rank),
            chain=chain_of.get(row.product, ""),
            width=3.5 if row.priority else 2.0,
            color={"color": GAP_COLOUR, "opacity": 0.95 if row.priority else 0.6},
            dashes=[10, 6],
            info={
                "products": str(name_of.get(row.product, row.product)),
                "rank": int(row.rank) or None,
                "km": plain(row.km, "km"),
                "value": plain(row.value),
                "reason": ", ".join(t("val_" + r, lang) for r in row.reason),
            },
        )
        for i, row in enumerate(suggestions.itertuples(index=False))
    ]


GAINED_COLOUR = "#009E73"
LOST_COLOUR = "#CC79A7"


def changes(
    ds: Dataset,
    options: MapOptions,
    edge_items: list[Edge],
    node_ids: set[str],
    name_of: dict[str, str],
) -> dict[str, int] | None:
    """Mark the local links gained since `options.compare_year` and add the lost ones
    as edges of their own; return the counts, or None when not asked."""
    if options.compare_year is None:
        return None
    from valuechain.analysis.progress import local_link_keys

    base = ds.for_year(options.compare_year)
    now, before = local_link_keys(ds), local_link_keys(base)
    gained = {(s, t) for s, t, _p in now - before}
    lost = sorted(before - now)
    for item in edge_items:
        if item["kind"] == "local" and (item["from"], item["to"]) in gained:
            item["change"] = "gained"
            item["color"] = {"color": GAINED_COLOUR, "opacity": 1.0}
            item["width"] = max(item["width"], 3.0)
    shown = 0
    for i, (s, t_, p) in enumerate(lost):
        if s in node_ids and t_ in node_ids:
            shown += 1
            info = {"products": str(name_of.get(p, p)) if p else "", "weight": None, "chain": ""}
            edge_items.append(
                edge(
                    f"l{i}",
                    s,
                    t_,
                    kind="lost",
                    change="lost",
                    width=2.5,
                    dashes=[4, 4],
                    color={"color": LOST_COLOUR, "opacity": 0.95},
                    info=info,
                )
            )
    return {
        "year": options.compare_year,
        "gained": len(now - before),
        "lost": len(lost),
        "lost_drawn": shown,
    }
