"""The open data of /data/: the published rows as CSV, Excel, JSON, GeoJSON and a Frictionless data package.

Every file is made from the validated resources (drafts are never published), in CSV row
order, with coordinates resolved to WGS-84 (from the row or the geocode cache): the same
rows give the same bytes. HSDS (hsds.py) and the Atom feeds (feeds.py) sit beside them;
``files`` gathers all of them and ``data_page`` lists them for people.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass

from . import compact_json, feeds, hsds, pages, textsheet
from .history import History
from .pages import Entry, Page, render
from .schema import columns
from .tableschema import table_schema
from .taxonomy import taxonomy

LICENSE = {"name": "CC-BY-4.0", "title": "知识共享 署名 4.0 国际许可协议（CC BY 4.0）", "path": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"}
TITLE = "九龙坡区协同育人资源图谱"
_COORD_NOTE = "WGS-84（GPS）十进制度，已由原表的坐标系或地理编码缓存换算；空 = 尚无坐标"


@dataclass(frozen=True)
class Export:
    path: str  # under the site root, e.g. "data/resources.csv"
    content: bytes
    title: str  # what the /data/ page calls it
    note: str = ""

    @property
    def size(self) -> str:
        n = len(self.content)
        return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@dataclass(frozen=True)
class DataInfo:
    """What the exports say about themselves."""

    site_url: str = ""
    date: dt.date | None = None  # the date of the data: its last change or verification
    history: History | None = None  # the rows' git history, for the feeds


def data_info(site_url: str, entries: list[Entry], history: History | None) -> DataInfo:
    """The date of the data is its last commit or its latest verification, whichever is later."""
    dates = [e.r.verified_on for e in entries if e.r.verified_on]
    if history and history.last_commit:
        dates.append(history.last_commit.date())
    return DataInfo(site_url=site_url, date=max(dates, default=None), history=history)


# --- cells ---------------------------------------------------------------------------------


def _coordinate(value: float) -> float:
    return round(value, 6)  # ~0.1 m: more digits would be noise (RFC 7946, 11.2)


def record(entry: Entry) -> dict:
    """The row as JSON values: lists for multi-valued cells, numbers, ISO dates, null when blank."""
    r = entry.r
    data = r.model_dump()
    data["phone"] = [p.display + (f"转{p.extension}" if p.extension else "") for p in r.phone]
    for key in ("tags", "stages", "five_education", "holiday_service"):
        data[key] = list(data[key])
    data["lat"], data["lon"] = (_coordinate(entry.point[0]), _coordinate(entry.point[1])) if entry.point else (None, None)
    data["coord_system"] = "wgs84"
    data["verified_on"] = r.verified_on.isoformat() if r.verified_on else None
    return data


def cells(entry: Entry) -> list[str]:
    """The row as text cells in contract order, as atlas validate reads them back."""
    data = record(entry)
    out = []
    for c in columns():
        value = data[c.key]
        out.append(";".join(value) if isinstance(value, list) else "" if value is None else repr(value) if isinstance(value, float) else str(value))
    return out


# --- files ---------------------------------------------------------------------------------


def resources_csv(entries: list[Entry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(c.key for c in columns())
    writer.writerows(cells(e) for e in entries)
    return out.getvalue().encode("utf-8")


def resources_xlsx(entries: list[Entry]) -> bytes:
    return textsheet.workbook_bytes("资源表", [c.label for c in columns()], (cells(e) for e in entries))


def resources_json(entries: list[Entry], site_url: str = "") -> bytes:
    site = pages.SiteInfo(site_url=site_url)
    return compact_json.encode(record(e) | {"url": pages.page_url(site, f"r/{e.r.id}/")} for e in entries)


def resources_geojson(entries: list[Entry], site_url: str = "") -> bytes:
    """RFC 7946: a FeatureCollection in WGS-84 with [lon, lat] points, one Feature per placed resource."""
    site = pages.SiteInfo(site_url=site_url)

    def feature(e: Entry) -> dict:
        properties = {k: v for k, v in record(e).items() if k not in ("lat", "lon", "coord_system")}
        properties["category_label"] = e.category.label
        properties["url"] = pages.page_url(site, f"r/{e.r.id}/")
        return {
            "type": "Feature",
            "id": e.r.id,
            "geometry": {"type": "Point", "coordinates": [_coordinate(e.point[1]), _coordinate(e.point[0])]},
            "properties": properties,
        }

    return compact_json.encode((feature(e) for e in entries if e.point is not None), {"type": "FeatureCollection"}, "features")


def datapackage(csv_bytes: bytes, info: DataInfo, rows: int) -> bytes:
    """A Frictionless tabular data package describing resources.csv; its Table Schema comes from atlas.schema."""
    schema = table_schema()
    for field in schema["fields"]:
        if field["name"] in ("lat", "lon"):
            field["description"] = ("纬度" if field["name"] == "lat" else "经度") + "，" + _COORD_NOTE
        if field["name"] == "coord_system":
            field["description"] = "开放数据中的坐标一律为 wgs84"
    package = {
        "profile": "tabular-data-package",
        "name": "jlp-atlas",
        "title": TITLE,
        "description": f"九龙坡区面向中小学生、家长和教师开放的协同育人资源，共 {rows} 条；每行一处资源。",
        "licenses": [LICENSE],
        "keywords": ["九龙坡区", "协同育人", "研学", "公益假期托管"],
        **({"homepage": pages.page_url(pages.SiteInfo(site_url=info.site_url), "data/")} if info.site_url else {}),
        **({"created": f"{info.date.isoformat()}T00:00:00Z"} if info.date else {}),
        "resources": [{
            "name": "resources",
            "title": "资源表",
            "path": "resources.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(csv_bytes),
            "hash": "sha256:" + hashlib.sha256(csv_bytes).hexdigest(),
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": schema,
        }],
    }
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")  # read by people: indented


def files(entries: list[Entry], info: DataInfo) -> list[Export]:
    """Every file of /data/, in the order the page lists them."""
    table = resources_csv(entries)
    placed = sum(1 for e in entries if e.point)
    exports = [
        Export("data/resources.csv", table, "资源表（CSV，UTF-8）", "英文列名；多个值用 ; 分隔"),
        Export("data/resources.xlsx", resources_xlsx(entries), "资源表（Excel）", "中文列名；所有单元格均为文本"),
        Export("data/resources.json", resources_json(entries, info.site_url), "资源表（JSON）", "多值为数组，空值为 null"),
        Export("data/resources.geojson", resources_geojson(entries, info.site_url), "地图点位（GeoJSON）", f"WGS-84，{placed} 处有坐标"),
        Export("data/datapackage.json", datapackage(table, info, len(entries)), "数据包说明（Frictionless Data Package）", "各列的类型、取值范围和中文名"),
    ]
    exports += [Export(f"data/hsds/{name}", content, title, note) for name, content, title, note in hsds.files(entries)]
    exports += [Export(f"data/feeds/{name}", content, title) for name, content, title in feeds.files(entries, info.history, info.site_url)]
    return exports


def data_page(entries: list[Entry], exports: list[Export], info: DataInfo) -> Page:
    t = taxonomy()
    feeds_by_path = {e.path: e for e in exports if e.path.startswith("data/feeds/")}
    body = render(
        "data.html",
        license=LICENSE,
        title=TITLE,
        url=pages.page_url(pages.SiteInfo(site_url=info.site_url), "data/"),
        date=info.date.isoformat() if info.date else "",
        rows=len(entries),
        files=[e for e in exports if not e.path.startswith("data/feeds/")],
        feeds=[(label, feeds_by_path[f"data/feeds/{code}.atom"]) for code, label in [("all", "全部资源"), *((c.code, c.label) for c in t.categories)] if f"data/feeds/{code}.atom" in feeds_by_path],
    )
    return Page("data/index.md", "开放数据", body, "下载九龙坡区协同育人资源图谱的全部数据：CSV、Excel、JSON、GeoJSON、数据包、HSDS 和更新订阅（Atom）")
