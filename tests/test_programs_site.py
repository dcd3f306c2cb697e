"""The 场馆课表 in a built site: /programs/, resource pages, /holiday/ and the .ics files,
parsed back by icalendar and by vobject."""

import datetime as dt
import json
import re

import icalendar
import pytest
import vobject

from atlas.calendar_ics import uid

from .programs_fixture import CALENDAR, PROGRAMS, programs_csv
from .sites import build, make_project

BEIJING = dt.timedelta(hours=8)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("programs-site")
    result = build(make_project(tmp, programs=programs_csv(), calendar=CALENDAR), tmp / "site")
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def text(site, path: str) -> str:
    return (site / path).read_text("utf-8")


def test_the_calendar_page_lists_every_programme_escaped(site):
    html = text(site, "programs/index.html")
    for p in PROGRAMS:
        assert f'id="{p["id"]}"' in html and p["title"] in html
    assert "电话预约 &amp; “示例” &lt;3 天" in html
    assert 'data-days="2026-11-28 2026-12-05 2026-12-12 2026-12-19 2026-12-26 2027-01-02"' in html  # COUNT=6, no PH on Saturdays
    assert "示例</span>" in html and "不是真实安排" in html  # the example row is marked
    assert "2026-2027 学年寒假：2027年1月23日至2月21日" in html and "暑假：日期待公布" in html
    assert 'href="programs.ics"' in html and 'href="museum.ics"' in html and 'href="to-school.ics"' in html


def test_resource_pages_and_the_holiday_page_show_their_programmes(site):
    museum = text(site, "r/example-museum/index.html")
    assert "近期活动" in museum and "示例周六课0001" in museum and "示例已结束0004" in museum  # the browser hides past ones
    assert 'href="programs.ics"' in museum and "示例托管班0002" not in museum
    assert "近期活动" not in text(site, "r/example-closed/index.html")
    holiday = text(site, "holiday/index.html")
    care = holiday.split('data-resource-id="example-care"', 1)[1]
    assert "托管班" in care and "示例托管班0002" in care and "6–12 岁" in care
    assert "2027年1月15日" in care and "已报满" in care and "2027年1月25日（周一）起每周一至周五" in care


def events_of(site, path):
    return [c for c in icalendar.Calendar.from_ical((site / path).read_bytes()).walk("VEVENT")]


def test_ics_parsed_back_by_icalendar(site):
    events = events_of(site, "programs/programs.ics")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    assert uid("example-saturday-class", dt.date(2026, 11, 28)) in uids
    first = next(e for e in events if str(e["UID"]) == uid("example-saturday-class", dt.date(2026, 11, 28)))
    start = first.decoded("DTSTART")
    assert start.utcoffset() == BEIJING and (start.hour, start.minute) == (9, 30) and first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert first.decoded("DTEND").hour == 11 and "示例博物馆0001" in str(first["LOCATION"])
    school = next(e for e in events if str(e["UID"]).startswith("example-to-school-"))
    assert school.decoded("DTSTART") == dt.date(2026, 12, 10) and "进校园" in str(school["LOCATION"])
    care = [e for e in events if str(e["UID"]).startswith("example-winter-care-")]
    assert len(care) == 10 and all("示例" in str(e["SUMMARY"]) for e in care)
    cal = icalendar.Calendar.from_ical((site / "programs/programs.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    # per category and per resource: the same events, split
    assert {str(e["UID"]) for e in events_of(site, "programs/museum.ics")} == {u for u in uids if u.startswith(("example-saturday-class-", "example-past-"))}
    assert {str(e["UID"]) for e in events_of(site, "r/example-care/programs.ics")} == {str(e["UID"]) for e in care}
    assert {str(e["UID"]) for e in events_of(site, "programs/to-school.ics")} == {str(school["UID"])}


def test_ics_parsed_back_by_vobject(site):
    data = (site / "programs/programs.ics").read_bytes().decode("utf-8")
    assert "\r\n" in data and "\n" not in data.replace("\r\n", "")  # RFC 5545 line breaks
    cal = vobject.readOne(data)
    events = cal.contents["vevent"]
    assert len(events) == len(events_of(site, "programs/programs.ics"))
    by_uid = {e.uid.value: e for e in events}
    first = by_uid[uid("example-saturday-class", dt.date(2026, 11, 28))]
    assert first.dtstart.value.utcoffset() == BEIJING and first.dtstart.value.hour == 9
    assert first.summary.value == "示例周六课0001" and "电话预约 & “示例” <3 天" in first.description.value
    assert by_uid[uid("example-to-school", dt.date(2026, 12, 10))].dtstart.value == dt.date(2026, 12, 10)


def test_a_rebuild_gives_the_same_bytes_and_uids(site, tmp_path):
    again = tmp_path / "site"
    result = build(make_project(tmp_path, programs=programs_csv(), calendar=CALENDAR), again)
    assert result.returncode == 0, result.stderr
    for path in ("programs/programs.ics", "r/example-museum/programs.ics", "programs/index.html"):
        assert (again / path).read_bytes() == (site / path).read_bytes(), path


def test_a_bad_programme_stops_the_build_naming_row_and_column(tmp_path):
    rows = PROGRAMS + [dict(PROGRAMS[0], id="example-bad", resource="nowhere")]
    result = build(make_project(tmp_path, programs=programs_csv(rows)), tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"programs\.csv 第 6 行（编号 example-bad）\s+× 错误 【场馆编号】“nowhere”", result.stderr), result.stderr


def test_the_template_is_offered_for_download(site):
    assert (site / "downloads/programs-template.csv").read_text("utf-8-sig").startswith("id,resource,title,kind,")


def test_the_finder_facets_carry_each_resources_programme_months(site):
    # Refs are positions in id order; 进校园 belongs to no resource, drafts and closed rows have none.
    ids = sorted(["example-museum", "example-care", "example-closed"])
    rows = dict(zip(ids, json.loads(text(site, "search/facets.json"))))
    def mask(*days):
        return sum(1 << (d - 1) for d in days)
    # From October (the past lecture) to January: a day mask a month, the Saturdays of the class.
    assert rows["example-museum"][-1] == [0, 202610, mask(10), mask(28), mask(5, 12, 19, 26), mask(2)]
    assert rows["example-care"][-1] == [1, 202701, mask(25, 26, 27, 28, 29), mask(1, 2, 3, 4, 5)]  # examples only, weekdays
    assert not isinstance(rows["example-closed"][-1], list)
