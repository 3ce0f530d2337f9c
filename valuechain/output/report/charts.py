"""Charts for the report, each `f(data, *, ax=None, lang=...) -> (fig, ax)`.

Each chart is made in two steps: `*_spec` turns an analysis frame into plain
data (labels, numbers, colours, text in the reader's language), and
`drawing` draws that with matplotlib. matplotlib is imported only when a chart
is drawn, not when this module is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from valuechain.analysis.coupling import WEAK_SCORE
from valuechain.i18n import VI, Language, t
from valuechain.i18n.numbers import percent_text
from valuechain.output.formats import value_text, weight_unit
from valuechain.output.palette import GAP_COLOUR, LOCAL_COLOUR, OK_COLOUR, TYPE_STYLE, chain_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "coupling_chart",
    "coupling_spec",
    "flows_chart",
    "flows_spec",
    "key_sector_chart",
    "key_sector_spec",
    "trend_chart",
    "trend_spec",
    "occupancy_chart",
    "occupancy_spec",
    "png_bytes",
    "to_svg",
]

WEAK_COLOUR = GAP_COLOUR
EXTERNAL_COLOUR = TYPE_STYLE["external"][0]
KEY_SECTOR_COLOURS = {
    "key": WEAK_COLOUR,
    "backward": OK_COLOUR,
    "forward": LOCAL_COLOUR,
    "weak": "#888888",
}


def _floats(values: pd.Series) -> list[float]:
    return [float(v) for v in values]


def _labels(values: pd.Series) -> list[str]:
    return [str(v) for v in values]


def coupling_spec(coupling: pd.DataFrame, *, lang: Language = VI) -> dict:
    """What the coupling chart draws: chains by score, those below 50 marked weak.

    `coupling` is `coupling.chain_coupling`'s frame. Chains without a score are
    left out.
    """
    data = coupling.dropna(subset=["coupling_score"]).sort_values("coupling_score")
    scores = _floats(data["coupling_score"])
    return {
        "labels": _labels(data["chain"]),
        "scores": scores,
        "weak": [score < WEAK_SCORE for score in scores],
        "weak_score": WEAK_SCORE,
        "weak_colour": WEAK_COLOUR,
        "ok_colour": OK_COLOUR,
        "weak_text": t("chart_weak_line", lang),
        "xlabel": t("col_coupling_score", lang),
        "title": t("chart_coupling", lang),
    }


def flows_spec(flows: pd.DataFrame, *, lang: Language = VI, weight: str = "value") -> dict:
    """What the flows chart draws: per chain, weight of links to local buyers and to
    outside. `flows` has columns `chain, local, external` (`coupling.chain_flows`)."""
    data = flows.assign(total=flows["local"] + flows["external"]).sort_values("total")
    return {
        "labels": _labels(data["chain"]),
        "local": _floats(data["local"]),
        "external": _floats(data["external"]),
        "local_colour": LOCAL_COLOUR,
        "external_colour": EXTERNAL_COLOUR,
        "local_text": t("chart_local", lang),
        "external_text": t("chart_external", lang),
        "xlabel": t(
            "chart_flow_axis", lang, weight=value_text(weight, lang), unit=weight_unit(weight, lang)
        ),
        "lang": lang,
        "title": t("chart_flows", lang),
    }


def value_spec(stages: pd.DataFrame, chain: str, *, lang: Language = VI) -> dict:
    """What a chain's value chart draws (the flows chart's stacked bars): per
    stage, first stage on top, the value added in the region and the inputs
    bought outside. `stages` is the chain's rows of `value_added(by="stage")`;
    a negative value added is drawn as 0 (the table and the sentence say it)."""
    data = stages.sort_values("stage", ascending=False)
    added = data["value_added"].clip(lower=0)
    return {
        "labels": [t("chart_stage", lang, n=int(s)) for s in data["stage"]],
        "local": _floats(added),
        "external": _floats(data["bought_outside"]),
        "local_colour": LOCAL_COLOUR,
        "external_colour": EXTERNAL_COLOUR,
        "local_text": t("chart_value_added", lang),
        "external_text": t("chart_bought_outside", lang),
        "xlabel": t("chart_value_axis", lang),
        # the bars end before 70 % of the width: the legend has the right-hand side
        "xmax": 1.45 * max([1.0, *(added + data["bought_outside"])]),
        "legend": "upper right",
        "lang": lang,
        "title": t("chart_value", lang, chain=chain),
    }


def key_sector_spec(indices: pd.DataFrame, *, lang: Language = VI) -> dict:
    """What the key-sector chart draws: each sector's backward (BL) and forward (FL)
    linkage, coloured by class, and the quadrants' names. `indices` is
    `linkages.linkage_indices`'s frame."""
    if len(indices):
        lo = min(0.5, float(indices[["BL", "FL"]].min().min()) - 0.1)
        hi = max(1.5, float(indices[["BL", "FL"]].max().max()) + 0.1)
    else:
        lo, hi = 0.5, 1.5
    corners: tuple[tuple[float, float, str], ...] = (
        (0.98, 0.98, "key"),
        (0.98, 0.02, "backward"),
        (0.02, 0.98, "forward"),
        (0.02, 0.02, "weak"),
    )
    return {
        "bl": _floats(indices["BL"]),
        "fl": _floats(indices["FL"]),
        "colours": [KEY_SECTOR_COLOURS.get(c, "#888888") for c in indices["class"]],
        "names": [value_text(str(name), lang) for name in indices["sector"]],
        "lo": lo,
        "hi": hi,
        "quadrants": [
            (x, y, t("val_" + key, lang), KEY_SECTOR_COLOURS[key]) for x, y, key in corners
        ],
        "xlabel": t("col_BL", lang),
        "ylabel": t("col_FL", lang),
        "lang": lang,
        "title": t("chart_key_sectors", lang),
    }


