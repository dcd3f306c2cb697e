"""Findings: what the validator tells an editor, and how it is printed (Chinese text or JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from itertools import groupby

from .plaintext import hidden, visible
from .schema import columns

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem. ``row`` is the row number a spreadsheet shows (the header is row 1)."""

    severity: str
    code: str  # stable, machine-readable: "phone.leading_zero", "csv.ragged_row", …
    message: str
    hint: str = ""
    file: str = ""
    row: int | None = None
    column: str | None = None  # the English key
    value: str | None = None
    line: int | None = None  # line in the file where the row starts (for an edit link)
    resource_id: str | None = None


@dataclass
class Report:
    """Findings of one validation run plus what the reader needs to know about the file."""

    findings: list[Finding] = field(default_factory=list)
    encoding: str | None = None
    rows: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, *findings: Finding) -> None:
        self.findings.extend(findings)


def _sort_key(finding: Finding) -> tuple:
    return (finding.file, finding.row or 0, finding.severity != ERROR)


def to_text(report: Report) -> str:
    lines: list[str] = []
    findings = sorted(report.findings, key=_sort_key)
    for (file, row), group in groupby(findings, key=lambda f: (f.file, f.row)):
        group = list(group)
        where = f"第 {row} 行" if row else "整个文件"
        if group[0].resource_id:
            where += f"（编号 {group[0].resource_id}）"
        lines.append(f"{file} {where}")
        for finding in group:
            mark = "× 错误" if finding.severity == ERROR else "! 提醒"
            column = f"【{label(finding.column)}】" if finding.column else ""
            value = f"“{_clip(finding.value)}”" if finding.value else ""
            lines.append(f"  {mark} " + " ".join(filter(None, (column + value, finding.message))))
            if finding.hint:
                lines.append(f"      → {finding.hint}")
    summary = f"共 {report.rows} 行资源：{len(report.errors)} 个错误，{len(report.warnings)} 个提醒"
    if report.encoding:
        summary += f"（文件编码 {report.encoding}）"
    lines.append(summary + ("。" if report.ok else "。有错误时不能发布，请按提示修改。"))
    # A rejected value is shown, never obeyed: "\x1b[8m" would hide the rest of a terminal.
    return visible("\n".join(lines))


def to_json(report: Report) -> str:
    data = {
        "ok": report.ok,
        "encoding": report.encoding,
        "rows": report.rows,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "findings": [asdict(f) | {"label": label(f.column)} for f in sorted(report.findings, key=_sort_key)],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2)  # escapes C0 controls, not DEL, C1 or bidi
    return "".join(f"\\u{ord(ch):04x}" if hidden(ch, "\n") else ch for ch in text)


@cache
def _labels() -> dict[str, str]:
    return {c.key: c.label for c in columns()}


def label(column: str | None) -> str | None:
    """The Chinese label editors know a column by (the key itself when it has none)."""
    return _labels().get(column, column) if column else None


def _clip(value: str, limit: int = 60) -> str:
    value = value.replace("\n", " / ")
    return value if len(value) <= limit else value[: limit - 1] + "…"
