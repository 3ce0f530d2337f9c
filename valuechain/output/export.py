"""Exports for the tools planners and analysts already use: Excel, QGIS, Gephi.

- `xlsx`: the dataset (sheets `enterprises`, `links`, `products`, so valuechain
  reads the workbook back) and one sheet per analysis, headers in the reader's
  language, frozen header row, numbers as numbers, shares as percentages.
- `geojson` (RFC 7946): enterprises as Points, local links as LineStrings, with
  the analysis fields as properties, for QGIS.
- `gexf` / `graphml`: the graph with every node and edge attribute, via
  networkx's writers, for Gephi.

Every text cell that a spreadsheet would run as a formula is neutralised
(`output.safe_cell`); no cell of the workbook is a formula.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from valuechain.analysis.coupling import chain_coupling, enterprise_chain
from valuechain.analysis.products import missing_stages, product_status
from valuechain.analysis.suggest import suggest_links
from valuechain.analysis.summary import summarize
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.errors import DataError, OutputError, os_reason
from valuechain.i18n import VI, Language, Words, t
from valuechain.loading.dataset import Dataset
from valuechain.loading.files import ROW
from valuechain.output.formats import (
    display_names,
    header_text,
    plain,
    safe_cell,
    value_text,
    with_names,
)
from valuechain.output.html import write_atomic

__all__ = ["FORMATS", "export", "enterprise_table", "link_table"]

from valuechain.choices import EXPORT_FORMATS as FORMATS

_PERCENT = ("share", "rate", "completeness", "coverage", "occupancy")


def enterprise_table(ds: Dataset, w: pd.Series) -> pd.DataFrame:
    """The enterprises with the analysis fields joined on: `chain`, `status`
    (`isolated`, `external_only`, or empty), `candidates`, `nearest_candidate`,
    `nearest_km`, `local_out_share`, `buyers`, `top_buyer_share`,
    `local_in_share`, `flags` (list)."""
    ent = ds.enterprises.drop(columns=[ROW]).copy()
    ent["chain"] = enterprise_chain(ds).to_numpy()
    unlinked = unlinked_producers(ds).set_index("id")
    flags = enterprise_flags(ds, w).set_index("id")
    for column in ("status", "candidates", "nearest_candidate", "nearest_km"):
        ent[column] = ent["id"].map(unlinked[column])
    ent["status"] = ent["status"].astype(object).where(ent["status"].notna(), "")
    for column in ("local_out_share", "buyers", "top_buyer_share", "local_in_share", "flags"):
        ent[column] = ent["id"].map(flags[column])
    ent["flags"] = [f if isinstance(f, list) else [] for f in ent["flags"]]
    return ent


def link_table(ds: Dataset, w: pd.Series, weight: str) -> pd.DataFrame:
    """The links with `weight` (by the rule in force), `chain` and the product's `status`."""
    links = ds.links.drop(columns=[ROW]).copy()
    chain_of = ds.product_attribute("chain")
    links["weight"] = w.to_numpy()
    links["chain"] = links["product"].map(chain_of).fillna("")
    status = product_status(ds, w).set_index("product")["status"]
    links["product_status"] = links["product"].map(status).fillna("")
    return links


