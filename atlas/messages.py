"""The editor guide's table of check messages, made by running the checks on small examples.

Each finding code the validator (and `atlas merge`) can report has one fictional example
here; the table shows what the editor typed, the message and hint the code really prints,
and the code for the JSON report. Nothing is written by hand, so the table cannot drift
from the program; ``tests/test_docs.py`` fails when a code has no example.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import cache
from typing import Callable

from .findings import ERROR, Finding
from .schema import columns
from .validate import Settings, validate_csv

MESSAGES_MARKER = "<!-- atlas:messages -->"
TODAY = dt.date(2026, 6, 1)  # fixed, so the guide is the same in every build
KEYS = [c.key for c in columns()]
BASE = {
    "id": "example-0001", "name": "示例场馆0001", "category": "library", "street": "杨家坪街道",
    "address": "重庆市九龙坡区示例路1号", "department": "区文化旅游委", "verified_on": "2026-05-01",
    "lat": "29.5085", "lon": "106.5110",
}


def _csv(*rows: dict[str, str], header: list[str] | None = None) -> bytes:
    header = header or KEYS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[r.get(key, "") for key in header] for r in rows])
    return out.getvalue().encode("utf-8")


def _row(**cells: str) -> bytes:
    return _csv(BASE | cells)


def _fictional_id_number() -> str:
    body = "50010720000101123"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def _luhn_card() -> str:
    body = "622202000000000000"
    total = sum((n * 2 - 9 if n * 2 > 9 else n * 2) if i % 2 == 0 else n for i, n in enumerate(int(d) for d in reversed(body)))
    return body + str((10 - total % 10) % 10)


_HEADER = ",".join(KEYS)
_ID = _fictional_id_number()
_CARD = _luhn_card()

# code -> (what the editor typed, the file that shows it)
CSV_EXAMPLES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "encoding.gb18030": ("用 Excel 另存为“CSV（逗号分隔）”", lambda: _row().decode("utf-8").encode("gb18030")),
    "encoding.utf16": ("另存为“Unicode 文本”", lambda: _row().decode("utf-8").encode("utf-16")),
    "encoding.unknown": ("不是文本的文件", lambda: bytes(range(128, 256)) * 3),
    "csv.empty": ("空文件", lambda: b""),
    "header.blank_row": ("第 1 行空着，表头在第 2 行", lambda: b"\n" + _row()),
    "header.blank": ("一列没有列名，但有数据", lambda: (_HEADER + ",\n").encode() + _row().split(b"\n", 1)[1].replace(b"\n", b",x\n")),
    "header.unknown": ("列名 adress", lambda: _row().replace(b"address", b"adress", 1)),
    "header.duplicate": ("两列都叫“名称”", lambda: _csv(BASE, header=KEYS + ["name"])),
    "header.missing": ("删掉了“镇街”列", lambda: _csv(BASE, header=[k for k in KEYS if k != "street"])),
    "csv.blank_row": ("两行之间有一个空行", lambda: _row() + b"\n"),
    "csv.trailing_cells": ("行尾多了一个逗号", lambda: _row().replace(b"\n", b",\n").replace(_HEADER.encode() + b",", _HEADER.encode())),
    "csv.too_few_cells": ("一行少了几个逗号", lambda: (_HEADER + "\nexample-0001,示例场馆0001\n").encode()),
    "csv.too_many_cells": ("地址里的英文逗号没有加引号", lambda: _row(address="X", status="open").replace(b",X,", ",重庆市九龙坡区示例路1号,2楼,".encode())),
    "csv.quote": ("引号没有闭合", lambda: _row(name='X').replace(b",X,", ',"示例场馆0001,'.encode())),
    "csv.stray_quote": ("名称里有英文引号：示例\"场馆\"0001", lambda: _row(name="X").replace(b",X,", '示例"场馆"0001'.encode().join([b",", b","]))),
    "csv.huge_cell": ("一个单元格有十几万个字", lambda: _row(name="X").replace(b",X,", b',"' + "很长".encode() * 70000 + b'",')),
    "cell.required": ("名称留空", lambda: _row(name="")),
    "cell.id": ("编号 示例 001", lambda: _row(id="示例 001")),
    "cell.name": ("名称写了 100 个字", lambda: _row(name="示" * 100)),
    "cell.category": ("类别 图书馆", lambda: _row(category="图书馆")),
    "cell.street": ("镇街 杨家坪", lambda: _row(street="杨家坪")),
    "cell.address": ("地址里有换行", lambda: _row(address="重庆市九龙坡区\n示例路1号")),
    "cell.phone": ("电话 6878123", lambda: _row(phone="6878123")),
    "cell.booking_url": ("预约链接 http://…", lambda: _row(booking_url="http://www.example.gov.cn/yuyue")),
    "cell.opening_hours": ("开放时间 周二至周日9点到5点", lambda: _row(opening_hours="周二至周日9点到5点")),
    "cell.fee": ("费用 不要钱", lambda: _row(fee="不要钱")),
    "cell.stages": ("适合学段 小学;;初中", lambda: _row(stages="小学高段;;初中")),
    "cell.capacity": ("团体接待上限 40人", lambda: _row(capacity="40人")),
    "cell.lat": ("纬度 29°30′", lambda: _row(lat="29°30′")),
    "cell.description": ("简介里有 <b>加粗</b>", lambda: _row(description="<b>加粗</b>的简介")),
    "cell.verified_on": ("核实日期 2026/5/1", lambda: _row(verified_on="2026/5/1")),
    "cell.department": ("责任单位 科协", lambda: _row(department="科协")),
    "cell.formula": ("开放说明 =周一闭馆", lambda: _row(hours_note="=周一闭馆")),
    "text.invisible": ("简介里有零宽字符", lambda: _row(description="示例\u200b简介")),
    "coords.half": ("只填了纬度", lambda: _row(lon="")),
    "coords.swapped": ("纬度 106.5110、经度 29.5085", lambda: _row(lat="106.5110", lon="29.5085")),
    "coords.range": ("纬度 129.5", lambda: _row(lat="129.5", lon="306.5")),
    "coords.outside": ("沙坪坝的坐标", lambda: _row(lat="29.70", lon="106.45")),
    "coords.street": ("镇街 杨家坪街道，坐标在西彭", lambda: _row(lat="29.30", lon="106.28")),
    "coords.missing": ("纬度、经度留空，也没有查询过", lambda: _row(lat="", lon="")),
    "privacy.id_number": ("简介里有身份证号", lambda: _row(description=f"联系人身份证 {_ID}")),
    "privacy.mobile": ("预约方式里有手机号", lambda: _row(booking="联系王老师 13800138000")),
    "privacy.card_number": ("费用说明里有银行卡号", lambda: _row(fee_note=f"转账至 {_CARD}")),
    "address.district": ("地址 示例路1号", lambda: _row(address="示例路1号")),
    "website.http": ("网站 http://…", lambda: _row(website="http://www.example.gov.cn/")),
    "hours.no_status": ("开放时间 Mo-Fr 09:00-17:00 unknown", lambda: _row(opening_hours="Mo-Fr 09:00-17:00 unknown")),
    "verified.never": ("核实日期留空", lambda: _row(verified_on="")),
    "verified.future": ("核实日期 2030-01-01", lambda: _row(verified_on="2030-01-01")),
    "verified.stale": ("核实日期 2024-01-01", lambda: _row(verified_on="2024-01-01")),
    "id.duplicate": ("两行编号相同", lambda: _csv(BASE, BASE | {"name": "示例场馆0002"})),
    "row.likely_duplicate": ("两行名称、镇街相同，编号不同", lambda: _csv(BASE, BASE | {"id": "example-0002"})),
}


def csv_finding(code: str) -> Finding | None:
    data = CSV_EXAMPLES[code][1]()
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=data)
    return next((f for f in atlas.report.findings if f.code == code), None)


def _sheet_findings() -> dict[str, Finding]:
    """Findings of `atlas merge` on edited example workbooks: code -> the first one."""
    from .fix import canonical_csv
    from .merge import merge_sheets
    from .sheet import build_workbook, read_book

    table = canonical_csv([BASE, BASE | {"id": "example-0002", "name": "示例场馆0002", "department": "区科协"}])

    def merged(edit: Callable, department: str = "区文化旅游委", only: str | None = None) -> list[Finding]:
        book = build_workbook([BASE], [department])  # edited in memory: the same cells a saved file reads back as
        edit(book[department])
        name = "区文化旅游委.xlsx"
        result = merge_sheets(*read_book(book, name), name, table.encode(), "resources.csv", Settings(today=TODAY), only)
        return result.errors + result.notes

    def cell(sheet, key: str):
        return sheet.cell(2, KEYS.index(key) + 1)

    def typed(key: str, value, number_format: str = "General") -> Callable:
        def edit(sheet):
            cell(sheet, key).value, cell(sheet, key).number_format = value, number_format
        return edit

    def retitle(sheet):
        sheet.title = "Sheet1"

    def add_other(sheet):
        for index, key in enumerate(KEYS, start=1):
            sheet.cell(3, index).value = (BASE | {"id": "example-0002", "name": "示例场馆0002"}).get(key)

    runs = [
        merged(lambda s: s.delete_cols(10)),
        merged(lambda s: s.merge_cells("B2:C2")),
        merged(lambda s: setattr(s.cell(1, 6), "value", "地点")),
        merged(lambda s: setattr(s.cell(1, 3), "value", "名称")),
        merged(typed("booking", "=HYPERLINK(\"https://www.example.gov.cn\")")),
        merged(typed("verified_on", dt.datetime(2026, 5, 1), "yyyy/m/d")),
        merged(typed("hours_note", dt.time(16, 30), "h:mm")),
        merged(typed("phone", 2368781234)),
        merged(retitle),
        merged(lambda s: None, only="区科协"),
        merged(lambda s: s.parent.remove(s)),
        merged(add_other),
    ]
    found: dict[str, Finding] = {}
    for findings in runs:
        for finding in findings:
            found.setdefault(finding.code, finding)
    return found


SHEET_EXAMPLES = {
    "sheet.merged_cells": "合并了 B2:C2 两个单元格",
    "sheet.unknown_column": "把 F 列的列名“地址”改成“地点”",
    "sheet.no_header": "列名改过的列里还有内容",
    "sheet.missing_column": "删掉了“电话”列",
    "sheet.duplicate_column": "把“类别”列改名为“名称”",
    "sheet.formula": "预约方式里输入 =HYPERLINK(…)",
    "sheet.date": "核实日期被 Excel 变成了日期格式",
    "sheet.time": "开放说明 16:30 被变成了时间",
    "merge.edit": "电话 2368781234（被变成了数字）",
    "sheet.title": "把表名改成了 Sheet1",
    "sheet.department": "用 --department 区科协 合并区文化旅游委的表",
    "sheet.none": "删掉了单位的表，只剩“填写说明”",
    "merge.other_department": "在本单位的表里加了区科协的资源",
}


# code -> (what the editor wrote in data/synonyms.yml, the file)
SYNONYMS_EXAMPLES: dict[str, tuple[str, bytes]] = {
    "synonyms.read": ("用记事本存成了 ANSI（GBK）编码", "synonyms:\n  - {typed: [图书室], atlas: 图书馆}\n".encode("gbk")),
    "synonyms.yaml": ("一条少了右花括号", "synonyms:\n  - {typed: [图书室], atlas: 图书馆\n".encode()),
    "synonyms.shape": ("把 synonyms 写成了 synonym", "synonym:\n  - {typed: [图书室], atlas: 图书馆}\n".encode()),
    "synonyms.entry": ("一条只写了“图书室”", "synonyms:\n  - 图书室\n".encode()),
    "synonyms.atlas_empty": ("atlas 留空", "synonyms:\n  - {typed: [图书室], atlas: ''}\n".encode()),
    "synonyms.typed_empty": ("typed 里多了一个逗号", "synonyms:\n  - {typed: [图书室, ''], atlas: 图书馆}\n".encode()),
    "synonyms.same": ("typed 里写了“图书馆”，atlas 也是图书馆", "synonyms:\n  - {typed: [图书馆], atlas: 图书馆}\n".encode()),
    "synonyms.conflict": ("“书屋”先对应图书馆，又对应阅读空间", "synonyms:\n  - {typed: [书屋], atlas: 图书馆}\n  - {typed: [书屋], atlas: 阅读空间}\n".encode()),
    "synonyms.question_empty": ("questions 里有一个空词", "synonyms: []\nquestions: [哪里, '']\n".encode()),
    "synonyms.question_synonym": ("“附近”既是同义词又是提问用语", "synonyms:\n  - {typed: [附近], atlas: 周边}\nquestions: [附近]\n".encode()),
}


def synonyms_finding(code: str) -> Finding | None:
    from .forgive import check_synonyms

    return next((f for f in check_synonyms("synonyms.yml", SYNONYMS_EXAMPLES[code][1])[1] if f.code == code), None)


@cache
def messages_markdown() -> str:
    lines = [
        "## 资源表（CSV）的检查",
        "",
        "| 例子 | 检查报告 | 怎么改 | 代码 |",
        "| --- | --- | --- | --- |",
    ]
    for code, (typed, _) in CSV_EXAMPLES.items():
        lines.append(_line(code, typed, csv_finding(code)))
    lines += ["", "## 合并表格（atlas merge）时的提示", "", "| 例子 | 合并报告 | 怎么改 | 代码 |", "| --- | --- | --- | --- |"]
    found = _sheet_findings()
    for code, typed in SHEET_EXAMPLES.items():
        lines.append(_line(code, typed, found.get(code)))
    lines += ["", "### 搜索同义词表（data/synonyms.yml）的检查", "", "| 例子 | 检查报告 | 怎么改 | 代码 |", "| --- | --- | --- | --- |"]
    for code, (typed, _) in SYNONYMS_EXAMPLES.items():
        lines.append(_line(code, typed, synonyms_finding(code)))
    return "\n".join(lines) + "\n"


def _line(code: str, typed: str, finding: Finding | None) -> str:
    if finding is None:  # the example no longer shows its code: the guide must not pretend
        raise ValueError(f"the example for {code} does not produce it")
    mark = "错误" if finding.severity == ERROR else "提醒"
    return f"| {_cell(typed)} | **{mark}**：{_cell(finding.message)} | {_cell(finding.hint)} | `{code}` |"


def _cell(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return "".join(f"&#{ord(c)};" if c in "<>&*_`[]" else c for c in text)
