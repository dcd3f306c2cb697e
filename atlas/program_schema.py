"""The 场馆课表 contract: one row of data/programs.csv, in the style of schema.py (same cell
types, the same CellError messages, column labels, help, examples and length limits).

Dates are single days and ranges (``2026-07-06~2026-08-14``: every day of it), or one day or
range with an RFC 5545 RRULE (``FREQ=WEEKLY;BYDAY=SA``) that repeats from its first day,
expanded by python-dateutil (programs.py). ``except_dates`` drops days, and its word
法定节假日 drops China's public holidays (holidays.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from dateutil.rrule import rrulestr

from .schema import (
    MULTI_SEPARATORS, CellError, Cells, Count, Department, FiveEducation, HttpsUrl, Line, Slug, Stages, Text, _cell,
    _choice, _date, _slug, column,
)
from .schema import Date as DateCell

TO_SCHOOL = "进校园"  # the resource of a programme carried to schools
PUBLIC_HOLIDAYS = "法定节假日"
KINDS = {
    "course": "研学课程", "lecture": "讲座", "open_day": "开放日", "activity": "体验活动",
    "exhibition": "展览", "camp": "假期营", "care": "托管",
}
STATUSES = {"published": "发布", "example": "示例", "draft": "草稿"}
MAX_OCCURRENCES = 400  # a rule that repeats more often is a mistake in a venue's timetable


def _resource(value: str) -> str:
    return value if value == TO_SCHOOL else _slug(value)


def _split(value: str) -> tuple[dt.date, dt.date]:
    parts = [part.strip() for part in re.split(r"~|～|至", value)]
    if len(parts) > 2:
        raise CellError(f"“{value}”不是日期或日期范围", "范围写成 2026-07-06~2026-08-14")
    first = _date(parts[0])
    last = _date(parts[-1])
    if last < first:
        raise CellError(f"范围“{value}”的结束日期早于开始日期", "写成 开始~结束，如 2026-07-06~2026-08-14")
    return first, last


def _spans(value: str) -> tuple[tuple[dt.date, dt.date], ...]:
    items = [part.strip() for part in MULTI_SEPARATORS.split(value)]
    if "" in items:
        raise CellError("有空的项（多余的分号）", "多个日期用一个 ; 分隔，如 2026-07-11;2026-07-18")
    return tuple(_split(item) for item in items)


def _except(value: str) -> tuple[tuple[dt.date, dt.date] | str, ...]:
    items = [part.strip() for part in MULTI_SEPARATORS.split(value)]
    return tuple(item if item == PUBLIC_HOLIDAYS else _spans(item)[0] for item in items)


def _rrule(value: str) -> str:
    text = value.removeprefix("RRULE:")
    if not re.fullmatch(r"[A-Z]+=[A-Z0-9,+\-]+(;[A-Z]+=[A-Z0-9,+\-]+)*", text) or "DTSTART" in text:
        raise CellError("不是 RRULE 重复规则", "如 FREQ=WEEKLY;BYDAY=SA（每周六）或 FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20260814；第一次的日期写在“日期”列")
    try:
        rrulestr(text, dtstart=dt.datetime(2026, 1, 1))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise CellError(f"RRULE 写法不对（{str(error)[:80]}）", "按 RFC 5545 写，如 FREQ=MONTHLY;BYDAY=1SA（每月第一个周六）；拿不准就把日期逐个写在“日期”列") from None
    return text


def _time(value: str) -> dt.time:
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise CellError("不是时间", "写成 24 小时制 HH:MM，如 09:30 或 14:00")
    return dt.time(int(match[1]), int(match[2]))


def _places(value: str) -> int:
    if not re.fullmatch(r"\d{1,6}", value):
        raise CellError("应为 0 或正整数", "只写数字，如 12；报满写 0")
    return int(value)


def _ages(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2})\s*[-~～至]\s*(\d{1,2})\s*岁?", value)
    if not match or int(match[1]) > int(match[2]) or int(match[2]) > 18:
        raise CellError("不是年龄范围", "写成 6-12（周岁，6 到 12 岁），不超过 18")
    return int(match[1]), int(match[2])


ResourceRef = Annotated[str, _cell(_resource)]
Spans = Annotated[tuple[tuple[dt.date, dt.date], ...], _cell(_spans)]
Excepts = Annotated[tuple, _cell(_except)]
RRule = Annotated[str, _cell(_rrule)]
Time = Annotated[dt.time, _cell(_time)]
Places = Annotated[int, _cell(_places)]
Ages = Annotated[tuple[int, int], _cell(_ages)]
Kind = Annotated[str, _cell(_choice(KINDS, "活动类型"))]
Status = Annotated[str, _cell(_choice(STATUSES, "状态"))]


class Program(Cells):
    """One row of data/programs.csv: a programme (or a 托管 session) of a resource, or 进校园."""

    id: Slug = column("编号", "活动的英文编号（小写字母、数字、连字符），唯一，发布后不要改：日历订阅靠它识别同一活动", "example-weekend-course")
    resource: ResourceRef = column("场馆编号", f"举办场馆在资源表里的编号；送到学校的活动写“{TO_SCHOOL}”", "example-venue")
    title: Line = column("活动名称", "活动、课程或托管班的名称", "示例周末研学课", max_chars=80)
    kind: Kind = column("活动类型", "、".join(f"{code}（{label}）" for code, label in KINDS.items()), "course")
    description: Text | None = column("活动简介", "纯文本简介", "示例活动：一处虚构的周末课程。", max_chars=1000, default=None)
    stages: Stages = column("适合学段", "学前;小学低段;小学高段;初中;高中;家长，多个用 ; 分隔", "小学高段;初中", default=())
    five_education: FiveEducation = column("五育", "德;智;体;美;劳，多个用 ; 分隔", "智;劳", default=())
    ages: Ages | None = column("年龄", "适合的周岁范围，托管班请填写", "6-12", max_chars=20, default=None)
    dates: Spans = column(
        "日期", "活动日期：单日 2026-07-11，范围 2026-07-06~2026-08-14（每天），多个用 ; 分隔；有重复规则时写第一次的日期（或开始~结束的范围）",
        "2026-07-11", max_chars=1000,
    )
    rrule: RRule | None = column("重复规则", "RFC 5545 RRULE，从“日期”的第一天起重复：FREQ=WEEKLY;BYDAY=SA 为每周六", "FREQ=WEEKLY;BYDAY=SA;COUNT=6", max_chars=200, default=None)
    except_dates: Excepts = column("除外日期", f"不举办的日期或范围，多个用 ; 分隔；写“{PUBLIC_HOLIDAYS}”则法定节假日停办", PUBLIC_HOLIDAYS, max_chars=500, default=())
    start_time: Time | None = column("开始时间", "24 小时制 HH:MM；全天活动留空", "09:30", max_chars=10, default=None)
    end_time: Time | None = column("结束时间", "24 小时制 HH:MM", "11:30", max_chars=10, default=None)
    capacity: Count | None = column("名额", "每次最多人数", "30", default=None)
    places_left: Places | None = column("剩余名额", "还能报名的人数，报满写 0；不清楚留空", "12", max_chars=10, default=None)
    fee: Line | None = column("费用", "如 免费、每人 30 元（含材料）", "免费", max_chars=100, default=None)
    booking: Text | None = column("报名方式", "如何报名，用文字说明", "电话报名，家长陪同", max_chars=300, default=None)
    booking_url: HttpsUrl | None = column("报名链接", "在线报名网址，必须是 https://", "https://www.example.gov.cn/baoming", max_chars=500, default=None)
    booking_deadline: DateCell | None = column("报名截止", "报名截止日期 YYYY-MM-DD，不晚于第一次活动", "2026-07-01", default=None)
    department: Department = column("责任单位", "负责维护本行的单位", "区文化旅游委")
    source: Text | None = column("信息来源", "出处：场馆公告的网址，或某日电话核实", "场馆公众号 2026-06 活动预告", max_chars=1000, default=None)
    status: Status = column("状态", "published（发布，默认）、example（示例：虚构的示范数据，页面标“示例”）或 draft（草稿，不发布）", "published", default="published")

    @property
    def published(self) -> bool:
        return self.status != "draft"
