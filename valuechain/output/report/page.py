"""The planner's report: one self-contained HTML file to read, print and attach.

Charts are inline SVG made from `charts`' specs, drawn by a `_chartproc.ChartWorker`
when the caller gives one (the command line does), else here; every data value
is HTML-escaped; the page carries a Content-Security-Policy that forbids any
request.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from valuechain.analysis.coupling import chain_coupling, chain_flows
from valuechain.analysis.products import STATUSES, missing_stages, product_status
from valuechain.analysis.shares import local_sales_share
from valuechain.analysis.suggest import suggest_links
from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.errors import DataError
from valuechain.i18n import t
from valuechain.loading.dataset import Dataset
from valuechain.output.formats import cell_text, header_text
from valuechain.output.html import CSP, esc, write_atomic
from valuechain.output.report import charts
from valuechain.output.report.worker import ChartWorker, draw_here

__all__ = ["ReportOptions", "render_report", "write_report"]

_CSS = """
body { font-family: "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: #222; margin: 0 auto;
  max-width: 1000px; padding: 16px 24px; line-height: 1.4; }
h1 { font-size: 24px; margin-bottom: 2px; } h2 { font-size: 18px; margin-top: 28px;
  border-bottom: 2px solid #0072B2; padding-bottom: 3px; }
.sub { color: #555; font-size: 13px; margin: 0; }
.illustrative { background: #FFF4E0; border-left: 4px solid #E69F00; padding: 6px 10px;
  font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.card .n { font-size: 22px; font-weight: 600; } .card .l { font-size: 12px; color: #555; }
.card.gap .n { color: #B03A00; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.weak td { color: #B03A00; font-weight: 600; }
.more { font-size: 12px; color: #555; font-style: italic; }
figure { margin: 10px 0; } figure svg { max-width: 100%; height: auto; }
.explain { font-size: 13px; color: #333; }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; }
  figure, table, .cards { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
"""


@dataclass(frozen=True)
class ReportOptions:
    weight: str = "auto"
    lang: str = "vi"
    max_rows: int = 40
    charts_dir: str | None = None
    suggestions: int = 20


def _table(
    frame: pd.DataFrame,
    lang: str,
    *,
    max_rows: int,
    more_hint: str = "",
    weak_column: str | None = None,
) -> str:
    """An HTML table of the frame, every cell escaped, cut at `max_rows` with a count."""
    if frame.empty:
        return f'<p class="more">{esc(t("nothing", lang))}</p>'
    shown = frame.head(max_rows)
    numeric = {
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    }
    head = "".join(f"<th>{esc(header_text(str(c), lang))}</th>" for c in frame.columns)
    rows = []
    for rec in shown.to_dict("records"):
        cls = ' class="weak"' if weak_column and rec.get(weak_column) is True else ""
        cells = "".join(
            f"<td{' class=num' if c in numeric else ''}>{esc(cell_text(v, lang, 80, str(c)))}</td>"
            for c, v in rec.items()
        )
        rows.append(f"<tr{cls}>{cells}</tr>")
    more = ""
    if len(frame) > max_rows:
        more = (
            f'<p class="more">{esc(t("report_more", lang, n=len(frame) - max_rows))}'
            f"{esc(more_hint)}</p>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


@dataclass(frozen=True)
class _Slot:
    """Where a chart goes in the page's parts, filled once every chart is drawn."""

    name: str


class _Charts:
    """The report's charts: sent to `worker` as soon as their data is ready (drawn
    there while the analyses go on), else drawn here at the end."""

    def __init__(self, worker: ChartWorker | None, charts_dir: str | None) -> None:
        self.worker = worker
        self.charts_dir = charts_dir
        self.jobs: list[tuple[str, str, dict]] = []

    def add(self, name: str, kind: str, spec: dict) -> _Slot:
        if self.worker is not None:
            self.worker.submit(name, kind, spec, png=self.charts_dir is not None)
        self.jobs.append((name, kind, spec))
        return _Slot(name)

    def figures(self) -> tuple[dict[str, str], list[Path]]:
        """Each chart's `<figure>` by name, and the PNGs written to `charts_dir`."""
        png = self.charts_dir is not None
        figures: dict[str, str] = {}
        saved: list[Path] = []
        for name, kind, spec in self.jobs:
            if self.worker is not None:
                svg, png_data = self.worker.result(name, kind, spec, png=png)
            else:
                svg, png_data = draw_here(name, kind, spec, png=png)
            if png_data is not None:
                saved.append(write_atomic(Path(self.charts_dir) / f"{name}.png", png_data))
            figures[name] = f'<figure data-chart="{esc(name)}">{svg}</figure>'
        return figures, saved


def _progress(ds: Dataset, weight: str, options: ReportOptions, figures: _Charts) -> list:
    """The Progress section (two or more years of links) and the clusters section."""
    from valuechain.analysis.clusters import cluster_occupancy
    from valuechain.analysis.progress import trends

    lang, parts = options.lang, []
    if len(ds.years) >= 2:
        pooled = ds.pooled()
        years, chains = trends(pooled, weight=weight)
        parts.append(f"<h2>{esc(t('report_h_progress', lang))}</h2>")
        parts.append(f'<p class="explain">{esc(t("report_x_progress", lang))}</p>')
        parts.append(figures.add("progress", "trend", charts.trend_spec(chains, years, lang=lang)))
        parts.append(_table(years, lang, max_rows=options.max_rows))
    occupancy = cluster_occupancy(ds)
    if len(occupancy):
        parts.append(f"<h2>{esc(t('report_h_clusters', lang))}</h2>")
        parts.append(f'<p class="explain">{esc(t("report_x_clusters", lang))}</p>')
        if occupancy["occupancy"].notna().any():
            spec = charts.occupancy_spec(occupancy, lang=lang)
            parts.append(figures.add("clusters", "occupancy", spec))
        parts.append(_table(occupancy, lang, max_rows=options.max_rows))
    return parts


def render_report(
    ds: Dataset, options: ReportOptions, *, worker: ChartWorker | None = None
) -> tuple[str, list[Path]]:
    """Return the report's HTML and the PNG files written to `charts_dir` (if any).

    With a `worker`, charts are drawn there, side by side with the analyses; the
    page is the same.
    """
    lang = options.lang
    figures = _Charts(worker, options.charts_dir)
    weight, w, _ = resolve_weight(ds.links, options.weight)
    coupling = chain_coupling(ds, w)
    flows = chain_flows(ds, w)
    # sent first, so that the worker draws them while the other analyses run
    coupling_figure = (
        figures.add("coupling", "coupling", charts.coupling_spec(coupling, lang=lang))
        if coupling["coupling_score"].notna().any()
        else None
    )
    flows_figure = (
        None
        if flows.empty
        else figures.add("flows", "flows", charts.flows_spec(flows, lang=lang, weight=weight))
    )
    progress = _progress(ds, weight, options, figures)
    try:
        from valuechain.analysis.linkages import linkage_indices

        indices = linkage_indices(ds, by="type")
        linkages = [
            figures.add("key_sectors", "key_sectors", charts.key_sector_spec(indices, lang=lang)),
            _table(indices, lang, max_rows=options.max_rows),
        ]
    except DataError as exc:
        linkages = [f'<p class="more">{esc(exc.text(lang))}</p>']
    unlinked = unlinked_producers(ds)
    flags = enterprise_flags(ds, w)
    products = product_status(ds, w)
    stages = missing_stages(ds)
    suggestions = suggest_links(ds, w, top=options.suggestions or None, unlinked=unlinked)

    local_share = local_sales_share(ds.links, w)
    weak = coupling.loc[coupling["weak"].fillna(False).astype(bool), "chain"].tolist()
    cards = [
        (len(ds.enterprises), t("col_enterprises", lang), False),
        (len(ds.links), t("report_links", lang), False),
        (
            "–" if local_share is None else f"{100 * local_share:.0f}%",
            t("col_local_share", lang),
            local_share is not None and local_share < 0.5,
        ),
        (len(unlinked), t("map_unlinked_producer", lang), len(unlinked) > 0),
        (len(weak), t("report_weak_chains", lang), len(weak) > 0),
        (len(stages), t("report_missing_stages", lang), len(stages) > 0),
        (ds.report.rejected_rows, t("report_rejected", lang), ds.report.rejected_rows > 0),
    ]
    card_html = "".join(
        f'<div class="card{" gap" if gap else ""}"><div class="n">{esc(n)}</div>'
        f'<div class="l">{esc(label)}</div></div>'
        for n, label, gap in cards
    )

    parts: list[str | _Slot] = []
    title = t("report_title", lang, name=ds.label(lang))
    year = "–" if ds.year is None else ds.year
    parts.append(f"<h1>{esc(title)}</h1>")
    sub = t(
        "report_sub",
        lang,
        weight=weight,
        year=year,
        date=_dt.date.today().isoformat(),
        path=ds.source(lang),
    )
    parts.append(f'<p class="sub">{esc(sub)}</p>')
    if ds.is_sample:
        parts.append(f'<p class="illustrative">{esc(t("report_illustrative", lang))}</p>')
    parts.append(f'<div class="cards">{card_html}</div>')
    if weak:
        parts.append(
            f'<p class="explain">{esc(t("report_weak_list", lang, chains=", ".join(weak)))}</p>'
        )  # noqa: E501

    parts.append(f"<h2>{esc(t('report_h_chains', lang))}</h2>")
    parts.append(f'<p class="explain">{esc(t("report_x_chains", lang))}</p>')
    if coupling_figure is not None:
        parts.append(coupling_figure)
    parts.append(_table(coupling, lang, max_rows=options.max_rows, weak_column="weak"))
    if flows_figure is not None:
        parts.append(flows_figure)

    parts.extend(progress)

    parts.append(f"<h2>{esc(t('report_h_linkages', lang))}</h2>")
    parts.append(f'<p class="explain">{esc(t("report_x_linkages", lang))}</p>')
    parts.extend(linkages)

    parts.append(f"<h2>{esc(t('report_h_unlinked', lang))}</h2>")
    parts.append(f'<p class="explain">{esc(t("report_x_unlinked", lang))}</p>')
    parts.append(
        _table(
            unlinked, lang, max_rows=options.max_rows, more_hint=" valuechain unlinked --format csv"
        )
    )

    parts.append(f"<h2>{esc(t('report_h_products', lang))}</h2>")
    order = {s: i for i, s in enumerate(STATUSES)}
    by_status = products.sort_values(
        ["status", "chain", "stage"], key=lambda c: c.map(order) if c.name == "status" else c
    )
    parts.append(
        _table(
            by_status, lang, max_rows=options.max_rows, more_hint=" valuechain gaps --format csv"
        )
    )
    parts.append(f"<h2>{esc(t('report_h_stages', lang))}</h2>")
    parts.append(f'<p class="explain">{esc(t("missing_stages_title", lang))}</p>')
    parts.append(_table(stages, lang, max_rows=options.max_rows))

    parts.append(f"<h2>{esc(t('report_h_suggest', lang))}</h2>")
    parts.append(f'<p class="explain">{esc(t("report_x_suggest", lang))}</p>')
    parts.append(_table(suggestions, lang, max_rows=options.max_rows))

    parts.append(f"<h2>{esc(t('report_h_flags', lang))}</h2>")
    flagged = flags[flags["flags"].map(len) > 0]
    parts.append(
        _table(flagged, lang, max_rows=options.max_rows, more_hint=" valuechain gaps --format json")
    )

    parts.append(f"<h2>{esc(t('report_h_load', lang))}</h2>")
    parts.append(
        _table(
            ds.report.frame(lang),
            lang,
            max_rows=options.max_rows,
            more_hint=" valuechain validate --format csv",
        )
    )

    drawn, saved = figures.figures()
    body = "".join(drawn[p.name] if isinstance(p, _Slot) else p for p in parts)
    html = (
        f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
        f'<body>{body}<script>document.body.setAttribute("data-ready","1")</script>'
        f"</body></html>"
    )
    return html, saved


def write_report(
    ds: Dataset,
    path: str | Path,
    options: ReportOptions | None = None,
    *,
    worker: ChartWorker | None = None,
) -> tuple[Path, list[Path]]:
    """Write the report atomically; return its path and any chart PNGs written.
    `options` defaults to `ReportOptions()` (Vietnamese, automatic weight)."""
    html, saved = render_report(ds, options or ReportOptions(), worker=worker)
    return write_atomic(path, html), saved
