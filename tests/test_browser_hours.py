"""Open now in the browser: atlas-hours.js's lookup equals opening-hours-py, with the clock fixed."""

import datetime as dt

import pytest

from atlas import holidays
from atlas.hours_table import is_open

from .browser import PHONE, built_site
from .sites import ROWS

pytestmark = pytest.mark.browser

HOURS = {r["id"]: r["opening_hours"] for r in ROWS if r.get("opening_hours")}
# Beijing wall-clock moments: 春节, 清明 (a Saturday in its span), a 调休 Saturday, a plain
# Saturday, 国庆, a summer Wednesday, a Monday, a Tuesday evening after closing, and 春节 and
# a plain Tuesday of the year after the last official notice.
MOMENTS = ["2026-02-17T10:00", "2026-04-04T10:00", "2026-02-14T10:00", "2026-02-07T10:00",
           "2026-10-02T10:00", "2026-07-15T15:00", "2026-11-30T10:00", "2026-12-01T17:30",
           "2027-02-06T10:00", "2027-03-02T10:00"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("hours-site")) as url:
        yield url


def status(browser, site, resource, moment, timezone="Asia/Shanghai"):
    context = browser.new_context(**(PHONE | {"timezone_id": timezone}))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # script errors (tiles are offline here)
    page.clock.set_fixed_time(dt.datetime.fromisoformat(moment + "+08:00"))
    page.goto(site + f"r/{resource}/")
    slot = page.locator(".atlas-open-status")
    page.wait_for_function("document.querySelector('.atlas-open-status').textContent.length > 0", timeout=10000)
    seen = slot.inner_text(), "is-open" in slot.get_attribute("class"), errors
    context.close()
    return seen


@pytest.mark.parametrize("resource", sorted(HOURS))
def test_the_browser_says_what_python_computes(browser, site, resource):
    calendar = holidays.china()
    for moment in MOMENTS:
        text, shown_open, errors = status(browser, site, resource, moment)
        expected = is_open(HOURS[resource], calendar, dt.datetime.fromisoformat(moment))
        assert shown_open == expected and text.startswith("正在开放" if expected else "未开放"), (moment, text)
        assert errors == []


def test_ph_off_reads_closed_through_the_spring_festival(browser, site):
    text, shown_open, _ = status(browser, site, "example-museum", "2026-02-17T10:00")
    assert not shown_open and text == "未开放 · 2月24日 09:00 开放"  # 2026-02-15..23 off, 24th a Tuesday


def test_a_tiaoxiu_saturday_opens_the_office(browser, site):
    assert status(browser, site, "example-care", "2026-02-14T10:00")[:2] == ("正在开放 · 今天 12:00 关门", True)


def test_a_phone_abroad_still_reads_beijing_time(browser, site):
    # 10:00 in Beijing is 03:00 in Berlin: the museum is open, and the times are Beijing's.
    assert status(browser, site, "example-museum", "2026-12-01T10:00", timezone="Europe/Berlin")[:2] == ("正在开放 · 今天 17:00 关门", True)


def test_without_the_official_notice_the_page_says_so(browser, site):
    # The statutory days of the next year are known (春节 2027 is closed), the spans not yet.
    assert status(browser, site, "example-museum", "2027-02-06T10:00")[:2] == ("未开放 · 周二 09:00 开放（节假日安排待公布）", False)  # 9 Feb
    beyond = (holidays.china().last + dt.timedelta(days=6)).isoformat() + "T10:00"  # only the weekly pattern
    assert status(browser, site, "example-museum", beyond)[0].endswith("（节假日安排待公布）")
    assert not status(browser, site, "example-museum", "2026-12-01T10:00")[0].endswith("）")


def test_todays_hours_for_cards_and_popups(browser, site):
    # The other half of the API (search cards, map popups): today's hours as text, from the same table.
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site + "r/example-care/")
    table = page.locator(".atlas-open-status").get_attribute("data-hours")
    today = lambda moment: page.evaluate("([t, m]) => atlasHours.today(t, new Date(m))", [table, moment + "+08:00"])  # noqa: E731
    assert today("2026-12-01T23:59") == "08:30–12:00、14:00–17:30"
    assert today("2026-02-17T10:00") == "08:30–12:00、14:00–17:30"  # no PH rule: open on 春节 as the string says
    assert today("2026-02-14T10:00") == "08:30–12:00、14:00–17:30"  # 调休 Saturday
    assert today("2026-02-07T10:00") == "今日不开放"
    assert page.evaluate("atlasHours.today('') === null && atlasHours.status('') === null && atlasHours.say(null) === null")
    # The day names of the finder's 本月有活动 and the programme lists, whatever the phone's zone.
    names = page.evaluate("['2026-12-12', '2026-12-14', '2027-01-03'].map(atlasHours.dateName)")
    assert names == ["12月12日（周六）", "12月14日（周一）", "1月3日（周日）"]
    context.close()
