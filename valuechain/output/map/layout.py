"""Where the map's nodes sit and how big they are: geographic and force layouts,
outside parties on a ring, overlaps pushed apart, sizes by square root.

Plain numpy/pandas (networkx only for the force layout); nothing here knows
about analyses or HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.loading.boundaries import Outline

__all__ = [
    "scale",
    "Projection",
    "geo_positions",
    "outline_items",
    "force_positions",
    "ring",
    "spread",
]


def scale(values: pd.Series, lo: float, hi: float) -> pd.Series:
    """Map non-negative values to [lo, hi] by square root (area-like), NaN → lo."""
    v = np.sqrt(values.fillna(0).clip(lower=0).astype(float))
    top = float(v.max()) if len(v) else 0.0
    return lo + (hi - lo) * (v / top if top > 0 else v * 0)


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude to the map's pixels: equirectangular around the
    enterprises' centre, so that they span the page."""

    lat0: float
    lon0: float
    scale: float

    def xy(self, lat, lon) -> tuple[np.ndarray, np.ndarray]:
        kx = math.cos(math.radians(self.lat0))
        x = (np.asarray(lon, dtype=float) - self.lon0) * kx * self.scale
        y = -(np.asarray(lat, dtype=float) - self.lat0) * self.scale
        return x, y


