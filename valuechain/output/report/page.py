"""The planner's report: one self-contained HTML file to read, print and attach.

The page is `report.html`, a Jinja2 template with autoescaping: every data
value is escaped by the template, never by hand. Charts are inline SVG drawn
by matplotlib (`drawing`), in a `worker.ChartWorker` process when the caller
gives one (the command line does: it keeps the sample's report within a
second), else here; the page is the same either way. It carries a
Content-Security-Policy that forbids any request.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from valuechain.analysis.coupling import chain_coupling, chain_flows
from valuechain.analysis.products import STATUSES, missing_stages, product_status
from valuechain.analysis.shares import local_sales_share
from valuechain.analysis.suggest import suggest_links
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.errors import DataError
from valuechain.i18n import VI, Language, t
from valuechain.loading.dataset import Dataset
from valuechain.output.formats import (
    cell_text,
    chain_display_names,
    date_text,
    display_names,
    header_text,
    number_text,
    percent_text,
    value_text,
    weight_unit,
    with_names,
)
from valuechain.output.html import CSP, page_template, write_atomic
from valuechain.output.report import charts
from valuechain.output.report.model import Report
from valuechain.output.report.worker import ChartWorker, draw_here

__all__ = ["ReportOptions", "build_report", "render_report", "write_report", "save_report"]


@dataclass(frozen=True)
class ReportOptions:
    """How to write the report: the weight rule, the language, rows per table,
    a folder for the charts as PNG files (for Word), suggestions listed."""

    weight: str = "auto"
    lang: Language = VI
    max_rows: int = 40
    charts_dir: str | None = None
    suggestions: int = 20
    docx: str | None = None  # also write the report as a Word document here

    def __post_init__(self) -> None:  # "en" as typed becomes the language it names
        object.__setattr__(self, "lang", Language(self.lang))


@dataclass
class _Page:
    """What the template shows, built section by section; charts are drawn as
    they are added, their PNGs kept for `charts_dir`."""

    lang: Language
    max_rows: int
    png: bool
    worker: ChartWorker | None = None
    names: dict[str, Any] = field(default_factory=dict)  # codes shown by name (chains, products)
    sections: list[dict] = field(default_factory=list)
    appendix: list[dict] = field(default_factory=list)  # blocks shown after every section
    counts: dict[str, int] = field(default_factory=dict)  # rows of each action list
    pngs: dict[str, bytes] = field(default_factory=dict)
    place: int = 0  # where the sections now made go on the page (`in_order`)
    _pending: list[tuple[dict, str, dict]] = field(default_factory=list)

    def section(self, title_key: str, explain: str | None = None) -> list[dict]:
        blocks: list[dict] = []
        if explain:
            blocks.append({"kind": "text", "cls": "explain", "text": explain})
        self.sections.append(
            {"title": t(title_key, self.lang), "blocks": blocks, "place": self.place}
        )
        return blocks

    def in_order(self) -> None:
        """Put the sections in their page order (`place`), each place's in the
        order they were made (the sort is stable)."""
        self.sections.sort(key=lambda section: section["place"])

    def figure(self, name: str, kind: str, spec: dict) -> dict:
        """A figure block, drawn by `draw_figures` (by the worker meanwhile)."""
        if self.worker is not None:
            self.worker.submit(name, kind, spec, png=self.png)
        block = {"kind": "figure", "name": name, "svg": ""}
        self._pending.append((block, kind, spec))
        return block

    def draw_figures(self) -> None:
        from markupsafe import Markup

        for block, kind, spec in self._pending:
            name = block["name"]
            if self.worker is not None:
                svg, png = self.worker.result(name, kind, spec, png=self.png)
            else:
                svg, png = draw_here(name, kind, spec, png=self.png)
            block["svg"] = Markup(svg)  # matplotlib's SVG: its text is escaped
            if png is not None:
                self.pngs[name] = png

    def table(self, frame: pd.DataFrame, *, more_hint: str = "", weak_column=None) -> dict:
        """A table block: headers and cells as the reader's language writes them,
        cut at `max_rows` with a count of the rest."""
        lang = self.lang
        numeric = {
            c
            for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        }
        rows = [
            {
                "weak": bool(weak_column and rec.get(weak_column) is True),
                "cells": [
                    {"text": cell_text(v, lang, 80, str(c)), "num": c in numeric}
                    for c, v in rec.items()
                ],
            }
            for rec in with_names(frame.head(self.max_rows), self.names).to_dict("records")
        ]
        more = ""
        if len(frame) > self.max_rows:
            n = number_text(len(frame) - self.max_rows, lang)
            more = t("report_more", lang, n=n) + more_hint
        return {
            "kind": "table",
            "headers": [header_text(str(c), lang) for c in frame.columns],
            "rows": rows,
            "more": more,
            "empty": t("nothing", lang),
        }


def _headline(ds: Dataset, a: dict, lang: Language) -> tuple[list[dict], str]:
    """The figure cards and the line naming the weak chains."""
    local_share = a["local_share"]
    weak = a["weak"]
    cards = [
        (len(ds.enterprises), t("col_enterprises", lang), False),
        (len(ds.links), t("report_links", lang), False),
        (
            "–" if local_share is None else percent_text(local_share, lang, 0),
            t("col_local_share", lang),
            local_share is not None and local_share < 0.5,
        ),
        (len(a["unlinked"]), t("map_unlinked_producer", lang), len(a["unlinked"]) > 0),
        (len(weak), t("report_weak_chains", lang), len(weak) > 0),
        (len(a["stages"]), t("report_missing_stages", lang), len(a["stages"]) > 0),
        (ds.report.rejected_rows, t("report_rejected", lang), ds.report.rejected_rows > 0),
    ]
    chain_name = chain_display_names(ds, lang)
    shown = ", ".join(str(chain_name.get(c, c)) for c in weak)
    note = t("report_weak_list", lang, chains=shown) if weak else ""
    return [{"n": n, "label": label, "gap": gap} for n, label, gap in cards], note


def _said(a: dict, page: _Page, lang: Language) -> str:
    """What the report shows, in one line: weak chains, unlinked producers and
    the length of each action list."""
    weak = ", ".join(str(page.names["chain"].get(c, c)) for c in a["weak"]) or "–"
    return t(
        "report_said",
        lang,
        weak=weak,
        n_weak=len(a["weak"]),
        unlinked=number_text(len(a["unlinked"]), lang),
        connect=number_text(a.get("n_connect", 0), lang),
        attract=number_text(a.get("n_attract", 0), lang),
    )


def _listings(ds: Dataset, w: pd.Series, options: ReportOptions) -> dict:
    """The listings the report shows, on the whole dataset."""
    unlinked = unlinked_producers(ds)
    return {
        "unlinked": unlinked,
        "flags": enterprise_flags(ds, w),
        "products": product_status(ds, w),
        "stages": missing_stages(ds),
        "suggestions": suggest_links(ds, w, top=options.suggestions or None, unlinked=unlinked),
        "local_share": local_sales_share(ds.links, w),
    }


# The actions shown in the body; the rest of each list is in the appendix.
IN_BODY = 10


def _priorities_section(
    page: _Page, ds: Dataset, w: pd.Series, weight: str, coupling: pd.DataFrame
) -> None:
    """What to do first: the producers to connect with a local buyer and the
    plants to attract, with what is at stake (the firms to protect follow): the
    first `IN_BODY` of each list here, the rest in the appendix."""
    from valuechain.analysis.priorities import priorities
    from valuechain.output.formats import priority_view

    lang = page.lang
    blocks = page.section("report_h_priorities", t("report_x_priorities", lang))
    frame = priorities(ds, w, actions=("connect", "attract"), top=None, coupling=coupling)
    for action in ("connect", "attract"):
        rows = priority_view(frame, action)
        page.counts[action] = len(rows)
        title = t("prio_h_" + action, lang) + f" ({weight_unit(weight, lang)})"
        blocks.append({"kind": "text", "cls": "sub", "text": title})
        blocks.append(page.table(rows.head(IN_BODY)))
        if len(rows) > IN_BODY:
            rest = len(rows) - IN_BODY
            hint = t("report_rest_in_appendix", lang, n=number_text(rest, lang))
            blocks.append({"kind": "text", "cls": "more", "text": hint})
            page.appendix.append({"kind": "text", "cls": "sub", "text": title})
            page.appendix.append(
                page.table(rows.iloc[IN_BODY:], more_hint=_in_workbook("xl_priorities", lang))
            )


def _districts_section(page: _Page, ds: Dataset, w: pd.Series, weak: list[str]) -> None:
    """One row per district, so that each can be briefed with its own figures."""
    from valuechain.analysis.districts import district_table

    lang = page.lang
    blocks = page.section("report_h_districts", t("report_x_districts", lang))
    blocks.append(page.table(district_table(ds, w, weak)))


def _in_workbook(sheet_key: str, lang: Language) -> str:
    """Where the rest of a list is: the sheet of the workbook export."""
    return t("report_more_sheet", lang, sheet=t(sheet_key, lang))


def _protect_section(page: _Page, ds: Dataset, w: pd.Series) -> None:
    """The enterprises whose closure would cost the region most, and who depends
    on them (up to `IN_DOCUMENTS` enterprises; beyond, the section says why not)."""
    from valuechain.analysis.critical import IN_DOCUMENTS, PROTECT_RISK, critical_enterprises

    lang = page.lang
    blocks = page.section("report_h_protect", t("report_x_protect", lang))
    if len(ds.enterprises) > IN_DOCUMENTS:
        n, limit = number_text(len(ds.enterprises), lang), number_text(IN_DOCUMENTS, lang)
        text = t("report_protect_large", lang, n=n, limit=limit)
        blocks.append({"kind": "text", "cls": "more", "text": text})
        return
    frame, _ = critical_enterprises(ds, w)  # every enterprise, up to IN_DOCUMENTS
    shown = frame.loc[frame["risk"] >= PROTECT_RISK].drop(columns=["id"])  # names, not codes
    blocks.append(page.table(shown, more_hint=_in_workbook("xl_critical", lang)))
    text = t("report_protect_every", lang, n=number_text(len(ds.enterprises), lang))
    blocks.append({"kind": "text", "cls": "more", "text": text})


def _chains_section(page: _Page, coupling: pd.DataFrame, flows: pd.DataFrame, weight: str) -> None:
    lang = page.lang
    blocks = page.section("report_h_chains", t("report_x_chains", lang))
    if coupling["coupling_score"].notna().any():
        blocks.append(
            page.figure(
                "coupling",
                "coupling",
                charts.coupling_spec(with_names(coupling, page.names), lang=lang),
            )
        )
    blocks.append(page.table(coupling, weak_column="weak"))
    if not flows.empty:
        spec = charts.flows_spec(with_names(flows, page.names), lang=lang, weight=weight)
        blocks.append(page.figure("flows", "flows", spec))


def _value_section(page: _Page, ds: Dataset, weak: list[str]) -> None:
    """Where the value is made: a chart and a sentence per weak chain, then every
    chain's local content and raw leakage (the `value --by chain` figures)."""
    from valuechain.analysis.value import value_by_stage_and_chain
    from valuechain.errors import DataError

    lang = page.lang
    try:
        stages, chains = value_by_stage_and_chain(ds)
    except DataError:
        return  # no values: nothing to say about value
    blocks = page.section("report_h_value", t("report_x_value", lang))
    chain_name = page.names.get("chain", {})
    product_name = page.names.get("product", {})
    catalog = ds.products.drop_duplicates("code")
    for chain in weak:
        mine = stages[stages["chain"] == chain]
        row = chains[chains["chain"] == chain]
        if mine.empty or row.empty:
            continue
        name = str(chain_name.get(chain, chain))
        spec = charts.value_spec(mine, name, lang=lang)
        blocks.append(page.figure(f"value_{chain}", "flows", spec))
        first = catalog.loc[(catalog["chain"] == chain) & (catalog["stage"] == 1), "code"]
        raw = [str(product_name.get(p, p)) for p in first]
        sentence = _value_sentence(row.iloc[0], name, lang, raw)
        blocks.append({"kind": "text", "cls": "", "text": sentence})
    blocks.append(page.table(chains, more_hint=_in_workbook("xl_value_chain", lang)))


