"""The map of a large dataset: groups of enterprises instead of enterprises.

Above `DRAWN_IN_FULL` enterprises a node per enterprise is too heavy a page to
pan and zoom smoothly. The aggregated map draws one node per chain × stage (a
value chain read left to right, raw to finished) or per district × type, sized
by how many enterprises it holds, coloured by how much of its sales stay in the
region, with flows between groups as arrows. Chain × stage is split further by
district, then by communities of trading partners, while it gives fewer than
`MIN_GROUPS` groups: four circles show nothing of a network's structure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.analysis.coupling import enterprise_chain
from valuechain.analysis.shares import local_sales_share
from valuechain.i18n import Language, t
from valuechain.loading.columns import PRODUCER_TYPES
from valuechain.loading.dataset import Dataset
from valuechain.output.formats import chain_display_names, number_text, plain
from valuechain.output.map.items import Edge, Node, edge, node
from valuechain.output.map.layout import Projection, outline_items, scale
from valuechain.output.palette import CHAIN_COLOURS, EXTERNAL_EDGE, TYPE_STYLE, chain_colours

__all__ = ["aggregate_payload", "share_colour"]

OUTSIDE = "EXT"
MAX_EDGES = 400
MIN_GROUPS = 20
STAGE_GAP = 320.0  # between the chain × stage map's columns
MAX_GROUPS = 80  # the largest groups; smaller parts rejoin their chain × stage
LOUVAIN_UP_TO = 50_000  # enterprises (networkx's Louvain: 1.1 s at 10,000, 3 s at 20,000)
_LOW, _MID, _HIGH = (0xD5, 0x5E, 0x00), (0xBB, 0xBB, 0xBB), (0x00, 0x72, 0xB2)


def share_colour(share: float | None) -> str:
    """Vermilion (no local sales) through grey to blue (all local); grey when unknown."""
    if share is None or share != share:
        return "#DDDDDD"
    a, b, f = (_LOW, _MID, share / 0.5) if share < 0.5 else (_MID, _HIGH, (share - 0.5) / 0.5)
    rgb = [round(x + (y - x) * f) for x, y in zip(a, b, strict=True)]
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def _groups(
    ds: Dataset, mode: str, lang: Language
) -> tuple[pd.Series, pd.DataFrame, Projection | None]:
    """Each enterprise's group key; per group: label (for its tooltip), short (its
    drawn label), chain, district, type, x, y;
    and the projection of the district groups' map (None for chains, or without
    coordinates)."""
    ent = ds.enterprises
    projection = None
    if mode == "chain":
        chain = enterprise_chain(ds).to_numpy()
        stage = pd.Series(ds.first_offer_attribute("stage", "output"))
        stage = stage.fillna(0).astype(int).to_numpy()
        base = pd.Series(chain, dtype=object) + "·" + pd.Series(stage).astype(str)
        part = _parts(ds, base, lang)
        key = base.where(part == "", base + "·" + part)
        meta = pd.DataFrame({"key": key, "chain": chain, "stage": stage, "part": part})
        meta = meta.drop_duplicates("key").sort_values(["chain", "part", "stage"])
        # A row per chain and part; a column per stage.
        rows = meta[["chain", "part"]].drop_duplicates().reset_index(drop=True)
        row_of = {(c, p): i * 110.0 for i, (c, p) in enumerate(rows.itertuples(index=False))}
        meta["x"] = meta["stage"] * STAGE_GAP
        meta["y"] = [row_of[(c, p)] for c, p in zip(meta["chain"], meta["part"], strict=True)]
        chain_name = _chain_label(ds, meta["chain"], lang)
        part = np.where(meta["part"] != "", " · " + meta["part"], "")
        meta["short"] = chain_name + part  # drawn; the column heading names the stage
        meta["label"] = chain_name + " · " + meta["stage"].map(_stage_names(lang)) + part
        meta["district"] = ""
        meta["type"] = "aggregate"
    else:
        district = ent["district"].where(ent["district"] != "", "–").to_numpy()
        key = pd.Series(district, dtype=object) + "·" + ent["type"].astype(str).to_numpy()
        meta = pd.DataFrame(
            {
                "key": key,
                "district": district,
                "type": ent["type"].to_numpy(),
                "lat": ent["lat"].to_numpy(),
                "lon": ent["lon"].to_numpy(),
            }
        )
        centre = meta.groupby("district")[["lat", "lon"]].mean()
        districts = sorted(meta["district"].unique())
        types = list(dict.fromkeys(["farm", "forestry", "mine", "processor", "service"]))
        offset = {ty: (i - 2) * 46.0 for i, ty in enumerate(types)}
        if centre["lat"].notna().all() and len(centre) > 1:
            lat0 = centre["lat"].mean()
            span = max(np.ptp(centre["lon"]) * np.cos(np.radians(lat0)), np.ptp(centre["lat"]))
            projection = Projection(lat0, centre["lon"].mean(), 1600.0 / max(span, 1e-6))
            x, y = projection.xy(centre["lat"], centre["lon"])
            cx, cy = pd.Series(x, index=centre.index), pd.Series(y, index=centre.index)
        else:
            cols = int(np.ceil(np.sqrt(len(districts))))
            cx = pd.Series({d: (i % cols) * 300.0 for i, d in enumerate(districts)})
            cy = pd.Series({d: (i // cols) * 260.0 for i, d in enumerate(districts)})
        meta = meta.drop_duplicates("key")
        meta["x"] = meta["district"].map(cx) + meta["type"].map(offset).fillna(0)
        meta["y"] = meta["district"].map(cy) + meta["type"].map(offset).fillna(0) * 0.5
        meta["label"] = meta["district"] + " · " + meta["type"].map(lambda ty: t("val_" + ty, lang))
        meta["short"] = meta["label"]
        meta["chain"] = ""
    return pd.Series(key.to_numpy(), index=ent["id"].to_numpy()), meta.set_index("key"), projection


def _stage_names(lang: Language) -> dict[int, str]:
    """The chain × stage columns' names, by stage (0: enterprises that only buy)."""
    keys = {0: "map_stage_buyers", 1: "map_stage_1", 2: "map_stage_2", 3: "map_stage_3"}
    return {stage: t(key, lang) for stage, key in keys.items()}


