"""Department spreadsheets: the resource table as an .xlsx workbook for Excel and WPS, and back.

A workbook has one sheet per department, titled with the department's name, a column guide
generated from the schema (``填写说明``) and a hidden sheet of options (``可选值``) that the
drop-downs read. Header cells show the Chinese label with the English key on a second line,
so the sheet reads back whatever the editor's software does to the layout. Every cell is
written as text (number format ``@``): nothing is evaluated as a formula or turned into a
number or a date. Controlled columns show Chinese labels, stored back as codes.

Reading back (:func:`read_workbook`) turns every cell into the text the CSV would hold and
reports, by file, sheet, row and column, what a CSV cannot hold: formulas, merged cells,
renamed or missing columns, and the numbers and dates Excel made of typed text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from . import textsheet
from .findings import ERROR, WARNING, Finding
from .load import column_letter
from .schema import OPTIONS, columns
from .taxonomy import taxonomy

GUIDE = "填写说明"
LISTS = "可选值"
PREPARED_ROWS = 1000  # rows that get drop-downs and the text format, for rows an editor adds
KEYS = tuple(c.key for c in columns())
_WIDTHS = {"id": 22, "name": 26, "address": 32, "description": 48, "source": 48, "booking": 30, "hours_note": 24}
_WRAPPED = ("description", "source", "booking", "hours_note", "fee_note")


class BookError(ValueError):
    """The file is not a workbook this tool can read; in Chinese."""


# --- what the sheet shows for a column ----------------------------------------------------------


def choices() -> dict[str, dict[str, str]]:
    """Columns whose cells are one code, shown and typed as its Chinese label: key -> {code: label}."""
    return {"category": {c.code: c.label for c in taxonomy().categories}} | OPTIONS


def options(key: str) -> tuple[tuple[str, ...], bool] | None:
    """The drop-down of a column (what the sheet shows) and whether only those may be typed."""
    t = taxonomy()
    if key in choices():
        return tuple(choices()[key].values()), True
    single = {"street": tuple(s.name for s in t.streets), "department": t.departments}
    multi = {"stages": tuple(s.label for s in t.stages), "five_education": t.five_education, "holiday_service": t.holiday_services}
    if key in single:
        return single[key], True
    if key in multi:  # several items with ;: the list suggests, it cannot refuse "小学高段;初中"
        return multi[key], False
    return None


def shown(key: str, value: str) -> str:
    """A CSV cell as the sheet shows it (codes as labels)."""
    return choices().get(key, {}).get(value, value)


def stored(key: str, value: str) -> str:
    """A sheet cell as the CSV keeps it (labels as codes); anything else unchanged."""
    by_label = {label: code for code, label in choices().get(key, {}).items()}
    return by_label.get(value, value)


# --- writing -------------------------------------------------------------------------------------


def departments_of(rows: list[dict[str, str]]) -> list[str]:
    """The departments that have rows, in the taxonomy's order."""
    present = {r.get("department", "") for r in rows}
    return [d for d in taxonomy().departments if d in present]


def write_workbook(rows: list[dict[str, str]], departments: list[str]) -> bytes:
    """The workbook of these departments' rows (CSV cells by key), one sheet each, as .xlsx bytes."""
    return textsheet.save(build_workbook(rows, departments))  # fixed dates: the same rows give the same bytes


