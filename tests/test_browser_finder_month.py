"""/find/'s 本月有活动 on a phone, the clock fixed just after midnight in Beijing (still the day
before in UTC): the filter with the others, its count, the cards' 活动日 line, a shared link,
Back and reload, the empty state's ways out, axe and 大字."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from atlas import maps

from .browser import PHONE, built_site, offline_tiles, seen, serious_findings, watch
from .conftest import row
from .programs_fixture import programs_csv
from .sites import ROWS

pytestmark = pytest.mark.browser
NOW = dt.datetime(2026, 12, 10, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # 2026-12-09 16:30 UTC

MONTH_ROWS = ROWS + [
    row(id="example-garden", name="示例艾草园0005", category="nature", street="华岩镇", address="重庆市九龙坡区示例镇示例路5号"),
    row(id="example-centre", name="示例中心0006", category="youth", street="西彭镇", address="重庆市九龙坡区示例镇示例路6号"),
    row(id="example-hall", name="示例展厅0007", category="museum", street="西彭镇", address="重庆市九龙坡区示例镇示例路7号"),
]
BASE = {"kind": "course", "department": "区文化旅游委"}
MONTH_PROGRAMS = [BASE | p for p in [
    # Saturdays 11-28 … 2027-01-02: 12-12, 19 and 26 are still to come.
    {"id": "example-saturdays", "resource": "example-museum", "title": "示例周六课0001", "dates": "2026-11-28", "rrule": "FREQ=WEEKLY;BYDAY=SA;COUNT=6"},
    {"id": "example-yesterday", "resource": "example-garden", "title": "示例昨天0002", "dates": "2026-12-09"},  # today in UTC, past in Beijing
    {"id": "example-november", "resource": "example-garden", "title": "示例上月0003", "dates": "2026-11-10~2026-11-12"},
    {"id": "example-new-year", "resource": "example-centre", "title": "示例跨年0004", "dates": "2026-12-30~2027-01-02"},
    {"id": "example-today", "resource": "example-hall", "title": "示例今天0005", "dates": "2026-12-10", "status": "example"},
    {"id": "example-winter", "resource": "example-care", "title": "示例寒假0006", "dates": "2027-01-25~2027-01-29"},
    {"id": "example-to-school", "resource": "进校园", "title": "示例进校园0007", "dates": "2026-12-20"},
]]
THIS_MONTH = ["example-centre", "example-hall", "example-museum"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("finder-month"), rows=MONTH_ROWS, programs=programs_csv(MONTH_PROGRAMS)) as url:
        yield url


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    offline_tiles(context, maps.basemap("amap").hosts)  # the resource page's map
    page = watch(context.new_page())
    page.clock.set_fixed_time(NOW)
    yield page
    context.close()
    assert page.errors == []


def results(page) -> list[str]:
    page.wait_for_selector("#results[aria-busy=false]", state="attached", timeout=10000)
    page.wait_for_function("() => document.querySelector('.atlas-finder.atlas-ready')")
    return sorted(page.locator("#results [data-resource-id]").evaluate_all("els => els.map(e => e.dataset.resourceId)"))


def query(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def assert_axe_clean(page):
    page.wait_for_timeout(300)  # Material fades the header title in after a scroll
    assert serious_findings(page) == []


def test_ticking_this_month_shows_exactly_the_venues_with_days_left(site, phone):
    page = phone
    page.goto(site + "find/")
    everything = results(page)
    assert len(everything) == 6  # the draft is not published
    box = page.get_by_role("checkbox", name="本月有活动（3）")
    seen(page.locator("label", has=box))
    box.click()
    assert results(page) == THIS_MONTH
    assert query(page) == {"month": ["1"]}
    expect(page.locator("#atlas-summary")).to_have_text("找到 3 处本月（12月）还有活动的场所")
    museum = page.locator('#results [data-resource-id="example-museum"] .atlas-card-programs')
    expect(museum).to_have_text("本月还有 3 个活动日 · 下次 12月12日（周六）")
    expect(museum).to_have_attribute("href", "../r/example-museum/#atlas-programs-heading")
    expect(page.locator('[data-resource-id="example-centre"] .atlas-card-programs')).to_have_text("本月还有 2 个活动日 · 下次 12月30日（周三）")
    hall = page.locator('[data-resource-id="example-hall"] .atlas-card-programs')
    expect(hall).to_have_text("本月还有 1 个活动日 · 下次 今天（示例）")
    for line in (museum, hall):
        seen(line)
    assert_axe_clean(page)

    # With the others: a street narrows it, and each street's count counts this month's venues.
    expect(page.locator('select[name=street] option[value="西彭镇"]')).to_have_text("西彭镇（2）")
    page.select_option("select[name=street]", "西彭镇")
    assert results(page) == ["example-centre", "example-hall"]
    page.select_option("select[name=category]", "youth")
    assert results(page) == ["example-centre"]
    assert query(page) == {"category": ["youth"], "street": ["西彭镇"], "month": ["1"]}

    # The card that takes you there: its programmes on the resource page.
    page.locator('[data-resource-id="example-centre"] .atlas-card-programs').click()
    page.wait_for_url("**/r/example-centre/#atlas-programs-heading")
    expect(page.locator("#atlas-programs-heading")).to_be_in_viewport()
    page.go_back()
    assert results(page) == ["example-centre"]
    assert page.locator("input[name=month]").is_checked()
    page.go_back()
    page.go_back()
    assert results(page) == THIS_MONTH
    page.go_back()
    assert results(page) == everything and not page.locator("input[name=month]").is_checked()


def test_a_shared_link_keeps_the_filter_through_reload_and_a_search(site, phone):
    page = phone
    page.goto(site + "find/?q=示例&month=1&sort=name")
    assert results(page) == THIS_MONTH
    box = page.locator("input[name=month]")
    assert box.is_checked()
    order = page.locator("#results [data-resource-id]").evaluate_all("els => els.map(e => e.dataset.resourceId)")
    assert order == ["example-museum", "example-hall", "example-centre"]  # 博物馆, 展厅, 中心 in pinyin: bo, zhan, zhong
    page.reload()
    assert results(page) == THIS_MONTH and box.is_checked()
    assert query(page) == {"q": ["示例"], "month": ["1"], "sort": ["name"]}
    page.locator("#atlas-q").fill("")
    page.keyboard.type("展厅")
    page.keyboard.press("Enter")
    assert results(page) == ["example-hall"]
    assert query(page) == {"q": ["展厅"], "month": ["1"], "sort": ["name"]}


def test_nothing_this_month_says_so_and_offers_ways_out(site, phone):
    page = phone
    page.goto(site + "find/?street=华岩镇&month=1")
    assert results(page) == []  # the garden's days are over (yesterday in Beijing), the care site's are in January
    message = page.locator(".atlas-empty-month")
    expect(message).to_be_visible()
    expect(message).to_contain_text("本月（12月）剩下的日子里，没有符合条件的场所登记了活动。")
    seen(message)
    expect(page.locator("#atlas-summary")).to_have_text("找到 0 处本月（12月）还有活动的场所")
    assert_axe_clean(page)
    calendar = message.get_by_role("link", name="看活动日历")
    assert calendar.get_attribute("href") == "../programs/"
    message.get_by_role("link", name="去掉“本月有活动”").click()
    assert results(page) == ["example-care", "example-garden"]
    assert query(page) == {"street": ["华岩镇"]}
    expect(message).to_be_hidden()
    page.go_back()
    assert results(page) == [] and page.locator("input[name=month]").is_checked()


def test_in_large_text_the_filter_and_the_cards_still_read(site, phone):
    page = phone
    page.goto(site + "find/")
    page.locator(".atlas-textsize").click()
    assert page.locator(".atlas-textsize").get_attribute("aria-pressed") == "true"
    page.goto(site + "find/?month=1")
    assert results(page) == THIS_MONTH
    seen(page.locator("label", has=page.locator("input[name=month]")))
    for card in page.locator("#results .atlas-card-programs").all():
        seen(card)
    assert_axe_clean(page)
