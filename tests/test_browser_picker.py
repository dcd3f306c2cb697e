"""The coordinate picker (/editors/picker/) on a phone: tap, drag, the cells to paste, warnings, copy."""

from __future__ import annotations

import itertools

import pytest

from atlas import coords, maps

from .browser import built_site, phone_on, still
from .test_quality import serious_findings

pytestmark = pytest.mark.browser
TILE_HOSTS = maps.basemap("amap").hosts
MUSEUM_GCJ = (29.505734, 106.514814)  # tests/sites.py: example-museum, typed as gcj02


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("picker-site")) as url:
        yield url


@pytest.fixture
def phone(browser, site):
    with phone_on(browser, site, (29.5, 106.5), TILE_HOSTS) as page:  # fails on any request beyond the site and tiles
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        yield page


def opened(phone, site, query: str = ""):
    phone.goto(site + "editors/picker/" + query)
    phone.wait_for_selector(".atlas-picker[data-ready]", timeout=15000)
    return phone


def cells(phone, row: str) -> tuple[float, float]:
    line = phone.locator(f".atlas-picker-{row}")
    return float(line.locator(".atlas-lat").inner_text()), float(line.locator(".atlas-lon").inner_text())


def at_centre(phone, locator) -> bool:
    """The element a person's finger lands on at the locator's centre is that element (or inside it)."""
    return locator.evaluate("el => { const r = el.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return el === hit || el.contains(hit); }")


def test_an_existing_resource_is_dragged_and_its_cells_follow(site, phone):
    opened(phone, site, "?id=example-museum")
    status = phone.locator(".atlas-picker-status")
    assert status.inner_text().startswith("正在调整：示例博物馆0001（example-museum）")
    assert phone.locator("select[name=street]").input_value() == "杨家坪街道"
    assert cells(phone, "basemap") == MUSEUM_GCJ
    wgs = coords.gcj02_to_wgs84(*MUSEUM_GCJ)
    assert cells(phone, "wgs84") == (round(wgs[0], 6), round(wgs[1], 6))
    assert phone.locator(".atlas-picker-csv").inner_text() == f"{wgs[0]:.6f},{wgs[1]:.6f},wgs84"
    assert phone.locator(".atlas-picker-basemap td").nth(2).inner_text() == "gcj02"
    assert phone.locator(".atlas-picker-warning").is_hidden()

    pin = still(phone.locator(".atlas-picker-pin"))
    assert at_centre(phone, pin)
    box = pin.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    phone.mouse.move(x, y)
    phone.mouse.down()
    phone.mouse.move(x + 40, y + 30, steps=8)
    phone.mouse.up()
    moved = cells(phone, "basemap")
    assert moved != MUSEUM_GCJ
    again = coords.gcj02_to_wgs84(*moved)  # what the page shows agrees with the Python inverse (shown to 6 places)
    assert all(abs(a - b) <= 1.5e-6 for a, b in zip(cells(phone, "wgs84"), again))
    assert serious_findings(phone) == []
    assert phone.errors == []


def test_tap_places_a_point_and_warns_outside_the_street_and_the_district(site, phone):
    opened(phone, site)
    assert phone.locator(".atlas-picker-status").inner_text() == "在地图上点一下放置标记。"
    assert phone.locator(".atlas-picker-result").is_hidden()
    phone.select_option("select[name=street]", "西彭镇")
    centre = coords.wgs84_to_gcj02(*maps.CENTER)
    phone.locator(".atlas-picker-map").click()  # the map's centre: the district's middle, far from 西彭镇
    assert phone.locator(".atlas-picker-status").inner_text().startswith("已放置标记")
    warning = phone.locator(".atlas-picker-warning")
    assert phone.locator(".atlas-picker-result").is_visible() and warning.is_visible()
    assert "不在所选的西彭镇" in warning.inner_text()
    tapped = cells(phone, "basemap")
    assert abs(tapped[0] - centre[0]) < 0.01 and abs(tapped[1] - centre[1]) < 0.01
    assert serious_findings(phone) == []  # with the warning shown

    for _ in range(3):
        still(phone.locator(".leaflet-control-zoom-out")).click()
    box = phone.locator(".atlas-picker-map").bounding_box()
    phone.mouse.click(box["x"] + 30, box["y"] + box["height"] - 40)  # far south-west, outside the district
    assert warning.inner_text() == "这个点不在九龙坡区范围内，请核对位置。"
    assert phone.errors == []


def test_an_unknown_id_says_so_and_the_form_finds_another(site, phone):
    opened(phone, site, "?id=%3Cb%3Enope%3C%2Fb%3E")
    status = phone.locator(".atlas-picker-status")
    assert status.inner_text().startswith("没有找到编号为“<b>nope</b>”的资源的坐标")  # shown as text, not markup
    assert phone.locator(".atlas-picker-status b").count() == 0
    assert status.is_visible()
    phone.locator("input[name=id]").fill("example-care")
    phone.locator("button", has_text="在地图上找").click()
    phone.wait_for_function("document.querySelector('.atlas-picker-status').textContent.startsWith('正在调整')")
    assert "?id=example-care" in phone.url
    assert phone.locator("select[name=street]").input_value() == "华岩镇"
    assert phone.errors == []


def test_copy_puts_the_cells_on_the_clipboard(site, phone):
    opened(phone, site, "?id=example-museum")
    for button, separator in (("复制 CSV 文本", ","), ("复制到 Excel/WPS 的三格", "\t")):
        target = phone.locator(".atlas-picker-copy", has_text=button)
        target.scroll_into_view_if_needed()
        assert at_centre(phone, target)
        target.click()
        copied = phone.evaluate("navigator.clipboard.readText()")
        assert copied == phone.locator(".atlas-picker-csv").inner_text().replace(",", separator)
        assert copied.endswith(separator + "wgs84")
        assert phone.locator(".atlas-picker-status").inner_text().startswith("已复制：")


def test_the_map_stays_under_the_sticky_header(site, phone):
    opened(phone, site, "?id=example-museum")
    top = phone.locator(".atlas-picker-map").evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    phone.evaluate(f"window.scrollTo(0, {top} + 120)")  # the map now runs under the header
    phone.wait_for_timeout(200)
    header = phone.locator(".md-header")
    assert header.evaluate("el => el.getBoundingClientRect().top") == 0
    hits = header.evaluate("""el => { const r = el.getBoundingClientRect();
        return [0.1, 0.5, 0.9].map(f => el.contains(document.elementFromPoint(r.width * f, r.height / 2))); }""")
    assert hits == [True, True, True]


def test_the_browser_inverse_agrees_with_python(site, phone):
    opened(phone, site)
    points = [(29.24 + 0.037 * i, 106.22 + 0.035 * j) for i, j in itertools.product(range(11), range(11))]
    for datum, within_m in ((coords.GCJ02, 0.01), (coords.BD09, 0.2)):  # BD-09's published inverse is itself ~8 cm off
        shifted = [coords.convert(lat, lon, coords.WGS84, datum) for lat, lon in points]
        back = phone.evaluate("([ps, d]) => ps.map(p => window.atlasCoords.toWgs84(p[0], p[1], d))", [shifted, datum])
        for expected, got, original in zip((coords.convert(lat, lon, datum, coords.WGS84) for lat, lon in shifted), back, points):
            assert abs(got[0] - expected[0]) < 1e-9 and abs(got[1] - expected[1]) < 1e-9
            assert coords.distance_m(tuple(got), original) < within_m  # not the one-step inverse's 1-2 m
