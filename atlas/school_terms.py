"""Chongqing's school holidays (寒假, 暑假) from data/calendar.yml: checked, and as the SH days.

Editors keep one entry per school year, each with its source (the 市教委 校历)::

    - school_year: 2025-2026
      source: 重庆市教委 2025—2026 学年度中小学校历 …
      winter: {start: 2026-01-31, end: 2026-03-04}
      summer: {start: …, end: …}     # left out until it is published

A holiday not yet published is simply absent: the validator says so (待公布), opening hours
with ``SH`` treat its days as school days, and their tables say 节假日安排待公布 after the
last holiday known (``Calendar.until``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .findings import ERROR, WARNING, Finding
from .holidays import Calendar

TERMS = {"winter": "寒假", "summer": "暑假"}
KEYS = ("school_year", "source", *TERMS)
# The months a term may fall in, relative to the school year's second calendar year (Y+1).
MONTHS = {"winter": ((-1, 12), (0, 3)), "summer": ((0, 6), (0, 9))}
FIX = "每个学年写 school_year、source，和已公布的 winter / summer：{start: YYYY-MM-DD, end: YYYY-MM-DD}，见文件开头的说明"


@dataclass(frozen=True)
class Holiday:
    school_year: str  # "2025-2026"
    term: str  # "winter" | "summer"
    start: dt.date
    end: dt.date  # the last day of the holiday, inclusive
    source: str

    @property
    def label(self) -> str:
        return TERMS[self.term]

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class SchoolTerms:
    holidays: tuple[Holiday, ...] = ()

    def dates(self) -> frozenset[dt.date]:
        return frozenset(day for h in self.holidays for day in h.days())

    def of(self, label: str) -> list[Holiday]:
        """The holidays of a term by its Chinese name (寒假 / 暑假), in date order."""
        return [h for h in self.holidays if h.label == label]

    def known_until(self) -> dt.date | None:
        """The last day of the last holiday known: beyond it SH is 待公布."""
        return max((h.end for h in self.holidays), default=None)


def with_school_holidays(calendar: Calendar, terms: SchoolTerms) -> Calendar:
    """The calendar with SH: just another (kind, dates) entry of ``days``."""
    until = terms.known_until()
    return replace(
        calendar,
        days=(*calendar.days, ("SH", terms.dates())),
        until=(*calendar.until, ("SH", until if until else calendar.first - dt.timedelta(days=1))),
    )


def load(path: str | Path, calendar: Calendar | None = None) -> tuple[SchoolTerms, list[Finding]]:
    """Read and check data/calendar.yml. Entries with errors are left out, and reported."""
    name = str(path)
    try:
        text = Path(path).read_text("utf-8")
        root = yaml.compose(text)
        data = yaml.load(text, Loader=yaml.BaseLoader)  # every scalar a string: dates are checked here
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return SchoolTerms(), [Finding(ERROR, "calendar.yaml", f"{'第 %d 行' % line if line else ''}YAML 格式错误：{getattr(error, 'problem', error)}", "检查缩进（用空格，不用 Tab）和冒号", file=name, line=line)]
    except (OSError, UnicodeDecodeError) as error:
        return SchoolTerms(), [Finding(ERROR, "calendar.read", f"无法读取校历文件：{error}", "校历文件应为 UTF-8 编码的 YAML", file=name)]
    found: list[Finding] = []

    def report(severity: str, code: str, message: str, hint: str, node, field: str | None = None, value=None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        where = f"第 {line} 行：" if line else ""
        found.append(Finding(severity, code, where + message, hint, file=name, line=line, column=field, value=None if value is None else str(value)))

    if data is None:
        data, root = [], None
    if not isinstance(data, list):
        report(ERROR, "calendar.shape", "校历文件应是一个列表（每个学年以“- school_year:”开头）", FIX, root)
        return SchoolTerms(), found
    holidays: list[Holiday] = []
    seen: dict[str, int] = {}
    for item, node in zip(data, root.value if root is not None else []):
        holidays += _entry(item, node, report, seen)
    # Each term must lie in its own window of its school year (MONTHS), and the school years
    # must come in order: so the ranges are in order and cannot overlap.
    years = list(seen)
    if years != sorted(years):
        report(ERROR, "calendar.order", "学年没有按先后排列", "按学年从早到晚排列：" + "、".join(sorted(years)), root)
        holidays = []
    if calendar is not None:
        found += _unpublished(holidays, seen, calendar, name)
    return SchoolTerms(tuple(holidays)), found


def _entry(item, node, report, seen: dict[str, int]) -> list[Holiday]:
    if not isinstance(item, dict):
        report(ERROR, "calendar.shape", "每个学年应是“键: 值”的形式", FIX, node)
        return []
    nodes = {key.value: value for key, value in node.value}
    for key in item:
        if key not in KEYS:
            report(ERROR, "calendar.key", f"无法识别的键“{key}”", "可用的键：" + "、".join(KEYS), nodes.get(key, node), field=str(key))
    year = str(item.get("school_year", "")).strip()
    match = re.fullmatch(r"(\d{4})-(\d{4})", year)
    if not match or int(match[2]) != int(match[1]) + 1:
        report(ERROR, "calendar.school_year", "学年应写成相连的两年，如 2025-2026", FIX, nodes.get("school_year", node), field="school_year", value=year or None)
        return []
    if year in seen:
        report(ERROR, "calendar.duplicate", f"{year} 学年重复（第 {seen[year]} 行已有）", "每个学年只写一次", node, field="school_year", value=year)
        return []
    seen[year] = node.start_mark.line + 1
    source = item.get("source")
    if not isinstance(source, str) or not source.strip():
        report(ERROR, "calendar.source", f"{year} 学年没有信息来源", "写明市教委校历的网址，或两个相互独立的公开网页", nodes.get("source", node), field="source")
        return []
    second = int(match[2])
    result = []
    for term, label in TERMS.items():
        if term not in item:
            continue
        holiday = _range(year, term, item[term], nodes[term], source.strip(), second, report)
        if holiday:
            result.append(holiday)
    return result


def _range(year: str, term: str, value, node, source: str, second: int, report) -> Holiday | None:
    label = TERMS[term]
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        report(ERROR, "calendar.range", f"{year} 学年{label}应写成 {{start: YYYY-MM-DD, end: YYYY-MM-DD}}", "start 是放假第一天，end 是开学前最后一天", node, field=term)
        return None
    ends = {}
    for key in ("start", "end"):
        try:
            day = dt.date.fromisoformat(value[key]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[key]) else None
        except ValueError:
            day = None
        if day is None:
            report(ERROR, "calendar.date", f"{year} 学年{label}的 {key} 不是日期", "写成 YYYY-MM-DD，如 2026-01-31", node, field=f"{term}.{key}", value=value[key])
            return None
        ends[key] = day
    start, end = ends["start"], ends["end"]
    if end < start:
        report(ERROR, "calendar.reversed", f"{year} 学年{label}的结束日期早于开始日期", "start 是放假第一天，end 是假期最后一天", node, field=f"{term}.end", value=f"{start}~{end}")
        return None
    (y0, m0), (y1, m1) = MONTHS[term]
    if start < dt.date(second + y0, m0, 1) or end > dt.date(second + y1, m1, 30):
        report(ERROR, "calendar.outside", f"{year} 学年{label}的日期不在这一学年里", f"{label}应在 {second + y0} 年 {m0} 月至 {second + y1} 年 {m1} 月之间；核对学年和年份", node, field=term, value=f"{start}~{end}")
        return None
    return Holiday(year, term, start, end, source)


def _unpublished(holidays: list[Holiday], seen: dict[str, int], calendar: Calendar, name: str) -> list[Finding]:
    """A warning for each holiday within the calendar's window that the file does not have yet."""
    have = {(h.school_year, h.term) for h in holidays}
    found = []
    for second in range(calendar.first.year, calendar.last.year + 1):
        year = f"{second - 1}-{second}"
        missing = [label for term, label in TERMS.items() if (year, term) not in have]
        if missing:
            found.append(Finding(
                WARNING, "calendar.unpublished", (f"第 {seen[year]} 行：" if year in seen else "") + f"{year} 学年的{'、'.join(missing)}日期待公布（校历文件里还没有）",
                "市教委公布校历后，把日期和信息来源写进 data/calendar.yml；在此之前网页显示“假期日期待公布”",
                file=name, line=seen.get(year), column=None if year not in seen else "school_year", value=year,
            ))
    return found
