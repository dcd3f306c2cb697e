"""Generated pages: golden files, deep links, hours, JSON-LD escaping, untrusted values."""

import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pathspec
import pytest
import yaml

from atlas import contact, holidays, hours, jsonld, links, pager, pages
from atlas.coords import distance_m, wgs84_to_gcj02
from atlas.geocache import locate
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes, row
from .sites import ROWS

GOLDEN = Path(__file__).parent / "golden"
SITE = pages.SiteInfo(site_url="https://atlas.example.org/", repo_url="https://github.com/example/atlas")


def entries():
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=csv_bytes(*ROWS))
    assert atlas.report.ok, atlas.report.errors
    return [pages.Entry(r, locate(r, {}), atlas.rows[r.id].number, atlas.rows[r.id].line, calendar=holidays.china()) for r in atlas.resources]


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
    # A small atlas keeps its one holiday page, byte for byte as before pagination.
    [page] = pages.holiday_pages(entries())
    golden("holiday.md", page.markdown())


def test_drafts_get_no_page():
    assert "example-draft" not in {e.r.id for e in entries()}


def test_html_block_has_no_blank_lines():
    # A blank line would end Python-Markdown's raw HTML block and expose the rest to Markdown.
    for entry in entries():
        body = pages.resource_page(entry, SITE).body
        assert "\n\n" not in body


# --- deep links: coordinate system and order per app ---------------------------------------------


def test_navigation_links_start_a_route_with_each_apps_order_and_datum():
    point = (29.5085, 106.511)
    g_lat, g_lon = wgs84_to_gcj02(*point)
    nav = links.navigation(point, "示例 & 场馆", "重庆市九龙坡区示例路1号")
    # 高德 路径规划: to=lon,lat,name in GCJ-02 (its navigation URI has no datum flag); an
    # empty from is the phone's position.
    assert nav["amap"] == (f"https://uri.amap.com/navigation?to={g_lon:.6f},{g_lat:.6f},%E7%A4%BA%E4%BE%8B%20%26%20%E5%9C%BA%E9%A6%86"
                           "&mode=car&src=jlp-atlas&callnative=1")
    assert distance_m((g_lat, g_lon), point) > 300  # really moved into 高德's datum
    # 百度 direction: latitude first, flagged WGS-84, origin the phone's position.
    assert nav["baidu"] == ("https://api.map.baidu.com/direction?origin=%E6%88%91%E7%9A%84%E4%BD%8D%E7%BD%AE"
                            "&destination=latlng:29.508500,106.511000|name:%E7%A4%BA%E4%BE%8B%20%26%20%E5%9C%BA%E9%A6%86"
                            "&mode=driving&region=%E9%87%8D%E5%BA%86&coord_type=wgs84&output=html&src=webapp.jlp.atlas")
    # 腾讯 routeplan: latitude first, coord_type=1 is GPS (WGS-84), no from = the phone's position.
    assert nav["tencent"] == ("https://apis.map.qq.com/uri/v1/routeplan?type=drive&to=%E7%A4%BA%E4%BE%8B%20%26%20%E5%9C%BA%E9%A6%86"
                              "&tocoord=29.508500,106.511000&coord_type=1&referer=jlp-atlas")
    assert nav["geo"] == "geo:29.508500,106.511000?q=29.508500,106.511000(%E7%A4%BA%E4%BE%8B%20%26%20%E5%9C%BA%E9%A6%86)"
    assert all("marker" not in url for url in nav.values())


def test_separators_in_names_cannot_break_out_of_a_field():
    nav = links.navigation((29.5, 106.5), "甲,乙|name:假;addr:假地址&x=1", "地址")
    amap = parse_qs(urlsplit(nav["amap"]).query)
    assert amap["to"][0].count(",") == 2 and amap["to"][0].endswith("甲，乙｜name：假；addr：假地址&x=1")
    baidu = parse_qs(urlsplit(nav["baidu"]).query)
    assert baidu["destination"][0].count("|") == 1 and "x" not in baidu
    assert "x" not in parse_qs(urlsplit(nav["tencent"]).query)


