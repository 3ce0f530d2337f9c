"""Great-circle distances, vectorised."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "NearPoints"]

EARTH_RADIUS_KM = 6371.0


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Return the haversine distance in km between paired points (degrees).

    Any missing coordinate gives NaN for that pair.

    >>> round(float(haversine_km(22.2, 105.9, 22.05, 105.8)), 3)
    19.604
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


# Below this many (query, point) pairs the nearest points are found from every
# distance (a 32 MB matrix at most): quicker than importing scipy.spatial (0.1 s
# of a sample command) and building a tree.
DIRECT_PAIRS = 4_000_000


class NearPoints:
    """Points in space (rows of `xyz`) and, for query points, the `k` nearest of
    them: from every distance for a small problem, else from a k-d tree built on
    first need. Both give the same neighbours (ties aside: the tree breaks them
    its own way, the direct search by row)."""

    def __init__(self, xyz: np.ndarray) -> None:
        self.xyz = np.asarray(xyz, dtype=np.float64)
        self._tree: Any = None

    def __len__(self) -> int:
        return len(self.xyz)

    def query(self, points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(distances, rows), each (len(points), k), nearest first."""
        points = np.asarray(points, dtype=np.float64)
        if len(points) * len(self.xyz) <= DIRECT_PAIRS:
            d2 = (
                (points**2).sum(axis=1)[:, None]
                + (self.xyz**2).sum(axis=1)[None, :]
                - 2.0 * points @ self.xyz.T
            )
            rows = _smallest(d2, k)
            # the expansion above orders; each distance kept is computed exactly
            dist = np.linalg.norm(points[:, None, :] - self.xyz[rows], axis=2)
            return dist, rows
        if self._tree is None:
            from scipy.spatial import cKDTree

            self._tree = cKDTree(self.xyz)
        dist, rows = self._tree.query(points, k=k)
        return dist.reshape(len(points), k), rows.reshape(len(points), k)


def _smallest(d2: np.ndarray, k: int) -> np.ndarray:
    """The columns of each row's `k` smallest values, smallest first, ties by
    column: `np.argsort(d2, axis=1, kind="stable")[:, :k]` without sorting the
    rows. k passes of `argmin` (its first minimum is the lowest column), each
    taking the one found out; a pass costs a fiftieth of sorting (k is 2 or 13
    here). Overwrites `d2`."""
    n_rows, n_cols = d2.shape
    if k >= n_cols or not np.isfinite(d2).all():
        return np.argsort(d2, axis=1, kind="stable")[:, :k]
    out = np.empty((n_rows, k), dtype=np.intp)
    every = np.arange(n_rows)
    for j in range(k):
        out[:, j] = column = np.argmin(d2, axis=1)
        d2[every, column] = np.inf
    return out
