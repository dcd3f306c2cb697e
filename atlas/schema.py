"""The data contract: one pydantic model per CSV row and per route — the single source of truth.

Each field carries its CSV column: the English key is the field name, ``title`` is the
Chinese label (also accepted as a header), ``description`` is the help text and
``examples[0]`` the example the editor guide and the CSV template show. Every cell type
below raises :class:`CellError` with a message and a hint in Chinese, never pydantic's
English defaults, because editors read these messages.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Callable
from urllib.parse import urlsplit

from opening_hours import OpeningHours
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from . import coords
from .phones import Phone, PhoneError, parse_phone
from .plaintext import describe, hidden, html_tag
from .taxonomy import taxonomy

MULTI_SEPARATORS = re.compile(r"[;；]")
# Codes and their labels, here so the open data's Table Schema lists the same choices.
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
COORD_SYSTEMS = {coords.WGS84: "WGS-84", coords.GCJ02: "GCJ-02", coords.BD09: "BD-09"}
FEES = {"free": "免费", "paid": "收费", "partly_free": "部分免费"}
YES_NO = {"yes": "是", "no": "否"}
STATUSES = {"open": "开放", "temporarily_closed": "暂停开放", "closed": "已关闭", "draft": "草稿"}


class CellError(ValueError):
    """A cell's value is wrong; ``message`` says what, ``hint`` what would be right."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


# --- cell types -------------------------------------------------------------------------


def _cell(parse: Callable[[str], Any]) -> BeforeValidator:
    return BeforeValidator(lambda value: parse(value) if isinstance(value, str) else value)


def _slug(value: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, value):
        raise CellError("编号只能用小写字母、数字和连字符", "如 jlp-library 或 chongqing-zoo；它会成为网址 /r/<编号>/，发布后不要再改")
    if len(value) > 64:
        raise CellError("编号太长", "不超过 64 个字符")
    return value


def _text(value: str) -> str:
    """Free text, line breaks allowed. Invisible format characters only warn (validate.py)."""
    if html_tag(value):
        raise CellError(f"不能包含 HTML 标签或代码（{html_tag(value)[:40]}）", "只填写纯文本；页面会自动排版。单独的 < 或 > 可以保留，如 PM2.5<35")
    controls = [ch for ch in hidden(value, "\n\t") if unicodedata.category(ch) == "Cc"]
    if controls:
        raise CellError(f"包含不可见的控制字符 {describe(controls)}", "从其他软件复制时带入了控制字符，请删除后重新输入")
    return value


def _line(value: str) -> str:
    """One line of text that names or finds something: no control, bidi or zero-width character."""
    _text(value)
    chars = hidden(value)
    if chars:
        raise CellError(f"包含不可见字符或文字方向控制符 {describe(chars)}", "名称、地址和标签里不能有换行、零宽字符或改变文字方向的字符；请删除后重新输入")
    return value


def _choice(options: dict[str, str], what: str) -> Callable[[str], str]:
    """Accept a code or its Chinese label; keep the code."""
    by_label = {label: code for code, label in options.items()}

    def parse(value: str) -> str:
        if value.lower() in options:
            return value.lower()
        if value in by_label:
            return by_label[value]
        listing = "、".join(f"{code}（{label}）" for code, label in options.items())
        raise CellError(f"不是有效的{what}", f"可选：{listing}")

    return parse


