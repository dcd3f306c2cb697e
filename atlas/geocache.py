"""The committed geocode cache (data/geocache.json): normalised address -> WGS-84 point.

`atlas geocode` writes it; the build and the validator only read it, so a build never
touches the network.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from .coords import WGS84, Point, convert


def normalise_address(address: str) -> str:
    """The cache key: NFKC (full-width digits and letters to ASCII), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", address))


def read_cache(path: str | Path | None) -> dict[str, dict]:
    """The cache's entries, or {} when there is no cache file yet."""
    if path is None or not Path(path).exists():
        return {}
    return json.loads(Path(path).read_text("utf-8")).get("entries", {})


def cached_point(cache: dict[str, dict], address: str) -> Point | None:
    entry = cache.get(normalise_address(address))
    return (entry["lat"], entry["lon"]) if entry else None


def locate(resource, cache: dict[str, dict]) -> Point | None:
    """A resource's WGS-84 point: its own coordinates win over the cache."""
    if resource.lat is not None and resource.lon is not None:
        return convert(resource.lat, resource.lon, resource.coord_system, WGS84)
    return cached_point(cache, resource.address)
