"""Charts drawn from plain data: lists, numbers, strings and colours in, matplotlib
figures out.

`charts.py` turns the analyses' frames into these plain specs (what to draw, in
the reader's language, in which colours); this module only draws them.

Figures are made with `matplotlib.figure.Figure`, never pyplot, so they work
under any backend and in threads.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, ScalarFormatter

from valuechain.i18n.numbers import number_text, percent_text

__all__ = ["DRAW", "draw", "png_bytes", "render", "to_svg"]

TEXT_COLOUR = "#222222"
LINE_COLOUR = "#444444"
EDGE_COLOUR = "#888888"


def _axes(
    ax: Axes | None,
    size: tuple[float, float],
    *,
    longest: int = 6,
    right: float = 0.97,
) -> tuple[Figure, Axes]:
    """A new figure and axes unless `ax` is given.

    Margins are set from the longest tick label (`longest` characters, for
    horizontal bars) rather than by a layout engine: constrained layout costs a
    second draw of every chart, most of a chart's rendering time.
    """
    if ax is not None:
        return cast(Figure, ax.figure), ax
    fig = Figure(figsize=size)
    left = min(0.5, 0.06 + 0.075 * longest * 0.95 / size[0])
    bottom = min(0.3, 0.55 / size[1])
    top = 1 - min(0.2, 0.4 / size[1])
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
    return fig, fig.add_subplot()


def _title(ax: Axes, text: str) -> None:
    # y given, so matplotlib does not measure every tick label to see whether the
    # title must move up (a third of a chart's drawing time; none has ticks on top).
    ax.set_title(text, loc="left", fontsize=11, y=1.0)


def _longest(labels: list[str]) -> int:
    return max((len(label) for label in labels), default=6)


def _bar_height(n: int, per_bar: float) -> float:
    return per_bar * max(n, 3) + 1.2


class _DecimalComma(ScalarFormatter):
    """matplotlib's tick labels with a decimal comma (`0,8`), as Vietnamese writes them."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return super().__call__(x, pos).replace(".", ",")


def _decimal_mark(ax: Axes, lang: str) -> None:
    """Both axes' tick labels with the reader's decimal mark."""
    if lang == "vi":
        ax.xaxis.set_major_formatter(_DecimalComma())
        ax.yaxis.set_major_formatter(_DecimalComma())


def _category_ticks(ax: Axes, labels: list[str]) -> None:
    ax.set_yticks(range(len(labels)), labels)


