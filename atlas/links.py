"""Links out of the atlas: navigation apps, phone calls, corrections and edits.

Each map app wants its own coordinate order and datum flag (DESIGN.md); all three are
https links because WeChat blocks custom URL schemes. Every value is percent-encoded.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from . import coords
from .coords import Point

APP = "jlp-atlas"  # the apps ask callers to name themselves
BAIDU_SRC = "webapp.jlp.atlas"  # 百度's rule: webapp.<company>.<app>
HERE = "我的位置"
CITY = "重庆"


def _q(text: str) -> str:
    return quote(text, safe="")


def _field(text: str) -> str:
    # Tencent and Baidu split their fields on ";", ":", "|" (and 高德 its point on ",") after
    # decoding, and geo: labels end at ")": full-width look-alikes keep a name from ending a
    # field early.
    return _q(text.translate(str.maketrans(";:|,()", "；：｜，（）")))


def navigation(point: Point | None, name: str, address: str) -> dict[str, str]:
    """Links that start a route from where the phone is to the resource, in 高德/百度/腾讯
    (and geo: for any other app), from a WGS-84 point; to the address when there is none.

    Each app's documented web URI, checked against its own pages:
    - 高德 路径规划 https://lbs.amap.com/api/uri-api/guide/travel/route: ``to=lon,lat,name``
      (longitude first); an empty ``from`` is the phone's position. The page documents no
      datum flag for navigation, so the point goes in 高德's own GCJ-02. It routes only to a
      point: without one, its 搜索 URI finds the address.
    - 百度 公交/驾车/步行导航 (api.map.baidu.com/direction, lbsyun.baidu.com URI API web):
      ``destination=latlng:lat,lng|name:…`` (latitude first), ``coord_type=wgs84``,
      ``mode``, ``region``, ``output=html``, ``src=webapp.<company>.<app>``; ``origin`` is
      required there, so it is the name 我的位置 (the app's direction URI starts from the
      phone's position when origin is absent). ``destination`` may be an address instead.
    - 腾讯 路线规划 https://lbs.qq.com/webApi/uriV1/uriGuide/uriWebRoute: ``type=drive``,
      ``to`` (a name, required) and ``tocoord=lat,lng`` (latitude first), ``coord_type=1``
      (GPS); with neither ``from`` nor ``fromcoord`` the mobile page starts at the phone's
      position. ``to`` alone routes to an address.
    All are https links: WeChat blocks custom URL schemes.
    """
    if point is None:
        return {
            "amap": f"https://uri.amap.com/search?keyword={_q(address)}&city=500107&src={APP}&callnative=1",
            "baidu": f"https://api.map.baidu.com/direction?origin={_q(HERE)}&destination={_q(address)}&mode=driving&region={_q(CITY)}&output=html&src={BAIDU_SRC}",
            "tencent": f"https://apis.map.qq.com/uri/v1/routeplan?type=drive&to={_q(address)}&referer={APP}",
        }
    lat, lon = (f"{value:.6f}" for value in point)
    g_lat, g_lon = (f"{value:.6f}" for value in coords.convert(*point, coords.WGS84, coords.GCJ02))
    return {
        "amap": f"https://uri.amap.com/navigation?to={g_lon},{g_lat},{_field(name)}&mode=car&src={APP}&callnative=1",
        "baidu": f"https://api.map.baidu.com/direction?origin={_q(HERE)}&destination=latlng:{lat},{lon}|name:{_field(name)}&mode=driving&region={_q(CITY)}&coord_type=wgs84&output=html&src={BAIDU_SRC}",
        "tencent": f"https://apis.map.qq.com/uri/v1/routeplan?type=drive&to={_field(name)}&tocoord={lat},{lon}&coord_type=1&referer={APP}",
        "geo": f"geo:{lat},{lon}?q={lat},{lon}({_field(name)})",
    }


def markers(point: Point, name: str) -> dict[str, str]:
    """Links that show a WGS-84 point on 高德 and 百度 (not a route): for checking a geocoded
    point (``atlas geocode-review``). Both take a datum flag, so the point goes as it is."""
    lat, lon = (f"{value:.6f}" for value in point)
    return {
        "amap": f"https://uri.amap.com/marker?position={lon},{lat}&name={_field(name)}&coordinate=wgs84&src={APP}&callnative=0",
        "baidu": f"https://api.map.baidu.com/marker?location={lat},{lon}&title={_field(name)}&content={_field(name)}&coord_type=wgs84&output=html&src={BAIDU_SRC}",
    }


def tel(number: str, extension: str = "") -> str:
    # RFC 3966: a pause (",") then the extension, which most phone dialers honour.
    return f"tel:{number}" + (f",{extension}" if extension else "")


def correction(repo_url: str, resource_id: str, name: str, row: int, page_url: str) -> str:
    """A prefilled GitHub issue asking for a correction of one row."""
    title = f"信息有误：{name}（{resource_id}）"
    body = (
        f"资源编号：{resource_id}\n资源表第 {row} 行\n页面：{page_url}\n\n"
        "哪一项有误？正确的信息是什么？信息来源（公告网址或来电日期）：\n\n"
        "（请不要填写任何个人信息）"
    )
    return f"{repo_url.rstrip('/')}/issues/new?" + urlencode({"title": title, "body": body, "labels": "数据更正"}, quote_via=quote)


def edit_row(repo_url: str, branch: str, data_path: str, line: int) -> str:
    """The CSV on GitHub, scrolled to the row (the pencil there opens the editor)."""
    return f"{repo_url.rstrip('/')}/blob/{branch}/{data_path}#L{line}"