def export(
    ds: Dataset, fmt: str, path: str | Path, *, weight: str = "auto", lang: Language = VI
) -> tuple[Path, dict]:
    """Write the dataset and its analyses in `fmt`; return (path, notes).

    `notes` holds counts worth telling the user (e.g. links left out of a
    GeoJSON because an end has no position). Written atomically.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    name, w, _ = resolve_weight(ds.links, weight)
    writer = {"xlsx": _xlsx, "geojson": _geojson, "gexf": _graph, "graphml": _graph}[fmt]
    try:
        data, notes = writer(ds, w, name, lang, fmt)
    except _TemporarySpace as exc:
        raise OutputError(key="cannot_write", path=path, reason=exc.reason) from None
    return write_atomic(path, data), notes


class _TemporarySpace(Exception):
    """The workbook writer's temporary files could not be written (a full disk, a
    file-size limit)."""

    def __init__(self, reason: Words | str) -> None:
        super().__init__(reason)
        self.reason = reason


def _save_workbook(book) -> bytes:
    """The workbook's bytes. openpyxl writes each sheet to a temporary file first:
    when that fails, the half-made writers are collected here, quietly, instead
    of printing their tracebacks when the process ends."""
    import gc
    import sys

    buf = io.BytesIO()
    reason = None
    try:
        book.save(buf)
    except Exception as exc:  # lxml's SerialisationError (IO_ENOSPC, IO_EFBIG) or an OSError
        text = str(exc)
        if not (isinstance(exc, OSError) or text.startswith("IO_")):
            raise
        key = {"IO_ENOSPC": "os_no_space_temp", "IO_EFBIG": "os_file_too_big"}.get(text)
        reason = Words(key) if key else os_reason(exc) if isinstance(exc, OSError) else text
    if reason is None:
        return buf.getvalue()
    del book
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise _TemporarySpace(reason)


# --- xlsx ---------------------------------------------------------------------------


def _xlsx(ds: Dataset, w: pd.Series, weight: str, lang: Language, _fmt: str) -> tuple[bytes, dict]:
    from openpyxl import Workbook

    sheets: list[tuple[str, pd.DataFrame, bool]] = []  # (name, frame, localise headers)
    notes: dict[str, int] = {}
    data = _within_columns(ds.enterprises.drop(columns=[ROW]), "enterprises", notes)
    sheets.append(("enterprises", data, False))
    # Every year's links: the workbook holds the dataset, which reads back whole.
    links = ds.pooled().links.drop(columns=[ROW, "source_ext", "target_ext", "local"])
    sheets.append(("links", _within_columns(links, "links", notes), False))
    products = ds.products[ds.products["in_catalog"]].drop(columns=["in_catalog"])
    products = products.drop(columns=[c for c in products.columns if c == ROW])
    sheets.append(
        ("products", products.assign(made_from=products["made_from"].map(";".join)), False)
    )
    # The optional tables the dataset has, so that it reads back the same.
    if ds.clusters is not None:
        sheets.append(("clusters", ds.clusters.drop(columns=[ROW], errors="ignore"), False))
    if ds.chains is not None:
        sheets.append(("chains", ds.chains, False))
    if ds.about:
        sheets.append(
            ("about", pd.DataFrame(list(ds.about.items()), columns=["key", "value"]), False)
        )
    summary = summarize(ds, weight=weight)
    flat = [(k, v) for k, v in summary.items() if not isinstance(v, dict)]
    flat += [
        (f"{k}.{kk}", vv) for k, v in summary.items() if isinstance(v, dict) for kk, vv in v.items()
    ]
    from valuechain.analysis.critical import critical_enterprises

    # Every enterprise tested up to critical's limit; beyond, its screen (a
    # couple of minutes at a million). The summary says which, and the recall.
    critical, screen = critical_enterprises(ds, w)
    flat += [
        ("critical.tested", screen.tested),
        ("critical.enterprises_tested", screen.count),
        ("critical.recall", screen.recall),
    ]
    sheets.append((t("xl_summary", lang), pd.DataFrame(flat, columns=["key", "value"]), True))
    unlinked = unlinked_producers(ds)
    sheets.append((t("xl_unlinked", lang), unlinked, True))
    sheets.append((t("xl_products", lang), product_status(ds, w), True))
    sheets.append((t("xl_stages", lang), missing_stages(ds), True))
    sheets.append((t("xl_flags", lang), enterprise_flags(ds, w), True))
    sheets.append((t("xl_coupling", lang), chain_coupling(ds, w), True))
    try:
        from valuechain.analysis.linkages import linkage_indices

        sheets.append((t("xl_linkages", lang), linkage_indices(ds), True))
    except DataError as exc:
        sheets.append((t("xl_linkages", lang), pd.DataFrame({"message": [exc.text(lang)]}), True))
    try:
        from valuechain.analysis.value import value_by_stage_and_chain

        by_stage, by_chain = value_by_stage_and_chain(ds)
        sheets.append((t("xl_value_stage", lang), by_stage, True))
        sheets.append((t("xl_value_chain", lang), by_chain, True))
    except DataError as exc:
        message = pd.DataFrame({"message": [exc.text(lang)]})
        sheets.append((t("xl_value_stage", lang), message, True))
    sheets.append((t("xl_suggest", lang), suggest_links(ds, w, top=200, unlinked=unlinked), True))
    from valuechain.analysis.priorities import priorities

    sheets.append((t("xl_critical", lang), critical, True))
    actions = ("connect", "attract", "protect")
    sheets.insert(
        3,  # after the data: what to do first
        (
            t("xl_priorities", lang),
            priorities(ds, w, top=None, actions=actions, critical=critical),
            True,
        ),
    )
    sheets.append((t("xl_load", lang), ds.report.frame(lang), True))

    book = Workbook()
    book.remove(book.active)
    # The analyses are of one year (the latest unless --year): their sheets say so.
    year = f" {ds.year}" if ds.year not in (None, "all") else ""
    names = display_names(ds, lang)
    for title, frame, localise in sheets:
        name = (title[: 31 - len(year)] + year) if localise and year else title[:31]
        shown = with_names(frame, names) if localise else frame
        _sheet(book.create_sheet(name), shown, lang if localise else None)
    return _save_workbook(book), notes


# A worksheet holds at most 16,384 columns (XFD).
MAX_COLUMNS = 16_384


def _within_columns(frame: pd.DataFrame, table: str, notes: dict[str, int]) -> pd.DataFrame:
    """The frame with the columns a sheet can hold: the first 16,384 (valuechain's
    own come first); the number left out goes to `notes`."""
    if frame.shape[1] <= MAX_COLUMNS:
        return frame
    notes[f"{table}_columns_left_out"] = frame.shape[1] - MAX_COLUMNS
    return frame.iloc[:, :MAX_COLUMNS]


def _sheet(sheet, frame: pd.DataFrame, lang: Language | None) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = [str(c) for c in frame.columns]
    # User column names are data too: a header such as =HYPERLINK(…) is guarded.
    headers = [safe_cell(header_text(c, lang) if lang else c) for c in columns]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for values in frame.itertuples(index=False, name=None):
        row = [_xl_value(v, lang) for v in values]
        sheet.append(row)
        for i, v in enumerate(row):
            widths[i] = max(widths[i], min(len(str(v)) if v is not None else 0, 60))
    for i, column in enumerate(columns):
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = max(8, widths[i] + 2)
        if any(p in column for p in _PERCENT) and column != "weight":
            for cell in sheet[letter][1:]:
                cell.number_format = "0.0%"
    # A text cell starting with "=" is stored by openpyxl as a formula: never let it.
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if cell.data_type == "f":
                cell.value = safe_cell(str(cell.value))
                cell.data_type = "s"
    sheet.freeze_panes = "A2"


def _xl_value(value: object, lang: Language | None = None) -> object:
    """A cell value: full-precision numbers (the sheet formats them), guarded text.
    In an analysis sheet (`lang` given) statuses and flags are words of the
    reader's language and booleans có / không (yes / no)."""
    if isinstance(value, float | np.floating) and not math.isnan(value):
        return float(value)
    value = plain(value)
    if lang is not None:
        if isinstance(value, bool):
            return t("yes" if value else "no", lang)
        if isinstance(value, list):
            value = [value_text(str(v), lang) for v in value]
        elif isinstance(value, str):
            value = value_text(value, lang)
    if isinstance(value, list):
        return safe_cell(("; " if lang else ";").join("" if v is None else str(v) for v in value))
    if isinstance(value, str):
        return safe_cell(value)
    return value


