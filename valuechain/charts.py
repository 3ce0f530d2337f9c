"""Charts for the report, each `f(data, *, ax=None, lang=...) -> (fig, ax)` (STYLE §7).

They never touch pyplot's global state: figures are made with
`matplotlib.figure.Figure`, so they work under any backend and in threads.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .coupling import WEAK_SCORE
from .i18n import t
from .output import value_text
from .palette import GAP_COLOUR, LOCAL_COLOUR, OK_COLOUR, TYPE_STYLE, chain_colours

__all__ = [
    "coupling_chart",
    "flows_chart",
    "key_sector_chart",
    "trend_chart",
    "occupancy_chart",
    "png_bytes",
    "to_svg",
]

WEAK_COLOUR = GAP_COLOUR
EXTERNAL_COLOUR = TYPE_STYLE["external"][0]


def _axes(
    ax: Axes | None,
    size: tuple[float, float],
    *,
    labels: pd.Series | None = None,
    right: float = 0.97,
) -> tuple[Figure, Axes]:
    """A new figure and axes unless `ax` is given.

    Margins are set from the longest tick label (`labels`, for horizontal bars)
    rather than by a layout engine: constrained layout costs a second draw of
    every chart, most of a chart's rendering time.
    """
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size)
    longest = int(labels.astype(str).str.len().max()) if labels is not None and len(labels) else 6
    left = min(0.5, 0.06 + 0.075 * longest * 0.95 / size[0])
    bottom = min(0.3, 0.55 / size[1])
    top = 1 - min(0.2, 0.4 / size[1])
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
    return fig, fig.add_subplot()


def coupling_chart(
    coupling: pd.DataFrame, *, ax: Axes | None = None, lang: str = "vi"
) -> tuple[Figure, Axes]:
    """Horizontal bars of each chain's coupling score, weak chains (< 50) marked.

    `coupling` is `coupling.chain_coupling`'s frame. Chains without a score are
    left out.
    """
    data = coupling.dropna(subset=["coupling_score"]).sort_values("coupling_score")
    fig, ax = _axes(ax, (7.5, 0.35 * max(len(data), 3) + 1.2), labels=data["chain"])
    weak = data["coupling_score"] < WEAK_SCORE
    ax.barh(
        data["chain"],
        data["coupling_score"],
        color=np.where(weak, WEAK_COLOUR, OK_COLOUR),
        hatch=None,
    )
    for y, (score, is_weak) in enumerate(zip(data["coupling_score"], weak, strict=True)):
        ax.text(
            score + 1,
            y,
            f"{score:.0f}" + (" ⚠" if is_weak else ""),
            va="center",
            fontsize=8,
            color=WEAK_COLOUR if is_weak else "#222222",
        )
    ax.axvline(WEAK_SCORE, color="#444444", linestyle="--", linewidth=1)
    ax.text(
        WEAK_SCORE,
        len(data) - 0.4,
        " " + t("chart_weak_line", lang),
        fontsize=8,
        color="#444444",
        va="bottom",
    )
    ax.set_xlim(0, 105)
    ax.set_xlabel(t("col_coupling_score", lang))
    ax.set_title(t("chart_coupling", lang), loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def flows_chart(
    flows: pd.DataFrame, *, ax: Axes | None = None, lang: str = "vi", weight: str = "value"
) -> tuple[Figure, Axes]:
    """Stacked bars per chain: weight of links from enterprises to local buyers and to
    outside. `flows` has columns `chain, local, external` (`coupling.chain_flows`)."""
    data = flows.assign(total=flows["local"] + flows["external"]).sort_values("total")
    fig, ax = _axes(ax, (7.5, 0.35 * max(len(data), 3) + 1.2), labels=data["chain"])
    ax.barh(data["chain"], data["local"], color=LOCAL_COLOUR, label=t("chart_local", lang))
    ax.barh(
        data["chain"],
        data["external"],
        left=data["local"],
        color=EXTERNAL_COLOUR,
        label=t("chart_external", lang),
        hatch="//",
        edgecolor="#888888",
        linewidth=0,
    )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(t("chart_flow_axis", lang, weight=weight))
    ax.set_title(t("chart_flows", lang), loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def key_sector_chart(
    indices: pd.DataFrame, *, ax: Axes | None = None, lang: str = "vi"
) -> tuple[Figure, Axes]:
    """The classic key-sector chart: backward (BL) against forward (FL) linkage, with
    quadrant lines at 1 and each quadrant's class named. `indices` is
    `linkages.linkage_indices`'s frame."""
    fig, ax = _axes(ax, (6.5, 5.2), labels=pd.Series(["1.2"]))
    colours = {
        "key": WEAK_COLOUR,
        "backward": OK_COLOUR,
        "forward": LOCAL_COLOUR,
        "weak": "#888888",
    }
    ax.scatter(
        indices["BL"],
        indices["FL"],
        s=60,
        c=[colours.get(c, "#888888") for c in indices["class"]],
        zorder=3,
    )
    for bl, fl, name in zip(indices["BL"], indices["FL"], indices["sector"], strict=True):
        ax.annotate(
            value_text(str(name), lang),
            (bl, fl),
            textcoords="offset points",
            xytext=(5, 4),
            fontsize=8,
        )
    ax.axvline(1, color="#444444", linewidth=1)
    ax.axhline(1, color="#444444", linewidth=1)
    lo = min(0.5, float(indices[["BL", "FL"]].min().min()) - 0.1) if len(indices) else 0.5
    hi = max(1.5, float(indices[["BL", "FL"]].max().max()) + 0.1) if len(indices) else 1.5
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    for x, y, key in (
        (0.98, 0.98, "key"),
        (0.98, 0.02, "backward"),
        (0.02, 0.98, "forward"),
        (0.02, 0.02, "weak"),
    ):
        ax.text(
            x,
            y,
            t("val_" + key, lang),
            transform=ax.transAxes,
            ha="right" if x > 0.5 else "left",
            va="top" if y > 0.5 else "bottom",
            fontsize=9,
            color=colours[key],
        )
    ax.set_xlabel(t("col_BL", lang))
    ax.set_ylabel(t("col_FL", lang))
    ax.set_title(t("chart_key_sectors", lang), loc="left", fontsize=11)
    return fig, ax


