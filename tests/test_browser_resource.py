"""A parent on a phone opens a resource page: call, navigate, see whether it is open now."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from atlas.coords import gcj02_to_wgs84

from .browser import PHONE, built_site, watch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("browser-site")) as url:
        yield url


def open_page(browser, url):
    page = watch(browser.new_context(**PHONE).new_page())
    page.goto(url)
    return page, page.errors


def test_resource_page_on_a_phone(site, browser):
    page, errors = open_page(browser, site + "r/example-museum/")
    assert page.locator("h1").inner_text() == "示例博物馆0001"

    call = page.locator('a.atlas-call[href^="tel:"]').first
    assert call.get_attribute("href") == "tel:+862368781234"
    assert call.is_visible()
    box = call.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target

    # The row's GCJ-02 pick is published as WGS-84 in every app's own order.
    lat, lon = gcj02_to_wgs84(29.505734, 106.514814)
    amap = parse_qs(urlsplit(page.locator('a[data-app="amap"]').get_attribute("href")).query)
    assert amap["coordinate"] == ["wgs84"] and amap["position"] == [f"{lon:.6f},{lat:.6f}"]
    baidu = parse_qs(urlsplit(page.locator('a[data-app="baidu"]').get_attribute("href")).query)
    assert baidu["coord_type"] == ["wgs84"] and baidu["location"] == [f"{lat:.6f},{lon:.6f}"]
    tencent = parse_qs(urlsplit(page.locator('a[data-app="tencent"]').get_attribute("href")).query)
    assert tencent["coord_type"] == ["1"] and tencent["marker"][0].startswith(f"coord:{lat:.6f},{lon:.6f};")
    for app in ("amap", "baidu", "tencent"):
        assert page.locator(f'a[data-app="{app}"]').is_visible()

    assert "周二至周日 09:00–17:00，法定节假日闭馆" in page.locator(".atlas-hours").inner_text()
    status = page.locator(".atlas-open-status")
    page.wait_for_function("document.querySelector('.atlas-open-status').textContent.length > 0", timeout=10000)
    assert re.match(r"^(正在开放|现在未开放)", status.inner_text())
    assert "is-open" in status.get_attribute("class") or "is-closed" in status.get_attribute("class")
    assert errors == []


def test_the_status_follows_the_clock(site, browser):
    # A Monday at 10:00 is closed (Tu-Su), a Tuesday at 10:00 is open until 17:00.
    for when, expected in (("2026-11-30T10:00:00+08:00", "现在未开放 · 明天 09:00 开放"), ("2026-12-01T10:00:00+08:00", "正在开放 · 今天 17:00 关门")):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.clock.set_fixed_time(when)
        page.goto(site + "r/example-museum/")
        page.wait_for_function("document.querySelector('.atlas-open-status').textContent.length > 0", timeout=10000)
        assert page.locator(".atlas-open-status").inner_text() == expected
        context.close()


def test_stale_badge_is_judged_in_the_browser(site, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.clock.set_fixed_time("2026-06-01T10:00:00")  # a month after 2026-05-01: fresh
    page.goto(site + "r/example-museum/")
    assert not page.locator(".atlas-unverified").is_visible()
    page.clock.set_fixed_time("2027-06-01T10:00:00")  # thirteen months later: stale
    page.reload()
    assert page.locator(".atlas-unverified").is_visible()
    context.close()


def test_never_verified_rows_always_show_the_badge_and_the_12345_fallback(site, browser):
    page, errors = open_page(browser, site + "r/example-closed/")
    assert page.locator(".atlas-unverified").is_visible()  # verified 2024-01-01: stale by now
    assert page.locator(".atlas-banner").inner_text().startswith("⚠️ 暂停开放")
    assert page.locator('a[href="tel:12345"]').is_visible()
    care, _ = open_page(browser, site + "r/example-care/")
    assert care.locator(".atlas-unverified").first.is_visible()
    assert errors == []


def test_share_falls_back_to_copying_the_link(site, browser):
    context = browser.new_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    page = context.new_page()
    page.goto(site + "r/example-museum/")
    page.evaluate("delete Navigator.prototype.share")
    page.locator(".atlas-share").click()
    expect(page.locator(".atlas-share")).to_have_text("链接已复制")  # the clipboard answers asynchronously
    assert page.evaluate("navigator.clipboard.readText()") == site + "r/example-museum/"
    context.close()