def _stage_headings(meta: pd.DataFrame, lang: Language) -> list[dict]:
    """A heading above each stage column of the chain × stage map, over its top group."""
    names = _stage_names(lang)
    tops = meta.groupby("stage")["y"].min()
    return [{"x": stage * STAGE_GAP, "y": y, "label": names[stage]} for stage, y in tops.items()]


def _chain_label(ds: Dataset, chain: pd.Series, lang: Language) -> pd.Series:
    """Each chain code by its name in `lang`, as the legend and the other pages
    name it ("Dong riềng", not `arrowroot`); `none` (an enterprise listing no
    product) in words. The code stays the group's filter key."""
    names = chain_display_names(ds, lang)
    names = pd.concat([names, pd.Series({"none": t("map_no_chain", lang)})])
    named = chain.map(names[~names.index.duplicated()])
    return named.where(named.notna(), chain).astype(str)


def _parts(ds: Dataset, base: pd.Series, lang: Language) -> pd.Series:
    """How each enterprise's chain × stage group is split: by district, else (up
    to `LOUVAIN_UP_TO` enterprises) by Louvain communities of the local trading
    network; the first that gives `MIN_GROUPS` groups, none when chain × stage
    already does or neither does. Only the largest parts are kept (`_largest`);
    the rest rejoin their chain × stage ("")."""
    none = pd.Series("", index=base.index, dtype=object)
    if base.nunique() >= MIN_GROUPS:
        return none
    ent = ds.enterprises
    district = pd.Series(ent["district"].fillna("").to_numpy(), index=base.index, dtype=object)
    if (base + "·" + district).nunique() >= MIN_GROUPS:
        return _largest(base, district)
    if len(ent) > LOUVAIN_UP_TO:
        return none
    found = _communities(ds, lang).reindex(ent["id"]).fillna("").to_numpy()
    community = pd.Series(found, index=base.index, dtype=object)
    if (base + "·" + community).nunique() >= MIN_GROUPS:
        return _largest(base, community)
    return none


def _largest(base: pd.Series, part: pd.Series) -> pd.Series:
    """The `MIN_GROUPS` largest parts and any other of at least 1 % of the
    enterprises, at most `MAX_GROUPS`."""
    key = base + "·" + part
    counts = key.value_counts()
    keep = min(max(MIN_GROUPS, int((counts >= 0.01 * len(key)).sum())), MAX_GROUPS)
    return part.where(key.isin(set(counts.index[:keep])), "")