def trend_spec(chains: pd.DataFrame, years: pd.DataFrame, *, lang: Language = VI) -> dict:
    """What the trend chart draws: each chain's coupling score by year, and the
    region's local share of sales (%). `chains` is `progress.chain_trend`, `years`
    is `progress.year_trend`."""
    colours = chain_colours(chains["chain"])
    lines = []
    for chain, part in chains.groupby("chain", sort=True):
        part = part.sort_values("year")
        lines.append(
            {
                "chain": str(chain),
                "years": [int(y) for y in part["year"]],
                "scores": _floats(part["coupling_score"]),
                "colour": colours[chain],
            }
        )
    return {
        "chains": lines,
        "years": [int(y) for y in years["year"]],
        "shares": _floats(100 * years["local_share"].astype(float)),
        "xticks": sorted(int(y) for y in years["year"].unique()),
        "weak_score": WEAK_SCORE,
        "ylabel": t("col_coupling_score", lang),
        "share_text": t("col_local_share", lang),
        "share_axis": t("col_local_share", lang) + " (%)",
        "title": t("chart_trend", lang),
    }


def occupancy_spec(clusters: pd.DataFrame, *, target: float = 0.6, lang: Language = VI) -> dict:
    """What the occupancy chart draws: each industrial cluster's occupancy (%),
    meeting `target` or not. `clusters` is `clusters.cluster_occupancy`."""
    data = clusters.dropna(subset=["occupancy"]).sort_values("occupancy")
    percent = _floats(100 * data["occupancy"])
    return {
        "labels": _labels(data["name"]),
        "percent": percent,
        "meets": [bool(m) for m in data["occupancy"] >= target],
        "ok_colour": OK_COLOUR,
        "short_colour": WEAK_COLOUR,
        "target": 100 * target,
        "target_text": t("chart_target", lang, p=percent_text(target, lang, 0)),
        "xmax": max(110.0, max(percent) + 10) if percent else 110.0,
        "xlabel": t("col_occupancy", lang) + " (%)",
        "lang": lang,
        "title": t("chart_occupancy", lang),
    }


def _draw(kind: str, spec: dict, ax: Axes | None) -> tuple[Figure, Axes]:
    from valuechain.output.report import drawing

    return drawing.draw(kind, spec, ax)


def coupling_chart(
    coupling: pd.DataFrame, *, ax: Axes | None = None, lang: Language = VI
) -> tuple[Figure, Axes]:
    """Horizontal bars of each chain's coupling score, weak chains (< 50) marked.

    `coupling` is `coupling.chain_coupling`'s frame. Chains without a score are
    left out.
    """
    return _draw("coupling", coupling_spec(coupling, lang=lang), ax)


def flows_chart(
    flows: pd.DataFrame, *, ax: Axes | None = None, lang: Language = VI, weight: str = "value"
) -> tuple[Figure, Axes]:
    """Stacked bars per chain: weight of links from enterprises to local buyers and to
    outside. `flows` has columns `chain, local, external` (`coupling.chain_flows`)."""
    return _draw("flows", flows_spec(flows, lang=lang, weight=weight), ax)


def key_sector_chart(
    indices: pd.DataFrame, *, ax: Axes | None = None, lang: Language = VI
) -> tuple[Figure, Axes]:
    """The classic key-sector chart: backward (BL) against forward (FL) linkage, with
    quadrant lines at 1 and each quadrant's class named. `indices` is
    `linkages.linkage_indices`'s frame."""
    return _draw("key_sectors", key_sector_spec(indices, lang=lang), ax)


def trend_chart(
    chains: pd.DataFrame, years: pd.DataFrame, *, ax: Axes | None = None, lang: Language = VI
) -> tuple[Figure, Axes]:
    """Coupling score of each chain by year (lines, weak below the dashed line at 50),
    and the region's local share of sales (thick black, right-hand axis).

    `chains` is `progress.chain_trend`, `years` is `progress.year_trend`.
    """
    return _draw("trend", trend_spec(chains, years, lang=lang), ax)


def occupancy_chart(
    clusters: pd.DataFrame, *, target: float = 0.6, ax: Axes | None = None, lang: Language = VI
) -> tuple[Figure, Axes]:
    """Occupancy of each industrial cluster, with the target as a vertical line;
    clusters meeting it in blue, the others in vermilion. `clusters` is
    `clusters.cluster_occupancy`."""
    return _draw("occupancy", occupancy_spec(clusters, target=target, lang=lang), ax)


def to_svg(fig: Figure, *, salt: str = "valuechain") -> str:
    """The figure as an inline SVG element; see `drawing.to_svg`."""
    from valuechain.output.report.drawing import to_svg

    return to_svg(fig, salt=salt)


def png_bytes(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (for pasting into Word)."""
    from valuechain.output.report.drawing import png_bytes

    return png_bytes(fig, dpi=dpi)
