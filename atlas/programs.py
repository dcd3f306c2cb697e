"""The 场馆课表: data/programs.csv checked row by row, each programme expanded into its days.

The cells are checked by program_schema.Program (the same loader and messages as
resources.csv); this module adds what needs the row, the file or the world: the resource the
programme belongs to, times, the sign-up deadline, places, and the days themselves, expanded
from single dates, ranges or an RRULE (python-dateutil), less the days excepted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from dateutil.rrule import rrulestr

from .findings import ERROR, WARNING, Finding, Report
from .holidays import Calendar
from .load import read_table
from .program_schema import KINDS, MAX_OCCURRENCES, PUBLIC_HOLIDAYS, TO_SCHOOL, Program
from .schema import columns
from .validate import _check_spreadsheet_and_eye, _model

DAY = dt.timedelta(days=1)
WEEKDAYS = "一二三四五六日"


class Unbounded(ValueError):
    """A rule with no end: no UNTIL, COUNT or range."""


@dataclass(frozen=True)
class Programme:
    """A checked row with its days, in order."""

    p: Program
    days: tuple[dt.date, ...]
    row: int = 0
    line: int = 0

    @property
    def kind(self) -> str:
        return KINDS[self.p.kind]

    @property
    def to_school(self) -> bool:
        return self.p.resource == TO_SCHOOL

    @property
    def example(self) -> bool:
        return self.p.status == "example"

    def when(self) -> str:
        """The days in words: 2026-07-06 至 08-14 每周一、三、五 · 09:30–11:30."""
        p = self.p
        if p.rrule:
            first, last = p.dates[0]
            text = f"{_day(first)}起{describe_rule(p.rrule)}" + (f"，至 {_day(last)}" if last != first else "") + f"，共 {len(self.days)} 次"
        else:
            text = "；".join(_day(a) if a == b else f"{_day(a)} 至 {_day(b)}" for a, b in p.dates)
            if len(self.days) > 1:
                text += f"，共 {len(self.days)} 天"
        excepts = [PUBLIC_HOLIDAYS if e == PUBLIC_HOLIDAYS else (_day(e[0]) if e[0] == e[1] else f"{_day(e[0])} 至 {_day(e[1])}") for e in p.except_dates]
        if excepts:
            text += "（" + "、".join(excepts) + "除外）"
        return text

    def hours(self) -> str:
        p = self.p
        return f"{p.start_time:%H:%M}–{p.end_time:%H:%M}" if p.start_time and p.end_time else "全天"


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def describe_rule(rule: str) -> str:
    """A few common RRULEs in words (每周六, 每两周, 每月); the days listed say the rest."""
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    every = int(parts.get("INTERVAL", "1"))
    unit = {"DAILY": "天", "WEEKLY": "周", "MONTHLY": "月", "YEARLY": "年"}.get(parts.get("FREQ", ""), "")
    names = {"MO": "一", "TU": "二", "WE": "三", "TH": "四", "FR": "五", "SA": "六", "SU": "日"}
    days = [re.fullmatch(r"([+-]?\d{0,2})([A-Z]{2})", d) for d in parts.get("BYDAY", "").split(",") if d]
    text = f"每{'' if every == 1 else '两' if every == 2 else str(every)}{unit}" if unit else "按规则重复"
    if [d[0] if d else "" for d in days] == ["MO", "TU", "WE", "TH", "FR"]:
        text += "一至周五" if unit == "周" else "的周一至周五"
    elif days and all(d and d[2] in names for d in days):
        nth = lambda n: "" if not n else "最后一个" if n == "-1" else f"第{int(n)}个"  # noqa: E731
        plain = unit == "周" and every == 1  # 每周六; but 每两周的周六, 每月的第1个周日
        text += ("" if plain else "的") + "、".join(nth(d[1]) + ("" if plain and not d[1] else "周") + names[d[2]] for d in days)
    elif days:
        text += "（" + parts["BYDAY"] + "）"
    return text


def expand(p: Program, calendar: Calendar | None) -> tuple[dt.date, ...]:
    """The days of a programme: dates, ranges or an RRULE from the first date; less the excepted.

    An RRULE repeats from the first day of ``dates``; a range there also bounds it. It must end
    (UNTIL, COUNT or the range): a timetable is published for a season, not for ever."""
    if p.rrule:
        first, last = p.dates[0]
        rule = rrulestr(p.rrule, dtstart=dt.datetime.combine(first, dt.time()))
        bounded = last != first or "UNTIL=" in p.rrule or "COUNT=" in p.rrule
        if not bounded:
            raise Unbounded(p.rrule)
        days = []
        for moment in rule:
            if last != first and moment.date() > last:
                break
            days.append(moment.date())
            if len(days) > MAX_OCCURRENCES:
                break
    else:
        days = [a + i * DAY for a, b in p.dates for i in range((b - a).days + 1)]
    skip: set[dt.date] = set()
    for item in p.except_dates:
        if item == PUBLIC_HOLIDAYS:
            skip |= dict(calendar.days).get("PH", frozenset()) if calendar else set()
        else:
            skip |= {item[0] + i * DAY for i in range((item[1] - item[0]).days + 1)}
    return tuple(sorted(set(days) - skip))


def validate_programs(path: str | Path, known: set[str], calendar: Calendar | None, report: Report) -> list[Programme]:
    """Read data/programs.csv; its findings go into ``report``. Returns the published programmes.

    ``known`` holds the ids of the published resources a programme may belong to."""
    schema = columns(Program)
    table, findings = read_table(path, schema=schema)
    report.add(*findings)
    missing = {f.column for f in findings if f.code == "header.missing"}
    result: list[Programme] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        found: list[Finding] = [f for key in ("title", "description", "booking", "fee", "source") for f in _check_spreadsheet_and_eye(key, row.cells.get(key, ""))]
        program = _model(row, found, missing, model=Program)
        pid = row.cells.get("id", "")
        if pid in first_row:
            found.append(Finding(ERROR, "id.duplicate", f"编号与第 {first_row[pid]} 行重复", "每个活动的编号必须唯一", column="id", value=pid))
        elif pid:
            first_row[pid] = row.number
        days: tuple[dt.date, ...] = ()
        if program is not None:
            found += _check(program, known)
            if not any(f.severity == ERROR for f in found):
                days, more = _days(program, calendar)
                found += more
        report.add(*(replace(f, file=str(path), row=row.number, line=row.line, resource_id=pid or None) for f in found))
        if program is not None and days and not any(f.severity == ERROR for f in found) and program.published:
            result.append(Programme(program, days, row.number, row.line))
    return result


def _check(p: Program, known: set[str]) -> list[Finding]:
    found = []
    if p.resource != TO_SCHOOL and p.resource not in known:
        found.append(Finding(ERROR, "program.unknown_resource", "场馆编号不在资源表里（或那一行未发布）", f"写资源表里已发布的编号；送到学校的活动写“{TO_SCHOOL}”", column="resource", value=p.resource))
    if p.rrule and len(p.dates) != 1:
        found.append(Finding(ERROR, "program.rrule_dates", "有重复规则时，“日期”只能写第一次的日期，或一个 开始~结束 的范围", "如 2026-07-04 或 2026-07-04~2026-08-29", column="dates"))
    if (p.start_time is None) != (p.end_time is None):
        column = "end_time" if p.end_time is None else "start_time"
        found.append(Finding(ERROR, "program.half_time", "开始时间和结束时间要么都填，要么都留空（全天）", "两列都填写 HH:MM", column=column))
    elif p.start_time and p.end_time and p.end_time <= p.start_time:
        found.append(Finding(ERROR, "program.end_before_start", "结束时间不晚于开始时间", "核对时间；跨过午夜的活动请分成两天写", column="end_time", value=f"{p.start_time:%H:%M}–{p.end_time:%H:%M}"))
    if p.capacity is not None and p.places_left is not None and p.places_left > p.capacity:
        found.append(Finding(ERROR, "program.places", f"剩余名额（{p.places_left}）多于名额（{p.capacity}）", "核对两列", column="places_left", value=str(p.places_left)))
    if p.kind == "care" and p.ages is None:
        found.append(Finding(WARNING, "program.care_ages", "托管班没有写适合的年龄", "写周岁范围，如 6-12，家长才知道能不能报", column="ages"))
    return found


def _days(p: Program, calendar: Calendar | None) -> tuple[tuple[dt.date, ...], list[Finding]]:
    try:
        days = expand(p, calendar)
    except Unbounded:
        return (), [Finding(ERROR, "program.rrule_unbounded", "重复规则没有结束日期", "在规则里加 UNTIL=20261231 或 COUNT=10，或在“日期”列写 开始~结束 的范围", column="rrule", value=p.rrule)]
    if len(days) > MAX_OCCURRENCES:
        return (), [Finding(ERROR, "program.too_many", f"展开后超过 {MAX_OCCURRENCES} 次", "核对重复规则和日期范围；长期开放的项目写在资源表的开放时间里", column="rrule" if p.rrule else "dates")]
    if not days:
        return (), [Finding(ERROR, "program.no_days", "去掉除外日期后，一天也没有", "核对日期和除外日期", column="except_dates" if p.except_dates else "dates")]
    if p.booking_deadline and p.booking_deadline > days[0]:
        return days, [Finding(ERROR, "program.deadline_after_start", f"报名截止日期晚于第一次活动（{days[0].isoformat()}）", "报名截止应不晚于第一次活动的日期", column="booking_deadline", value=p.booking_deadline.isoformat())]
    return days, []
