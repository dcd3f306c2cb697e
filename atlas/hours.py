"""Opening hours in OSM syntax, read aloud in Chinese for the page and as schema.org data.

The validator has already parsed every string with a real OSM parser. This module covers
the common subset (weekday ranges, times, ``off``, ``PH``, ``24/7``) well enough to say it in
Chinese: 周二至周日 09:00–17:00，法定节假日闭馆. Anything beyond it returns None, and the page
shows the original string instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = dict(zip(DAYS, ("周一", "周二", "周三", "周四", "周五", "周六", "周日")))
SCHEMA_DAYS = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))

_DAY_RANGE = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_SELECTOR = re.compile(rf"^(?P<ph>PH)?,?(?P<days>{_DAY_RANGE}(?:,{_DAY_RANGE})*)?$")
_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_SPANS = re.compile(rf"^{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})*$")


@dataclass(frozen=True)
class Rule:
    days: tuple[str, ...]  # weekday codes, in order; empty when the rule is about PH only
    public_holidays: bool
    spans: tuple[tuple[str, str], ...]  # (opens, closes); empty = closed


@cache  # a few strings repeat across thousands of rows
def parse(value: str) -> tuple[Rule, ...] | None:
    """The rules of a simple OSM string, or None when it is beyond the common subset."""
    value = value.strip()
    if value == "24/7":
        return (Rule(DAYS, False, (("00:00", "24:00"),)),)
    rules = []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        words = part.split(" ", 1)
        selector, rest = (words[0], words[1].strip()) if len(words) == 2 else ("", words[0])
        if _SELECTOR.match(rest) and not _SPANS.match(rest):  # a bare selector means "open" in OSM: too rare to say
            return None
        match = _SELECTOR.match(selector)
        if not match:
            return None
        days = _expand(match["days"]) if match["days"] else ()
        if not days and not match["ph"]:
            days = DAYS
        if rest in ("off", "closed"):
            spans: tuple = ()
        elif _SPANS.match(rest):
            spans = tuple(tuple(span.split("-")) for span in rest.split(","))
        else:
            return None
        rules.append(Rule(days, bool(match["ph"]), spans))
    return tuple(rules) or None


def _expand(days: str) -> tuple[str, ...]:
    out: list[str] = []
    for item in days.split(","):
        first, _, last = item.partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        out += [DAYS[i % 7] for i in range(start, start + (end - start) % 7 + 1)]
    return tuple(dict.fromkeys(out))


def _say_days(days: tuple[str, ...]) -> str:
    if days == DAYS:
        return "每天"
    # Runs of consecutive days (wrapping Sunday to Monday) read as 周二至周日.
    indexes = [DAYS.index(d) for d in days]
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == (runs[-1][-1] + 1) % 7:
            runs[-1].append(i)
        else:
            runs.append([i])
    words = [
        DAY_NAMES[DAYS[r[0]]] if len(r) == 1 else f"{DAY_NAMES[DAYS[r[0]]]}{'、' if len(r) == 2 else '至'}{DAY_NAMES[DAYS[r[-1]]]}"
        for r in runs
    ]
    return "、".join(words)


def describe(value: str) -> str | None:
    """周二至周日 09:00–17:00，法定节假日闭馆 — or None when the string is beyond the subset."""
    if value.strip() == "24/7":
        return "全天开放"
    rules = parse(value)
    if rules is None:
        return None
    phrases = []
    for rule in rules:
        who = "、".join(filter(None, (_say_days(rule.days) if rule.days else "", "法定节假日" if rule.public_holidays else "")))
        if rule.spans:
            phrases.append(f"{who} " + "、".join(f"{a}–{b}" for a, b in rule.spans))
        else:
            phrases.append(f"{who}闭馆")
    return "，".join(phrases)


def schema_org(value: str) -> list[dict] | None:
    """schema.org OpeningHoursSpecification for the weekday rules (holidays are left out)."""
    rules = parse(value)
    if rules is None:
        return None
    open_by_day: dict[str, tuple] = {}
    for rule in rules:
        for day in rule.days:  # later rules override earlier ones, as in OSM
            open_by_day[day] = rule.spans
    specs = []
    for day in DAYS:
        for opens, closes in open_by_day.get(day, ()):
            specs.append({"@type": "OpeningHoursSpecification", "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[day]}", "opens": opens, "closes": closes})
    return specs