def _communities(ds: Dataset, lang: Language) -> pd.Series:
    """Each enterprise's Louvain community of local trading partners (networkx,
    a fixed seed), named "group 1", "group 2"… largest first."""
    import networkx as nx

    src, tgt = ds.endpoint_rows()
    local = (src >= 0) & (tgt >= 0) & (src != tgt)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(ds.enterprises)))
    graph.add_edges_from(zip(src[local].tolist(), tgt[local].tolist(), strict=True))
    found = sorted(nx.community.louvain_communities(graph, seed=1), key=len, reverse=True)
    ids = ds.enterprises["id"].to_numpy()
    names: dict[str, str] = {}
    for k, members in enumerate(found, start=1):
        name = t("map_community", lang, n=k)
        names.update((ids[row], name) for row in members)
    return pd.Series(names, dtype=object)


def aggregate_payload(
    ds: Dataset,
    links: pd.DataFrame,
    unlinked: pd.DataFrame,
    coupling: pd.DataFrame,
    weak_chains: list[str],
    weight: str,
    options,
) -> dict:
    """The map payload (same keys as `mapdata.map_payload`) for groups of enterprises.

    `links` carries the weight `w` and each link's `chain`.
    """
    lang = options.lang
    mode = "district" if options.aggregate == "district" else "chain"
    group_of, meta, projection = _groups(ds, mode, lang)
    ent = ds.enterprises
    key = group_of.to_numpy()
    counts = pd.Series(key).value_counts()
    producers = pd.Series(key[ent["type"].isin(PRODUCER_TYPES).to_numpy()]).value_counts()
    n_unlinked = pd.Series(group_of.reindex(unlinked["id"]).to_numpy()).value_counts()

    flows = _group_flows(ds, links, key)
    colours = chain_colours(list(coupling.index) + [c for c in flows.edges["chain"].unique() if c])
    # The heaviest flows carry the picture; hundreds of thin ones only hide it.
    edges = flows.edges.head(MAX_EDGES)
    nodes = _group_nodes(meta, counts, producers, n_unlinked, flows, mode, lang)
    if flows.has_outside:
        nodes.append(_outside_node(nodes, lang))
    edge_items = _group_edge_items(edges, colours, mode, lang)
    types = ["external"] + (sorted(meta["type"].unique()) if mode == "district" else [])
    return {
        "aggregated": True,
        "aggregate": mode,
        "filters": ["chain"] if mode == "chain" else ["district", "type"],
        "nodes": nodes,
        "edges": edge_items,
        "chains": [
            {
                "chain": c,
                "colour": colours.get(c, "#555555"),
                "score": plain(coupling.at[c, "coupling_score"]),
                "weak": c in weak_chains,
            }
            for c in sorted(coupling.index)
        ],
        "districts": sorted(d for d in meta["district"].unique() if d),
        "types": types,
        "summary": {
            "enterprises": len(ent),
            "links": len(ds.links),
            "local_links": int(links["local"].sum()),
            "local_share": plain(local_sales_share(links, links["w"])),
            "unlinked": len(unlinked),
            "weak_chains": weak_chains,
            "suggestions": 0,
            "edges_shown": len(edge_items),
            "edges_total": len(flows.edges),
        },
        "layout": "grid" if mode == "chain" else "geo",
        "headings": _stage_headings(meta, lang) if mode == "chain" else [],
        "boundaries": outline_items(options.boundaries, projection),
        "weight": weight,
        "year": plain(ds.year),
    }


@dataclass
class _Flows:
    """Sales per group (all, and to local buyers), and one edge per pair of groups."""

    sales: pd.Series
    local_sales: pd.Series
    edges: pd.DataFrame  # s, t, w, local, chain, n; heaviest first
    has_outside: bool


