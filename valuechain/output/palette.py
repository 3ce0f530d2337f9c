"""Colours and shapes shared by the map and the charts, so a chain or a type looks
the same on both. Okabe–Ito and Paul Tol schemes: safe for the common
colour-vision deficiencies; shapes repeat the type so colour is never the only cue."""

from __future__ import annotations

__all__ = [
    "TYPE_STYLE",
    "GAP_COLOUR",
    "OK_COLOUR",
    "LOCAL_COLOUR",
    "EXTERNAL_EDGE",
    "CHAIN_COLOURS",
    "chain_colours",
]

TYPE_STYLE = {
    "farm": ("#009E73", "dot"),
    "forestry": ("#F0E442", "triangle"),
    "mine": ("#CC79A7", "square"),
    "processor": ("#0072B2", "diamond"),
    "service": ("#56B4E9", "star"),
    "external": ("#BBBBBB", "hexagon"),
}
GAP_COLOUR = "#D55E00"  # vermilion: unlinked producers, suggested links, weak chains
OK_COLOUR = "#0072B2"
LOCAL_COLOUR = "#009E73"
EXTERNAL_EDGE = "#9A9A9A"
# Paul Tol's "muted" qualitative scheme plus two.
CHAIN_COLOURS = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#6699CC",
    "#661100",
    "#888888",
]


def chain_colours(chains) -> dict[str, str]:
    """A colour per chain, by the chains' sorted order (the same on map and charts)."""
    return {c: CHAIN_COLOURS[i % len(CHAIN_COLOURS)] for i, c in enumerate(sorted(set(chains)))}