def _value_sentence(row: pd.Series, chain: str, lang: Language, raw: list[str]) -> str:
    """The chain's value in one sentence ("of each 100 đồng the timber chain
    sells, 74 are added in the province; 76 % of its raw output leaves
    unprocessed"), or what can be said of it."""
    content, leakage = row["local_content"], row["raw_leakage"]
    if pd.isna(content):
        return t("report_value_unmeasured", lang, chain=chain)
    n = number_text(100 * float(content), lang)
    if pd.isna(leakage):
        return t("report_value_no_raw", lang, chain=chain, n=n)
    share = percent_text(float(leakage), lang, 0)
    return t("report_value_sentence", lang, chain=chain, n=n, share=share, raw=", ".join(raw))


def _progress_sections(page: _Page, ds: Dataset, weight: str) -> None:
    """Progress over the years (two or more years of links) and the clusters."""
    from valuechain.analysis.clusters import cluster_occupancy, occupancy_target
    from valuechain.analysis.progress import trends

    lang = page.lang
    if len(ds.years) >= 2:
        years, chains = trends(ds.pooled(), weight=weight)
        blocks = page.section("report_h_progress", t("report_x_progress", lang))
        spec = charts.trend_spec(with_names(chains, page.names), years, lang=lang)
        blocks.append(page.figure("progress", "trend", spec))
        blocks.append(page.table(years))
        _backtest_section(page, ds)
    occupancy = cluster_occupancy(ds)
    if len(occupancy):
        blocks = page.section("report_h_clusters", _clusters_text(ds, lang))
        if occupancy["occupancy"].notna().any():
            spec = charts.occupancy_spec(occupancy, target=occupancy_target(ds), lang=lang)
            blocks.append(page.figure("clusters", "occupancy", spec))
        blocks.append(page.table(occupancy))