def test_gcj02_input_reaches_the_apps_in_their_datum():
    museum = next(e for e in entries() if e.r.id == "example-museum")
    # The row was picked on a GCJ-02 map; the WGS-84 point lies ~480 m away from it.
    assert distance_m(wgs84_to_gcj02(*museum.point), (29.505734, 106.514814)) < 0.5
    lon, lat = map(float, parse_qs(urlsplit(museum.nav["amap"]).query)["to"][0].split(",")[:2])
    assert distance_m((lat, lon), (29.505734, 106.514814)) < 0.5  # 高德 gets its own datum back
    lat, lon = map(float, parse_qs(urlsplit(museum.nav["tencent"]).query)["tocoord"][0].split(","))
    assert distance_m((lat, lon), museum.point) < 0.2  # 腾讯 gets WGS-84, flagged coord_type=1


def test_without_coordinates_the_apps_route_to_the_address():
    closed = next(e for e in entries() if e.r.id == "example-closed")
    assert closed.point is None and "geo" not in closed.nav
    address = "%E9%87%8D%E5%BA%86%E5%B8%82%E4%B9%9D%E9%BE%99%E5%9D%A1%E5%8C%BA%E7%A4%BA%E4%BE%8B%E8%B7%AF3%E5%8F%B7"
    # 高德's navigation URI takes only points: its search URI finds the address instead.
    assert closed.nav["amap"] == f"https://uri.amap.com/search?keyword={address}&city=500107&src=jlp-atlas&callnative=1"
    assert closed.nav["baidu"] == (f"https://api.map.baidu.com/direction?origin=%E6%88%91%E7%9A%84%E4%BD%8D%E7%BD%AE&destination={address}"
                                   "&mode=driving&region=%E9%87%8D%E5%BA%86&output=html&src=webapp.jlp.atlas")
    assert closed.nav["tencent"] == f"https://apis.map.qq.com/uri/v1/routeplan?type=drive&to={address}&referer=jlp-atlas"


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


def test_a_row_stale_on_the_datas_date_is_marked_in_the_html():
    """atlas.js reveals 信息待核实 once a row goes stale in the reader's calendar; a row that
    was stale on the data's date already says so in the HTML, so nothing moves once drawn."""
    museum = next(e for e in entries() if e.r.id == "example-museum")  # verified 2026-05-01
    badge = re.compile(r'<span class="atlas-unverified" data-verified="2026-05-01" data-stale-days="365"( hidden)?>信息待核实</span>')

    def hidden(data_date: str) -> bool:
        [match] = badge.findall(pages.resource_page(museum, pages.SiteInfo(data_date=data_date)).body)
        return match == " hidden"

    assert hidden("")  # no date known: left to atlas.js
    assert hidden("2027-05-01")  # 365 days: not older than stale_days yet
    assert not hidden("2027-05-02")  # 366 days, as atlas.js's ageInDays > staleDays


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


# --- pagination of the browse pages -------------------------------------------------------------


@pytest.mark.parametrize("total,count", [(0, 1), (1, 1), (50, 1), (51, 2), (130, 3), (1968, 40)])
def test_page_count(total, count):
    assert pager.page_count(total) == count


@pytest.mark.parametrize(
    "current,count,shown",
    [
        (1, 1, [1]),
        (2, 3, [1, 2, 3]),
        (1, 40, [1, 2, None, 40]),
        (3, 40, [1, 2, 3, 4, None, 40]),
        (4, 40, [1, 2, 3, 4, 5, None, 40]),  # a gap of one page shows the page
        (5, 40, [1, None, 4, 5, 6, None, 40]),
        (37, 40, [1, None, 36, 37, 38, 39, 40]),
        (40, 40, [1, None, 39, 40]),
    ],
)
def test_compact_page_numbers(current, count, shown):
    assert pager.page_numbers(current, count) == shown


