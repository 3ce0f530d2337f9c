"""Render the interactive linkage map as one self-contained, offline HTML file.

vis-network 9.1.2 comes from the copy pyvis ships and is inlined; the page is
valuechain's own (pyvis's templates link Bootstrap from a CDN). Data enters the
page as JSON in a `<script type="application/json">` block and is shown
through `textContent` only.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from valuechain.errors import OutputError
from valuechain.i18n import Language, t
from valuechain.loading.dataset import Dataset
from valuechain.output.formats import (
    chain_display_names,
    date_text,
    number_text,
    percent_text,
    value_text,
    with_unit,
)
from valuechain.output.html import CSP, json_for_script, page_template, write_atomic
from valuechain.output.map.data import MapOptions, map_payload
from valuechain.output.map.elements import CONTEXT_COLOUR
from valuechain.output.palette import TYPE_STYLE

__all__ = ["MapPage", "render_map", "render_map_page", "write_map", "slice_text", "MAP_STRINGS"]

MAP_STRINGS = [
    "gained",
    "lost",
    "enterprises",
    "unlinked_of",
    "id",
    "type",
    "district",
    "outputs",
    "inputs",
    "flow_out",
    "flow_in",
    "value_added",
    "local_share",
    "status",
    "flags",
    "products",
    "chain",
    "weight",
    "reason",
    "suggested",
    "priority_link",
    "external_link",
    "local_link",
    "unlinked_producer",
    "chains",
    "weak",
    "found",
    "context",
    "risk",
    "scenario",
    "value_out",
    "rank",
    "summary_drawn",
    "filtered_by",
    "filter_chain",
    "filter_district",
    "filter_types",
    "filter_no_external",
    "legend",
]


@cache
def _vis_js() -> str:
    """vis-network from pyvis's package folder, found without importing pyvis (whose
    import pulls in IPython and costs over half a second)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise OutputError(key="no_pyvis")
    path = Path(spec.origin).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


@cache
def _asset(name: str) -> str:
    return resources.files("valuechain.output.map").joinpath(name).read_text(encoding="utf-8")


def _summary_line(payload: dict, lang: Language) -> str:
    s = payload["summary"]
    share = "–" if s["local_share"] is None else percent_text(s["local_share"], lang, 0)
    name_of = {c["chain"]: c.get("name", c["chain"]) for c in payload["chains"]}
    weak = ", ".join(name_of.get(c, c) for c in s["weak_chains"]) or "–"
    line = t(
        "map_summary",
        lang,
        enterprises=number_text(s["enterprises"], lang),
        links=number_text(s["links"], lang),
        local_links=number_text(s["local_links"], lang),
        share=share,
        unlinked=number_text(s["unlinked"], lang),
        weak=weak,
        weight=value_text(payload["weight"], lang),
        year=value_text(str(payload["year"]), lang) if payload["year"] is not None else "–",
    )
    if s.get("sliced"):
        n, total = number_text(s["enterprises"], lang), number_text(s["total_enterprises"], lang)
        line = t("map_slice_of", lang, n=n, total=total) + line
    return line


def slice_text(ds: Dataset, options: MapOptions, lang: Language) -> str:
    """The slice a map shows, in words for its title ("huyện Chợ Đồn · chuỗi Gỗ"),
    or "" for the whole dataset."""
    sl = options.slice.resolve(ds)
    chain_name = chain_display_names(ds, lang)
    parts = []
    if sl.districts:
        parts.append(t("map_slice_district", lang, names=", ".join(sl.districts)))
    if sl.chains:
        names = ", ".join(str(chain_name.get(c, c)) for c in sl.chains)
        parts.append(t("map_slice_chain", lang, names=names))
    if sl.types:
        names = ", ".join(t("val_" + ty, lang) for ty in sl.types)
        parts.append(t("map_slice_type", lang, names=names))
    return " · ".join(parts)


