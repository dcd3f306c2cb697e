"""Validation: from a CSV file to published resources plus every finding, row and column.

Per-cell types are checked by the schema; this module adds what needs the whole row, the
whole file or the world outside it: coordinates in the district, personal data, freshness,
duplicates, the geocode cache, and routes that point at resources.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from functools import cache
from types import SimpleNamespace
from typing import Annotated

from pydantic import TypeAdapter, ValidationError

from . import coords, holidays, hours_table
from .district import Bounds, load_bounds, looks_like_other_street
from .findings import ERROR, WARNING, Finding, Report
from .formulas import formula_start
from .geocache import cached_point
from .load import Row, read_table
from .plaintext import describe, hidden
from .schema import MULTI_SEPARATORS, CellError, Resource, Route

FREE_TEXT = ("name", "tags", "address", "booking", "wechat", "hours_note", "fee_note", "description", "source")
PROSE = ("booking", "hours_note", "fee_note", "description", "source")  # where invisible characters only warn


@dataclass(frozen=True)
class Settings:
    bounds: Bounds = field(default_factory=lambda: load_bounds(None))
    stale_days: int = 365
    today: dt.date = field(default_factory=dt.date.today)
    geocache: dict = field(default_factory=dict)


@dataclass
class Atlas:
    """What validation produces: the resources to publish, routes, and the report."""

    resources: list[Resource]
    routes: list[Route]
    report: Report
    rows: dict[str, Row]  # resource id -> its CSV row (for edit links)


def validate_csv(path: str | Path, settings: Settings, data: bytes | None = None) -> Atlas:
    table, findings = read_table(path, data)
    report = Report(findings=findings, encoding=table.encoding, rows=len(table.rows))
    resources: list[Resource] = []
    rows: dict[str, Row] = {}
    missing_columns = {f.column for f in findings if f.code == "header.missing"}
    kept: list[tuple[Resource, Row]] = []
    for row in table.rows:
        found = _check_row(row)
        resource = _model(row, found, missing_columns)
        # Row-level checks also run on the valid cells of a row with cell errors, so an
        # editor sees every fault of the row in one round.
        found += _check_resource(resource or _valid_cells(row), settings)
        report.add(*(_locate(f, table.path, row, resource) for f in found))
        if resource is not None and not any(f.severity == ERROR for f in found):
            resources.append(resource)
            kept.append((resource, row))
            rows.setdefault(resource.id, row)
    report.add(*_check_across(table, kept))
    published = [r for r in resources if r.published]
    return Atlas(resources=published, routes=[], report=report, rows=rows)


def _locate(finding: Finding, path: str, row: Row, resource: Resource | None) -> Finding:
    return replace(
        finding, file=path, row=row.number, line=row.line,
        resource_id=resource.id if resource else (row.cells.get("id") or None),
    )


def _model(row: Row, found: list[Finding], missing_columns: set) -> Resource | None:
    cells = {key: value for key, value in row.cells.items() if value != ""}
    try:
        return Resource.model_validate(cells)
    except ValidationError as error:
        for problem in error.errors():
            column = str(problem["loc"][0]) if problem["loc"] else None
            cause = problem.get("ctx", {}).get("error")
            if problem["type"] == "missing":
                if column not in missing_columns:
                    found.append(Finding(ERROR, "cell.required", "必填项为空", "这一列每行都要填写", column=column))
            elif isinstance(cause, CellError):
                code = f"cell.{column}" if column else "cell.row"
                found.append(Finding(ERROR, code, cause.message, cause.hint, column=column, value=row.cells.get(column or "")))
            else:  # a constraint pydantic checks itself; keep its words rather than lose the finding
                found.append(Finding(ERROR, f"cell.{column}", problem["msg"], column=column, value=row.cells.get(column or "")))
        return None


def _valid_cells(row: Row) -> SimpleNamespace:
    """The cells of a row that are valid on their own, with defaults for the rest."""
    values = {name: field.default for name, field in Resource.model_fields.items()}
    values.update(address="九龙坡", street=None)  # neutral placeholders: no finding is made from them
    adapters = _adapters()
    for name, value in row.cells.items():
        if value == "" or name not in adapters:
            continue
        try:
            values[name] = adapters[name].validate_python(value)
        except ValidationError:
            pass  # already reported by the model
    return SimpleNamespace(**values)


@cache
def _adapters() -> dict[str, TypeAdapter]:
    """One validator per column, to check a cell on its own."""
    return {
        name: TypeAdapter(Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation)
        for name, field in Resource.model_fields.items()
    }


# --- per row: things the cell types cannot see ----------------------------------------------

_ID_NUMBER = re.compile(r"(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9])")
_CARD = re.compile(r"(?<![0-9])(?:\d[ -]?){15,18}\d(?![0-9])")


def resident_id_ok(number: str) -> bool:
    """GB 11643 checksum of an 18-digit resident identity number."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(number[:17], weights))
    return "10X98765432"[total % 11] == number[17].upper()


