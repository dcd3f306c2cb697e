"""The public site on a phone, in Chinese (issue 11): at 390×844, in normal and 大字 mode, as a
parent would use it — what is on screen, what covers what, what it says — with axe-core in
every state reached by tapping. Fictional data: every venue has a point, a phone and hours."""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from atlas import coords, links, maps
from atlas.pages import HOLIDAY_ORDER
from atlas.taxonomy import taxonomy

from .browser import PHONE, assert_seen, offline_tiles, phone_on, seen, serve, still, watch
from .phone_rows import CARE, HERE, ROWS_PHONE, VENUES
from .sites import build, make_project
from .test_quality import serious_findings

pytestmark = pytest.mark.browser

TILE_HOSTS = maps.basemap("amap").hosts
MODES = ["normal", "大字"]
LARGE = "localStorage.setItem('atlas.large-text', '1')"
YJP = ".leaflet-marker-icon[title=示例托管点杨家坪]"  # the one care site in 杨家坪: never in a cluster


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("phone-site")
    result = build(make_project(project, rows=ROWS_PHONE), project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def site(built):
    with serve(built) as url:
        yield url


@pytest.fixture(params=MODES)
def phone(request, browser, site):
    """A phone in 华岩镇 with location allowed, in normal and in 大字 mode."""
    with phone_on(browser, site, HERE, TILE_HOSTS) as page:
        if request.param == "大字":
            page.context.add_init_script(LARGE)
        page.mode = request.param
        yield page


@pytest.fixture(params=MODES)
def refused(request, browser, site):
    """A phone whose owner said no to location."""
    context = browser.new_context(**PHONE)
    offline_tiles(context, TILE_HOSTS)
    if request.param == "大字":
        context.add_init_script(LARGE)
    page = watch(context.new_page())
    yield page
    context.close()


def no_serious_axe(page) -> None:
    assert serious_findings(page) == []


def distance(r: dict) -> float:
    return coords.distance_m(HERE, (float(r["lat"]), float(r["lon"])))


def ids(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("items => items.filter(li => li.offsetParent).map(li => li.dataset.resourceId)")


# --- 1. developers' material stays in the repository --------------------------------------------


def test_the_built_site_has_no_benchmark_page_in_nav_or_search(built):
    assert not [p for p in built.rglob("*") if "bench" in p.name.lower()]
    index = json.loads((built / "search" / "pages.json").read_text("utf-8"))  # atlas/page_search.py
    text = json.dumps(index, ensure_ascii=False)
    for word in ("bench", "基准", "scripts/", "N = 30", "PASS", "gzip"):
        assert word not in text, word
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', (built / "index.html").read_text("utf-8"), re.S).group(0)
    assert "基准" not in nav and "bench" not in nav
    assert "bench" not in (built / "sitemap.xml").read_text("utf-8")


# --- 2. Chinese in every control and message -----------------------------------------------------

# Latin words a page may show: the licence's name, names of formats and languages (CSV,
# Excel, WPS, JSON, GeoJSON, Atom, HSDS, ics, JavaScript), names of services (GitHub, Netlify) and
# IP (the privacy note says what is kept), and the pinyin initials the search hints
# offer as examples. Everything else in Latin letters is English left in the UI. The editors'
# guide and the open-data page document the CSV's English column keys and the files' names
# on purpose.
ALLOWED = {"CC", "BY", "CSV", "Excel", "WPS", "JSON", "GeoJSON", "Atom", "HSDS", "ics", "JavaScript", "tsg", "bwg",
           "GitHub", "Netlify", "IP"}  # the last: names the correction form and its privacy note must use
FOR_EDITORS = {"editors/index.html", "editors/coordinates/index.html", "editors/columns/index.html", "editors/messages/index.html", "editors/picker/index.html", "data/index.html"}
DATA_WORDS = {w for r in ROWS_PHONE for v in r.values() for w in re.findall(r"[A-Za-z]{2,}", v)}
WORD = re.compile(r"[A-Za-z]{2,}")


def english(text: str) -> set[str]:
    text = re.sub(r"https?://\S+", " ", text)  # an address printed for the reader (a handout's link) is not UI text
    return set(WORD.findall(text)) - ALLOWED - DATA_WORDS


def visible_text(page_html: str, tag: str = " ") -> str:
    """What a reader sees or hears of built HTML: text outside scripts, styles, SVG and code,
    and the attributes read aloud or shown (title, aria-label, alt, placeholder). Tags become
    ``tag``: "" keeps the spacing the source has between inline elements."""
    body = re.sub(r"<(script|style|svg|template)\b.*?</\1>", " ", page_html, flags=re.S | re.I)
    body = re.sub(r"<code\b.*?</code>", "X", body, flags=re.S | re.I)  # a word of its own, spaced as written
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    spoken = " ".join(m.group(2) for m in re.finditer(r'\b(title|aria-label|alt|placeholder)="([^"]*)"', body))
    head_free = re.sub(r"<head\b.*?</head>", " ", body, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", tag, head_free) + " " + spoken)


def test_no_english_in_the_built_pages(built):
    found = {}
    for path in built.rglob("*.html"):
        if str(path.relative_to(built)) in FOR_EDITORS:
            continue
        words = english(visible_text(path.read_text("utf-8")))
        if words:
            found[str(path.relative_to(built))] = sorted(words)
    assert found == {}


RUNNING_TEXT = """() => {
  const spoken = [...document.querySelectorAll('[title], [aria-label], [alt], [placeholder]')]
    .filter((el) => !el.closest('.md-search') || el.matches('input'))
    .map((el) => [el.title, el.getAttribute('aria-label'), el.alt, el.placeholder].filter(Boolean).join(' '));
  return document.body.innerText + ' ' + spoken.join(' ');
}"""


def assert_controls_in_chinese(page) -> None:
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "放大"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "缩小"
    attribution = page.locator(".leaflet-control-attribution")
    assert attribution.inner_text().startswith("© 高德地图") and attribution.locator("svg").count() == 0  # no prefix, no flag


def test_the_editors_coordinate_picker_map_is_in_chinese_too(phone, site):
    phone.goto(site + "editors/picker/")
    phone.wait_for_selector(".atlas-picker-map .leaflet-control-zoom-in", timeout=10000)
    assert_controls_in_chinese(phone)
    assert "Leaflet" not in phone.locator(".atlas-picker-map").inner_text()
    assert phone.errors == []


def test_no_english_in_the_running_pages(phone, site):
    states = []
    phone.goto(site + "map/?category=holiday_care")
    phone.wait_for_selector(".leaflet-marker-icon", timeout=10000)
    still(phone.locator(YJP)).click()
    phone.wait_for_selector(".atlas-popup .atlas-card-hours.is-open, .atlas-popup .atlas-card-hours.is-closed", timeout=10000)
    states.append(("map with a popup", phone.evaluate(RUNNING_TEXT)))
    assert_controls_in_chinese(phone)
    assert phone.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "关闭"
    scale = phone.locator(".leaflet-control-scale-line")
    assert scale.count() == 1 and re.fullmatch(r"\d+ (米|公里)", scale.inner_text())  # metric only, in Chinese
    phone.goto(site + "routes/example-route/")
    phone.wait_for_selector(".atlas-route-map .leaflet-control-zoom-in", timeout=10000)
    states.append(("route maps", phone.evaluate(RUNNING_TEXT)))
    phone.goto(site + "r/example-care-hy1/")
    phone.locator(".atlas-minimap").scroll_into_view_if_needed()
    phone.wait_for_selector(".atlas-minimap[data-ready=true]", timeout=10000)
    states.append(("resource page with its mini-map", phone.evaluate(RUNNING_TEXT)))
    phone.goto(site + "holiday/")
    phone.locator(".atlas-nearest").click()
    phone.wait_for_selector(".atlas-holiday-back:not([hidden])")
    states.append(("holiday page, nearest first", phone.evaluate(RUNNING_TEXT)))
    assert {name: english(text) for name, text in states} == {name: set() for name, _ in states}
    assert phone.errors == []


def test_the_footer_is_the_sites_own(built):
    footer = re.search(r'<div class="md-copyright atlas-footer">.*?</div>', (built / "index.html").read_text("utf-8"), re.S).group(0)
    text = " ".join(visible_text(footer, "").split())
    assert "Material" not in footer
    assert "发布：九龙坡区协同育人资源图谱" in text and "CC BY 4.0" in text
    assert "地图底图：高德地图 · 审图号：待补充" in text  # never an invented number
    # The date of the data (no git here: the latest 核实日期), not of the build: reproducible.
    assert "数据更新：2026-09-15" in text


# --- 3. maps stay under the sticky header ---------------------------------------------------------

MAPS = {
    "map": ("map/", ".atlas-map", ".atlas-map .leaflet-marker-icon"),
    "mini-map": ("r/example-care-hy1/", ".atlas-minimap", ".atlas-minimap[data-ready=true] .leaflet-marker-icon"),
    "route map": ("routes/example-route/", ".atlas-route-map", ".atlas-route-map .atlas-stop-number"),
}
HEADER = ["label.md-header__button[for=__drawer]", ".atlas-textsize", "label.md-header__button[for=__search]", ".md-header__title"]


@pytest.mark.parametrize("name", MAPS)
def test_maps_stay_under_the_sticky_header(phone, site, name):
    path, box, ready = MAPS[name]
    phone.goto(site + path)
    phone.locator(box).first.scroll_into_view_if_needed()
    phone.wait_for_selector(ready, timeout=10000)
    # Scroll until the map's zoom buttons and top edge are behind the header (room below, as a
    # longer description would give, so that a short page can scroll that far).
    phone.evaluate("(s) => { document.body.style.paddingBottom = '100vh'; scrollTo(0, document.querySelector(s).getBoundingClientRect().top + scrollY - 10); }", box)
    phone.wait_for_timeout(200)
    zoom = phone.locator(f"{box} .leaflet-control-zoom-in").first
    assert zoom.bounding_box()["y"] < phone.locator("header.md-header").bounding_box()["height"]  # really under it
    for selector in HEADER:
        assert_seen(phone.locator(selector).first)
    # Every point of the header bar belongs to the header, not to the map.
    inside = phone.evaluate("""() => { const h = document.querySelector('header.md-header').getBoundingClientRect();
      return [0.1, 0.3, 0.5, 0.7, 0.9].every((f) => document.elementFromPoint(innerWidth * f, h.bottom - 3).closest('header.md-header')); }""")
    assert inside
    no_serious_axe(phone)


# --- 4. /holiday/ for parents looking for 托管 ---------------------------------------------------


def test_holiday_lists_care_sites_first_by_street_then_by_distance_and_back(phone, site):
    phone.goto(site + "holiday/")
    assert phone.locator(".atlas-holiday-section h2").all_inner_texts() == ["公益假期托管点（5 处）", "假期开放的场馆（6 处）"]
    assert phone.locator(".atlas-holiday-order").inner_text() == HOLIDAY_ORDER
    by_street = ids(phone, "#care .atlas-card-item")
    # The district's street order (杨家坪 before 华岩 before 西彭), names in pinyin order within.
    assert by_street == ["example-care-yjp", "example-care", "example-care-hy2", "example-care-hy1", "example-all-holiday-care"]  # 二 (er) before 一 (yi)
    assert phone.locator("#care h3").all_inner_texts() == ["杨家坪街道", "华岩镇", "西彭镇"]
    no_serious_axe(phone)

    phone.locator(".atlas-nearest").click()
    back = phone.locator(".atlas-street-order")
    back.wait_for()
    care = [r for r in ROWS_PHONE if r["category"] == "holiday_care"]
    assert ids(phone, "#care .atlas-card-item") == [r["id"] for r in sorted(care, key=distance)]
    assert ids(phone, "#open .atlas-card-item") == [r["id"] for r in sorted(VENUES, key=distance)]
    # The venues are nearer, yet the nearest 托管点 is the first thing listed, and it is in view.
    assert distance(VENUES[0]) < min(map(distance, care))
    still(back)
    assert_seen(back)
    first = phone.locator("#care .atlas-card-item").first
    assert_seen(first.locator(".atlas-card-name"))
    assert phone.locator(".atlas-holiday-order").inner_text() == "按离你的距离排列：公益假期托管点在前，其后是假期开放的场馆。"
    assert phone.locator("#care h3").first.is_hidden()
    no_serious_axe(phone)

    back.click()
    assert ids(phone, "#care .atlas-card-item") == by_street
    assert phone.locator(".atlas-holiday-order").inner_text() == HOLIDAY_ORDER
    assert phone.locator(".atlas-distance:visible").count() == 0
    assert phone.errors == []


def test_holiday_filters(phone, site):
    phone.goto(site + "holiday/")
    phone.locator(".atlas-holiday-filters label", has_text="暑假").click()
    summer = [r["id"] for r in ROWS_PHONE if "暑假" in r.get("holiday_service", "")]
    assert sorted(ids(phone, ".atlas-holiday-section .atlas-card-item")) == sorted(summer)
    assert phone.locator("[data-count=care]").inner_text() == "3" and phone.locator("[data-count=open]").inner_text() == "4"
    assert phone.locator("#care h3:visible").all_inner_texts() == ["杨家坪街道", "华岩镇"]  # 西彭镇's site offers no 暑假
    phone.locator(".atlas-holiday-filters label", has_text="只看托管").click()
    assert phone.locator("#open").is_hidden() and phone.locator("[data-count=open]").inner_text() == "0"
    for box in phone.locator(".atlas-holiday-filters input").all():
        assert_seen(box)
    no_serious_axe(phone)
    phone.locator(".atlas-holiday-filters label", has_text="暑假").click()  # untick: every care site again
    assert len(ids(phone, ".atlas-holiday-section .atlas-card-item")) == 5


# --- 5. 离我最近 that helps --------------------------------------------------------------------------

CARD_ACTIONS = {"call": 'a[href^="tel:"]', "route": 'a[href^="https://uri.amap.com/navigation?to="]'}


def assert_card_helps(card) -> None:
    """Call, a route and today's hours, on screen and readable."""
    for selector in CARD_ACTIONS.values():
        assert card.locator(selector).count() == 1, selector
    assert re.fullmatch(r"(正在开放|未开放) · (今天 \d\d:\d\d–\d\d:\d\d(、\d\d:\d\d–\d\d:\d\d)*|今日不开放|全天开放)", card.locator(".atlas-card-hours").inner_text())


def test_near_me_on_the_map_shows_the_list_in_view_with_call_route_and_hours(phone, site):
    phone.goto(site + "map/")
    phone.wait_for_selector(".leaflet-marker-icon", timeout=10000)
    phone.locator(".atlas-near-me").click()
    first = phone.locator(".atlas-nearest-five > li").first
    first.wait_for()
    phone.wait_for_selector(".atlas-nearest-five .atlas-card-hours.is-open, .atlas-nearest-five .atlas-card-hours.is-closed")
    still(first)
    assert ids(phone, ".atlas-nearest-five > li")[0] == min(ROWS_PHONE, key=lambda r: distance(r) if r["lat"] else 1e9)["id"]
    assert_seen(first.locator(".atlas-card-name"))
    assert_seen(first.locator(CARD_ACTIONS["call"]))
    for card in phone.locator(".atlas-nearest-five > li").all():
        assert_card_helps(card)
    no_serious_axe(phone)
    assert phone.errors == []


def test_map_popups_have_call_route_and_hours(phone, site):
    phone.goto(site + "map/?category=holiday_care")
    phone.wait_for_selector(".leaflet-marker-icon", timeout=10000)
    phone.locator(".atlas-map").scroll_into_view_if_needed()
    pin = phone.locator(YJP)
    assert pin.inner_text() == "托"  # a character as well as a colour
    still(pin).click()
    popup = phone.locator(".atlas-popup")
    popup.wait_for()
    phone.wait_for_selector(".atlas-popup .atlas-card-hours.is-open, .atlas-popup .atlas-card-hours.is-closed", timeout=10000)
    assert_card_helps(popup)
    assert_seen(still(popup.locator(".atlas-card-name")))
    no_serious_axe(phone)


def test_refused_location_offers_the_streets(refused, site):
    refused.goto(site + "map/")
    refused.wait_for_selector(".leaflet-marker-icon", timeout=10000)
    refused.locator(".atlas-near-me").click()
    picker = refused.locator(".atlas-seat-picker select")
    picker.wait_for()
    assert refused.locator(".atlas-map-status").inner_text().startswith("没有获得位置权限。可以选择你所在的镇街")
    assert_seen(picker)
    no_serious_axe(refused)
    picker.select_option("华岩镇")
    refused.locator(".atlas-nearest-five > li").first.wait_for()
    seat = taxonomy().street("华岩镇").seat
    placed = [r for r in ROWS_PHONE if r["lat"]]
    nearest = min(placed, key=lambda r: coords.distance_m(seat, (float(r["lat"]), float(r["lon"]))))
    assert ids(refused, ".atlas-nearest-five > li")[0] == nearest["id"]
    assert refused.locator(".atlas-map-status").inner_text().startswith("离华岩镇中心最近的 5 处")

    refused.goto(site + "holiday/")
    refused.locator(".atlas-nearest").click()
    refused.locator(".atlas-seat-picker select").select_option("杨家坪街道")
    refused.locator(".atlas-street-order").wait_for()
    assert ids(refused, "#care .atlas-card-item")[0] == "example-care-yjp"
    assert refused.locator(".atlas-holiday-order").inner_text().startswith("按离杨家坪街道中心的距离排列")
    no_serious_axe(refused)
    assert refused.errors == []


def test_distances_are_measured_the_same_way_everywhere(phone, site):
    phone.goto(site + "holiday/")
    phone.locator(".atlas-nearest").click()
    phone.locator(".atlas-street-order").wait_for()
    card = CARE[0]
    shown = phone.locator(f"[data-resource-id='{card['id']}'] .atlas-distance").inner_text()
    assert shown == phone.evaluate("(m) => atlasCoords.label(m)", distance(card))  # Python's great circle, the page's label
    assert phone.evaluate("([a, b]) => atlasCoords.distance(a, b)", [HERE, [float(card["lat"]), float(card["lon"])]]) == pytest.approx(distance(card), abs=0.5)


# --- 6. navigation links start a route -----------------------------------------------------------


def test_the_browser_builds_the_same_route_link_as_python(phone, site):
    phone.goto(site + "holiday/")
    for point, name in (((29.4790, 106.4460), "示例托管点华岩一"), ((29.5085, 106.511), "甲,乙|丙;丁:戊(己)")):
        expected = links.navigation(point, name, "")["amap"]
        got = phone.evaluate("([p, n]) => atlasLinks.route(p[0], p[1], 'wgs84', n)", [list(point), name])
        assert got == expected
        gcj = coords.wgs84_to_gcj02(*point)  # the map's markers are already in 高德's datum
        assert phone.evaluate("([p, n]) => atlasLinks.route(p[0], p[1], 'gcj02', n)", [list(gcj), name]) == expected
    card = phone.locator("[data-resource-id=example-care-hy1] a", has_text="导航")
    query = parse_qs(urlsplit(card.get_attribute("href")).query)
    assert urlsplit(card.get_attribute("href")).path == "/navigation" and query["mode"] == ["car"]


# --- 7. consistency --------------------------------------------------------------------------------


def page_text(built: Path, path: str) -> str:
    return " ".join(visible_text((built / path).read_text("utf-8"), "").split())


def test_counts_say_what_they_count(built):
    home = page_text(built, "index.html")
    care = sum(1 for r in ROWS_PHONE if r["category"] == "holiday_care")
    assert f"假期托管（托管点 {care} 处）" in home
    assert f"{care} 处" in page_text(built, "c/holiday_care/index.html")


def test_a_verified_row_says_what_it_does_not_provide(built):
    plain = page_text(built, "r/example-plain/index.html")
    assert "不提供电话" in plain and "不提供预约方式" in plain and "不提供开放时间" in plain and "不提供费用信息" in plain
    assert "未核实" not in plain
    assert "无障碍设施 未知" in plain
    unverified = page_text(built, "r/example-care/index.html")  # never verified
    assert "电话未核实" in unverified and "不提供" not in unverified


# A space or tab (a line break in the source is usually a block boundary) beside Chinese punctuation.
STRAY = re.compile(r"[^\s·][ \t]+[，。、；：！？）」』】]|[，。、；：！？（「『【][ \t]+[^\s·]")  # " · " separates on purpose


def test_no_stray_spaces_next_to_chinese_punctuation(built):
    found = {}
    for path in built.rglob("*.html"):
        text = visible_text(path.read_text("utf-8"), "")
        if STRAY.search(text):
            found[str(path.relative_to(built))] = [text[max(m.start() - 8, 0):m.end() + 8] for m in STRAY.finditer(text)][:3]
    assert found == {}


@pytest.mark.parametrize("mode", MODES)
def test_dates_never_break(browser, site, mode):
    context = browser.new_context(**PHONE)
    if mode == "大字":
        context.add_init_script(LARGE)
    page = context.new_page()
    page.goto(site + "freshness/")
    dates = page.locator("time, .atlas-verified-date")
    assert dates.count() > 3
    heights = dates.evaluate_all("els => els.map(el => [el.getClientRects().length, el.textContent])")
    assert all(lines == 1 for lines, _ in heights), heights
    context.close()


def test_lists_sort_by_pinyin(built):
    museum = (built / "c" / "holiday_care" / "index.html").read_text("utf-8")
    names = re.findall(r'class="atlas-card-name" href="[^"]+">([^<]+)<', museum)
    from atlas.collate import name_key

    assert names == sorted(names, key=name_key) and names != sorted(names)  # not character-code order


# --- 8. 大字: the header, the finder's hint, the legend -------------------------------------------


def test_large_text_header_title_and_finder_hint_are_whole(browser, site):
    context = browser.new_context(**PHONE)
    context.add_init_script(LARGE)
    page = context.new_page()
    page.goto(site + "find/")
    title = page.locator(".md-header__title .md-header__topic:first-child .md-ellipsis")
    # The whole name, on at most two lines inside the header bar, at no less than body-text size.
    fit = title.evaluate("""el => { const r = el.getBoundingClientRect(), h = el.closest('header').getBoundingClientRect(), s = getComputedStyle(el);
      return [el.textContent.trim(), r.top >= h.top && r.bottom <= h.bottom, el.scrollWidth <= el.clientWidth + 1 && s.textOverflow !== 'ellipsis' || s.whiteSpace !== 'nowrap',
              Math.round(r.height / parseFloat(s.lineHeight)), parseFloat(s.fontSize)]; }""")
    assert fit[0] == "九龙坡区协同育人资源图谱" and fit[1] and fit[2] and fit[3] <= 2 and fit[4] >= 16, fit
    assert_seen(title)
    hint = page.locator(".atlas-finder input[name=q]")
    room = hint.evaluate("""el => { const s = getComputedStyle(el, '::placeholder'), c = document.createElement('canvas').getContext('2d');
      c.font = s.fontWeight + ' ' + s.fontSize + ' ' + s.fontFamily;
      return [c.measureText(el.placeholder).width, el.clientWidth - parseFloat(getComputedStyle(el).paddingLeft) - parseFloat(getComputedStyle(el).paddingRight)]; }""")
    assert room[0] <= room[1], room
    no_serious_axe(page)
    context.close()


def _lab(color: str) -> tuple[float, float, float]:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(color[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(c1: str, c2: str) -> float:
    """The CIEDE2000 colour difference (Sharma, Wu, Dalal 2005): ~2 is just noticeable, >10
    reads as a different colour at a glance."""
    (l1, a1, b1), (l2, a2, b2) = _lab(c1), _lab(c2)
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0 if c1p * c2p == 0 else (h2 - h1 if abs(h2 - h1) <= 180 else h2 - h1 - 360 if h2 > h1 else h2 - h1 + 360)
    d_l, d_c, d_h = l2 - l1, c2p - c1p, 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    hbar = h1 + h2 if c1p * c2p == 0 else (h1 + h2) / 2 if abs(h1 - h2) <= 180 else (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = 1 - 0.17 * math.cos(math.radians(hbar - 30)) + 0.24 * math.cos(math.radians(2 * hbar)) + 0.32 * math.cos(math.radians(3 * hbar + 6)) - 0.2 * math.cos(math.radians(4 * hbar - 63))
    s_l = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    r_t = -math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2)))) * 2 * math.sqrt(cbarp**7 / (cbarp**7 + 25**7))
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def test_ciede2000_at_its_extremes():
    # Identical colours are 0 apart; black and white differ by exactly L* = 100.
    assert ciede2000("#336699", "#336699") == 0
    assert ciede2000("#000000", "#ffffff") == pytest.approx(100, abs=0.1)


def test_legend_colours_are_distinguishable_and_marked():
    categories = taxonomy().categories
    closest = min((ciede2000(a.color, b.color), a.label, b.label) for a, b in itertools.combinations(categories, 2))
    assert closest[0] >= 12, closest  # 博物馆/家庭教育 and 青少年宫/托管点 were ~4.6 apart
    marks = [c.mark for c in categories]
    assert all(len(m) == 1 for m in marks) and len(set(marks)) == len(marks)


def test_legend_and_markers_show_the_character_in_large_text(phone, site):
    if phone.mode != "大字":
        pytest.skip("the 大字 state of the legend")
    phone.goto(site + "map/?category=holiday_care")
    phone.wait_for_selector(".leaflet-marker-icon", timeout=10000)
    phone.locator(".atlas-legend summary").click()
    legend = phone.locator(".atlas-legend li").all_inner_texts()
    assert [t.split(" ")[0] for t in legend] == [c.mark for c in taxonomy().categories]
    assert_seen(phone.locator(".atlas-legend li .atlas-pin").first)
    no_serious_axe(phone)


# --- the editor guide's reference tables on a phone -------------------------------------------------


@pytest.mark.parametrize("path, label", [("editors/columns/", "示例："), ("editors/messages/", "怎么改：")])
def test_the_guides_reference_tables_read_on_a_phone_without_scrolling_sideways(phone, site, path, label):
    phone.goto(site + path)
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    rows = phone.locator("article tbody tr")
    assert rows.count() > 20
    for i in (0, rows.count() // 2, rows.count() - 1):
        for cell in rows.nth(i).locator("td").all():
            if not cell.inner_text().strip():
                continue
            seen(cell)
            assert cell.evaluate("el => el.getBoundingClientRect().right <= innerWidth"), cell.inner_text()
    labels = rows.first.locator("td").evaluate_all("els => els.map(el => getComputedStyle(el, '::before').content)")
    assert f'"{label}"' in labels  # each value says what it is, now that the header row is not beside it
    assert serious_findings(phone) == []
