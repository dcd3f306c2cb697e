"""Maps that work in mainland China, made with folium and served entirely by the site.

folium builds the Leaflet code of the atlas map (route maps are drawn by atlas-planner.js); we keep only the
script it renders (written to a file: no inline script, no CDN) and point every asset at
the copies of Leaflet and leaflet.markercluster from the npm registry that the site serves.
Markers are drawn in the basemap's datum: WGS-84 points become GCJ-02 for 高德, or they
would land ~480 m off.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import count

import folium
from folium.plugins import MarkerCluster

from . import coords
from .collate import name_key
from .pages import Entry, HoursTables, Page, render
from .taxonomy import taxonomy

CENTER = (29.45, 106.42)  # WGS-84, between 杨家坪 and 西彭, so the whole district fits at zoom 10

# Local copies, relative to the site root (see plugin.VENDOR).
LEAFLET_JS = "assets/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "assets/vendor/leaflet/leaflet.css"
LEAFLET_ZH = "assets/atlas-leaflet.js"  # Leaflet's controls in Chinese; right after leaflet.js
CLUSTER_JS = "assets/vendor/leaflet.markercluster/leaflet.markercluster.js"
CLUSTER_CSS = ("assets/vendor/leaflet.markercluster/MarkerCluster.css", "assets/vendor/leaflet.markercluster/MarkerCluster.Default.css")


@dataclass(frozen=True)
class Basemap:
    """A tile provider: its URL template, datum, and the attribution the law asks for."""

    name: str
    url: str
    datum: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 18
    overlay: str = ""  # a second layer of labels (天地图 draws them separately)

    @property
    def hosts(self) -> set[str]:
        """The hosts tiles come from (for the "no other host" checks)."""
        from urllib.parse import urlsplit

        urls = [self.url] + ([self.overlay] if self.overlay else [])
        return {urlsplit(u.replace("{s}", s)).hostname for u in urls for s in (self.subdomains or [""])}

    def project(self, point: coords.Point) -> coords.Point:
        """A WGS-84 point in this basemap's datum."""
        return coords.convert(*point, coords.WGS84, self.datum)

    def options(self) -> dict:
        """What the browser needs to draw the tiles (mini-maps, near me)."""
        return {"url": self.url, "overlay": self.overlay, "subdomains": self.subdomains, "attribution": self.attribution, "maxZoom": self.max_zoom, "datum": self.datum}


def basemap(provider: str = "amap", key: str = "", review_number: str = "") -> Basemap:
    """The configured basemap. ``review_number`` is the provider's 审图号, shown with the map."""
    review = f" · 审图号：{review_number}" if review_number else ""
    if provider == "amap":
        return Basemap("高德地图", "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                       coords.GCJ02, f"© 高德地图{review}", subdomains="1234")
    if provider == "tianditu":
        if not key:
            raise ValueError("天地图需要密钥（tk）：在 mkdocs.yml 的 atlas 插件 tiles.key 中配置，如 !ENV TIANDITU_KEY")
        base = "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + key
        return Basemap("天地图", base.replace("{layer}", "vec"), coords.WGS84, f"© 天地图{review}", subdomains="01234567", overlay=base.replace("{layer}", "cva"))
    if provider == "osm":
        return Basemap("OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", coords.WGS84, f"© OpenStreetMap 贡献者{review}", subdomains="", max_zoom=19)
    raise ValueError(f"未知的底图 {provider!r}：可选 amap、tianditu、osm")


# --- folium, pointed at the site's own files --------------------------------------------------


class LocalMap(folium.Map):
    default_js = [("leaflet", LEAFLET_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]


class LocalCluster(MarkerCluster):
    default_js = [("markerclusterjs", CLUSTER_JS)]
    default_css = [("markerclustercss", CLUSTER_CSS[0]), ("markerclusterdefaultcss", CLUSTER_CSS[1])]


def _stable_ids(root: folium.Element, prefix: str) -> None:
    # folium names elements with random hex ids; number them instead so builds are reproducible.
    numbers = count()

    def walk(element):
        element._id = f"{prefix}{next(numbers)}"
        for child in element._children.values():
            walk(child)

    walk(root)


def _tiles(base: Basemap) -> list[folium.TileLayer]:
    layers = [folium.TileLayer(tiles=base.url, attr=base.attribution, name=base.name, subdomains=base.subdomains or "abc", max_zoom=base.max_zoom)]
    if base.overlay:
        layers.append(folium.TileLayer(tiles=base.overlay, attr=base.attribution, name="注记", subdomains=base.subdomains, max_zoom=base.max_zoom, overlay=True))
    return layers


def _script(m: folium.Map) -> str:
    figure = m.get_root()
    figure.render()
    return figure.script.render().strip() + "\n"


def atlas_map(base: Basemap) -> tuple[str, str, str]:
    """folium's script for /map/ and the JS names of its map and cluster layer."""
    m = LocalMap(location=base.project(CENTER), zoom_start=11, tiles=None, control_scale=True, prefer_canvas=False)
    for layer in _tiles(base):
        layer.add_to(m)
    cluster = LocalCluster(options={"showCoverageOnHover": False, "chunkedLoading": True})
    cluster.add_to(m)
    _stable_ids(m, "atlas")
    return _script(m), m.get_name(), cluster.get_name()


def map_page(base: Basemap, map_name: str, cluster_name: str, unplaced: int = 0) -> Page:
    """/map/: the map fills the phone's screen; filters, legend, near me and a list view."""
    t = taxonomy()
    body = render("map.html", categories=t.categories, streets=t.streets, base=base, map_name=map_name, cluster_name=cluster_name, unplaced=unplaced,
                  leaflet_js=LEAFLET_JS, leaflet_zh=LEAFLET_ZH, leaflet_css=LEAFLET_CSS, cluster_js=CLUSTER_JS, cluster_css=CLUSTER_CSS, root="../")
    return Page("map/index.md", "地图", body, "九龙坡区协同育人资源地图：按类别和镇街筛选，查找离你最近的场馆", hide=("navigation", "toc"))


def markers(entries: list[Entry], base: Basemap) -> str:
    """Marker data for /map/, in the basemap's datum, in pinyin order (the lists sort by the
    index); compact so 3,000 markers stay light. Each row carries what its popup offers:
    a call and today's hours (an index into ``hours``, the distinct hours tables, or -1). ``seats`` are the streets/towns' seats in WGS-84 (选择镇街)."""
    t = taxonomy()
    codes = [c.code for c in t.categories]
    streets = [s.name for s in t.streets]
    rows = []
    tables = HoursTables()
    for e in sorted(entries, key=lambda e: (name_key(e.r.name), e.r.id)):
        if e.point is None:
            continue
        lat, lon = base.project(e.point)
        rows.append([e.r.id, e.r.name, codes.index(e.r.category), streets.index(e.r.street), e.r.address, round(lat, 6), round(lon, 6),
                     e.tel if e.r.phone else "", e.r.phone[0].display if e.r.phone else "", tables.index(e)])
    data = {
        "categories": [{"code": c.code, "label": c.label, "color": c.color, "mark": c.mark} for c in t.categories],
        "streets": streets,
        "seats": [[s.name, *s.seat] for s in t.streets],
        "datum": base.datum,
        "hours": tables.tables,
        "markers": rows,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