def render_map_page(
    ds: Dataset,
    options: MapOptions,
    *,
    title: str | None = None,
    marks: Callable[[dict], None] | None = None,
) -> MapPage:
    """The map page for the dataset (`MapPage`); `marks` may change the map's
    data before it is written (a scenario marks what it changes)."""
    from dataclasses import replace

    lang = options.lang
    options = replace(options, slice=options.slice.resolve(ds))  # matched once
    payload = map_payload(ds, options)
    if marks is not None:
        marks(payload)
    payload["strings"] = {k: t("map_" + k, lang) for k in MAP_STRINGS}
    # value added is money whatever the weight: always in million đồng
    payload["strings"]["value_added"] = with_unit(payload["strings"]["value_added"], "value", lang)
    for flow in ("flow_out", "flow_in", "value_out"):
        payload["strings"][flow] = with_unit(payload["strings"][flow], payload["weight"], lang)
    payload["locale"] = "vi-VN" if lang == "vi" else "en-GB"
    payload["type_styles"] = {
        ty: {"colour": colour, "shape": t("shape_" + shape, lang), "label": t("val_" + ty, lang)}
        for ty, (colour, shape) in TYPE_STYLE.items()
    }
    payload["lang"] = lang
    payload["context_colour"] = CONTEXT_COLOUR
    payload["weight_label"] = value_text(payload["weight"], lang)
    chain_label = chain_display_names(ds, lang).to_dict()
    for chain in payload["chains"]:
        chain["name"] = str(chain_label.get(chain["chain"], chain["chain"]))
    for edge in payload["edges"]:  # tooltips name the chain; filters keep the code
        info = edge.get("info", {})
        if info.get("chain"):
            info["chain"] = str(chain_label.get(info["chain"], info["chain"]))
    summary = _summary_line(payload, lang)
    if payload["aggregated"]:
        summary = (
            t(
                "map_aggregated",
                lang,
                threshold=number_text(options.threshold, lang),
                mode=t("map_by_" + payload["aggregate"], lang),
            )
            + " "
            + summary
        )
        counts = payload["summary"]
        if counts["edges_shown"] < counts["edges_total"]:
            shown, total = (number_text(counts[k], lang) for k in ("edges_shown", "edges_total"))
            summary += " " + t("map_edges_cut", lang, shown=shown, total=total)
    if payload.get("compare"):
        c = payload["compare"]
        gained, lost = number_text(c["gained"], lang), number_text(c["lost"], lang)
        summary += " " + t("map_change", lang, year=c["year"], gained=gained, lost=lost)
    slice_words = slice_text(ds, options, lang)
    title = title or t("map_title", lang, name=ds.label(lang))
    if slice_words:
        title += " — " + slice_words
    from markupsafe import Markup

    # Text is escaped by the template; only our own code, the CSP and the JSON
    # (made safe inside a script element by json_for_script) go in as they are.
    fields = {
        "lang": lang,
        "csp": Markup(CSP),
        "title": title,
        "summary": summary,
        "source": t(
            "map_source", lang, source=ds.source(lang), date=date_text(_dt.date.today(), lang)
        ),
        "vis_js": Markup(_vis_js()),
        "map_js": Markup(_asset("map.js")),
        "data": Markup(json_for_script(payload)),
    }
    for key in (
        "search",
        "search_hint",
        "filters",
        "chain",
        "district",
        "all",
        "show_external",
        "show_suggest",
        "reset",
        "show_critical",
        "legend",
        "note",
        "fold",
        "save_png",
    ):
        fields["t_" + key] = t("map_" + key, lang)
    html = page_template("valuechain.output.map", "map.html").render(**fields)
    return MapPage(html=html, said=f"{title}: {summary}")


@dataclass(frozen=True)
class MapPage:
    """A map page made: its HTML, and one line of what it shows (the title and
    the header line), for the command line."""

    html: str
    said: str

    def save(self, path: str | Path) -> Path:
        """Write the page atomically; return its path."""
        return write_atomic(path, self.html)


def render_map(
    ds: Dataset,
    options: MapOptions,
    *,
    title: str | None = None,
    marks: Callable[[dict], None] | None = None,
) -> str:
    """Return the map page's HTML for the dataset; `marks` may change the map's
    data before it is written (a scenario marks what it changes)."""
    return render_map_page(ds, options, title=title, marks=marks).html


def write_map(ds: Dataset, path: str | Path, options: MapOptions | None = None) -> Path:
    """Write the map to `path` atomically; return the path. `options` defaults to
    `MapOptions()` (Vietnamese, the whole dataset, layout chosen from the data)."""
    return render_map_page(ds, options or MapOptions()).save(path)
