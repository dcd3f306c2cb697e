"""Each resource's opening hours as a table the browser only looks up: the one evaluator.

opening-hours-py evaluates the OSM string here, with China's holidays from holidays.py; the
browser (docs/assets/atlas-hours.js) never parses OSM syntax, so the two cannot disagree.

The table, in Beijing time (China has had no daylight saving since 1991):

    {"from": "2026-01-01", "to": "2027-12-31",        # the days the table covers
     "sure": "2026-12-31",                             # up to here with the official 放假 notice
     "w": [[[540, 1020]], [], ...],                    # Monday..Sunday: open minutes of a plain day
     "x": {"2026-02-17": [], "2026-02-14": [[510, 720], [840, 1050]]}}   # days that differ

Intervals are ``[start, end)`` in minutes after midnight (``[0, 1440]`` is all day; a span past
midnight is cut at it and continues the next day). After ``sure`` the table knows the
statutory days but not the spans and 调休 around them, and after ``to`` only the weekly
pattern: the browser says so (节假日安排待公布).

How holidays reach opening-hours-py: its own calendar (country CN) knows only the first day
of each festival and no 调休, so it is given no country (then PH and SH match no day), and on
a day of a holiday kind the kind's token is replaced by ``Mo-Su`` (a selector every day
matches) — the rules keep their order and so their OSM override meaning. A 调休 working day
(a Saturday or Sunday that is officially a working day) is open when the resource is open on
that weekend day or on the weekday next to it (Friday before / Monday after): offices with
``Mo-Fr`` hours work, and venues keep their weekend hours.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import lru_cache

from opening_hours import OpeningHours, ParserError, State

from .holidays import Calendar

DAY = dt.timedelta(days=1)
Spans = tuple[tuple[int, int], ...]  # (start, end) minutes of one day
_COMMENT = re.compile(r'("[^"]*")')
_KIND = re.compile(r"\b(PH|SH)\b")


class Unsupported(ValueError):
    """The string cannot be turned into a table (an unknown state, a holiday offset…)."""


def variant(value: str, kinds: frozenset[str]) -> str:
    """The string as it reads on a day of ``kinds``: their tokens match every day."""
    parts = _COMMENT.split(value)  # odd parts are "comments", left alone
    return "".join(
        part if i % 2 else _KIND.sub(lambda m: "Mo-Su" if m[1] in kinds else m[1], part)
        for i, part in enumerate(parts)
    )


@lru_cache(maxsize=4096)  # a few strings repeat across thousands of rows
def _days(expression: str, first: dt.date, last: dt.date) -> dict[dt.date, Spans]:
    """Open minutes of every day first..last, as opening-hours-py evaluates ``expression``."""
    try:
        oh = OpeningHours(expression)
    except (ParserError, SyntaxError, ValueError) as error:
        raise Unsupported(str(error)) from None
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + DAY, dt.time())
    days: dict[dt.date, list[tuple[int, int]]] = {}
    for begin, finish, state, _comment in oh.intervals(start, end):
        finish = min(finish or end, end)
        if state == State.UNKNOWN:
            raise Unsupported(f"{expression}: unknown state")
        if state != State.OPEN:
            continue
        while begin < finish:
            midnight = dt.datetime.combine(begin.date() + DAY, dt.time())
            stop = min(finish, midnight)
            days.setdefault(begin.date(), []).append((_minutes(begin), _minutes(stop) or 1440))
            begin = stop
    return {day: tuple(spans) for day, spans in days.items()}


def _minutes(moment: dt.datetime) -> int:
    return moment.hour * 60 + moment.minute


def _merge(spans: list[tuple[int, int]]) -> Spans:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def day_spans(value: str, calendar: Calendar, day: dt.date) -> Spans:
    """The open minutes of one day of the calendar's window."""
    kinds = calendar.kinds(day)
    spans = _days(variant(value, kinds), calendar.first, calendar.last).get(day, ())
    if day in calendar.workdays and not kinds:
        weekday = day - DAY if day.weekday() == 5 else day + DAY  # Sa -> the Friday, Su -> the Monday
        spans = _merge([*spans, *_days(variant(value, frozenset()), weekday, weekday).get(weekday, ())])
    return spans


def is_open(value: str, calendar: Calendar, moment: dt.datetime) -> bool:
    """Open at a Beijing wall-clock moment: opening-hours-py asked directly, not via a table."""
    kinds = calendar.kinds(moment.date())
    if OpeningHours(variant(value, kinds)).is_open(moment):
        return True
    if moment.date() in calendar.workdays and not kinds:
        neighbour = moment - DAY if moment.weekday() == 5 else moment + DAY
        return OpeningHours(variant(value, frozenset())).is_open(neighbour)
    return False


@lru_cache(maxsize=4096)
def table(value: str, calendar: Calendar) -> dict:
    """The lookup table of one OSM string over the calendar's window (see the module doc)."""
    spans: dict[dt.date, Spans] = {}
    day = calendar.first
    while day <= calendar.last:
        spans[day] = day_spans(value, calendar, day)
        day += DAY
    plain = lambda d: not calendar.kinds(d) and d not in calendar.workdays  # noqa: E731
    # The weekly pattern: each weekday's most common spans on plain days (ties: the earliest).
    week = []
    for weekday in range(7):
        counts = Counter(s for d, s in spans.items() if d.weekday() == weekday and plain(d))
        week.append(max(counts, key=lambda s: counts[s]) if counts else ())
    return {
        "from": calendar.first.isoformat(),
        "sure": calendar.sure.isoformat(),
        "to": calendar.last.isoformat(),
        "w": [[list(s) for s in w] for w in week],
        "x": {d.isoformat(): [list(x) for x in s] for d, s in spans.items() if s != week[d.weekday()]},
    }


def table_or_none(value: str | None, calendar: Calendar | None) -> dict | None:
    """The table, or None when there are no hours, no calendar or the string is beyond it."""
    if not value or calendar is None:
        return None
    try:
        return table(value, calendar)
    except Unsupported:
        return None
