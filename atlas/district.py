"""The district's bounds and its streets/towns, for checking where a point lies.

Bounds come from configuration: a bounding box ``[south, west, north, east]`` or a GeoJSON
file with the district polygon. Without real street/town polygons (none are published as
open data), a point is checked against the street/town seats in ``streets.yml``: it is
flagged only when it is clearly nearer another seat, so boundary areas do not cry wolf.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .coords import Point, distance_m
from .taxonomy import taxonomy

# Generous box around 九龙坡区 (WGS-84): 中梁山 in the north to 铜罐驿 in the south, the
# Yangtze in the east to 走马/西彭 in the west. Replace with the official polygon when available.
DEFAULT_BBOX = (29.24, 106.22, 29.61, 106.57)


@dataclass(frozen=True)
class Bounds:
    polygon: tuple[Point, ...]  # (lat, lon) ring

    def contains(self, point: Point) -> bool:
        lat, lon = point
        inside = False
        ring = self.polygon
        for (lat1, lon1), (lat2, lon2) in zip(ring, ring[1:] + ring[:1]):
            if (lon1 > lon) != (lon2 > lon) and lat < lat1 + (lon - lon1) * (lat2 - lat1) / (lon2 - lon1):
                inside = not inside
        return inside


def bbox(south: float, west: float, north: float, east: float) -> Bounds:
    return Bounds(((south, west), (south, east), (north, east), (north, west)))


def load_bounds(spec: str | Path | list | tuple | None) -> Bounds:
    """A bbox list, a GeoJSON path (first Polygon's outer ring) or None for the default."""
    if spec is None:
        return bbox(*DEFAULT_BBOX)
    if isinstance(spec, (list, tuple)):
        return bbox(*map(float, spec))
    data = json.loads(Path(spec).read_text("utf-8"))
    geometry = data["features"][0]["geometry"] if data.get("type") == "FeatureCollection" else data.get("geometry", data)
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    return Bounds(tuple((lat, lon) for lon, lat, *_ in ring))


def nearest_street(point: Point) -> tuple[str, float]:
    """The street/town whose seat is nearest, and the distance to it in metres."""
    return min(((s.name, distance_m(point, s.seat)) for s in taxonomy().streets), key=lambda pair: pair[1])


def looks_like_other_street(point: Point, street: str) -> str | None:
    """Another street/town's name when the point is clearly nearer its seat than ``street``'s."""
    nearest, to_nearest = nearest_street(point)
    to_own = distance_m(point, taxonomy().street(street).seat)
    if nearest != street and to_own > 2 * to_nearest and to_own > 3000:
        return nearest
    return None
