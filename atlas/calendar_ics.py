"""The programmes as iCalendar (.ics) files, to download or subscribe to: all of them, per
resource and per category. Written by ``icalendar``.

One VEVENT per day of a programme, its UID made of the programme id and the day, so a
rebuild (or a changed rule) updates people's calendars instead of duplicating events, and a
dropped day disappears. Times are Beijing wall-clock times with TZID=Asia/Shanghai and its
VTIMEZONE; all-day programmes are DATE values. DTSTAMP is fixed, so the same data gives the
same bytes (reproducible builds).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from .programs import Programme

BEIJING = ZoneInfo("Asia/Shanghai")
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # fixed: see the module doc
DOMAIN = "jlp-atlas"  # part of every UID: never change it, or subscribers get every event twice


def uid(programme_id: str, day: dt.date) -> str:
    return f"{programme_id}-{day:%Y%m%d}@{DOMAIN}"


def calendar(programmes: list[Programme], name: str, where: dict[str, tuple[str, str]], url: str) -> bytes:
    """An .ics file named ``name``. ``where`` maps a resource id to (its name, address);
    ``url(programme)`` is where a programme is described on the site."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//九龙坡区协同育人资源图谱//场馆课表//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    for programme in sorted(programmes, key=lambda p: (p.days[0], p.p.id)):
        for day in programme.days:
            cal.add_component(_event(programme, day, where, url))
    if programmes:
        cal.add_missing_timezones()
    return cal.to_ical()


def _event(programme: Programme, day: dt.date, where: dict[str, tuple[str, str]], url) -> icalendar.Event:
    p = programme.p
    event = icalendar.Event()
    event.add("uid", uid(p.id, day))
    event.add("dtstamp", STAMP)
    if p.start_time and p.end_time:
        event.add("dtstart", dt.datetime.combine(day, p.start_time, tzinfo=BEIJING))
        event.add("dtend", dt.datetime.combine(day, p.end_time, tzinfo=BEIJING))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", p.title + ("（示例，非真实安排）" if programme.example else ""))
    if programme.to_school:
        event.add("location", "进校园（到学校举办）")
    elif p.resource in where:
        name, address = where[p.resource]
        event.add("location", f"{name}，{address}")
    lines = [p.description or ""]
    facts = [("类型", programme.kind), ("适合学段", "、".join(p.stages)), ("年龄", f"{p.ages[0]}–{p.ages[1]} 岁" if p.ages else ""),
             ("费用", p.fee or ""), ("报名", p.booking or ""), ("报名截止", p.booking_deadline.isoformat() if p.booking_deadline else ""),
             ("报名链接", p.booking_url or "")]
    lines += [f"{label}：{value}" for label, value in facts if value]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("categories", [programme.kind])
    event.add("url", url(programme))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event
