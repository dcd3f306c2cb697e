"""The one evaluator: opening-hours-py with China's holidays, as tables the browser looks up."""

import datetime as dt

import pytest
from opening_hours import OpeningHours

from atlas import holidays
from atlas.hours_table import Unsupported, day_spans, is_open, table, table_or_none, variant

MUSEUM = "Tu-Su 09:00-17:00; PH off"
OFFICE = "Mo-Fr 08:30-12:00,14:00-17:30"


@pytest.fixture(scope="module")
def cn():
    return holidays.china()


def looked_up(t: dict, moment: dt.datetime) -> bool:
    """What atlas-hours.js does, in Python: the day's exception or the weekly pattern."""
    iso = moment.date().isoformat()
    spans = t["x"][iso] if iso in t["x"] else t["w"][moment.weekday()]
    minute = moment.hour * 60 + moment.minute
    return any(a <= minute < b for a, b in spans)


def test_the_calendar_has_the_official_spans_and_tiaoxiu(cn):
    assert (cn.first, cn.sure, cn.last) == (dt.date(cn.first.year, 1, 1), dt.date(cn.first.year, 12, 31), dt.date(cn.first.year + 1, 12, 31))
    for day in ("2026-02-15", "2026-02-17", "2026-02-23", "2026-04-04", "2026-04-05", "2026-10-07"):
        assert cn.kinds(dt.date.fromisoformat(day)) == {"PH"}, day  # weekends inside a 放假 span too
    assert cn.kinds(dt.date(2026, 2, 24)) == frozenset()
    assert dt.date(2026, 2, 14) in cn.workdays and dt.date(2026, 2, 7) not in cn.workdays


def test_the_year_after_the_last_notice_has_the_statutory_days_only(cn):
    # 2027: 元旦, 除夕 and 春节 初一至初三 (5–8 Feb), 清明, 1–2 May, 端午, 中秋, 1–3 Oct; no guessed spans.
    ph = sorted(d.isoformat() for d in dict(cn.days)["PH"] if d > cn.sure)
    assert ph == ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-04-05", "2027-05-01",
                  "2027-05-02", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-02", "2027-10-03"]
    assert not any(d > cn.sure for d in cn.workdays)


def test_opening_hours_py_alone_misses_most_of_chinas_holidays():
    # Why holidays.py exists: its embedded CN calendar knows 春节's first day, not 清明 or the spans.
    oh = OpeningHours(MUSEUM, country="CN")
    assert oh.is_closed(dt.datetime(2026, 2, 17, 10))
    assert oh.is_open(dt.datetime(2026, 2, 18, 10)) and oh.is_open(dt.datetime(2026, 4, 5, 10))


@pytest.mark.parametrize("day", ["2026-02-17", "2026-02-21", "2026-04-04", "2026-04-05", "2026-05-02", "2026-06-19", "2026-09-25", "2026-10-02"])
def test_ph_off_is_closed_on_every_holiday(cn, day):
    moment = dt.datetime.fromisoformat(day + "T10:00")
    assert not is_open(MUSEUM, cn, moment)
    assert not looked_up(table(MUSEUM, cn), moment)


def test_ph_hours_apply_on_holidays_only(cn):
    value = "Mo-Fr 09:00-17:00; PH 10:00-16:00"
    assert day_spans(value, cn, dt.date(2026, 10, 2)) == ((600, 960),)
    assert day_spans(value, cn, dt.date(2026, 10, 3)) == ((600, 960),)  # a Saturday of 国庆
    assert day_spans(value, cn, dt.date(2026, 10, 12)) == ((540, 1020),)


def test_a_tiaoxiu_saturday_is_a_working_day(cn):
    saturday = dt.datetime(2026, 2, 14, 10)
    assert is_open(OFFICE, cn, saturday) and looked_up(table(OFFICE, cn), saturday)
    assert not is_open(OFFICE, cn, dt.datetime(2026, 2, 7, 10))  # a plain Saturday
    assert is_open(MUSEUM, cn, saturday)  # venues keep their weekend hours
    assert not is_open("Mo-Fr 09:00-17:00; Sa off", cn, dt.datetime(2026, 2, 7, 10))


def test_the_table_equals_opening_hours_py_at_every_hour(cn):
    for value in (MUSEUM, OFFICE, "Sa,Su,PH 09:00-17:00", "Mo-Su 22:00-02:00", "Jul-Aug Mo-Fr 08:00-18:00; PH off", "24/7"):
        t = table(value, cn)
        moment = dt.datetime(2026, 1, 1, 0, 30)
        while moment.date() <= cn.last:
            assert looked_up(t, moment) == is_open(value, cn, moment), (value, moment)
            moment += dt.timedelta(hours=7, minutes=7)


def test_the_table_is_compact(cn):
    t = table(MUSEUM, cn)
    assert (t["from"], t["sure"], t["to"]) == (cn.first.isoformat(), cn.sure.isoformat(), cn.last.isoformat())
    assert t["w"] == [[], *[[[540, 1020]]] * 6]
    assert t["x"]["2026-02-17"] == [] and "2026-02-24" not in t["x"]
    assert len(t["x"]) == sum(1 for d in dict(cn.days)["PH"] if d.weekday() != 0)  # a Monday holiday is closed anyway


def test_spans_past_midnight_are_cut_at_it(cn):
    assert day_spans("Fr 22:00-02:00", cn, dt.date(2026, 3, 6)) == ((1320, 1440),)
    assert day_spans("Fr 22:00-02:00", cn, dt.date(2026, 3, 7)) == ((0, 120),)


def test_comments_keep_their_words(cn):
    assert variant('Mo-Fr 09:00-12:00 "PH 闭馆"; PH off', frozenset({"PH"})) == 'Mo-Fr 09:00-12:00 "PH 闭馆"; Mo-Su off'
    assert variant("SH Mo-Fr 08:00-17:00; PH off", frozenset({"PH"})) == "SH Mo-Fr 08:00-17:00; Mo-Su off"


def test_what_cannot_be_a_table_is_none(cn):
    assert table_or_none("Mo-Fr 09:00-17:00; Sa unknown", cn) is None
    assert table_or_none("", cn) is None and table_or_none(MUSEUM, None) is None
    with pytest.raises(Unsupported):
        table("PH +1 day off", cn)


def test_the_build_warns_when_the_data_ends_within_a_year(cn):
    assert holidays.coverage_warning(cn, cn.last - dt.timedelta(days=30)) is not None
    assert holidays.coverage_warning(cn, cn.last - dt.timedelta(days=400)) is None


def test_the_build_date_follows_source_date_epoch():
    assert holidays.build_date({"SOURCE_DATE_EPOCH": "1790000000"}) == dt.date(2026, 9, 21)
    assert holidays.build_date({"SOURCE_DATE_EPOCH": "1789920000"}) == dt.date(2026, 9, 21)  # 00:00 in Beijing, 16:00 UTC the day before