def _backtest_section(page: _Page, ds: Dataset) -> None:
    """How many of the suggestions of the survey before the last came true by the
    last: the evidence score beside the nearest-buyer rule and chance."""
    from valuechain.analysis.backtest import backtest

    lang = page.lang
    first, last = ds.years[-2], ds.years[-1]
    frame = backtest(ds, pairs=[(first, last)], ks=(10, 50))
    score = frame[(frame["method"] == "score") & (frame["k"] == 10)].iloc[0]
    nearest = frame[(frame["method"] == "nearest") & (frame["k"] == 10)].iloc[0]
    chance = frame[(frame["method"] == "random") & (frame["k"] == 10)].iloc[0]
    text = t(
        "report_x_backtest",
        lang,
        first=first,
        last=last,
        new=number_text(int(score["new_links"]), lang),
        hits=round(10 * score["precision"]),
        nearest=round(10 * nearest["precision"]),
        chance=number_text(10 * chance["precision"], lang, 1),
    )
    blocks = page.section("report_h_backtest", text)
    view = frame.drop(columns=["from", "to", "new_links", "new_between_known"])
    blocks.append(page.table(view))


def _clusters_text(ds: Dataset, lang: Language) -> str:
    """What the clusters are measured against: the plan the dataset's `about`
    table names (with its targets), else the target alone; no plan is cited
    that the dataset does not name."""
    from valuechain.analysis.clusters import occupancy_target

    target = percent_text(occupancy_target(ds), lang, 0)
    plan = ds.told("plan", lang)
    if plan is None:
        return t("report_x_clusters_generic", lang, target=target)
    count = ds.about.get("cluster_count")
    text = t("report_x_clusters", lang, plan=plan, target=target)
    if count:
        text += " " + t("report_x_clusters_count", lang, n=count)
    return text


