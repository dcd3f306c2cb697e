"""China's public holidays (PH) and 调休 working days, for the hours tables.

The dates come from `chinese-calendar` (pinned), not `holidays` (country CN). Compared on
2026-11 (chinese-calendar 1.11.0, holidays 0.108):

- chinese-calendar lists every day of each official 放假 span, weekends inside it included
  (清明 2026: 4–6 April), and the 调休 working days as their own set. `holidays` lists the
  statutory and substituted weekdays only (清明 2026: 5 and 6 April, not the Saturday), and
  its 调休 days only as `weekend_workdays` and inside labels.
- Both carry the 国务院办公厅 notices up to 2026. Beyond that `holidays` extrapolates by rule
  (2027's 春节 "observed" days are its guesses); chinese-calendar raises for a year it has no
  notice for. An honest gap is what the coverage warning needs.
- chinese-calendar has no dependencies and is released within weeks of each year's notice.

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

# How far ahead the data must reach before the build warns that the library is outdated.
AHEAD = dt.timedelta(days=365)


@dataclass(frozen=True)
class Calendar:
    """The special days of the window ``first``..``last`` (inclusive)."""

    first: dt.date
    last: dt.date
    days: tuple[tuple[str, frozenset[dt.date]], ...]  # ("PH", dates), later ("SH", dates)
    workdays: frozenset[dt.date]  # 调休: weekend days that are official working days

    def kinds(self, day: dt.date) -> frozenset[str]:
        """The holiday kinds of a day, e.g. {"PH"}."""
        return frozenset(kind for kind, dates in self.days if day in dates)


@cache
def china() -> Calendar:
    """The last two years the pinned library has official notices for.

    The window is derived from the data, not from the clock: the same library gives the same
    tables on any day, so builds stay byte-identical. "The coming two years" holds when the
    library is kept current (the build warns otherwise, see ``coverage_warning``); a page
    built before the next notice still reads the weekly pattern beyond ``last``, marked as
    uncertain, in the browser.
    """
    last_year = max(day.year for day in chinese_calendar.holidays)
    first, last = dt.date(last_year - 1, 1, 1), dt.date(last_year, 12, 31)
    in_window = lambda days: frozenset(d for d in days if first <= d <= last)  # noqa: E731
    return Calendar(first, last, (("PH", in_window(chinese_calendar.holidays)),), in_window(chinese_calendar.workdays))


def build_date(environ: dict[str, str] | None = None) -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH (reproducible-builds.org) when it is set."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone(dt.timedelta(hours=8))).date()
    return dt.date.today()


def coverage_warning(calendar: Calendar, today: dt.date) -> str | None:
    """A warning when the holiday data ends within the next 12 months of ``today``."""
    if calendar.last >= today + AHEAD:
        return None
    return (
        f"节假日数据只到 {calendar.last.isoformat()}（chinese-calendar），不足未来 12 个月："
        "请在国务院办公厅公布新一年放假安排后升级 chinese-calendar（pyproject.toml 与 requirements.lock）；"
        "此后的日期网页只按每周开放时间显示，并注明节假日安排未知"
    )
