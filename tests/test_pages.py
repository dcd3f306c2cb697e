"""Generated pages: golden files, deep links, hours, JSON-LD escaping, untrusted values."""

import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from atlas import contact, hours, jsonld, links, pages
from atlas.coords import distance_m, wgs84_to_gcj02
from atlas.geocache import locate
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes
from .sites import ROWS

GOLDEN = Path(__file__).parent / "golden"
SITE = pages.SiteInfo(site_url="https://atlas.example.org/", repo_url="https://github.com/example/atlas")


def entries():
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=csv_bytes(*ROWS))
    assert atlas.report.ok, atlas.report.errors
    return [pages.Entry(r, locate(r, {}), atlas.rows[r.id].number, atlas.rows[r.id].line) for r in atlas.resources]


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8"), f"{name} changed; rerun with UPDATE_GOLDEN=1 if intended"


@pytest.mark.parametrize("resource_id", ["example-museum", "example-care", "example-closed"])
def test_resource_pages_match_golden_files(resource_id):
    entry = next(e for e in entries() if e.r.id == resource_id)
    page = pages.resource_page(entry, SITE)
    golden(f"r-{resource_id}.md", page.markdown())
    golden(f"head-{resource_id}.html", jsonld.head(entry, pages.page_url(SITE, f"r/{resource_id}/"), "图谱", page.description))


def test_holiday_page_matches_golden_file():
    golden("holiday.md", pages.holiday_page(entries()).markdown())


def test_drafts_get_no_page():
    assert "example-draft" not in {e.r.id for e in entries()}


def test_html_block_has_no_blank_lines():
    # A blank line would end Python-Markdown's raw HTML block and expose the rest to Markdown.
    for entry in entries():
        body = pages.resource_page(entry, SITE).body
        assert "\n\n" not in body


# --- deep links: coordinate system and order per app ---------------------------------------------


def test_navigation_links_use_each_apps_order_and_datum():
    nav = links.navigation((29.5085, 106.511), "示例 & 场馆", "重庆市九龙坡区示例路1号")
    amap = parse_qs(urlsplit(nav["amap"]).query)
    assert nav["amap"].startswith("https://uri.amap.com/marker?")
    assert amap["position"] == ["106.511000,29.508500"] and amap["coordinate"] == ["wgs84"] and amap["name"] == ["示例 & 场馆"]
    baidu = parse_qs(urlsplit(nav["baidu"]).query)
    assert nav["baidu"].startswith("https://api.map.baidu.com/marker?")
    assert baidu["location"] == ["29.508500,106.511000"] and baidu["coord_type"] == ["wgs84"] and baidu["title"] == ["示例 & 场馆"]
    tencent = parse_qs(urlsplit(nav["tencent"]).query)
    assert nav["tencent"].startswith("https://apis.map.qq.com/uri/v1/marker?")
    assert tencent["coord_type"] == ["1"]  # 1 = GPS (WGS-84)
    assert tencent["marker"][0].startswith("coord:29.508500,106.511000;title:")
    assert unquote(tencent["marker"][0].split("title:")[1].split(";")[0]) == "示例 & 场馆"
    assert nav["geo"].startswith("geo:29.508500,106.511000?q=29.508500,106.511000(")


def test_separators_in_names_cannot_break_out_of_the_tencent_marker():
    nav = links.navigation((29.5, 106.5), "甲;addr:假地址&x=1", "地址")
    marker = parse_qs(urlsplit(nav["tencent"]).query)["marker"][0]
    assert marker.count(";") == 2 and "x" not in parse_qs(urlsplit(nav["tencent"]).query)


def test_gcj02_input_reaches_the_apps_as_wgs84():
    museum = next(e for e in entries() if e.r.id == "example-museum")
    # The row was picked on a GCJ-02 map; the WGS-84 point lies ~480 m away from it.
    assert distance_m(wgs84_to_gcj02(*museum.point), (29.505734, 106.514814)) < 0.5
    position = parse_qs(urlsplit(museum.nav["amap"]).query)["position"][0]
    lon, lat = map(float, position.split(","))
    assert distance_m((lat, lon), museum.point) < 0.2


def test_without_coordinates_the_apps_search_the_address():
    closed = next(e for e in entries() if e.r.id == "example-closed")
    assert closed.point is None and "geo" not in closed.nav
    assert "search" in closed.nav["amap"] and "geocoder" in closed.nav["baidu"] and "search" in closed.nav["tencent"]


def test_tel_links():
    assert links.tel("+862368781234") == "tel:+862368781234"
    assert links.tel("+862368781234", "8001") == "tel:+862368781234,8001"


