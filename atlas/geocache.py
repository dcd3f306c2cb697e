"""The committed geocode cache (data/geocache.json): normalised address -> WGS-84 point.

`atlas geocode` writes it; the build and the validator only read it, so a build never
touches the network. The file::

    {"version": 1, "entries": {"<normalised address>": {"lat": 29.5, "lon": 106.5,
      "provider": "amap", "datum": "gcj02", "query": "…", "date": "2026-11-29",
      "status": "accepted", "note": "", "candidates": 1}}}

Only ``accepted`` entries place a point; an entry that ``needs_review`` waits for an editor.
An entry without ``status`` (written by hand) counts as accepted.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from .coords import WGS84, Point, convert
from .files import write_atomic

VERSION = 1
ACCEPTED = "accepted"
NEEDS_REVIEW = "needs_review"


def normalise_address(address: str) -> str:
    """The cache key: NFKC (full-width digits and letters to ASCII), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", address))


def read_cache(path: str | Path | None) -> dict[str, dict]:
    """The cache's entries (all of them, whatever their status), or {} when there is no cache file yet."""
    if path is None or not Path(path).exists():
        return {}
    data = json.loads(Path(path).read_text("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("entries", {}), dict):
        raise ValueError("不是地理编码缓存的格式（应为 {\"version\": 1, \"entries\": {…}}）")
    if data.get("version", VERSION) != VERSION:
        raise ValueError(f"缓存版本 {data.get('version')!r} 不受支持（本程序读写版本 {VERSION}）")
    return data.get("entries", {})


def accepted(entry: dict | None) -> bool:
    """Whether a cache entry may place a point (needs_review entries may not)."""
    return bool(entry) and entry.get("status", ACCEPTED) == ACCEPTED


def cached_point(cache: dict[str, dict], address: str) -> Point | None:
    entry = cache.get(normalise_address(address))
    return (entry["lat"], entry["lon"]) if accepted(entry) else None


def locate(resource, cache: dict[str, dict]) -> Point | None:
    """A resource's WGS-84 point: its own coordinates win over the cache."""
    if resource.lat is not None and resource.lon is not None:
        return convert(resource.lat, resource.lon, resource.coord_system, WGS84)
    return cached_point(cache, resource.address)


def dumps(entries: dict[str, dict]) -> str:
    """The cache file's text: stable (sorted keys, two-space indent, UTF-8 text, final newline)."""
    return json.dumps({"version": VERSION, "entries": entries}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_cache(path: str | Path, entries: dict[str, dict]) -> None:
    """Replace the cache atomically (see :func:`atlas.files.write_atomic`)."""
    write_atomic(path, dumps(entries))
