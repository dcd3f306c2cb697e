"""The canonical form of the resource table, and the edits that bring an editor's file to it.

Canonical: UTF-8 without BOM, LF line endings, the schema's column keys in the schema's
order, cells trimmed, phone numbers as people read them (023-68781234), dates YYYY-MM-DD,
codes rather than Chinese labels (library, free, yes…), multi-valued cells joined by ``;``.

Every edit is recorded, old -> new. What cannot be fixed unambiguously stays as it is and
is reported (``left``). A file whose structure would lose cells if rewritten (an unknown
column, a ragged row, a broken quote, an unreadable encoding) is not rewritten at all
(``blocked``). `atlas merge` reuses :func:`fix_cells` and :func:`canonical_csv`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from .files import read_bytes
from .findings import ERROR, WARNING, Finding, label
from .load import _WHITESPACE, Table, read_table
from .phones import PhoneError, parse_phone
from .schema import MULTI_SEPARATORS, CellError, columns
from .validate import _adapters

KEYS = tuple(c.key for c in columns())
_ORDER = {key: index for index, key in enumerate(KEYS)}
MULTI = tuple(c.key for c in columns() if c.multi)
CHOICES = ("category", "coord_system", "fee", "accessible", "status")  # a code or its Chinese label
CONTROLLED = ("stages", "five_education", "holiday_service")  # items from a fixed list
NUMERIC = ("lat", "lon", "capacity", "visit_minutes")
DATES = ("verified_on",)

# read_table's warnings that rewriting the file resolves; any other finding is reported.
_RESOLVED = {
    "encoding.gb18030": "编码改为 UTF-8",
    "csv.blank_row": "删除空行",
    "csv.trailing_cells": "删除行尾多余的空单元格",
    "header.blank": "删除没有列名也没有数据的列",
    "csv.stray_quote": "单元格里的英文双引号改为标准写法（内容不变）",
}
# The only error that loses no cell: a missing column is written as an empty one.
_NOT_BLOCKING = {"header.missing"}


@dataclass(frozen=True)
class Edit:
    """One change: ``row`` None is the whole file; ``column`` is the English key."""

    what: str
    old: str
    new: str
    row: int | None = None
    column: str | None = None
    resource_id: str | None = None


@dataclass
class Fixed:
    path: str
    original: bytes
    text: str | None = None  # the canonical CSV; None when blocked
    edits: list[Edit] = field(default_factory=list)
    left: list[Finding] = field(default_factory=list)  # stays as it is: for a person to decide
    blocked: list[Finding] = field(default_factory=list)  # would lose cells: nothing written

    @property
    def changed(self) -> bool:
        return self.text is not None and self.text.encode("utf-8") != self.original


# --- the file ---------------------------------------------------------------------------------


def fix_file(path: str | Path) -> Fixed:
    """:func:`fix_bytes` of a file; raises :class:`atlas.files.FileError` when it cannot be read."""
    return fix_bytes(read_bytes(path), str(path))


def fix_bytes(data: bytes, name: str) -> Fixed:
    """The canonical form of a CSV file's bytes, with every edit; never raises on content."""
    fixed = Fixed(path=name, original=data)
    table, findings = read_table(name, data, keep_raw=True)
    fixed.blocked = [f for f in findings if f.severity == ERROR and f.code not in _NOT_BLOCKING]
    if fixed.blocked:
        return fixed
    rows = []
    for row in table.rows:
        cells, edits, left = fix_cells(row.raw or {})
        rid = cells.get("id") or None
        fixed.edits += [replace(e, row=row.number, resource_id=rid) for e in edits]
        fixed.left += [replace(f, file=name, row=row.number, line=row.line, resource_id=rid) for f in left]
        rows.append(cells)
    fixed.text = canonical_csv(rows)
    fixed.edits = _file_edits(data, fixed.text, table, findings) + fixed.edits
    fixed.left += [f for f in findings if f.code not in _RESOLVED]  # a missing required column
    return fixed


