"""China's public holidays (PH) and 调休 working days, for the hours tables.

Two libraries, each for what it does well (compared 2026-11: chinese-calendar 1.11.0,
holidays 0.108):

- chinese-calendar has each year's 国务院办公厅 notice as data: every day of each 放假 span,
  weekends inside it included (清明 2026: 4–6 April), and the 调休 working days as their own
  set. It raises for a year without a notice, which is the honest gap the coverage warning
  needs. It is the source for every year it covers.
- holidays (country CN) lists only the statutory and substituted weekdays (清明 2026: 5 and 6
  April, not the Saturday), and for a year without a notice it extrapolates "observed" days
  by rule. Without those (``observed=False``) it gives the statutory days fixed by law —
  元旦, 除夕 and 春节 初一至初三, 清明, 劳动节 1–2 May, 端午, 中秋, 国庆 1–3 October — with the
  lunar dates worked out. That is what it gives here, for the year after chinese-calendar's
  last: the days are certain, the spans and 调休 around them are not yet known.

opening-hours-py's own calendar (country CN) knows only the first day of each festival
(2026-02-17 for 春节, nothing for 清明), and no 调休: hours_table.py gives it these dates.

Phase 2 adds Chongqing's school holidays (SH) from data/calendar.yml as another entry of
``Calendar.days``; everything downstream already handles any holiday kind.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cache

import chinese_calendar
import holidays as statutory

# How far ahead the holiday data must reach before the build says the libraries are outdated.
AHEAD = dt.timedelta(days=365)


@dataclass(frozen=True)
class Calendar:
    """The special days of ``first``..``last``; up to ``sure`` they are the official notice's."""

    first: dt.date
    sure: dt.date
    last: dt.date
    days: tuple[tuple[str, frozenset[dt.date]], ...]  # ("PH", dates), later ("SH", dates)
    workdays: frozenset[dt.date]  # 调休: weekend days that are official working days

    def kinds(self, day: dt.date) -> frozenset[str]:
        """The holiday kinds of a day, e.g. {"PH"}."""
        return frozenset(kind for kind, dates in self.days if day in dates)


@cache
def china() -> Calendar:
    """Two years: the last year with an official notice, and the statutory days of the next.

    The window comes from the pinned libraries, not from the clock: the same libraries give
    the same tables on any day, so builds stay byte-identical. It is "the coming two years"
    while chinese-calendar is kept current, which the build checks (``coverage_warning``).
    Beyond ``sure`` the browser marks its answer 节假日安排待公布; beyond ``last`` it has only
    the weekly pattern.
    """
    year = max(day.year for day in chinese_calendar.holidays)
    first, sure, last = dt.date(year, 1, 1), dt.date(year, 12, 31), dt.date(year + 1, 12, 31)
    official = {d for d in chinese_calendar.holidays if first <= d <= sure}
    by_law = set(statutory.country_holidays("CN", years=year + 1, observed=False))
    workdays = frozenset(d for d in chinese_calendar.workdays if first <= d <= sure)
    return Calendar(first, sure, last, (("PH", frozenset(official | by_law)),), workdays)


def build_date(environ: dict[str, str] | None = None) -> dt.date:
    """Today in Beijing, or the day of SOURCE_DATE_EPOCH (reproducible-builds.org) when set.
    Only the coverage warning uses it: no output depends on the day of the build."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(dt.timezone(dt.timedelta(hours=8))).date()


def coverage_warning(calendar: Calendar, today: dt.date) -> str | None:
    """A warning when the holiday data ends within the next 12 months of ``today``.

    The data reaches the end of the year after the last official notice, so this fires from
    1 January of a year whose notice chinese-calendar does not have yet: time to upgrade it.
    """
    if calendar.last >= today + AHEAD:
        return None
    return (
        f"节假日数据只到 {calendar.last.isoformat()}，不足未来 12 个月；国务院办公厅的放假安排只到 "
        f"{calendar.sure.isoformat()}（chinese-calendar）。公布新一年安排后请升级 chinese-calendar 和 holidays"
        "（pyproject.toml 与 requirements.lock）；在此之后的日期，网页只按每周开放时间显示并注明“节假日安排待公布”"
    )