def coupling(spec: dict, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Horizontal bars of each chain's score, weak ones in the gap colour and marked ⚠."""
    labels, scores, weak = spec["labels"], spec["scores"], spec["weak"]
    fig, ax = _axes(ax, (7.5, _bar_height(len(labels), 0.35)), longest=_longest(labels))
    colours = [spec["weak_colour"] if w else spec["ok_colour"] for w in weak]
    ax.barh(range(len(labels)), scores, color=colours)
    _category_ticks(ax, labels)
    for y, (score, is_weak) in enumerate(zip(scores, weak, strict=True)):
        ax.text(
            score + 1,
            y,
            f"{score:.0f}" + (" ⚠" if is_weak else ""),
            va="center",
            fontsize=8,
            color=spec["weak_colour"] if is_weak else TEXT_COLOUR,
        )
    ax.axvline(spec["weak_score"], color=LINE_COLOUR, linestyle="--", linewidth=1)
    ax.text(
        spec["weak_score"],
        len(labels) - 0.4,
        " " + spec["weak_text"],
        fontsize=8,
        color=LINE_COLOUR,
        va="bottom",
    )
    ax.set_xlim(0, 105)
    ax.set_xlabel(spec["xlabel"])
    _title(ax, spec["title"])
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def flows(spec: dict, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Stacked horizontal bars: weight to local buyers, then to outside (hatched)."""
    labels = spec["labels"]
    fig, ax = _axes(ax, (7.5, _bar_height(len(labels), 0.35)), longest=_longest(labels))
    y = range(len(labels))
    ax.barh(y, spec["local"], color=spec["local_colour"], label=spec["local_text"])
    ax.barh(
        y,
        spec["external"],
        left=spec["local"],
        color=spec["external_colour"],
        label=spec["external_text"],
        hatch="//",
        edgecolor=EDGE_COLOUR,
        linewidth=0,
    )
    _category_ticks(ax, labels)
    lang = spec.get("lang", "en")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number_text(v, lang)))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(spec["xlabel"])
    _title(ax, spec["title"])
    if spec.get("xmax"):  # room on the right for the legend; no tick label cut at the edge
        ax.set_xlim(0, spec["xmax"])
        ax.set_xticks([x for x in ax.get_xticks() if 0 <= x <= 0.95 * spec["xmax"]])
    ax.legend(frameon=False, fontsize=8, loc=spec.get("legend", "lower right"))
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def key_sectors(spec: dict, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Backward (BL) against forward (FL) linkage with quadrant lines at 1."""
    fig, ax = _axes(ax, (6.5, 5.2), longest=3)
    ax.scatter(spec["bl"], spec["fl"], s=60, c=spec["colours"], zorder=3)
    for bl, fl, name in zip(spec["bl"], spec["fl"], spec["names"], strict=True):
        ax.annotate(name, (bl, fl), textcoords="offset points", xytext=(5, 4), fontsize=8)
    ax.axvline(1, color=LINE_COLOUR, linewidth=1)
    ax.axhline(1, color=LINE_COLOUR, linewidth=1)
    ax.set_xlim(spec["lo"], spec["hi"])
    ax.set_ylim(spec["lo"], spec["hi"])
    _decimal_mark(ax, spec.get("lang", "en"))
    for x, y, text, colour in spec["quadrants"]:
        ax.text(
            x,
            y,
            text,
            transform=ax.transAxes,
            ha="right" if x > 0.5 else "left",
            va="top" if y > 0.5 else "bottom",
            fontsize=9,
            color=colour,
        )
    ax.set_xlabel(spec["xlabel"])
    ax.set_ylabel(spec["ylabel"])
    _title(ax, spec["title"])
    return fig, ax


def trend(spec: dict, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Lines of each chain's score by year; the local share thick and black on the right."""
    fig, ax = _axes(ax, (7.5, 4.6), longest=3, right=0.72)
    for line in spec["chains"]:
        ax.plot(
            line["years"],
            line["scores"],
            marker="o",
            linewidth=1.5,
            color=line["colour"],
            label=line["chain"],
        )
    ax.axhline(spec["weak_score"], color=LINE_COLOUR, linestyle="--", linewidth=1)
    ax.set_ylim(0, 105)
    ax.set_ylabel(spec["ylabel"])
    ax.set_xticks(spec["xticks"])
    share = ax.twinx()
    share.plot(
        spec["years"],
        spec["shares"],
        color="#000000",
        linewidth=3,
        marker="s",
        label=spec["share_text"],
    )
    share.set_ylim(0, 105)
    share.set_ylabel(spec["share_axis"])
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.12, 1.0))
    share.legend(frameon=False, fontsize=8, loc="lower right")
    _title(ax, spec["title"])
    return fig, ax


def occupancy(spec: dict, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Horizontal bars of each cluster's occupancy (%) with the target as a dashed line."""
    labels, percent, lang = spec["labels"], spec["percent"], spec.get("lang", "en")
    fig, ax = _axes(ax, (7.5, _bar_height(len(labels), 0.45)), longest=_longest(labels))
    colours = [spec["ok_colour"] if m else spec["short_colour"] for m in spec["meets"]]
    ax.barh(range(len(labels)), percent, color=colours)
    _category_ticks(ax, labels)
    for y, p in enumerate(percent):
        ax.text(p + 1, y, percent_text(p / 100, lang, 0), va="center", fontsize=8)
    ax.axvline(spec["target"], color=LINE_COLOUR, linestyle="--", linewidth=1)
    ax.text(
        spec["target"],
        0.01,
        " " + spec["target_text"],
        fontsize=8,
        va="bottom",
        transform=ax.get_xaxis_transform(),  # x in data, y in axes: inside, at the foot
    )
    ax.set_xlim(0, spec["xmax"])
    ax.set_xlabel(spec["xlabel"])
    ax.tick_params(axis="y", labelsize=8)
    _title(ax, spec["title"])
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


DRAW: dict[str, Callable[..., tuple[Figure, Axes]]] = {
    "coupling": coupling,
    "flows": flows,
    "key_sectors": key_sectors,
    "trend": trend,
    "occupancy": occupancy,
}


def draw(kind: str, spec: dict, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Draw the chart `kind` (a key of `DRAW`) from its spec."""
    return DRAW[kind](spec, ax)


def to_svg(fig: Figure, *, salt: str = "valuechain") -> str:
    """The figure as an inline SVG element (text kept as text, so it prints sharply).

    Text is XML-escaped by matplotlib's SVG writer, so labels from the data
    cannot inject markup. The element ids are hashed with `salt` instead of a
    random one and the date is left out, so the same data gives the same SVG;
    give each chart of a page its own salt so their ids stay apart.
    """
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]


def png_bytes(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (for pasting into Word)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def render(kind: str, spec: dict, *, salt: str, png: bool = False) -> tuple[str, bytes | None]:
    """The chart as inline SVG, and as PNG bytes when `png`."""
    fig, _ = draw(kind, spec)
    return to_svg(fig, salt=salt), png_bytes(fig) if png else None