# --- GeoJSON ------------------------------------------------------------------------


def _geojson(
    ds: Dataset, w: pd.Series, weight: str, lang: Language, _fmt: str
) -> tuple[bytes, dict]:
    ent = enterprise_table(ds, w)
    located = ent["lat"].notna() & ent["lon"].notna()
    features = []
    for rec in ent[located].to_dict("records"):
        props = {k: _json_value(v) for k, v in rec.items() if k not in ("lat", "lon")}
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(rec["lon"]), float(rec["lat"])],
                },
                "properties": props,
            }
        )
    pos = ent.set_index("id")[["lon", "lat"]]
    links = link_table(ds, w, weight)
    local = links[links["local"]]
    start = pos.reindex(local["source"]).to_numpy()
    end = pos.reindex(local["target"]).to_numpy()
    drawable = ~(np.isnan(start).any(axis=1) | np.isnan(end).any(axis=1))
    for rec, a, b in zip(
        local[drawable].to_dict("records"), start[drawable], end[drawable], strict=True
    ):
        props = {
            k: _json_value(v)
            for k, v in rec.items()
            if k not in ("source_ext", "target_ext", "local")
        }
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[float(a[0]), float(a[1])], [float(b[0]), float(b[1])]],
                },
                "properties": props,
            }
        )
    notes = {
        "enterprises_without_position": int((~located).sum()),
        "external_links_left_out": int((~links["local"]).sum()),
        "local_links_without_position": int((~drawable).sum()),
    }
    collection = {
        "type": "FeatureCollection",
        "features": features,
        # a foreign member (RFC 7946 §6.1): what could not be drawn
        "valuechain": {"weight": weight, "year": plain(ds.year), **notes},
    }
    text = json.dumps(collection, ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8"), notes


def _json_value(value: object) -> object:
    value = plain(value)
    return ";".join(str(v) for v in value) if isinstance(value, list) else value


# --- GEXF / GraphML -----------------------------------------------------------------


def _graph(ds: Dataset, w: pd.Series, weight: str, lang: Language, fmt: str) -> tuple[bytes, dict]:
    """The supply graph (`graph.build_graph`: one edge per pair, parallel products
    summed) with the analysis fields on its nodes and each edge's chain and
    product status, in attribute types the format can hold."""
    import networkx as nx

    from valuechain.analysis.graph import build_graph

    g = build_graph(ds, weight=weight)
    ent = enterprise_table(ds, w).set_index("id")
    for node, attrs in g.nodes(data=True):
        rec = {**attrs, **ent.loc[node].to_dict()} if node in ent.index else dict(attrs)
        new = _graph_attrs(rec, fmt)
        if fmt == "gexf" and "lat" in new and "lon" in new:
            new["viz"] = {"position": {"x": new["lon"], "y": new["lat"], "z": 0.0}}
        attrs.clear()
        attrs.update(new)
    chain_of = ds.product_attribute("chain")
    status = product_status(ds, w).set_index("product")["status"]
    for _s, _t, attrs in g.edges(data=True):
        codes = [c for c in attrs.get("product", "").split(";") if c]
        attrs["chain"] = chain_of.get(codes[0], "") if codes else ""
        attrs["product_status"] = ";".join(status.get(c, "") for c in codes)
        new = _graph_attrs(attrs, fmt)
        attrs.clear()
        attrs.update(new)
    g.graph = {k: v for k, v in g.graph.items() if v is not None}  # no null in either format
    buf = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(g, buf)
    else:
        nx.write_graphml(g, buf)
    return buf.getvalue(), {"parallel_links_merged": len(ds.links) - g.number_of_edges()}


def _graph_attrs(rec: dict, fmt: str) -> dict:
    """Attributes a graph format can hold: lists become `;`-joined text, numpy types
    plain Python, missing values are left out (GEXF and GraphML have no null)."""
    out = {}
    for key, value in rec.items():
        if key in _GRAPH_OWN:  # a user column so named keeps its data under key_
            key += "_"
        value = plain(value)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if isinstance(value, list):
            value = ";".join(str(v) for v in value)
        if isinstance(value, int) and not isinstance(value, bool):
            value = float(value) if key in _FLOAT_KEYS else value
        out[key] = value
    if "lon" in out and "lat" in out:
        out["x"], out["y"] = out["lon"], out["lat"]
    return out


# Attribute names the graph formats (and valuechain's positions) give a meaning
# of their own: GEXF's viz, and x / y, which valuechain sets from lon / lat.
_GRAPH_OWN = {"x", "y", "z", "size", "viz", "color", "shape", "thickness"}

# Columns that are numbers of any size: always written as floats so that each
# attribute has one type across nodes (GraphML declares a type per key).
_FLOAT_KEYS = {
    "lat",
    "lon",
    "capacity",
    "output_value",
    "employees",
    "land_ha",
    "volume",
    "value",
    "weight",
    "nearest_km",
    "local_out_share",
    "top_buyer_share",
    "local_in_share",
    "candidates",
    "buyers",
    "year",
}
