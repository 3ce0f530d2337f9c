"""The map's contract with its page: the node and edge records `map.js` draws.

Every node and edge of every map (enterprises, outside parties, the groups of
an aggregated map, suggested, gained and lost links) is made by `node` or
`edge` here, so a field the page reads is added in one place: a key in `Node`
or `Edge`, a parameter of its builder, and the line of `map.js` that reads it.
`info` holds a tooltip's rows (label key → value); `map.js` shows the keys it
knows, in its own order, and leaves out empty values.
"""

# No `from __future__ import annotations` here: TypedDict reads NotRequired
# from the annotations as objects when the class is made.
import re
from collections.abc import Iterable
from typing import Any, NotRequired, TypedDict

__all__ = ["Colour", "Node", "Edge", "node", "edge", "short_label"]


class Colour(TypedDict, total=False):
    """vis-network's colour record: `background` / `border` for a node,
    `color` / `opacity` for an edge, `highlight` when selected."""

    background: str
    border: str
    highlight: dict[str, str]
    color: str
    opacity: float


class Node(TypedDict):
    id: str
    label: str
    x: float
    y: float
    shape: str  # vis-network's: dot, square, triangle, diamond, hexagon…
    size: float
    color: Colour
    borderWidth: int
    group: str  # the enterprise type, "external" or "aggregate": the type filter
    district: str  # the district filter ("" for none)
    chains: list[str]  # the chain filter: the chains of what it makes or buys
    unlinked: bool  # drawn with the unlinked producer's border
    producer: bool
    context: bool  # outside the slice, drawn faded as a partner of it
    critical: bool  # in the protect list (risk of 5 % or more)
    info: dict[str, Any]
    scenario: NotRequired[str]  # a what-if's mark: closed, hit, new, found_buyer…


Edge = TypedDict(
    "Edge",
    {
        "id": str,
        "from": str,
        "to": str,
        "kind": str,  # local, external, suggestion, lost
        "chain": str,  # the chain filter ("" for none)
        "width": float,
        "arrows": str,
        "color": Colour,
        "dashes": list[int] | bool,
        "info": dict[str, Any],
        "n": NotRequired[int],  # links between the two ends
        "priority": NotRequired[bool],  # a suggestion among the top connect priorities
        "rank": NotRequired[int],  # its rank there (0: none)
        "change": NotRequired[str],  # gained or lost since the compared year, or in a what-if
    },
)


def node(
    id: str,
    label: str,
    xy: tuple[float, float],
    *,
    shape: str,
    size: float,
    color: Colour,
    group: str,
    info: dict[str, Any],
    border_width: int = 1,
    district: str = "",
    chains: Iterable[str] = (),
    unlinked: bool = False,
    producer: bool = False,
    context: bool = False,
    critical: bool = False,
) -> Node:
    """A node of the map; positions and sizes rounded to what a screen shows."""
    return {
        "id": id,
        "label": label,
        "x": round(float(xy[0]), 1),
        "y": round(float(xy[1]), 1),
        "shape": shape,
        "size": round(float(size), 1),
        "color": color,
        "borderWidth": border_width,
        "group": group,
        "district": district,
        "chains": list(chains),
        "unlinked": unlinked,
        "producer": producer,
        "context": context,
        "critical": critical,
        "info": info,
    }


def edge(
    id: str,
    source: str,
    target: str,
    *,
    kind: str,
    width: float,
    color: Colour,
    info: dict[str, Any],
    chain: str = "",
    dashes: list[int] | bool = False,
    n: int | None = None,
    priority: bool | None = None,
    rank: int | None = None,
    change: str | None = None,
) -> Edge:
    """An arrow of the map from `source` (the seller) to `target` (the buyer)."""
    item: Edge = {
        "id": id,
        "from": source,
        "to": target,
        "kind": kind,
        "chain": chain,
        "width": round(float(width), 2),
        "arrows": "to",
        "color": color,
        "dashes": dashes,
        "info": info,
    }
    if n is not None:
        item["n"] = n
    if priority is not None:
        item["priority"] = priority
    if rank is not None:
        item["rank"] = rank
    if change is not None:
        item["change"] = change
    return item


# Words of legal forms a planner abbreviates herself, longest first.
_ABBREVIATIONS = (
    ("Công ty trách nhiệm hữu hạn", "Cty TNHH"),
    ("Công ty cổ phần", "CTCP"),
    ("Công ty TNHH", "Cty TNHH"),
    ("Doanh nghiệp tư nhân", "DNTN"),
    ("Hợp tác xã", "HTX"),
    ("Tổ hợp tác", "THT"),
    ("Hộ kinh doanh", "HKD"),
    ("Doanh nghiệp", "DN"),
    ("Công ty", "Cty"),
)
_ABBREVIATING = [
    (re.compile(rf"(?i)\b{re.escape(long)}\b"), short) for long, short in _ABBREVIATIONS
]


def short_label(name: str, limit: int = 26) -> str:
    """A name as a map label: legal forms abbreviated (HTX, THT, DN, Cty), and,
    when still too long, the middle cut rather than the end, which is what tells
    twenty "Tổ hợp tác trồng rừng Chợ Đồn …" apart.

    >>> short_label("Tổ hợp tác trồng rừng Chợ Đồn 12")
    'THT trồng rừng Chợ Đồn 12'
    >>> short_label("Hợp tác xã nông nghiệp dịch vụ tổng hợp Bằng Vân 3")
    'HTX nông…hợp Bằng Vân 3'
    """
    text = " ".join(str(name).split())
    for pattern, short in _ABBREVIATING:
        text = pattern.sub(short, text)
    if len(text) <= limit:
        return text
    head_room = limit // 2
    head = text[:head_room].rsplit(" ", 1)[0] if " " in text[:head_room] else text[:head_room]
    tail = text[-(limit - len(head) - 1) :]
    if " " in tail:  # start the end on a word
        tail = tail.split(" ", 1)[1] if not tail.startswith(" ") else tail.lstrip()
    return head + "…" + tail