def to_svg(fig: Figure) -> str:
    """The figure as an inline SVG element (text kept as text, so it prints sharply).

    Text is XML-escaped by matplotlib's SVG writer, so labels from the data
    cannot inject markup."""
    buf = io.StringIO()
    with _rc({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg")
    text = buf.getvalue()
    return text[text.index("<svg") :]


def png_bytes(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (for pasting into Word)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _rc(params: dict):
    import matplotlib

    return matplotlib.rc_context(params)


def trend_chart(
    chains: pd.DataFrame, years: pd.DataFrame, *, ax: Axes | None = None, lang: str = "vi"
) -> tuple[Figure, Axes]:
    """Coupling score of each chain by year (lines, weak below the dashed line at 50),
    and the region's local share of sales (thick black, right-hand axis).

    `chains` is `progress.chain_trend`, `years` is `progress.year_trend`.
    """
    fig, ax = _axes(ax, (7.5, 4.6), labels=pd.Series(["100"]), right=0.72)
    colours = chain_colours(chains["chain"])
    for chain, part in chains.groupby("chain", sort=True):
        part = part.sort_values("year")
        ax.plot(
            part["year"],
            part["coupling_score"],
            marker="o",
            linewidth=1.5,
            color=colours[chain],
            label=str(chain),
        )
    ax.axhline(WEAK_SCORE, color="#444444", linestyle="--", linewidth=1)
    ax.set_ylim(0, 105)
    ax.set_ylabel(t("col_coupling_score", lang))
    ax.set_xticks(sorted(years["year"].unique()) if len(years) else [])
    share = ax.twinx()
    share.plot(
        years["year"],
        100 * years["local_share"].astype(float),
        color="#000000",
        linewidth=3,
        marker="s",
        label=t("col_local_share", lang),
    )
    share.set_ylim(0, 105)
    share.set_ylabel(t("col_local_share", lang) + " (%)")
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.12, 1.0))
    share.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_title(t("chart_trend", lang), loc="left", fontsize=11)
    return fig, ax


def occupancy_chart(
    clusters: pd.DataFrame, *, target: float = 0.6, ax: Axes | None = None, lang: str = "vi"
) -> tuple[Figure, Axes]:
    """Occupancy of each industrial cluster, with the target as a vertical line;
    clusters meeting it in blue, the others in vermilion. `clusters` is
    `clusters.cluster_occupancy`."""
    data = clusters.dropna(subset=["occupancy"]).sort_values("occupancy")
    fig, ax = _axes(ax, (7.5, 0.45 * max(len(data), 3) + 1.2), labels=data["name"])
    meets = data["occupancy"] >= target
    ax.barh(data["name"], 100 * data["occupancy"], color=np.where(meets, OK_COLOUR, WEAK_COLOUR))
    for y, occ in enumerate(data["occupancy"]):
        ax.text(100 * occ + 1, y, f"{100 * occ:.0f}%", va="center", fontsize=8)
    ax.axvline(100 * target, color="#444444", linestyle="--", linewidth=1)
    ax.text(
        100 * target,
        0.01,
        " " + t("chart_target", lang, p=f"{100 * target:.0f}"),
        fontsize=8,
        va="bottom",
        transform=ax.get_xaxis_transform(),  # x in data, y in axes: inside, at the foot
    )
    ax.set_xlim(0, max(110, float(100 * data["occupancy"].max()) + 10) if len(data) else 110)
    ax.set_xlabel(t("col_occupancy", lang) + " (%)")
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(t("chart_occupancy", lang), loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax
