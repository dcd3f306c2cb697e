"""Documents generated from the schema: the editor guide's column table and a CSV template.

Both come from :mod:`atlas.schema` and :mod:`atlas.taxonomy`, so they cannot drift from
what the validator accepts.
"""

from __future__ import annotations

import csv
import io

from .formulas import defuse
from .schema import columns
from .taxonomy import taxonomy


COLUMNS_MARKER = "<!-- atlas:columns -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def columns_markdown() -> str:
    lines = [
        "| 列名 | 中文列名 | 必填 | 说明 | 示例 | 最多字数 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for c in columns():
        required = "必填" if c.required else ""
        multi = "（可多值，用 ; 分隔）" if c.multi else ""
        lines.append(f"| `{c.key}` | {c.label} | {required} | {_cell(c.help)}{multi} | {_cell(c.example)} | {c.max_chars:,} |")
    t = taxonomy()
    lines += ["", "### 类别", "", "| 代码 | 名称 | 说明 |", "| --- | --- | --- |"]
    lines += [f"| `{c.code}` | {c.label} | {c.description} |" for c in t.categories]
    lines += ["", "### 镇街", "", "| 名称 | 统计用区划代码 | 说明 |", "| --- | --- | --- |"]
    lines += [f"| {s.name} | {s.code} | {('由' + s.managed_by + '管理') if s.managed_by else ''} |" for s in t.streets]
    lines += ["", "### 其他取值", ""]
    lines += [
        f"- 适合学段：{'、'.join(s.label for s in t.stages)}",
        f"- 五育：{'、'.join(t.five_education)}",
        f"- 假期服务：{'、'.join(t.holiday_services)}",
        f"- 责任单位：{'、'.join(t.departments)}",
    ]
    return "\n".join(lines) + "\n"


def csv_template() -> str:
    """The header (English keys) and one obviously fictional example row, for Excel and WPS:
    with a UTF-8 BOM (without one Excel on Windows reads GBK and shows mojibake), and no cell a
    spreadsheet would run as a formula. The canonical data file stays without a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in columns()])
    writer.writerow([defuse(c.example) for c in columns()])
    return "\ufeff" + out.getvalue()