def _linkages_section(page: _Page, ds: Dataset) -> None:
    from valuechain.analysis.linkages import linkage_indices

    lang = page.lang
    blocks = page.section("report_h_linkages", t("report_x_linkages", lang))
    try:
        indices = linkage_indices(ds, by="type")
    except DataError as exc:
        blocks.append({"kind": "text", "cls": "more", "text": exc.text(lang)})
        return
    blocks.append(
        page.figure("key_sectors", "key_sectors", charts.key_sector_spec(indices, lang=lang))
    )
    blocks.append(page.table(indices))


SUGGEST_VIEW = [
    "source_name",
    "source_district",
    "target_name",
    "target_district",
    "product",
    "km",
    "value",
    "reason",
]


def _listing_sections(page: _Page, ds: Dataset, a: dict) -> None:
    """Unlinked producers, products by status, missing stages, suggestions,
    enterprise flags and the load report."""
    lang = page.lang
    blocks = page.section("report_h_unlinked", t("report_x_unlinked", lang))
    blocks.append(page.table(a["unlinked"], more_hint=_in_workbook("xl_unlinked", lang)))
    order = {s: i for i, s in enumerate(STATUSES)}
    by_status = a["products"].sort_values(
        ["status", "chain", "stage"], key=lambda c: c.map(order) if c.name == "status" else c
    )
    blocks = page.section("report_h_products")
    blocks.append(page.table(by_status, more_hint=_in_workbook("xl_products", lang)))
    blocks = page.section("report_h_stages", t("missing_stages_title", lang))
    blocks.append(page.table(a["stages"]))
    blocks = page.section("report_h_suggest", t("report_x_suggest", lang))
    # Who and where by name, as the command line's table shows them (codes are in csv).
    suggested = a["suggestions"][SUGGEST_VIEW].rename(columns={"value": "value_out"})
    blocks.append(page.table(suggested, more_hint=_in_workbook("xl_suggest", lang)))
    blocks = page.section("report_h_flags")
    flagged = a["flags"][a["flags"]["flags"].map(len) > 0]
    about = ds.enterprises.drop_duplicates("id").set_index("id")
    flagged = flagged.drop(columns=["id"]).assign(
        name=flagged["id"].map(about["name"]).to_numpy(),
        district=flagged["id"].map(about["district"]).to_numpy(),
    )
    flagged = flagged[["name", "district", *[c for c in flagged if c not in ("name", "district")]]]
    blocks.append(page.table(flagged, more_hint=_in_workbook("xl_flags", lang)))
    blocks = page.section("report_h_load")
    blocks.append(page.table(ds.report.frame(lang), more_hint=_in_workbook("xl_load", lang)))