def geo_positions(
    ent: pd.DataFrame, width: int, height: int
) -> tuple[pd.DataFrame, float, Projection | None]:
    """Pixel positions from longitude/latitude (`Projection`).

    Enterprises without coordinates sit at their district's mean position, or in a
    row under the map. Returns (x, y per enterprise, radius of the drawing, the
    projection, None when no enterprise has coordinates).
    """
    lat, lon = ent["lat"], ent["lon"]
    has = lat.notna() & lon.notna()
    pos = pd.DataFrame({"x": np.nan, "y": np.nan}, index=ent.index)
    projection = None
    if has.any():
        lat0, lon0 = float(lat[has].mean()), float(lon[has].mean())
        gx, gy = Projection(lat0, lon0, 1.0).xy(lat[has], lon[has])
        span = max(float(np.ptp(gx)), float(np.ptp(gy)) * width / height, 1e-6)
        projection = Projection(lat0, lon0, 1.3 * width / span)
        pos.loc[has, "x"], pos.loc[has, "y"] = projection.xy(lat[has], lon[has])
    placed = pos.dropna()
    centre = placed.groupby(ent.loc[placed.index, "district"]).mean()
    missing = pos.index[pos["x"].isna()]
    bottom = (placed["y"].max() if len(placed) else 0) + 80
    for k, i in enumerate(missing):
        district = ent.at[i, "district"]
        if district in centre.index and district != "":
            angle = 2.399963 * k  # golden angle: a small spiral around the district
            pos.loc[i, "x"] = centre.at[district, "x"] + 18 * math.sqrt(k + 1) * math.cos(angle)
            pos.loc[i, "y"] = centre.at[district, "y"] + 18 * math.sqrt(k + 1) * math.sin(angle)
        else:
            pos.loc[i, "x"] = -width / 2 + 60 * (k % 20)
            pos.loc[i, "y"] = bottom + 60 * (k // 20)
    radius = float(np.hypot(pos["x"], pos["y"]).max()) if len(pos) else 100.0
    return pos, max(radius, 100.0), projection


def outline_items(outlines: tuple[Outline, ...], projection: Projection | None) -> list[dict]:
    """Each outline's rings in the map's pixels, as flat [x0, y0, x1, y1, …] lists
    (points closer than 2 px to the last kept one dropped: a GIS layer's detail
    is finer than the map shows), and where its name goes (the centre of its
    longest ring). None drawn without a geographic projection."""
    if projection is None:
        return []
    items = []
    for outline in outlines:
        rings = []
        for points in outline.rings:
            lon, lat = np.array(points).T
            x, y = projection.xy(lat, lon)
            kept = [0]
            for k in range(1, len(x)):
                if abs(x[k] - x[kept[-1]]) + abs(y[k] - y[kept[-1]]) >= 2.0:
                    kept.append(k)
            if len(kept) >= 3:
                rings.append(np.round(np.column_stack([x[kept], y[kept]]), 1).ravel().tolist())
        if rings:
            longest = max(rings, key=len)
            at = [round(float(np.mean(longest[0::2])), 1), round(float(np.mean(longest[1::2])), 1)]
            items.append({"name": outline.name, "rings": rings, "at": at})
    return items


def force_positions(
    ent_ids: list[str], ext: list[str], edges: pd.DataFrame, width: int
) -> dict[str, tuple[float, float]]:
    """A spring layout of the enterprises that trade locally, computed once in
    Python so the page never moves or waits. Outside parties, which trade with
    nearly everyone and would pull the drawing into a knot, stand on a ring
    around it; enterprises without a local link in rows beneath."""
    import networkx as nx

    inside = set(ent_ids)
    local = [
        (s, t)
        for s, t in zip(edges["source"], edges["target"], strict=True)
        if s in inside and t in inside
    ]
    g = nx.Graph(local)
    linked = [i for i in ent_ids if i in g]
    alone = [i for i in ent_ids if i not in g]
    xy: dict[str, tuple[float, float]] = {}
    half = 0.45 * width
    if linked:
        layout = nx.spring_layout(g, k=2.5 / math.sqrt(len(linked)), seed=7, iterations=100)
        xy = {n: (float(x) * half, float(y) * half) for n, (x, y) in layout.items()}
    bottom = max((y for _, y in xy.values()), default=0.0) + 90.0
    per_row = max(int(2 * half / 70.0), 1)
    for k, i in enumerate(alone):
        xy[i] = (-half + 70.0 * (k % per_row), bottom + 60.0 * (k // per_row))
    x = np.array([p[0] for p in xy.values()]) if xy else np.zeros(0)
    y = np.array([p[1] for p in xy.values()]) if xy else np.zeros(0)
    xy.update(ring(ext, x, y))
    return xy


def ring(
    labels: list[str], x: np.ndarray, y: np.ndarray, margin: float = 160.0
) -> dict[str, tuple[float, float]]:
    """Outside parties evenly spaced on an ellipse just outside the enterprises."""
    n = max(len(labels), 1)
    if len(x):
        cx, cy = (x.max() + x.min()) / 2, (y.max() + y.min()) / 2
        rx, ry = (x.max() - x.min()) / 2 + margin, (y.max() - y.min()) / 2 + margin
    else:
        cx = cy = 0.0
        rx = ry = 200.0
    return {
        lab: (
            cx + rx * math.cos(2 * math.pi * i / n - math.pi / 2),
            cy + ry * math.sin(2 * math.pi * i / n - math.pi / 2),
        )
        for i, lab in enumerate(labels)
    }


def spread(
    x: np.ndarray, y: np.ndarray, radius: np.ndarray, *, gap: float = 6.0, rounds: int = 40
) -> tuple[np.ndarray, np.ndarray]:
    """Push overlapping nodes apart until each keeps `gap` px from its neighbours,
    moving every node as little as it can; geography stays recognisable.

    Pairwise in numpy, so meant for the enterprise-level map (≤ a few thousand nodes).
    """
    x, y = x.astype(float).copy(), y.astype(float).copy()
    if len(x) < 2 or len(x) > 4000:
        return x, y
    rng = np.random.default_rng(0)
    need = radius[:, None] + radius[None, :] + gap
    for _ in range(rounds):
        dx = np.subtract.outer(x, x)
        dy = np.subtract.outer(y, y)
        dist = np.sqrt(dx * dx + dy * dy)  # (np.hypot is five times slower)
        np.fill_diagonal(dist, np.inf)
        push = np.subtract(need, dist)
        np.maximum(push, 0, out=push)  # the overlap (none on the diagonal)
        if not push.any():
            break
        if dist.min() < 1e-6:  # identical positions: nudge in a random direction
            same = dist < 1e-6
            dx = np.where(same, rng.normal(size=dx.shape), dx)
            dy = np.where(same, rng.normal(size=dy.shape), dy)
            dist = np.where(same, np.hypot(dx, dy), dist)
        dist *= 2
        push /= dist  # overlap / (2 × distance), in place: 40 rounds of n × n arrays
        x += np.multiply(push, dx, out=dx).sum(axis=1) * 0.5
        y += np.multiply(push, dy, out=dy).sum(axis=1) * 0.5
    return x, y


def chain_positions(
    columns: pd.Series,
    groups: pd.Series,
    edges: pd.DataFrame,
    *,
    column_gap: float = 320.0,
    row_gap: float = 46.0,
    group_gap: float = 90.0,
    wide: float = 1.4,
    sweeps: int = 4,
    wrap_above: int = 60,
) -> dict[str, tuple[float, float]]:
    """The value chain as people draw it: a column per stage (`columns`, by node
    id: 0 raw producers … 4 outside buyers, -1 outside sellers), links running
    left to right; within a column nodes are grouped (`groups`: the chain) in
    the same order in every column, and inside a group ordered by the mean row
    of their neighbours in the columns already placed, sweeping left to right
    and back (barycentric ordering, which reduces crossings). Columns of more
    than `wrap_above` nodes are folded into blocks (`_wrapped`)."""
    ids = list(columns.index)
    if not ids:
        return {}
    group_order = {g: i for i, g in enumerate(sorted(set(groups.fillna(""))))}
    group = groups.reindex(ids).fillna("").map(group_order).to_dict()
    column = columns.to_dict()
    neighbours: dict[str, list[str]] = {i: [] for i in ids}
    for s, t in zip(edges["source"], edges["target"], strict=True):
        if s in neighbours and t in neighbours:
            neighbours[s].append(t)
            neighbours[t].append(s)
    rank = {i: float(k) for k, i in enumerate(sorted(ids))}  # start: by id
    cols = sorted(set(column.values()))
    by_column: dict = {c: [] for c in cols}
    for i in ids:
        by_column[column[i]].append(i)
    for sweep in range(sweeps):
        order = cols if sweep % 2 == 0 else cols[::-1]
        for c in order:
            members = by_column[c]
            centre = {
                i: (np.mean([rank[n] for n in neighbours[i]]) if neighbours[i] else rank[i])
                for i in members
            }
            members.sort(key=lambda i: (group[i], centre[i], i))
            for k, i in enumerate(members):
                rank[i] = float(k)
    for members in by_column.values():
        members.sort(key=lambda i: rank[i])
    if max(len(m) for m in by_column.values()) > wrap_above:
        return _wrapped(by_column, row_gap, column_gap, wide)
    ys: dict[str, float] = {}
    heights = []
    for members in by_column.values():
        y, previous = 0.0, None
        for i in members:
            if previous is not None:
                y += row_gap + (group_gap if group[i] != previous else 0.0)
            ys[i] = y
            previous = group[i]
        for i in members:  # centre each column on the same middle line
            ys[i] -= y / 2
        heights.append(y)
    # Columns far enough apart that the drawing is about as wide as the page
    # (aspect `wide`): a tall column of producers would otherwise be a thin line.
    gap = max(column_gap, wide * max(heights) / max(len(cols) - 1, 1))
    return {i: (column[i] * gap, ys[i]) for i in ids}


def _wrapped(
    by_column: dict, row_gap: float, column_gap: float, wide: float
) -> dict[str, tuple[float, float]]:
    """Stages of hundreds of enterprises, each folded into a block of sub-columns
    (filled top to bottom, in the stage's order) so that the whole drawing is
    about `wide` times as wide as tall; blocks left to right by stage."""
    sub_gap = 4 * row_gap  # room for a label between sub-columns
    sizes = [len(m) for m in by_column.values()]
    rows = max(sizes)
    while rows > 1:  # the tallest block whose drawing is still too narrow
        width = sum(-(-n // rows) for n in sizes) * sub_gap + len(sizes) * column_gap
        if width >= wide * rows * row_gap:
            break
        rows = int(rows * 0.9)
    xy, left = {}, 0.0
    for members in by_column.values():
        for k, i in enumerate(members):
            xy[i] = (left + (k // rows) * sub_gap, (k % rows - (rows - 1) / 2) * row_gap)
        left += -(-len(members) // rows) * sub_gap + column_gap
    return xy