def _luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _mask(text: str) -> str:
    # Findings end up in CI logs: never repeat a personal number in full.
    text = _ID_NUMBER.sub(lambda m: m.group()[:6] + "********" + m.group()[-4:], text)
    return _MOBILE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text)


def _check_row(row: Row) -> list[Finding]:
    found = []
    lat, lon = row.cells.get("lat", ""), row.cells.get("lon", "")
    if bool(lat) != bool(lon):
        missing = "lon" if lat else "lat"
        found.append(Finding(ERROR, "coords.half", "纬度和经度要么都填，要么都留空", "两列都填写，或都留空以使用地理编码缓存", column=missing))
    for column in FREE_TEXT:
        typed = row.cells.get(column, "")
        text = unicodedata.normalize("NFKC", typed)
        if any(resident_id_ok(m.group()) for m in _ID_NUMBER.finditer(text)):
            found.append(Finding(ERROR, "privacy.id_number", "包含居民身份证号码", "图谱是公开的，不能包含任何个人信息；请删除", column=column, value=_mask(text)))
        elif column != "tags" and _MOBILE.search(text):
            found.append(Finding(ERROR, "privacy.mobile", "自由文本里有手机号码", "手机号可能属于个人；单位联系电话请填在“电话”列，个人号码请删除", column=column, value=_mask(text)))
        elif any(_luhn(re.sub(r"\D", "", m.group())) for m in _CARD.finditer(text)):
            found.append(Finding(ERROR, "privacy.card_number", "包含疑似银行卡号", "图谱是公开的，不能包含任何个人信息；请删除", column=column, value=_CARD.sub("****", text)))
        found += _check_spreadsheet_and_eye(column, typed)
    return found


def _check_spreadsheet_and_eye(column: str, typed: str) -> list[Finding]:
    """What Excel would run (a formula) and what a reader cannot see (bidi, zero-width) in a text cell."""
    found = []
    items = [typed] + (MULTI_SEPARATORS.split(typed) if column == "tags" else [])  # a tag may become a cell of its own
    trigger = next((formula_start(item) for item in items if formula_start(item)), None)
    if trigger:
        found.append(Finding(
            ERROR, "cell.formula", f"以“{trigger}”开头：在 Excel 或 WPS 里打开时会被当成公式执行",
            "删掉开头的符号，或在它前面加上文字（如“- 第一条”改为“1. 第一条”）；只有电话可以用 + 开头，纬度、经度可以带 + 或 - 号",
            column=column, value=typed,
        ))
    invisible = [ch for ch in hidden(typed, "\n\t") if unicodedata.category(ch) != "Cc"]  # controls are cell errors
    if column in PROSE and invisible:  # names, addresses and tags refuse them (schema.Line)
        found.append(Finding(
            WARNING, "text.invisible", f"包含不可见字符或文字方向控制符 {describe(invisible)}",
            "它们会打乱文字的显示顺序或藏起内容；若不是有意为之，请删除", column=column, value=typed,
        ))
    return found


def _check_resource(resource: Resource, settings: Settings) -> list[Finding]:
    found = _check_coordinates(resource, settings)
    found += _check_freshness(resource, settings)
    if "九龙坡" not in resource.address:
        found.append(Finding(WARNING, "address.district", "地址里没有“九龙坡”", "地址请以“重庆市九龙坡区”开头，便于导航和地理编码", column="address", value=resource.address))
    if resource.website and resource.website.lower().startswith("http://"):
        found.append(Finding(WARNING, "website.http", "网址不是 https://，部分手机浏览器会提示不安全", "如网站支持 https，请改为 https://", column="website", value=resource.website))
    if resource.opening_hours and hours_table.table_or_none(resource.opening_hours, holidays.china()) is None:
        found.append(Finding(WARNING, "hours.no_status", "开放时间算不出“正在开放”（含 unknown 或节假日前后偏移等），页面只显示原文", "改用常见写法，如 Tu-Su 09:00-17:00; PH off；特殊情况写在“开放说明”里", column="opening_hours", value=resource.opening_hours))
    return found


def _check_coordinates(resource: Resource, settings: Settings) -> list[Finding]:
    if (resource.lat is None) != (resource.lon is None):
        return []  # reported as coords.half
    if resource.lat is None or resource.lon is None:
        if cached_point(settings.geocache, resource.address) is None:
            return [Finding(WARNING, "coords.missing", "没有坐标，也不在地理编码缓存中：不会出现在地图上", "运行 atlas geocode，或用地图拾取器填写纬度、经度和坐标系", column="lat")]
        return []
    lat, lon = resource.lat, resource.lon
    value = f"{lat}, {lon}"
    if _in_district(settings, lon, lat, resource.coord_system) and not _in_district(settings, lat, lon, resource.coord_system):
        return [Finding(ERROR, "coords.swapped", "纬度和经度写反了", f"纬度应约为 29.x，经度约为 106.x：纬度填 {lon}，经度填 {lat}", column="lat", value=value)]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return [Finding(ERROR, "coords.range", "坐标超出范围", "纬度在 -90 到 90 之间，经度在 -180 到 180 之间", column="lat", value=value)]
    if not _in_district(settings, lat, lon, resource.coord_system):
        return [Finding(ERROR, "coords.outside", "坐标不在九龙坡区范围内", "核对坐标；用高德/腾讯拾取器得到的坐标请把坐标系填 gcj02，百度填 bd09", column="lat", value=value)]
    point = coords.convert(lat, lon, resource.coord_system, coords.WGS84)
    other = looks_like_other_street(point, resource.street) if resource.street else None
    if other:
        return [Finding(WARNING, "coords.street", f"坐标看起来在{other}，而本行的镇街是{resource.street}", "核对镇街或坐标（这是按镇街中心位置的粗略判断）", column="street", value=value)]
    return []