@pytest.mark.parametrize("current,count", [(0, 3), (4, 3)])
def test_page_numbers_refuse_a_page_outside_the_listing(current, count):
    with pytest.raises(ValueError):
        pager.page_numbers(current, count)


def test_pager_links_are_relative_to_each_page():
    first, middle, last = pager.Pager(1, 3, 130), pager.Pager(2, 3, 130), pager.Pager(3, 3, 130)
    assert (first.previous, first.next, first.href(1), first.href(3)) == ("", "2/", "./", "3/")
    assert (middle.previous, middle.next, middle.href(1)) == ("../", "../3/", "../")
    assert (last.previous, last.next) == ("../2/", "")
    assert [link["href"] for link in middle.links] == ["../", "../2/", "../3/"]
    assert [link["current"] for link in middle.links] == [False, True, False]


# 130 fictional museums in one street, all for 初中: category, street and stage paginate.
MUSEUMS = [row(id=f"example-m{n:04d}", name=f"示例场馆{n:04d}", category="museum", stages="初中") for n in range(130)]


def entries_of(*rows):
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=csv_bytes(*rows))
    assert atlas.report.ok, atlas.report.errors
    return [pages.Entry(r, locate(r, {}), atlas.rows[r.id].number, atlas.rows[r.id].line, calendar=holidays.china()) for r in atlas.resources]


@pytest.fixture(scope="module")
def paginated():
    return {p.path: p for p in pages.browse_pages(entries_of(*ROWS, *MUSEUMS), SITE)}


def test_listings_paginate_with_page_numbers_in_titles(paginated):
    assert [p for p in paginated if p.startswith("c/museum")] == ["c/museum.md", "c/museum/2.md", "c/museum/3.md"]
    assert paginated["c/museum.md"].title == "博物馆·纪念馆·美术馆"
    assert paginated["c/museum/3.md"].title == "博物馆·纪念馆·美术馆（第 3 页）"
    assert paginated["c/museum/2.md"].description.endswith("（第 2 页，共 3 页）")
    body = paginated["c/museum/2.md"].body
    assert '<p class="atlas-count">第 2 页，共 3 页 · 共 131 处</p>' in body
    assert '<a href="../2/" aria-label="第 2 页" aria-current="page">2</a>' in body
    assert 'href="../" rel="prev">上一页</a>' in body and 'href="../3/" rel="next">下一页</a>' in body
    assert 'href="../../../r/example-m0050/"' in body  # one folder deeper than page 1
    assert body.count('aria-current="page"') == 1
    assert "上一页</span>" in paginated["c/museum.md"].body and "下一页</span>" in paginated["c/museum/3.md"].body
    titles = [p.title for p in paginated.values()]
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize(
    "base,query",
    [("c/museum", {"category": "museum"}), ("s/yangjiaping", {"street": "杨家坪街道"}), ("stage/junior", {"stage": "初中"})],
)
def test_paginated_listings_link_to_the_finder_with_their_filter(paginated, base, query):
    for path in (f"{base}.md", f"{base}/2.md"):
        link = re.search(r'<a href="([^"]*)">在查找页筛选 →</a>', paginated[path].body).group(1)
        assert link.startswith("../../" if path.endswith(f"{base}.md") else "../../../")
        assert "%" in link or query.get("category")  # Chinese values are URL-encoded
        assert {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()} == query


def test_every_resource_is_on_exactly_one_page_of_its_listing(paginated):
    seen = []
    for path in ("c/museum.md", "c/museum/2.md", "c/museum/3.md"):
        ids = re.findall(r'data-resource-id="([^"]+)"', paginated[path].body)
        assert len(ids) <= pager.PER_PAGE
        seen += ids
    assert sorted(seen) == sorted(["example-museum"] + [m["id"] for m in MUSEUMS])
    assert len(seen) == len(set(seen))