# --- hours --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "osm,chinese",
    [
        ("Tu-Su 09:00-17:00; PH off", "周二至周日 09:00–17:00，法定节假日闭馆"),
        ("Mo-Fr 08:30-12:00,14:00-17:30; Sa,Su off", "周一至周五 08:30–12:00、14:00–17:30，周六、周日闭馆"),
        ("Mo-Su 09:00-21:00", "每天 09:00–21:00"),
        ("Fr-Mo 10:00-16:00", "周五至周一 10:00–16:00"),
        ("Mo,We,Fr 09:00-11:00", "周一、周三、周五 09:00–11:00"),
        ("24/7", "全天开放"),
        ("Jul-Aug Mo-Fr 09:00-17:00", None),  # beyond the subset: the page shows the OSM string
        ('Mo-Fr 09:00-17:00 "需预约"', None),
    ],
)
def test_hours_in_chinese(osm, chinese):
    assert hours.describe(osm) == chinese


def test_hours_as_schema_org():
    specs = hours.schema_org("Tu-Su 09:00-17:00; Su off")
    days = [s["dayOfWeek"].rsplit("/", 1)[1] for s in specs]
    assert days == ["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    assert specs[0]["opens"] == "09:00" and specs[0]["closes"] == "17:00"


# --- JSON-LD and escaping -----------------------------------------------------------------------


def test_json_ld_cannot_be_closed_by_a_cell():
    hostile = '</script><script>alert(1)</script><!-- \u2028 & "'
    text = jsonld.script_safe_json({"name": hostile})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text)["name"] == hostile


def test_json_ld_describes_the_place():
    museum = next(e for e in entries() if e.r.id == "example-museum")
    data = jsonld.place(museum, "https://atlas.example.org/r/example-museum/")
    assert data["@type"] == "Museum" and data["isAccessibleForFree"] is True
    assert data["potentialAction"]["@type"] == "ReserveAction"
    assert data["potentialAction"]["target"]["urlTemplate"] == "https://booking.example.gov.cn/a?b=1&c=2"
    assert [c["telephone"] for c in data["contactPoint"]] == ["+862368781234", "12345"]
    assert len(data["openingHoursSpecification"]) == 6


def test_untrusted_text_is_escaped_in_html_and_attributes():
    closed = next(e for e in entries() if e.r.id == "example-closed")
    body = pages.resource_page(closed, SITE).body
    assert '<h1>示例图书馆0003 &#34;A&amp;B&#34; &#39;x&#39;</h1>' in body
    assert 'data-title="示例图书馆0003 &#34;A&amp;B&#34; &#39;x&#39;"' in body
    museum = pages.resource_page(next(e for e in entries() if e.r.id == "example-museum"), SITE).body
    assert "<p>第二段 &amp; “引号” &lt;不是标签</p>" in museum
    head = jsonld.head(closed, "https://x/", "图谱", "a\"b<c>")
    assert 'content="a&#34;b&lt;c&gt;"' in head


def test_front_matter_title_is_quoted_yaml():
    closed = next(e for e in entries() if e.r.id == "example-closed")
    front = pages.resource_page(closed, SITE).markdown().split("---")[1]
    assert 'title: "示例图书馆0003 \\"A&B\\" \'x\'"' in front


def test_vcard_escapes_text_and_dials_extensions():
    museum = next(e for e in entries() if e.r.id == "example-museum")
    card = contact.vcard(museum.r, "https://atlas.example.org/r/example-museum/", museum.point)
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and card.endswith("END:VCARD\r\n")
    assert "TEL;TYPE=work,voice:+862368781234\r\n" in card and "TEL;TYPE=work,voice:12345\r\n" in card
    assert re.search(r"GEO:29\.5\d+;106\.5\d+", card)
    tricky = museum.r.model_copy(update={"name": "甲;乙,丙\n丁"})
    assert "FN:甲\\;乙\\,丙\\n丁\r\n" in contact.vcard(tricky, "u", None)


def test_qr_code_is_deterministic_svg():
    one = contact.qr_svg("https://atlas.example.org/r/x/", "示例")
    assert one == contact.qr_svg("https://atlas.example.org/r/x/", "示例")
    assert one.startswith("<?xml") and "<svg" in one


def test_correction_link_is_a_prefilled_issue():
    url = links.correction("https://github.com/example/atlas", "example-museum", "示例&博物馆", 2, "https://x/r/example-museum/")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.path == "/example/atlas/issues/new"
    assert query["title"] == ["信息有误：示例&博物馆（example-museum）"]
    assert "资源表第 2 行" in query["body"][0] and "example-museum" in query["body"][0]
