"""/programs/ on a phone, with the clock fixed in Beijing: filters, the month view, a shared
link, upcoming lists on resource and holiday pages, and the page without JavaScript."""

import datetime as dt
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from .browser import PHONE, built_site, watch
from .programs_fixture import CALENDAR, programs_csv
from .test_quality import serious_findings

pytestmark = pytest.mark.browser
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
# The element at a control's centre is the control (or inside it): nothing covers it.
ON_TOP = """(el) => { const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && (hit === el || el.contains(hit)); }"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("programs-browser"), programs=programs_csv(), calendar=CALENDAR) as url:
        yield url


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = watch(context.new_page())
    page.clock.set_fixed_time(NOW)
    yield page
    context.close()
    assert page.errors == []


def visible_titles(page) -> list[str]:
    return [t for t in page.locator(".atlas-program:visible .atlas-program-title strong").all_inner_texts()]


def assert_axe_clean(page):
    page.wait_for_timeout(400)  # Material fades the header's page title in after a scroll: measure it settled
    assert serious_findings(page) == []


def tap(locator):
    locator.scroll_into_view_if_needed()
    assert locator.evaluate(ON_TOP), f"{locator} is covered"
    locator.click()


def test_filtering_the_calendar_on_a_phone(site, phone):
    page = phone
    page.goto(site + "programs/")
    count = page.locator(".atlas-program-count")
    expect(count).to_have_text("即将举办的活动：3 项")
    assert visible_titles(page) == ["示例周六课0001", "示例进校园0003", "示例托管班0002"]  # soonest first; the past one hidden
    expect(page.locator("#example-saturday-class .atlas-program-next")).to_have_text("下次：12月5日（周六） 09:30 · ")
    assert_axe_clean(page)

    stage = page.locator("select[name=stage]")
    assert stage.evaluate(ON_TOP)
    stage.select_option("小学低段")
    expect(count).to_have_text("即将举办的活动：1 项")
    assert visible_titles(page) == ["示例托管班0002"]
    assert "stage=" + quote("小学低段") in page.url
    expect(page.locator("#example-winter-care")).to_contain_text("已报满")

    tap(page.get_by_role("button", name="月历"))
    expect(page.locator(".atlas-month-nav h2")).to_have_text("2026年12月")
    expect(count).to_have_text("2026年12月的活动：0 项")
    tap(page.get_by_role("button", name="下个月"))
    expect(page.locator(".atlas-month-nav h2")).to_have_text("2027年1月")
    day = page.get_by_role("button", name="25 1项", exact=True)
    tap(day)
    expect(day).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text("1月25日（周一）的活动：1 项")
    assert visible_titles(page) == ["示例托管班0002"]
    assert_axe_clean(page)  # in the month view, a day chosen

    page.select_option("select[name=stage]", "")
    page.select_option("select[name=category]", "museum")
    expect(count).to_have_text("2027年1月的活动：1 项")  # the Saturday class on 2 January
    assert visible_titles(page) == ["示例周六课0001"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], "the month view is wider than the phone"

    tap(page.locator(".atlas-textsize"))  # 大字: the month still fits, its days can still be tapped
    expect(page.locator("html")).to_contain_class("atlas-large")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    saturday = page.get_by_role("button", name="2 1项", exact=True)
    tap(saturday)
    expect(count).to_have_text("1月2日（周六）的活动：1 项")
    assert_axe_clean(page)


def test_a_shared_link_opens_the_same_view_and_names_what_it_cannot_use(site, phone):
    page = phone
    page.goto(site + "programs/?view=month&month=2026-12&five=" + quote("劳"))
    expect(page.locator(".atlas-program-count")).to_have_text("2026年12月的活动：1 项")
    assert visible_titles(page) == ["示例进校园0003"]
    page.goto(site + "programs/?stage=" + quote("大学<b>"))
    expect(page.locator(".atlas-program-count")).to_have_text("链接里的筛选条件 “大学<b>” 不存在，已忽略。即将举办的活动：3 项")
    assert page.locator(".atlas-program-count b").count() == 0


def test_resource_and_holiday_pages_show_what_is_still_to_come(site, phone):
    page = phone
    page.goto(site + "r/example-museum/")
    section = page.get_by_role("region", name="近期活动")
    expect(section).to_be_visible()
    expect(section.locator(".atlas-program:visible")).to_have_count(1)  # the October lecture is over
    expect(section).to_contain_text("下次：12月5日（周六） 09:30")
    page.goto(site + "holiday/")
    care = page.locator('[data-resource-id="example-care"] .atlas-sessions')
    expect(care).to_contain_text("示例托管班0002")
    expect(care).to_contain_text("报名截止")
    expect(care.locator(".atlas-program-closed")).to_be_hidden()  # 15 January is still ahead
    assert_axe_clean(page)


def test_without_javascript_the_calendar_is_a_list_of_everything(site, browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "programs/")
    expect(page.locator(".atlas-program")).to_have_count(4)
    expect(page.locator(".atlas-program-filters")).to_be_hidden()
    expect(page.locator("#example-past")).to_contain_text("2026年10月10日（周六）")
    context.close()
