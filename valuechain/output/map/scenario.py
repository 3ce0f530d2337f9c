"""The map of a what-if scenario: the region's map with what the scenario changes
marked on it.

A closure is drawn on the map as it is now: the enterprises that close (black
border), their local links (purple, dashed: lost), the producers left without
a local buyer (purple border) and, in every enterprise the loss reaches, the
share of its output it keeps. A new plant is drawn on the map after it opens:
the plant (green border), the sales redirected to it (green) and the producers
that gain a local buyer (green border).
"""

from __future__ import annotations

from pathlib import Path

from valuechain.analysis.whatif import Scenario, apply_scenario, new_plant_id
from valuechain.i18n import Language, t
from valuechain.loading.dataset import Dataset
from valuechain.output.formats import display_names, number_text, percent_text
from valuechain.output.html import write_atomic
from valuechain.output.map.elements import GAINED_COLOUR, LOST_COLOUR
from valuechain.output.map.options import MapOptions
from valuechain.output.map.page import render_map

__all__ = ["write_scenario_map"]

CLOSED_COLOUR = "#000000"


def write_scenario_map(
    ds: Dataset, scenario: Scenario, result: dict, path: str | Path, options: MapOptions
) -> Path:
    """Write the map of `scenario` (whose answers are `result`, from `whatif`)."""
    lang = options.lang
    if scenario.remove:
        drawn = ds
        closed = set(scenario.remove)
        gained: set[tuple[str, str]] = set()
        lost = _local_pairs(ds, closed)
        marks = {i: ("closed", t("map_sc_closed", lang)) for i in closed}
        for row in result["hit"]:
            marks.setdefault(
                row["id"], ("hit", t("map_sc_keeps", lang, share=percent_text(row["h"], lang)))
            )
        for i in result["became_unlinked"]:
            marks[i] = ("lost_buyer", t("map_sc_lost_buyer", lang))
    else:
        drawn, _ = apply_scenario(ds, scenario, result["weight"])
        new_id = new_plant_id(ds)
        product = display_names(ds, lang)["product"]
        capacity = ""
        if scenario.capacity is not None:
            unit = ds.product_attribute("unit").get(scenario.add_processor, "") or ""
            amount = number_text(scenario.capacity, lang)
            capacity = t("map_sc_capacity", lang, capacity=amount, unit=unit).rstrip()
        name = t(
            "map_sc_new_plant", lang, product=product.get(scenario.add_processor), capacity=capacity
        )
        drawn.enterprises.loc[drawn.enterprises["id"] == new_id, "name"] = name
        gained = _local_pairs(drawn, {new_id})
        lost = set()
        marks = {new_id: ("new", t("map_sc_new", lang))}
        for i in result["became_linked"]:
            marks[i] = ("found_buyer", t("map_sc_found_buyer", lang))
    title = t("map_sc_title", lang, what=_what(ds, scenario, lang), name=ds.label(lang))
    html = render_map(
        drawn,
        options,
        title=title,
        marks=lambda payload: _mark(payload, marks, gained, lost, lang),
    )
    return write_atomic(path, html)


def _what(ds: Dataset, scenario: Scenario, lang: Language) -> str:
    """The scenario in words: who closes, or which plant opens where."""
    if scenario.remove:
        names = ds.enterprises.set_index("id")["name"]
        closing = ", ".join(str(names.get(i, i)) for i in scenario.remove)
        return t("map_sc_what_close", lang, names=closing)
    product = display_names(ds, lang)["product"].get(scenario.add_processor)
    where = scenario.district or ", ".join(f"{x:.4f}" for x in scenario.at or ())
    return t("map_sc_what_open", lang, product=product, where=where)


def _local_pairs(ds: Dataset, ids: set[str]) -> set[tuple[str, str]]:
    """(seller, buyer) of every local link one of `ids` is a party to."""
    links = ds.links[ds.links["local"]]
    mine = links["source"].isin(ids) | links["target"].isin(ids)
    return set(zip(links.loc[mine, "source"], links.loc[mine, "target"], strict=True))


BORDER = {
    "closed": CLOSED_COLOUR,
    "hit": LOST_COLOUR,
    "lost_buyer": LOST_COLOUR,
    "new": GAINED_COLOUR,
    "found_buyer": GAINED_COLOUR,
}


def _mark(payload: dict, marks: dict, gained: set, lost: set, lang: Language) -> None:
    """Mark the scenario's enterprises and links in the map's data, in place."""
    for node in payload["nodes"]:
        mark = marks.get(node["id"])
        if mark is None:
            continue
        kind, text = mark
        node["scenario"] = kind
        node["info"]["scenario"] = text
        if kind == "new":  # the plant named whole: product, then its capacity
            node["label"] = node["info"]["name"].replace(", ", "\n", 1)
        if kind != "hit":  # a hit keeps its own border; its tooltip says what it keeps
            node["color"] = {**node["color"], "border": BORDER[kind]}
            node["borderWidth"] = 6
    for edge in payload["edges"]:
        pair = (edge.get("from"), edge.get("to"))
        if edge.get("kind") != "local" or pair not in gained | lost:
            continue
        is_gained = pair in gained
        edge["change"] = "gained" if is_gained else "lost"
        edge["color"] = {"color": GAINED_COLOUR if is_gained else LOST_COLOUR, "opacity": 1.0}
        edge["width"] = max(edge.get("width", 1), 3.0)
        if not is_gained:
            edge["dashes"] = [4, 4]
    payload["scenario"] = {
        "gained": t("map_sc_gained", lang) if gained else None,
        "lost": t("map_sc_lost", lang) if lost else None,
    }
