"""Links out of the atlas: navigation apps, phone calls, corrections and edits.

Each map app wants its own coordinate order and datum flag (DESIGN.md); all three are
https links because WeChat blocks custom URL schemes. Every value is percent-encoded.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from .coords import Point

APP = "jlp-atlas"  # Baidu and Tencent ask callers to name themselves


def _q(text: str) -> str:
    return quote(text, safe="")


def _field(text: str) -> str:
    # Tencent splits its marker on ";" and ":" after decoding, and geo: labels end at ")":
    # full-width look-alikes keep a name from ending the field early.
    return _q(text.translate(str.maketrans(";:()", "；：（）")))


def navigation(point: Point | None, name: str, address: str) -> dict[str, str]:
    """高德/百度/腾讯 links (and geo:) for a WGS-84 point; address searches without one."""
    if point is None:
        return {
            "amap": f"https://uri.amap.com/search?keyword={_q(address)}&city=500107&callnative=1",
            "baidu": f"https://api.map.baidu.com/geocoder?address={_q(address)}&output=html&src={APP}",
            "tencent": f"https://apis.map.qq.com/uri/v1/search?keyword={_q(address)}&region={_q('重庆')}&referer={APP}",
        }
    lat, lon = (f"{value:.6f}" for value in point)
    return {
        "amap": f"https://uri.amap.com/marker?position={lon},{lat}&name={_q(name)}&coordinate=wgs84&callnative=1",
        "baidu": f"https://api.map.baidu.com/marker?location={lat},{lon}&title={_q(name)}&content={_q(address)}&coord_type=wgs84&output=html&src={APP}",
        "tencent": f"https://apis.map.qq.com/uri/v1/marker?marker=coord:{lat},{lon};title:{_field(name)};addr:{_field(address)}&coord_type=1&referer={APP}",
        "geo": f"geo:{lat},{lon}?q={lat},{lon}({_field(name)})",
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
