"""District or commune outlines from a planner's GIS, as GeoJSON, for the map.

The file is the planner's own (nothing is bundled): a FeatureCollection, a
Feature or a bare geometry, with Polygon or MultiPolygon geometries in
longitude/latitude (WGS 84, as GIS programs export GeoJSON). Each outline is
named from its feature's properties.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from valuechain.errors import LoadError
from valuechain.i18n import Words

__all__ = ["Outline", "read_boundaries"]

# Property names a district or commune's name goes by in common GIS layers.
NAME_KEYS = ("name", "ten", "tên", "ten_huyen", "ten_xa", "name_3", "name_2", "name_1", "district")


# A district or commune layer of a province is a few megabytes; beyond this a
# file is refused before it is read.
MAX_BYTES = 256 << 20


def _refused(path: Path, why: str, **params: object) -> LoadError:
    """The file refused, `why` (a catalog phrase) in the reader's language."""
    return LoadError(key="boundaries_json", file=str(path), reason=Words(why, **params))


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@dataclass(frozen=True)
class Outline:
    """A named area: its rings as (longitude, latitude) pairs."""

    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]


def read_boundaries(path: str | Path) -> list[Outline]:
    """The outlines of a GeoJSON file, in the file's order. Raises `LoadError`
    naming the file (and the feature) when it is not GeoJSON polygons in
    longitude/latitude; features of other geometry types are skipped."""
    path = Path(path)
    try:
        too_large = path.stat().st_size > MAX_BYTES
        doc = None if too_large else json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not JSON, a 5,000-digit number
        raise LoadError(key="boundaries_json", file=str(path), reason=_first_line(exc)) from exc
    except RecursionError as exc:  # arrays nested deeper than any geometry
        raise _refused(path, "geojson_too_deep") from exc
    if too_large:  # said here, not in the try: a LoadError is a ValueError too
        raise _refused(path, "geojson_too_large", mb=MAX_BYTES >> 20)
    if not isinstance(doc, dict):
        raise _refused(path, "geojson_not_object")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features")
    elif kind == "Feature":
        features = [doc]
    else:
        features = [{"type": "Feature", "geometry": doc, "properties": {}}]
    if not isinstance(features, list):
        raise _refused(path, "geojson_no_features")
    outlines = []
    for k, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict):
            continue
        rings = _rings(geometry)
        if rings is None:
            continue
        for ring in rings:
            for lon, lat in ring:
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise LoadError(key="boundaries_crs", file=str(path), feature=k)
        outlines.append(Outline(_name(feature.get("properties")), rings))
    if not outlines:
        raise LoadError(key="boundaries_none", file=str(path))
    return outlines


def _rings(geometry: dict[str, Any]) -> tuple[tuple[tuple[float, float], ...], ...] | None:
    """The rings of a Polygon or MultiPolygon as (lon, lat) tuples; None for any
    other geometry or malformed coordinates."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
    if not isinstance(polygons, list):
        return None
    try:
        rings = tuple(
            tuple((float(p[0]), float(p[1])) for p in ring)
            for polygon in polygons
            for ring in polygon
        )
    except (TypeError, ValueError, IndexError):
        return None
    if not all(math.isfinite(v) for ring in rings for p in ring for v in p):
        return None
    return tuple(r for r in rings if len(r) >= 3) or None


def _name(properties: object) -> str:
    if not isinstance(properties, dict):
        return ""
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in NAME_KEYS:
        if isinstance(lowered.get(key), str) and lowered[key].strip():
            return str(lowered[key]).strip()
    return next((v.strip() for v in properties.values() if isinstance(v, str) and v.strip()), "")