def test_small_listings_keep_one_page_without_a_pager():
    small = pages.browse_pages(entries(), SITE)
    assert not [p for p in small if re.search(r"/\d+\.md$", p.path)]
    for page in small:
        assert "atlas-pager" not in page.body and "在查找页筛选" not in page.body and "第 1 页" not in page.description


def test_pagination_is_deterministic(paginated):
    again = pages.browse_pages(entries_of(*ROWS, *MUSEUMS), SITE)
    assert [(p.path, p.markdown()) for p in again] == [(p.path, p.markdown()) for p in paginated.values()]


def test_generated_listings_stay_out_of_the_nav(paginated):
    config = yaml.safe_load((Path(__file__).parent.parent / "mkdocs.yml").read_text("utf-8"))
    spec = pathspec.GitIgnoreSpec.from_lines(config["not_in_nav"].splitlines())
    def paths(items):  # a nav section (数据编辑) holds a list of its own
        for item in items:
            for value in item.values():
                yield from paths(value) if isinstance(value, list) else [value]

    in_nav = set(paths(config["nav"]))
    split = pages.holiday_pages(entries_of(*ROWS, *HOLIDAY))
    for path in {*paginated, *(p.path for p in split)} - in_nav:
        assert spec.match_file(path), path


# --- the holiday page when it is split ----------------------------------------------------------


# 110 fictional care sites in two towns, one with quotes and an ampersand in its name.
HOLIDAY = [
    row(id=f"example-h{n:04d}", name=f"示例托管点{n:04d}" + (' "A&B" \'x\'' if n == 7 else ""), category="holiday_care",
        street=("华岩镇", "西彭镇")[n % 2], holiday_service="暑假", lat=f"{(29.4780, 29.3150)[n % 2] + n * 0.0003:.4f}",
        lon=f"{(106.4450, 106.3600)[n % 2] + n * 0.0002:.4f}")
    for n in range(110)
]


def test_a_large_holiday_page_becomes_an_index_of_streets():
    split = {p.path: p for p in pages.holiday_pages(entries_of(*ROWS, *HOLIDAY))}
    assert sorted(split) == ["holiday/huayan.md", "holiday/huayan/2.md", "holiday/index.md", "holiday/xipeng.md", "holiday/xipeng/2.md"]
    index = split["holiday/index.md"].body
    assert 'data-sites="../holiday/sites.json"' in index and "不会上传" in index
    assert '<a class="atlas-tile" href="huayan/">' in index and "56 处" in index  # 55 + the fixture's care site
    assert 'href="../c/holiday_care/"' in index and "atlas-card-item" not in index  # 111 sites: too many to list
    street = split["holiday/xipeng/2.md"]
    assert street.title == "西彭镇 · 假期托管（第 2 页）"
    assert 'data-sites="../../../holiday/sites.json" data-street="西彭镇"' in street.body
    assert '<a href="../../../holiday/">← 各镇街的假期托管</a>' in street.body
    ids = [i for p in split.values() for i in re.findall(r'data-resource-id="([^"]+)"', p.body)]
    assert sorted(ids) == sorted(["example-care"] + [h["id"] for h in HOLIDAY])


def test_holiday_sites_json_has_every_site_with_a_point():
    data = json.loads(pages.holiday_sites(entries_of(*ROWS, *HOLIDAY)))
    assert data["datum"] == "wgs84" and data["streets"][data["sites"][0][2]]
    by_id = {s[0]: s for s in data["sites"]}
    assert set(by_id) == {"example-care"} | {h["id"] for h in HOLIDAY}
    assert by_id["example-h0007"][1] == '示例托管点0007 "A&B" \'x\'' and by_id["example-h0007"][3] == 1
    assert by_id["example-h0001"][5:] == [29.3153, 106.3602, "", "", -1]  # 西彭镇; no phone, no hours table
    care = by_id["example-care"]  # Mo-Fr hours: one table, shared by every row with the same hours
    assert data["hours"][care[9]]["w"][0] == [[510, 720], [840, 1050]] and data["hours"][care[9]]["w"][6] == []