def build_workbook(rows: list[dict[str, str]], departments: list[str]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    lists = _lists_sheet(book)
    for department in departments:
        _department_sheet(book, department, [r for r in rows if r.get("department") == department], lists)
    _guide_sheet(book)
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    book.active = 0
    return book


def _text(sheet, row: int, col: int, value: str):
    cell = sheet.cell(row=row, column=col)
    cell.value = value if value != "" else None
    if value:
        cell.data_type = "s"  # openpyxl makes "=…" a formula: it stays text
        cell.quotePrefix = value[0] in "=+-@"  # and Excel keeps it text when the cell is edited
    cell.number_format = "@"
    return cell


def _lists_sheet(book) -> dict[str, str]:
    """A hidden sheet with one column per drop-down; returns key -> the range formula."""
    sheet = book.create_sheet(LISTS)
    sheet.sheet_state = "hidden"
    ranges = {}
    col = 0
    for c in columns():
        listed = options(c.key)
        if not listed:
            continue
        col += 1
        letter = column_letter(col - 1)
        _text(sheet, 1, col, c.label)
        for index, value in enumerate(listed[0], start=2):
            _text(sheet, index, col, value)
        ranges[c.key] = f"'{LISTS}'!${letter}$2:${letter}${len(listed[0]) + 1}"
    return ranges


def _department_sheet(book, department: str, rows: list[dict[str, str]], lists: dict[str, str]) -> None:
    sheet = book.create_sheet(department[:31])
    header_fill, required_fill = PatternFill("solid", fgColor="FDE9D9"), PatternFill("solid", fgColor="F8CBAD")
    for col, c in enumerate(columns(), start=1):
        cell = _text(sheet, 1, col, f"{c.label}\n{c.key}")
        cell.font = Font(bold=True)
        cell.fill = required_fill if c.required else header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note = ("必填。" if c.required else "") + c.help + (f"\n例：{c.example}" if c.example else "")
        cell.comment = Comment(note, "atlas", width=260, height=120)
        letter = column_letter(col - 1)
        sheet.column_dimensions[letter].width = _WIDTHS.get(c.key, 14)
        sheet.column_dimensions[letter].number_format = "@"  # cells typed later are text too
    sheet.row_dimensions[1].height = 34
    sheet.freeze_panes = "C2"
    for number, cells in enumerate(rows, start=2):
        for col, key in enumerate(KEYS, start=1):
            cell = _text(sheet, number, col, shown(key, cells.get(key, "")))
            if key in _WRAPPED:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = max(PREPARED_ROWS, len(rows) + 1)
    for col, c in enumerate(columns(), start=1):
        listed = options(c.key)
        if not listed:
            continue
        values, strict = listed
        letter = column_letter(col - 1)
        check = DataValidation(type="list", formula1=lists[c.key], allow_blank=True, showDropDown=False)
        check.showErrorMessage = strict
        check.errorTitle, check.error = f"{c.label}：请从列表中选择", "可选：" + "、".join(values)[:200]
        check.showInputMessage = True
        check.promptTitle = c.label[:32]
        check.prompt = ("从列表中选择" if strict else "从列表中选择；多个值用 ; 分隔，如 小学高段;初中")[:255]
        check.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(check)


def _guide_sheet(book) -> None:
    sheet = book.create_sheet(GUIDE)
    intro = [
        "九龙坡区协同育人资源图谱：本单位资源表",
        "每张以责任单位命名的表就是该单位的资源，每行一个资源。改好后交给维护者用 atlas merge 合并。",
        "请不要改列名、删列、合并单元格或输入公式；所有单元格都是文本。新资源加在最后一行之后，编号只用小写字母、数字和连字符。",
        "有下拉列表的列请从列表中选择；多个值用英文分号 ; 分隔。日期写成 2026-05-01。不确定的信息请留空。",
    ]
    for number, line in enumerate(intro, start=1):
        _text(sheet, number, 1, line).font = Font(bold=number == 1)
    head = ("列名", "英文键", "必填", "说明", "示例", "最多字数", "可选值")
    start = len(intro) + 2
    for col, title in enumerate(head, start=1):
        _text(sheet, start, col, title).font = Font(bold=True)
    for number, c in enumerate(columns(), start=start + 1):
        listed = options(c.key)
        values = [c.label, c.key, "必填" if c.required else "", c.help + ("（可多值，用 ; 分隔）" if c.multi else ""), c.example, str(c.max_chars), "、".join(listed[0]) if listed else ""]
        for col, value in enumerate(values, start=1):
            _text(sheet, number, col, value).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFG", (14, 16, 6, 60, 26, 8, 50)):
        sheet.column_dimensions[letter].width = width


# --- reading back ----------------------------------------------------------------------------------


@dataclass
class SheetRow:
    number: int  # as Excel shows it: the header is row 1
    cells: dict[str, str]  # key -> the CSV's text (codes, not labels)


@dataclass
class Sheet:
    title: str
    where: str  # "区科协.xlsx 表“区科协”", for messages
    letters: dict[str, str] = field(default_factory=dict)  # key -> column letter
    rows: list[SheetRow] = field(default_factory=list)


def read_workbook(data: bytes, name: str) -> tuple[list[Sheet], list[Finding]]:
    """Every department sheet's rows as CSV text, and what could not be read faithfully."""
    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise BookError(
            f"{name} 不是可以读取的 .xlsx 工作簿（{type(error).__name__}）：请在 Excel 或 WPS 里“另存为 → Excel 工作簿 (*.xlsx)”后再合并"
        ) from None
    return read_book(book, name)


def read_book(book: Workbook, name: str) -> tuple[list[Sheet], list[Finding]]:
    sheets, findings = [], []
    known = set(taxonomy().departments)
    for sheet in book.worksheets:
        if sheet.title in (GUIDE, LISTS):
            continue
        where = f"{name} 表“{sheet.title}”"
        if sheet.title not in known:
            close = difflib.get_close_matches(sheet.title, list(known), n=1, cutoff=0.5)
            hint = f"是否应为“{close[0]}”？" if close else "atlas sheet 生成的表以责任单位命名；多余的表请删除"
            findings.append(Finding(ERROR, "sheet.title", f"表名“{sheet.title}”不是责任单位的名称，无法知道这些行属于哪个单位", hint, file=where))
            continue
        sheets.append(_read_sheet(sheet, where, findings))
    return sheets, findings


def _read_sheet(sheet, where: str, findings: list[Finding]) -> Sheet:
    found = Sheet(sheet.title, where)
    for merged in sorted(sheet.merged_cells.ranges, key=str):
        findings.append(Finding(
            ERROR, "sheet.merged_cells", f"{merged.coord} 是合并的单元格：合并后只有左上角的单元格还有内容，其余的值丢失了",
            "选中它，取消“合并单元格”，再把每个单元格的值补全", file=where, row=merged.min_row,
        ))
    keys = _header(sheet, where, findings)
    found.letters = {key: column_letter(index) for index, key in enumerate(keys) if key}
    stray: dict[int, list[int]] = {}  # column index without a key -> rows with content there
    for number, values in enumerate(sheet.iter_rows(min_row=2), start=2):
        cells: dict[str, str] = {}
        for index, cell in enumerate(values):
            key = keys[index] if index < len(keys) else None
            text = _cell_text(cell, key, where, number, findings)
            if key:
                cells[key] = stored(key, text.strip())
            elif text.strip():
                stray.setdefault(index, []).append(number)
        if any(cells.values()):
            found.rows.append(SheetRow(number, {key: cells.get(key, "") for key in KEYS}))
    for index, numbers in stray.items():
        rows = f"第 {numbers[0]} 行" + (f"等 {len(numbers)} 行" if len(numbers) > 1 else "")
        findings.append(Finding(ERROR, "sheet.no_header", f"{column_letter(index)} 列没有可识别的列名，但{rows}有内容，这些内容不能合并", "恢复原来的列名，或把内容移到正确的列", file=where, row=numbers[0]))
    return found


def _header(sheet, where: str, findings: list[Finding]) -> list[str | None]:
    by_name = {}
    for c in columns():
        by_name[c.key] = by_name[c.key.lower()] = by_name[c.label] = c.key
    keys: list[str | None] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(next(sheet.iter_rows(min_row=1, max_row=1), ())):
        text = "" if cell.value is None else str(cell.value)
        parts = [p.strip(" *＊") for p in re.split(r"[\n\r]+|\s{2,}", text) if p.strip()]
        key = next((by_name.get(p) or by_name.get(p.lower()) for p in parts if by_name.get(p) or by_name.get(p.lower())), None)
        letter = column_letter(index)
        if key is None and text.strip():
            close = difflib.get_close_matches(parts[0] if parts else text, list(by_name), n=1, cutoff=0.5)
            hint = f"是否应为“{close[0]}”？" if close else "不要改列名；请从新导出的表里复制表头"
            findings.append(Finding(ERROR, "sheet.unknown_column", f"{letter} 列的列名“{text.strip()}”无法识别（被改过名？），这一列不能合并", hint, file=where, row=1))
        elif key in seen:
            findings.append(Finding(ERROR, "sheet.duplicate_column", f"{letter} 列与 {seen[key]} 列是同一列（{key}）", "删除或合并重复的列", file=where, row=1, column=key))
            key = None
        elif key:
            seen[key] = letter
        keys.append(key)
    for c in columns():
        if c.key not in seen:
            findings.append(Finding(
                ERROR, "sheet.missing_column", f"缺少“{c.label}”列（{c.key}）：合并时会把这一列当成空白，所以不合并",
                "不要删列或改列名；请从新导出的表里把这一列复制回来", file=where, row=1, column=c.key,
            ))
    return keys


def _cell_text(cell, key: str | None, where: str, number: int, findings: list[Finding]) -> str:
    """The cell as CSV text; a formula, or a number or date Excel made of what was typed, is reported."""
    value = cell.value
    if value is None:
        return ""
    letter = "" if key else f"{column_letter(cell.column - 1)} 列"  # with a key, the report names the column
    if cell.data_type == "f" or not isinstance(value, (str, int, float, bool, dt.datetime, dt.date, dt.time)):
        formula = value if isinstance(value, str) else getattr(value, "text", None) or "公式"
        findings.append(Finding(
            ERROR, "sheet.formula", f"{letter}是公式 {formula}：资源表只收文字，公式的结果不会被保存",
            "删掉公式，直接输入要显示的文字；若文字本身以 = 开头，请在前面加上其他文字", file=where, row=number, column=key, value=str(formula),
        ))
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        day = value.date() if isinstance(value, dt.datetime) else value
        timed = isinstance(value, dt.datetime) and value.time() != dt.time()
        text = value.strftime("%Y-%m-%d %H:%M") if timed else day.isoformat()
        serial = (day - dt.date(1899, 12, 30)).days
        findings.append(Finding(
            WARNING, "sheet.date", f"{letter}被 Excel/WPS 存成了日期（内部是序号 {serial}），已读作 {text}",
            "请核对；日期写成 2026-05-01，并把单元格设为“文本”格式", file=where, row=number, column=key, value=text,
        ))
        return text
    if isinstance(value, dt.time):
        text = value.strftime("%H:%M")
        findings.append(Finding(
            WARNING, "sheet.time", f"{letter}被 Excel/WPS 存成了时间，已读作 {text}",
            "请核对；把单元格设为“文本”格式再输入", file=where, row=number, column=key, value=text,
        ))
        return text
    return value
