"""Read the CSV the way editors save it and report the structural faults a DictReader hides.

Encodings: UTF-8, UTF-8 with BOM, GB18030/GBK (Excel and WPS on Chinese Windows). Faults:
blank, duplicate, unknown and missing headers; ragged rows; blank rows; stray quotes.
Nothing is dropped silently: every row that cannot be read becomes a finding.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, replace
from pathlib import Path

import charset_normalizer

from .findings import ERROR, WARNING, Finding
from .schema import columns

SAVE_AS_UTF8 = "在 Excel 中选择“另存为 → CSV UTF-8（逗号分隔）”，在 WPS 中选择“另存为 → CSV”，编码选 UTF-8"
_WHITESPACE = " \t\r\n\u3000\ufeff\u00a0"


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    line: int  # the file line the row starts on
    cells: dict[str, str]  # column key -> stripped text; "" = blank
    raw: dict[str, str] | None = None  # the cells as typed, before stripping (only on request: atlas fix)


@dataclass
class Table:
    path: str
    encoding: str | None = None
    keys: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as Excel and WPS label it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def decode(data: bytes) -> tuple[str | None, str | None, list[Finding]]:
    """Return (text, encoding name, findings)."""
    if data.startswith(b"\xef\xbb\xbf") and _is_utf8(data[3:]):
        return data[3:].decode("utf-8"), "UTF-8（带 BOM）", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "UTF-16", [
            Finding(ERROR, "encoding.utf16", "文件是 UTF-16 编码的“Unicode 文本”，不是 CSV", SAVE_AS_UTF8)
        ]
    if _is_utf8(data):
        return data.decode("utf-8"), "UTF-8", []
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    guess = charset_normalizer.from_bytes(data).best()
    guessed = guess.encoding if guess else None
    if text is not None and (_looks_like_our_header(text) or (guessed or "").startswith(("gb", "hz"))):
        return text, "GB18030", [
            Finding(WARNING, "encoding.gb18030", "文件是 GB18030/GBK 编码（Excel/WPS 的默认编码），已按此读取", SAVE_AS_UTF8)
        ]
    return None, guessed, [
        Finding(ERROR, "encoding.unknown", f"无法识别文件编码（猜测为 {guessed or '未知'}），文字可能是乱码", SAVE_AS_UTF8)
    ]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_our_header(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return sum(c.label in first for c in columns()) >= 3


def read_table(path: str | Path, data: bytes | None = None, keep_raw: bool = False) -> tuple[Table, list[Finding]]:
    """Read ``path`` (or the given bytes) into rows keyed by column; never raises on content.

    ``keep_raw`` also keeps each row's cells as typed (``Row.raw``), for a tool that reports
    the whitespace it trims.
    """
    name = str(path)
    if data is None:
        data = Path(path).read_bytes()
    text, encoding, findings = decode(data)
    table = Table(path=name, encoding=encoding)
    if text is None:
        return table, _located(findings, name)
    records, faults = _parse(text)
    findings += faults
    if not records:
        if not faults:
            findings.append(Finding(ERROR, "csv.empty", "文件是空的", "第一行应为表头，见 CSV 模板"))
        return table, _located(findings, name)
    if not any(cell.strip(_WHITESPACE) for cell in records[0][1]):
        findings.append(Finding(ERROR, "header.blank_row", "第 1 行是空的，第一行应为表头", "删除开头的空行，见 CSV 模板", row=1, line=1))
        return table, _located(findings, name)
    (_, header, _), body = records[0], records[1:]
    keys, header_findings = _map_header(header, body)
    findings += header_findings
    table.keys = tuple(k for k in keys if k)
    rows: list[Row] = []
    for index, (line, cells, raw) in enumerate(body, start=2):
        if not any(cell.strip(_WHITESPACE) for cell in cells):
            findings.append(Finding(WARNING, "csv.blank_row", "空行，已跳过", "删除这一行", row=index, line=line))
            continue
        problem = _shape_problem(cells, keys, index, line, raw)
        if problem:
            findings.append(problem)
            if problem.severity == ERROR:
                continue
        findings += _stray_quotes(cells, keys, index, line, raw)
        values = {key: cell.strip(_WHITESPACE) for key, cell in zip(keys, cells) if key}
        raw = {key: cell for key, cell in zip(keys, cells) if key} if keep_raw else None
        rows.append(Row(number=index, line=line, cells=values, raw=raw))
    table.rows = tuple(rows)
    return table, _located(findings, name)


def _located(findings: list[Finding], name: str) -> list[Finding]:
    return [replace(f, file=f.file or name) for f in findings]


def _parse(text: str) -> tuple[list[tuple[int, list[str], str]], list[Finding]]:
    """Split into records of (start line, cells, raw text). A quoting fault stops the parse."""
    lines = io.StringIO(text, newline="").readlines()  # the csv module's notion of a line, not str.splitlines'
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str], str]] = []
    consumed = 0
    try:
        for cells in reader:
            raw = "".join(lines[consumed : reader.line_num])
            records.append((consumed + 1, cells, raw))
            consumed = reader.line_num
    except csv.Error as error:
        start = consumed + 1
        hint = "单元格内的英文双引号要写成两个（\"\"），整个单元格再用双引号括起来；或改用中文引号“”"
        if "field larger" in str(error):  # Python's CSV field limit, far above any column's own
            limit, longest = csv.field_size_limit(), max(columns(), key=lambda c: c.max_chars)
            return records, [Finding(
                ERROR, "csv.huge_cell", f"第 {start} 行起有一个超过 {limit:,} 个字符的单元格，无法读取",
                f"最长的一列（{longest.label}）也只能有 {longest.max_chars:,} 个字符；若本不该这么长，多半是英文双引号没有闭合。{hint}",
                row=len(records) + 1, line=start,
            )]
        message = (
            f"第 {start} 行起的引号没有闭合，之后的内容都被当成了一个单元格"
            if "end of data" in str(error)
            else f"第 {start} 行的引号用法不对：引号后面直接跟了其他文字"
        )
        return records, [Finding(ERROR, "csv.quote", message, hint, row=len(records) + 1, line=start)]
    return records, []


def _map_header(header: list[str], body: list) -> tuple[list[str | None], list[Finding]]:
    by_name = {}
    for c in columns():
        by_name[c.key] = by_name[c.key.lower()] = by_name[c.label] = c.key
    keys: list[str | None] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        name = raw.strip(_WHITESPACE)
        letter = column_letter(index)
        key = by_name.get(name) or by_name.get(name.lower())
        if not name:
            has_data = any(index < len(cells) and cells[index].strip(_WHITESPACE) for _, cells, _ in body)
            findings.append(
                Finding(ERROR, "header.blank", f"第 {letter} 列没有列名，但有数据", "补上列名（见 CSV 模板），或删除这一列", row=1)
                if has_data
                else Finding(WARNING, "header.blank", f"第 {letter} 列没有列名，也没有数据", "删除这一列", row=1)
            )
        elif key is None:
            close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.5)
            hint = f"是否应为“{close[0]}”？" if close else "见 CSV 模板里的列名；不需要的列请删除"
            findings.append(Finding(ERROR, "header.unknown", f"第 {letter} 列的列名无法识别，这一列的数据不会被读取", hint, row=1, value=name))
        elif key in seen:
            findings.append(
                Finding(ERROR, "header.duplicate", f"第 {letter} 列与第 {seen[key]} 列是同一列（{key}）", "删除或合并重复的列", row=1, column=key, value=name)
            )
            key = None
        else:
            seen[key] = letter
        keys.append(key)
    for c in columns():
        if c.required and c.key not in seen:
            findings.append(Finding(ERROR, "header.missing", f"缺少必填列“{c.label}”（{c.key}）", "在表头加上这一列，见 CSV 模板", row=1, column=c.key))
    return keys, findings


def _shape_problem(cells: list[str], keys: list[str | None], index: int, line: int, raw: str) -> Finding | None:
    spans = raw.count("\n") > 1
    quote_hint = "；本行跨了多行，可能有未闭合的引号" if spans else ""
    if len(cells) < len(keys):
        return Finding(
            ERROR, "csv.too_few_cells", f"本行只有 {len(cells)} 个单元格，表头有 {len(keys)} 列",
            "检查是否少了逗号" + quote_hint, row=index, line=line,
        )
    extra = [c for c in cells[len(keys):] if c.strip(_WHITESPACE)]
    if len(cells) > len(keys):
        if not extra:
            return Finding(WARNING, "csv.trailing_cells", f"本行末尾有 {len(cells) - len(keys)} 个多余的空单元格", "删除行尾多余的逗号", row=index, line=line)
        return Finding(
            ERROR, "csv.too_many_cells", f"本行有 {len(cells)} 个单元格，表头只有 {len(keys)} 列；多出的内容不会被读取",
            "含逗号的内容要用英文双引号括起来，或改用中文逗号“，”" + quote_hint, row=index, line=line, value=" | ".join(extra),
        )
    return None


def _stray_quotes(cells: list[str], keys: list[str | None], index: int, line: int, raw: str) -> list[Finding]:
    # The csv module keeps a quote inside an unquoted cell as it is. A properly quoted cell
    # appears in the raw text wrapped in quotes with its inner quotes doubled.
    return [
        Finding(
            WARNING, "csv.stray_quote", "单元格里有未转义的英文双引号", "改用中文引号“”，或把整个单元格用英文双引号括起来并把内部引号写成两个",
            row=index, line=line, column=key, value=cell,
        )
        for key, cell in zip(keys, cells)
        if key and '"' in cell and '"' + cell.replace('"', '""') + '"' not in raw
    ]
