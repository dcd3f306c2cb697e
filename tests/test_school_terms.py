"""School holidays (SH) from data/calendar.yml: checked by file, line and field, then used by the hours."""

import datetime as dt

import pytest

from atlas import holidays, school_terms
from atlas.hours_table import is_open, table

CARE = "SH Mo-Fr 08:30-17:30; PH off"


@pytest.fixture(scope="module")
def cn():
    return holidays.china()


def load(tmp_path, text: str, calendar=None):
    path = tmp_path / "calendar.yml"
    path.write_text(text, "utf-8")
    return school_terms.load(path, calendar)


GOOD = """\
- school_year: 2025-2026
  source: 市教委校历（示例）
  winter: {start: 2026-01-31, end: 2026-03-04}
  summer: {start: 2026-07-04, end: 2026-08-31}
"""


def test_the_shipped_calendar_has_a_source_and_says_what_is_not_published(cn):
    terms, found = school_terms.load("data/calendar.yml", cn)
    assert all(h.source for h in terms.holidays) and terms.of("寒假")[0].start == dt.date(2026, 1, 31)
    assert not [f for f in found if f.severity == "error"]
    unpublished = {f.value for f in found if f.code == "calendar.unpublished"}
    assert unpublished == {f"{y - 1}-{y}" for y in range(cn.first.year, cn.last.year + 1)}  # 2026 summer, 2026-2027 both
    assert all("待公布" in f.message for f in found if f.code == "calendar.unpublished")


def test_school_holidays_open_a_care_site_only_on_weekdays_of_the_holiday(tmp_path, cn):
    terms, found = load(tmp_path, GOOD, cn)
    calendar = school_terms.with_school_holidays(cn, terms)
    at = lambda day, hour=10: is_open(CARE, calendar, dt.datetime.fromisoformat(day).replace(hour=hour))  # noqa: E731
    assert at("2026-02-02") and at("2026-07-06") and at("2026-08-31")  # 寒假, 暑假 Mondays
    assert not at("2026-11-02") and not at("2026-03-05")  # a school day; the first day of term
    assert not at("2026-02-07")  # a Saturday of the holiday
    assert not at("2026-02-17")  # 春节 inside 寒假: PH off wins, it comes later
    t = table(CARE, calendar)
    assert t["w"] == [[]] * 7 and t["x"]["2026-07-06"] == [[510, 1050]] and "2026-02-17" not in t["x"]
    assert t["sure"] == "2026-08-31"  # SH known up to the last holiday published


def test_an_unpublished_holiday_makes_the_table_unsure_after_the_last_known(tmp_path, cn):
    terms, _ = school_terms.load("data/calendar.yml", cn)
    calendar = school_terms.with_school_holidays(cn, terms)
    assert table(CARE, calendar)["sure"] == terms.known_until().isoformat() < cn.sure.isoformat()
    assert table("Tu-Su 09:00-17:00; PH off", calendar)["sure"] == cn.sure.isoformat()  # no SH: unaffected


@pytest.mark.parametrize(
    "text, code, line, field",
    [
        ("- school_year: 2025-2026\n  winter: {start: 2026-01-31, end: 2026-03-04}\n", "calendar.source", 1, "source"),
        ("- school_year: 2025-2026\n  source: x\n  winter: {start: 2026-03-04, end: 2026-01-31}\n", "calendar.reversed", 3, "winter.end"),
        ("- school_year: 2025-2027\n  source: x\n", "calendar.school_year", 1, "school_year"),
        ("- school_year: 2025-2026\n  source: x\n  winter: {start: 2026-13-01, end: 2026-03-04}\n", "calendar.date", 3, "winter.start"),
        ("- school_year: 2025-2026\n  source: x\n  winter: {start: 2025-07-01, end: 2025-08-01}\n", "calendar.outside", 3, "winter"),
        ("- school_year: 2025-2026\n  source: x\n  spring: {start: 2026-04-01, end: 2026-04-05}\n", "calendar.key", 3, "spring"),
        ("- school_year: 2025-2026\n  source: x\n- school_year: 2025-2026\n  source: y\n", "calendar.duplicate", 3, "school_year"),
        ("- school_year: 2025-2026\n  source: x\n  winter: {start: 2026-01-31}\n", "calendar.range", 3, "winter"),
        ("- school_year: 2025-2026\n\tsource: x\n", "calendar.yaml", 2, None),
    ],
)
def test_bad_entries_are_named_by_line_and_field(tmp_path, text, code, line, field):
    terms, found = load(tmp_path, text)
    bad = [f for f in found if f.code == code]
    assert bad, found
    assert (bad[0].line, bad[0].column, bad[0].severity) == (line, field, "error")
    assert f"第 {line} 行" in bad[0].message


def test_school_years_out_of_order_are_an_error_and_none_is_used(tmp_path):
    text = "- school_year: 2026-2027\n  source: y\n  winter: {start: 2027-01-23, end: 2027-02-20}\n" + GOOD
    terms, found = load(tmp_path, text)
    assert [f.code for f in found if f.severity == "error"] == ["calendar.order"] and terms.holidays == ()


def test_a_holiday_cannot_reach_into_the_other_term(tmp_path):
    # Each term has its window (winter Dec–Mar, summer Jun–Sep): ranges cannot overlap.
    terms, found = load(tmp_path, GOOD.replace("2026-07-04", "2026-03-01"))
    assert [(f.code, f.column) for f in found if f.severity == "error"] == [("calendar.outside", "summer")]