def canonical_csv(rows: list[dict[str, str]]) -> str:
    """The table as text: schema keys and order, minimal quoting, LF; blank = empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(KEYS)
    for cells in rows:
        writer.writerow([cells.get(key, "") for key in KEYS])
    return out.getvalue()


def _file_edits(data: bytes, text: str, table: Table, findings: list[Finding]) -> list[Edit]:
    edits = []
    if data.startswith(b"\xef\xbb\xbf"):
        edits.append(Edit("去掉文件开头的 BOM", "UTF-8（带 BOM）", "UTF-8"))
    if b"\r" in data:
        edits.append(Edit("换行符改为 LF", "CRLF（Windows）" if b"\r\n" in data else "CR", "LF"))
    for finding in findings:
        if finding.code == "encoding.gb18030":
            edits.append(Edit(_RESOLVED[finding.code], "GB18030", "UTF-8"))
        elif finding.code == "csv.stray_quote":  # the cell keeps its text; only its quoting in the file changes
            edits.append(Edit(_RESOLVED[finding.code], finding.value or "", finding.value or "", row=finding.row, column=finding.column))
        elif finding.code in _RESOLVED:
            row = finding.row if finding.row and finding.row > 1 else None
            said = "" if finding.code == "csv.blank_row" else finding.message
            edits.append(Edit(_RESOLVED[finding.code], said, "", row=row))
    old_header = _first_line(data, table.encoding)
    new_header = text.split("\n", 1)[0]
    if old_header is not None and old_header != new_header:
        edits.append(Edit("表头改为标准列名和顺序", old_header, new_header, row=1))
    missing = [label(key) for key in KEYS if key not in table.keys]
    if missing:
        edits.append(Edit("补上缺少的列（空列）", "", "、".join(missing), row=1))
    return edits


def _first_line(data: bytes, encoding: str | None) -> str | None:
    codec = "gb18030" if encoding == "GB18030" else "utf-8-sig"
    try:
        return re.split(r"\r\n|\r|\n", data.decode(codec), maxsplit=1)[0]
    except UnicodeDecodeError:
        return None


# --- one row ----------------------------------------------------------------------------------


def fix_cells(cells: dict[str, str]) -> tuple[dict[str, str], list[Edit], list[Finding]]:
    """Canonical cells of one row (keys as given), the edits, and what is left for a person."""
    out: dict[str, str] = {}
    edits: list[Edit] = []
    left: list[Finding] = []
    for key in sorted(cells, key=lambda key: _ORDER.get(key, len(_ORDER))):
        typed = cells[key]
        value = typed.replace("\r\n", "\n").replace("\r", "\n").strip(_WHITESPACE)
        if value != typed:
            whys = ["去掉首尾空白"] if typed.strip(_WHITESPACE) != typed else []
            whys += ["单元格内换行改为 LF"] if "\r" in typed.strip(_WHITESPACE) else []
            edits.append(Edit("，".join(whys), typed, value, column=key))
        try:
            for rule in _RULES.get(key, ()) if value else ():
                new, why = rule(key, value)
                if new != value:
                    edits.append(Edit(why, value, new, column=key))
                    value = new
        except CellError as doubt:  # two readings: a person decides
            left.append(Finding(WARNING, "fix.left", doubt.message, doubt.hint, column=key, value=value))
        else:
            problem = _still_wrong(key, value) if value and key in _CHECKED else None
            if problem:
                left.append(problem)
        out[key] = value
    return out, edits, left


def _still_wrong(key: str, value: str) -> Finding | None:
    try:
        _adapters()[key].validate_python(value)
    except ValidationError as error:
        cause = error.errors()[0].get("ctx", {}).get("error")
        message, hint = (cause.message, cause.hint) if isinstance(cause, CellError) else (error.errors()[0]["msg"], "")
        return Finding(WARNING, "fix.left", f"{message}；无法自动确定正确的值，保持原样", hint, column=key, value=value)
    return None


def _nfkc(key: str, value: str) -> tuple[str, str]:
    new = unicodedata.normalize("NFKC", value)
    return (new, "全角数字和符号改为半角") if new and new == new.strip(_WHITESPACE) else (value, "")


def _choice(key: str, value: str) -> tuple[str, str]:
    try:
        code = _adapters()[key].validate_python(value)
    except ValidationError:
        return value, ""
    return code, f"改为代码（{value} → {code}）" if value.lower() != code else "代码改为小写"


def _items(key: str, value: str) -> tuple[str, str]:
    """Multi-valued cells: items trimmed, empty and repeated items dropped, joined by ;."""
    parts = [p.strip(_WHITESPACE) for p in MULTI_SEPARATORS.split(value)]
    if len(parts) == 1 and key in CONTROLLED:  # 小学高段、初中: split only when every part is an option
        pieces = [p.strip(_WHITESPACE) for p in re.split(r"[、，,/]", value)]
        if len(pieces) > 1 and not any(_still_wrong(key, p) for p in pieces):
            parts = pieces
    kept = list(dict.fromkeys(p for p in parts if p))
    if not kept:  # only separators: no item to keep, but no cell is emptied either
        return value, ""
    return ";".join(kept), "多个值统一用 ; 分隔，去掉空项和重复项"


def _phones(key: str, value: str) -> tuple[str, str]:
    fixed, whys = [], []
    for item in MULTI_SEPARATORS.split(value):
        item = item.strip(_WHITESPACE)
        numbers, why = _phone(unicodedata.normalize("NFKC", item)) if item else ([], "去掉空项")
        fixed += numbers if numbers and why else [item] if item else []  # what is not a number stays as typed
        whys += [why] if why else []
    if not fixed:
        return value, ""
    return ";".join(dict.fromkeys(fixed)), "；".join(dict.fromkeys(whys)) or "多个号码用 ; 分隔"


def _phone(item: str) -> tuple[list[str], str]:
    """One typed item as one or more numbers in display form, and why; unparsable stays."""
    digits = re.sub(r"[\s\-－—()（）.]", "", item)
    lost_zero = re.fullmatch(r"[2-9]\d{9,10}", digits) and not digits.startswith(("400", "800"))
    number = _display(item)
    if number:  # phonenumbers itself reads 75586013388 as 0755-86013388
        return [number], "补回开头的 0（表格软件把号码当成了数字）" if lost_zero and number.startswith("0") else "电话号码统一写法"
    if lost_zero:
        number = _display("0" + digits)  # a landline without its 0: 0 + these digits is the only reading
        if number:
            return [number], "补回开头的 0（表格软件把号码当成了数字）"
    for separators in (r"[、，,/]+", r"\s+"):  # a space may also sit inside one number
        pieces = [p for p in re.split(separators, item) if p]
        if len(pieces) > 1 and all(_display(p) for p in pieces):
            return [_display(p) for p in pieces], "几个号码分开写，用 ; 分隔"
    return [item], ""


def _display(item: str) -> str | None:
    try:
        phone = parse_phone(item)
    except PhoneError:
        return None
    return phone.display + (f"转{phone.extension}" if phone.extension else "")


# Excel counts days from 1899-12-30; 36526..73050 is 2000-01-01..2099-12-31 and no other reading.
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: 0{1,2}:00(?::00)?)?")


def _date(key: str, value: str) -> tuple[str, str]:
    text = unicodedata.normalize("NFKC", value)
    if match := _SERIAL.fullmatch(text):
        serial = int(match[1])
        if 36526 <= serial <= 73050:
            return (dt.date(1899, 12, 30) + dt.timedelta(days=serial)).isoformat(), "表格软件把日期存成了序号，已换算为 YYYY-MM-DD"
        return value, ""
    if match := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text):
        return _iso(value, *match.groups())
    if match := _YMD.fullmatch(text):
        return _iso(value, *match.groups())
    if match := _DMY.fullmatch(text):
        first, second, year = (int(g) for g in match.groups())
        if first > 12 >= second:
            return _iso(value, year, second, first)
        if second > 12 >= first or first == second:
            return _iso(value, year, first, second)
        if first <= 12 and second <= 12:
            raise CellError(
                f"日期“{value}”可以读作 {year} 年 {first} 月 {second} 日，也可以读作 {year} 年 {second} 月 {first} 日，无法自动确定，保持原样",
                "写成 YYYY-MM-DD，如 2026-05-01（表格软件里请把该列设为“文本”）",
            )
    return value, ""


def _iso(value: str, year, month, day) -> tuple[str, str]:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat(), "日期改为 YYYY-MM-DD"
    except ValueError:
        return value, ""


_RULES = {key: (_items,) for key in MULTI} | {key: (_nfkc,) for key in NUMERIC}
_RULES |= {key: (_choice,) for key in CHOICES} | {key: (_date,) for key in DATES} | {"phone": (_phones,)}
_CHECKED = set(CHOICES) | set(CONTROLLED) | set(DATES) | {"phone"}


# --- printing ---------------------------------------------------------------------------------


def to_text(fixed: Fixed, written_to: str | None = None) -> str:
    lines: list[str] = []
    if fixed.blocked:
        lines.append(f"{fixed.path} 有会丢失内容的结构问题，没有改写（文件保持原样）：")
        lines += [_finding_line(f) for f in fixed.blocked]
        lines.append("修正后再运行 atlas fix；atlas validate 会逐条说明。")
        return "\n".join(lines)
    for edit in fixed.edits:
        where = f"第 {edit.row} 行" if edit.row else "整个文件"
        if edit.resource_id:
            where += f"（{edit.resource_id}）"
        if edit.column:
            lines.append(f"{where}【{label(edit.column)}】 {edit.what}：{_shown(edit.old)} → {_shown(edit.new)}")
        elif edit.old and edit.new:
            lines.append(f"{where} {edit.what}：{edit.old} → {edit.new}")
        elif edit.old or edit.new:
            lines.append(f"{where} {edit.what}：{edit.old or edit.new}")
        else:
            lines.append(f"{where} {edit.what}")
    if fixed.left:
        lines += ["", f"以下 {len(fixed.left)} 处无法自动修正，保持原样，请人工处理："]
        lines += [_finding_line(f) for f in fixed.left]
    cells = sum(1 for e in fixed.edits if e.column)
    if not fixed.changed:
        lines.append(f"{fixed.path} 已是规范格式，没有改动。")
    else:
        lines.append(f"共 {len(fixed.edits)} 处改动（其中 {cells} 个单元格）" + (f"，已写入 {written_to}。" if written_to else "。"))
    return "\n".join(lines)


def _finding_line(f: Finding) -> str:
    where = f"第 {f.row} 行" if f.row else "整个文件"
    column = f"【{label(f.column)}】" if f.column else ""
    value = _shown(f.value) if f.value else ""
    hint = f" → {f.hint}" if f.hint else ""
    return f"  {where}{column}{value} {f.message}{hint}"


def _shown(value: str) -> str:
    return "（空）" if value == "" else f"“{value}”".replace("\r", "␍").replace("\n", "⏎")

