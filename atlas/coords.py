"""Coordinate systems used in China: WGS-84 (GPS, OSM, 天地图), GCJ-02 (高德, 腾讯) and BD-09 (百度).

Coordinates are kept in WGS-84 inside the atlas and converted only at the edges: CSV input,
basemap tiles and navigation links. Every function takes and returns ``(lat, lon)``.

GCJ-02 is a published obfuscation of WGS-84 with no closed-form inverse; ``gcj02_to_wgs84``
inverts it by fixed-point iteration, which converges to well under a millimetre here.
"""

from __future__ import annotations

import math

Point = tuple[float, float]

WGS84 = "wgs84"
GCJ02 = "gcj02"
BD09 = "bd09"
SYSTEMS = (WGS84, GCJ02, BD09)

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323
_BD_PI = math.pi * 3000.0 / 180.0
_EARTH_RADIUS_M = 6371008.8


def _out_of_china(lat: float, lon: float) -> bool:
    # GCJ-02 leaves points outside mainland China's rough bounding box unchanged.
    return not (0.8293 <= lat <= 55.8271 and 72.004 <= lon <= 137.8347)


def _delta(lat: float, lon: float) -> Point:
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlat, dlon


def wgs84_to_gcj02(lat: float, lon: float) -> Point:
    if _out_of_china(lat, lon):
        return lat, lon
    dlat, dlon = _delta(lat, lon)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float, tolerance_m: float = 0.01) -> Point:
    """Invert GCJ-02 by iteration: refine the guess until it maps onto the input."""
    if _out_of_china(lat, lon):
        return lat, lon
    guess_lat, guess_lon = lat, lon
    for _ in range(30):
        got_lat, got_lon = wgs84_to_gcj02(guess_lat, guess_lon)
        err_lat, err_lon = got_lat - lat, got_lon - lon
        guess_lat, guess_lon = guess_lat - err_lat, guess_lon - err_lon
        if distance_m((got_lat, got_lon), (lat, lon)) < tolerance_m:
            break
    return guess_lat, guess_lon


def gcj02_to_bd09(lat: float, lon: float) -> Point:
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _BD_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _BD_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lon: float) -> Point:
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _BD_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _BD_PI)
    return z * math.sin(theta), z * math.cos(theta)


def wgs84_to_bd09(lat: float, lon: float) -> Point:
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat: float, lon: float) -> Point:
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))


_TO_WGS84 = {WGS84: lambda lat, lon: (lat, lon), GCJ02: gcj02_to_wgs84, BD09: bd09_to_wgs84}
_FROM_WGS84 = {WGS84: lambda lat, lon: (lat, lon), GCJ02: wgs84_to_gcj02, BD09: wgs84_to_bd09}


def convert(lat: float, lon: float, source: str, target: str) -> Point:
    """Convert a point between any two of ``SYSTEMS``."""
    return _FROM_WGS84[target](*_TO_WGS84[source](lat, lon))


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(h))