def _template() -> Any:
    return page_template("valuechain.output.report", "report.html")


def build_report(
    ds: Dataset, options: ReportOptions, *, worker: ChartWorker | None = None
) -> Report:
    """Analyse the dataset and lay out the report (nothing is written here). The
    charts are drawn as PNG too when `options` asks for a charts folder or a
    Word document. With a `worker` the charts are drawn there while the
    analyses go on."""
    lang = options.lang
    png = options.charts_dir is not None or options.docx is not None
    page = _Page(lang, options.max_rows, png=png, worker=worker)
    page.names = display_names(ds, lang)
    weight, w, _ = resolve_weight(ds.links, options.weight)
    coupling = chain_coupling(ds, w)
    weak = coupling.loc[coupling["weak"].fillna(False).astype(bool), "chain"].tolist()
    # The sections with charts are made first, so that a worker draws while the
    # others are analysed; `place` is where each goes on the page.
    page.place = 3
    _chains_section(page, coupling, chain_flows(ds, w), weight)
    page.place = 4
    _value_section(page, ds, weak)
    page.place = 5
    _progress_sections(page, ds, weight)
    page.place = 6
    _linkages_section(page, ds)
    page.place = 0
    _priorities_section(page, ds, w, weight, coupling)
    page.place = 1
    _protect_section(page, ds, w)
    page.place = 2
    _districts_section(page, ds, w, weak)
    page.place = 7
    a = _listings(ds, w, options)
    a["weak"] = weak
    a["n_connect"], a["n_attract"] = page.counts.get("connect", 0), page.counts.get("attract", 0)
    _listing_sections(page, ds, a)
    if page.appendix:
        page.section("report_h_appendix").extend(page.appendix)
    page.in_order()
    page.draw_figures()
    cards, weak_note = _headline(ds, a, lang)
    sub = t(
        "report_sub",
        lang,
        weight=value_text(weight, lang),
        year="–" if ds.year is None else value_text(str(ds.year), lang),
        date=date_text(_dt.date.today(), lang),
        path=ds.source(lang),
    )
    return Report(
        lang=lang,
        title=t("report_title", lang, name=ds.label(lang)),
        sub=sub,
        illustrative=t("report_illustrative", lang) if ds.is_sample else "",
        cards=cards,
        weak_note=weak_note,
        sections=page.sections,
        pngs=page.pngs,
        said=_said(a, page, lang),
    )


def render_report(
    ds: Dataset, options: ReportOptions, *, worker: ChartWorker | None = None
) -> tuple[str, dict[str, bytes]]:
    """Return the report's HTML and, when `options.charts_dir` is set, each
    chart's PNG bytes by name (nothing is written here)."""
    report = build_report(ds, options, worker=worker)
    return _html(report), report.pngs


def _html(report: Report) -> str:
    return _template().render(
        lang=report.lang,
        csp=CSP,
        title=report.title,
        sub=report.sub,
        illustrative=report.illustrative,
        cards=report.cards,
        weak_note=report.weak_note,
        sections=report.sections,
    )


def write_report(
    ds: Dataset,
    path: str | Path,
    options: ReportOptions | None = None,
    *,
    worker: ChartWorker | None = None,
) -> tuple[Path, list[Path]]:
    """Write the report atomically, then its charts as PNGs to `charts_dir` and
    the Word document to `docx` when asked; return the report's path and the
    other files written. Nothing is written until the whole report is made;
    should a later file fail, the files already written are removed and the
    error raised. `options` defaults to `ReportOptions()`."""
    options = options or ReportOptions()
    return save_report(build_report(ds, options, worker=worker), path, options)


def save_report(
    report: Report, path: str | Path, options: ReportOptions
) -> tuple[Path, list[Path]]:
    """Write a report made by `build_report` (and its charts and Word document,
    as `options` asks), as `write_report` does."""
    word = None
    if options.docx is not None:
        from valuechain.output.report.docx import docx_bytes

        word = docx_bytes(report)
    written = [write_atomic(path, _html(report))]
    try:
        if options.charts_dir is not None:
            for name, data in report.pngs.items():
                written.append(write_atomic(Path(options.charts_dir) / f"{name}.png", data))
        if word is not None:
            written.append(write_atomic(Path(str(options.docx)), word))
    except BaseException:
        for done in written:
            done.unlink(missing_ok=True)
        raise
    return written[0], written[1:]