def _one_of(options: Callable[[], tuple[str, ...]], what: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in options():
            close = [option for option in options() if value and (value in option or option in value)]
            guess = f"是否应为“{close[0]}”？" if len(close) == 1 else ""
            raise CellError(f"不是有效的{what}", guess + "可选：" + "、".join(options()))
        return value

    return parse


def _multi(item: Callable[[str], Any]) -> Callable[[str], tuple]:
    def parse(value: str) -> tuple:
        items = [part.strip() for part in MULTI_SEPARATORS.split(value)]
        if "" in items:
            raise CellError("有空的项（多余的分号）", "多个值用一个 ; 分隔，如 小学高段;初中")
        if len(set(items)) != len(items):
            raise CellError("有重复的项", "每个值只写一次")
        return tuple(item(part) for part in items)

    return parse


def _category(value: str) -> str:
    options = {c.code: c.label for c in taxonomy().categories}
    return _choice(options, "类别")(value)


def _positive_int(value: str) -> int:
    if not re.fullmatch(r"\d{1,9}", value) or int(value) == 0:
        raise CellError("应为正整数", "只写数字，如 40（不要写“40人”）")
    if int(value) > 100_000:
        raise CellError("数值过大", "请核对")
    return int(value)


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CellError("应为数字（十进制度）", "如 29.5085；不要用“度分秒”格式") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError("应为数字（十进制度）", "如 29.5085")
    return number


def _date(value: str) -> dt.date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise CellError("不是有效日期", "写成 YYYY-MM-DD，如 2026-05-01（表格软件里请把该列设为“文本”）")


def _url(schemes: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if hidden(value):
            raise CellError(f"网址里有不可见字符 {describe(hidden(value))}", "重新复制网址，或手动输入")
        parts = urlsplit(value) if not re.search(r"\s", value) else None
        if parts is None or parts.scheme.lower() not in schemes or not parts.hostname or parts.username:
            must = "https://" if schemes == ("https",) else "http:// 或 https://"
            raise CellError("不是可用的网址", f"以 {must} 开头的完整网址，如 https://www.example.gov.cn/yuyue")
        return value

    return parse


def _phone(value: str) -> Phone:
    try:
        return parse_phone(value)
    except PhoneError as error:
        raise CellError(f"电话“{value}”{error.message}", error.hint) from None


def _hours(value: str) -> str:
    try:
        OpeningHours(value)
    except Exception as error:  # the parser raises its own ParserError with a caret diagram
        detail = str(error).strip().splitlines()[0][:120]
        raise CellError(
            f"不是 OpenStreetMap 开放时间格式（{detail}）",
            "如 Tu-Su 09:00-17:00; PH off（周二至周日 9:00–17:00，法定节假日闭馆）；不确定就留空，写在“开放说明”里",
        ) from None
    return value


# Columns with a fixed set of codes, by column (the department spreadsheets' drop-downs).
OPTIONS = {"coord_system": COORD_SYSTEMS, "fee": FEES, "accessible": YES_NO, "status": STATUSES}

Slug = Annotated[str, _cell(_slug)]
Text = Annotated[str, _cell(_text)]
Line = Annotated[str, _cell(_line)]
Category = Annotated[str, _cell(_category)]
Street = Annotated[str, _cell(_one_of(lambda: tuple(s.name for s in taxonomy().streets), "镇街"))]
Department = Annotated[str, _cell(_one_of(lambda: taxonomy().departments, "责任单位"))]
Stages = Annotated[tuple[str, ...], _cell(_multi(_one_of(lambda: tuple(s.label for s in taxonomy().stages), "学段")))]
FiveEducation = Annotated[tuple[str, ...], _cell(_multi(_one_of(lambda: taxonomy().five_education, "五育")))]
HolidayServices = Annotated[tuple[str, ...], _cell(_multi(_one_of(lambda: taxonomy().holiday_services, "假期服务")))]
Tags = Annotated[tuple[str, ...], _cell(_multi(_line))]
Phones = Annotated[tuple[Phone, ...], _cell(_multi(_phone))]
Latitude = Annotated[float, _cell(_number)]
Longitude = Annotated[float, _cell(_number)]
CoordSystem = Annotated[str, _cell(_choice(COORD_SYSTEMS, "坐标系"))]
HttpsUrl = Annotated[str, _cell(_url(("https",)))]
WebUrl = Annotated[str, _cell(_url(("http", "https")))]
Hours = Annotated[str, _cell(_hours)]
Fee = Annotated[str, _cell(_choice(FEES, "费用类型"))]
Count = Annotated[int, _cell(_positive_int)]
YesNo = Annotated[str, _cell(_choice(YES_NO, "取值"))]
Date = Annotated[dt.date, _cell(_date)]
Status = Annotated[str, _cell(_choice(STATUSES, "状态"))]


def column(label: str, help: str, example: str = "", *, max_chars: int = 200, **kwargs: Any) -> Any:
    """A field with its CSV column's label, help, example and longest accepted cell."""
    return Field(title=label, description=help, examples=[example], json_schema_extra={"max_chars": max_chars}, **kwargs)


def max_chars(field) -> int:
    return (field.json_schema_extra or {}).get("max_chars", 200)


class Cells(BaseModel):
    """A model read from cells: each checked against its column's length limit before its type,
    so a 100,000-character cell gets one clear message and never reaches a parser."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _not_too_long(cls, value: Any, info: ValidationInfo) -> Any:
        limit = max_chars(cls.model_fields[info.field_name])
        if isinstance(value, str) and len(value) > limit:
            raise CellError(f"太长：{len(value):,} 个字符，这一列最多 {limit:,} 个", "请精简；汉字、字母、数字和标点都算一个字符")
        return value


# --- the row model ----------------------------------------------------------------------


class Resource(Cells):
    """One row of data/resources.csv: one resource of the atlas."""

    id: Slug = column("编号", "稳定的英文编号（小写字母、数字、连字符），唯一；页面网址为 /r/<编号>/，发布后不要改", "example-venue")
    name: Line = column("名称", "资源的正式名称", "示例场馆", max_chars=80)
    category: Category = column("类别", "类别代码或中文名称，见类别表", "library")
    tags: Tags = column("标签", "自由标签，多个用 ; 分隔", "红岩思政;非遗", default=())
    street: Street = column("镇街", "所在镇街（19 个之一）", "杨家坪街道")
    address: Line = column("地址", "详细地址，以“重庆市九龙坡区”开头", "重庆市九龙坡区示例路1号", max_chars=120)
    lat: Latitude | None = column("纬度", "纬度（十进制度）；留空则使用地理编码缓存", "29.5085", default=None)
    lon: Longitude | None = column("经度", "经度（十进制度）；留空则使用地理编码缓存", "106.5110", default=None)
    coord_system: CoordSystem = column(
        "坐标系", "坐标来自哪里：wgs84（GPS，默认）、gcj02（高德/腾讯拾取器）、bd09（百度拾取器）", "gcj02", default=coords.WGS84
    )
    phone: Phones = column("电话", "一个或多个电话，用 ; 分隔：固定电话带区号、手机、400/800 或 12345 等服务号码", "12345", default=())
    booking: Text | None = column("预约方式", "如何预约，用文字说明", "提前 3 天电话预约，团体需提交名单", max_chars=500, default=None)
    booking_url: HttpsUrl | None = column("预约链接", "在线预约网址，必须是 https://", "https://www.example.gov.cn/yuyue", max_chars=500, default=None)
    website: WebUrl | None = column("网站", "官方网站", "https://www.example.gov.cn/", max_chars=500, default=None)
    wechat: Line | None = column("微信公众号", "微信公众号名称或微信号", "示例场馆", max_chars=60, default=None)
    opening_hours: Hours | None = column(
        "开放时间", "OpenStreetMap opening_hours 格式", "Tu-Su 09:00-17:00; PH off", max_chars=300, default=None
    )
    hours_note: Text | None = column("开放说明", "开放时间的补充说明，如闭馆规则、停止入馆时间", "16:30 停止入馆", max_chars=300, default=None)
    fee: Fee | None = column("费用", "free（免费）、paid（收费）或 partly_free（部分免费）", "free", default=None)
    fee_note: Text | None = column("费用说明", "收费标准或减免政策", "学生凭证免费", max_chars=300, default=None)
    stages: Stages = column("适合学段", "学前;小学低段;小学高段;初中;高中;家长，多个用 ; 分隔", "小学高段;初中", default=())
    five_education: FiveEducation = column("五育", "德;智;体;美;劳，多个用 ; 分隔", "德;智", default=())
    capacity: Count | None = column("团体接待上限", "一次团体参观最多接待人数", "50", default=None)
    visit_minutes: Count | None = column("建议时长", "建议参观时长（分钟）", "90", default=None)
    holiday_service: HolidayServices = column("假期服务", "寒假;暑假;周末;课后，多个用 ; 分隔", "暑假;周末", default=())
    accessible: YesNo | None = column("无障碍", "是否有无障碍设施：yes（是）或 no（否）", "yes", default=None)
    description: Text | None = column("简介", "纯文本简介", "示例场馆是一处虚构的示例。", max_chars=2000, default=None)
    department: Department = column("责任单位", "负责维护本行的单位（区级部门或镇街）", "区文化旅游委")
    source: Text | None = column("信息来源", "信息出处：公开网页、场馆公告或某日电话核实", "场馆官网开放公告（2026-04）", max_chars=1000, default=None)
    verified_on: Date | None = column("核实日期", "责任单位最近一次确认本行的日期 YYYY-MM-DD；留空表示尚未核实", "2026-05-01", default=None)
    status: Status = column("状态", "open（开放，默认）、temporarily_closed（暂停开放）、closed（已关闭）或 draft（草稿，不发布）", "open", default="open")

    @property
    def published(self) -> bool:
        return self.status != "draft"


# --- routes -----------------------------------------------------------------------------


class Stop(Cells):
    id: Slug = column("资源编号", "经停资源的编号", "jlp-library")
    minutes: Annotated[int, Field(gt=0, le=600)] | None = column("停留分钟", "在此站停留的分钟数；留空则用资源的建议时长（visit_minutes）", "60", default=None)
    note: Text = column("说明", "在此站做什么", "参观主展厅", default="")


class Route(Cells):
    """One 研学 route of data/routes.yml: ordered stops by resource id."""

    id: Slug = column("编号", "路线编号", "red-culture")
    name: Line = column("名称", "路线名称", "红色文化研学线")
    theme: Line = column("主题", "路线主题", "红色文化")
    stages: tuple[Annotated[str, _cell(_one_of(lambda: tuple(s.label for s in taxonomy().stages), "学段"))], ...] = column(
        "适合学段", "学段列表", "初中", default=()
    )
    description: Text = column("简介", "路线简介", "", max_chars=2000, default="")
    stops: tuple[Stop, ...] = Field(min_length=2, title="站点", description="按参观顺序排列的站点")


# --- columns, derived from the model -----------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    help: str
    example: str
    multi: bool
    max_chars: int


@cache  # every exported row asks: 60,000 times for the CSV and Excel files of 30,000 resources
def columns(model: type[Cells] | None = None) -> tuple[Column, ...]:
    """The CSV columns in contract order, derived from :class:`Resource` (or another row model)."""
    return tuple(
        Column(
            key=name,
            label=field.title or name,
            required=field.is_required(),
            help=field.description or "",
            example=(field.examples or [""])[0],
            multi=field.default == (),
            max_chars=max_chars(field),
        )
        for name, field in (model or Resource).model_fields.items()
    )