def _in_district(settings: Settings, lat: float, lon: float, system: str) -> bool:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return False
    return settings.bounds.contains(coords.convert(lat, lon, system, coords.WGS84))


def _check_freshness(resource: Resource, settings: Settings) -> list[Finding]:
    verified = resource.verified_on
    if verified is None:
        return [Finding(WARNING, "verified.never", "尚未核实，页面将显示“信息待核实”", "责任单位确认后填写核实日期 YYYY-MM-DD", column="verified_on")]
    if verified > settings.today:
        return [Finding(ERROR, "verified.future", "核实日期在未来", f"不晚于今天（{settings.today.isoformat()}）", column="verified_on", value=verified.isoformat())]
    age = (settings.today - verified).days
    if age > settings.stale_days:
        return [Finding(WARNING, "verified.stale", f"已 {age} 天未核实（超过 {settings.stale_days} 天），页面将显示“信息待核实”", "请责任单位重新确认并更新核实日期", column="verified_on", value=verified.isoformat())]
    return []


# --- across rows ------------------------------------------------------------------------------


def _check_across(table, kept: list[tuple[Resource, Row]]) -> list[Finding]:
    found = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        rid = row.cells.get("id", "")
        if not rid:
            continue
        if rid in first_row:
            found.append(Finding(ERROR, "id.duplicate", f"编号与第 {first_row[rid]} 行重复", "每行的编号必须唯一", file=table.path, row=row.number, line=row.line, column="id", value=rid, resource_id=rid))
        else:
            first_row[rid] = row.number
    seen: dict[tuple[str, str], tuple[Resource, Row]] = {}
    for resource, row in kept:
        key = (re.sub(r"\s+", "", unicodedata.normalize("NFKC", resource.name)), resource.street)
        if key not in seen:
            seen[key] = (resource, row)
            continue
        first, other = seen[key]
        if first.id == resource.id:
            continue  # a copied row: already reported as a duplicate id
        found.append(Finding(WARNING, "row.likely_duplicate", f"与第 {other.number} 行（{first.id}）名称和镇街相同，可能是重复的资源", "确认是否重复；确为两处请在名称里区分（如分馆名）", file=table.path, row=row.number, line=row.line, column="name", value=resource.name, resource_id=resource.id))
    return found


# --- routes ------------------------------------------------------------------------------------


def validate_routes(path: str | Path, atlas: Atlas) -> None:
    """Read routes.yml into ``atlas.routes``; report problems into ``atlas.report``."""
    name = str(path)
    report = atlas.report
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        report.add(Finding(ERROR, "routes.yaml", f"{where}YAML 格式错误：{getattr(error, 'problem', error)}", "检查缩进（用空格，不用 Tab）和冒号", file=name, line=mark.line + 1 if mark else None))
        return
    except (OSError, UnicodeDecodeError) as error:
        report.add(Finding(ERROR, "routes.read", f"无法读取路线文件：{error}", "路线文件应为 UTF-8 编码的 YAML", file=name))
        return
    if data is None:
        return
    if not isinstance(data, list):
        report.add(Finding(ERROR, "routes.shape", "路线文件应是一个列表（每条路线以“- id:”开头）", file=name))
        return
    known = {r.id for r in atlas.resources}
    seen: set[str] = set()
    for number, item in enumerate(data, start=1):
        label = f"第 {number} 条路线"
        try:
            route = Route.model_validate(item)
        except ValidationError as error:
            for problem in error.errors():
                cause = problem.get("ctx", {}).get("error")
                message = cause.message if isinstance(cause, CellError) else problem["msg"]
                where = ".".join(str(part) for part in problem["loc"])
                report.add(Finding(ERROR, "routes.field", f"{label}：{where} {message}", cause.hint if isinstance(cause, CellError) else "", file=name, column=where))
            continue
        if route.id in seen:
            report.add(Finding(ERROR, "routes.duplicate", f"{label}：路线编号重复", file=name, value=route.id))
            continue
        seen.add(route.id)
        unknown = [stop.id for stop in route.stops if stop.id not in known]
        if unknown:
            report.add(Finding(ERROR, "routes.unknown_stop", f"{label}（{route.id}）：站点编号不存在或未发布", "站点编号要与 resources.csv 里已发布的行一致", file=name, value="、".join(unknown)))
            continue
        atlas.routes.append(route)