def _group_flows(ds: Dataset, links: pd.DataFrame, key: np.ndarray) -> _Flows:
    """Groups as integer codes (OUTSIDE last), each link's ends through the
    enterprise rows: no text is looked up per link."""
    group_code, group_keys = pd.factorize(key)
    labels = np.append(np.asarray(group_keys, dtype=object), OUTSIDE)
    outside = len(group_keys)
    src_rows, dst_rows = ds.endpoint_rows()
    s = np.where(src_rows >= 0, group_code[np.maximum(src_rows, 0)], outside)
    d = np.where(dst_rows >= 0, group_code[np.maximum(dst_rows, 0)], outside)
    w = links["w"].to_numpy(dtype=float)
    local = links["local"].to_numpy(dtype=bool)
    w0 = np.nan_to_num(w)
    sold = s != outside
    sales_by = np.bincount(s[sold], weights=w0[sold], minlength=outside + 1)
    local_by = np.bincount(s[sold & local], weights=w0[sold & local], minlength=outside + 1)
    selling = np.bincount(s[sold], minlength=outside + 1) > 0

    # One edge per (group, group): summed weight, all-local, link count, and the
    # chain of its heaviest link; edges ordered by that heaviest link (ties: the
    # earlier link), as a stable sort by weight would order them.
    apart = np.flatnonzero(s != d)
    pair_code, pairs = pd.factorize(s[apart].astype(np.int64) * (outside + 1) + d[apart])
    n_pairs = len(pairs)
    heaviest = (
        pd.Series(np.where(np.isnan(w[apart]), -np.inf, w[apart])).groupby(pair_code).idxmax()
    )
    top = apart[heaviest.to_numpy()]
    order = np.lexsort((top, -np.where(np.isnan(w[top]), -np.inf, w[top])))
    edges = (
        pd.DataFrame(
            {
                "s": labels[pairs // (outside + 1)],
                "t": labels[pairs % (outside + 1)],
                "w": np.bincount(pair_code, weights=w0[apart], minlength=n_pairs),
                "local": np.bincount(pair_code, weights=~local[apart], minlength=n_pairs) == 0,
                "chain": links["chain"].to_numpy()[top],
                "n": np.bincount(pair_code, minlength=n_pairs),
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )
    return _Flows(
        sales=pd.Series(sales_by[selling], index=labels[selling]),
        local_sales=pd.Series(local_by[selling], index=labels[selling]),
        edges=edges,
        has_outside=bool((s == outside).any() or (d == outside).any()),
    )


def _group_nodes(meta, counts, producers, n_unlinked, flows: _Flows, mode, lang) -> list[Node]:
    """A node per group, sized by its enterprises, coloured by its local share of sales."""
    sizes = scale(counts.reindex(meta.index).fillna(0), 14, 48)
    nodes: list[Node] = []
    for k, row in meta.iterrows():
        sales = flows.sales
        share = (flows.local_sales.get(k, 0.0) / sales[k]) if sales.get(k, 0) else None
        colour = share_colour(share)
        shape = TYPE_STYLE.get(row["type"], ("", "dot"))[1] if mode == "district" else "dot"
        producers_k = int(producers.get(k, 0))
        unlinked_k = int(n_unlinked.get(k, 0))
        info = {
            "name": row["label"],
            "id": k,
            "type": t("map_group", lang),
            "district": row["district"],
            "enterprises": int(counts.get(k, 0)),
            "unlinked": (
                f"{number_text(unlinked_k, lang)} / {number_text(producers_k, lang)}"
                if producers_k
                else ""
            ),
            "flow_out": plain(sales.get(k)),
            "local_share": plain(share),
        }
        nodes.append(
            node(
                k,
                f"{row['short']}\n{number_text(int(counts.get(k, 0)), lang)}",
                (row["x"], row["y"]),
                shape=shape,
                size=sizes[k],
                color={"background": colour, "border": "#333333"},
                group=row["type"] if mode == "district" else "aggregate",
                district=row["district"],
                chains=[row["chain"]] if row["chain"] else [],
                unlinked=unlinked_k > 0,
                producer=producers_k > 0,
                info=info,
            )
        )
    return nodes


def _outside_node(nodes: list[Node], lang: Language) -> Node:
    """The one node for everything outside the region, right of the groups."""
    right = max((n["x"] for n in nodes), default=0.0) + 360.0
    mid = np.mean([n["y"] for n in nodes]) if nodes else 0.0
    name = t("val_external", lang)
    return node(
        OUTSIDE,
        name,
        (right, float(mid)),
        shape="hexagon",
        size=30,
        color={"background": TYPE_STYLE["external"][0], "border": "#666666"},
        group="external",
        info={"name": name, "id": OUTSIDE, "type": name},
    )


def _group_edge_items(
    edges: pd.DataFrame, colours: dict[str, str], mode: str, lang: Language
) -> list[Edge]:
    """A vis-network edge per pair of groups, as wide as its flow."""
    widths = scale(edges["w"], 1.5, 14)
    items = []
    for i, (row, width) in enumerate(zip(edges.itertuples(index=False), widths, strict=True)):
        local = bool(row.local)
        colour = (
            (colours.get(row.chain, CHAIN_COLOURS[0]) if mode == "chain" else "#555555")
            if local
            else EXTERNAL_EDGE
        )
        items.append(
            edge(
                f"e{i}",
                row.s,
                row.t,
                kind="local" if local else "external",
                chain=row.chain if mode == "chain" else "",
                width=float(width),
                color={"color": colour, "opacity": 0.85 if local else 0.5},
                dashes=False if local else [2, 5],
                info={
                    "products": t("map_links_n", lang, n=number_text(row.n, lang)),
                    "weight": plain(row.w),
                    "chain": row.chain,
                },
            )
        )
    return items
