"""Bring a department's edited workbook back into the resource table: `atlas merge`.

The workbook is read (:mod:`atlas.sheet`), each row brought to the canonical form
(:func:`atlas.fix.fix_cells`, every edit reported), the rows validated as the CSV would be,
and the result compared with the table (:func:`atlas.diff.compare`). Rows of another
department are refused; new ids are added at the end; a department's row missing from the
sheet is kept, never deleted. Nothing is written when there is an error, and a sheet
merged back unchanged leaves the CSV byte for byte as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from . import diff as diffing
from .findings import ERROR, WARNING, Finding, label
from .fix import canonical_csv, fix_cells
from .load import read_table
from .plaintext import visible
from .sheet import Sheet, SheetRow, read_workbook
from .validate import Settings, validate_csv

# Faults of the CSV itself that would lose cells if it were rewritten.
_CSV_OK = {"header.missing", "encoding.gb18030", "csv.blank_row", "csv.trailing_cells", "header.blank", "csv.stray_quote"}


@dataclass
class Merged:
    csv_path: str
    book_path: str
    text: str | None = None  # the new CSV; None when refused
    diff: diffing.Diff | None = None
    errors: list[Finding] = field(default_factory=list)  # any one refuses the merge
    notes: list[Finding] = field(default_factory=list)  # edits made and warnings, for the editor to check
    kept: list[str] = field(default_factory=list)  # ids of the department not in the sheet: kept as they are
    letters: dict[tuple[str, str], str] = field(default_factory=dict)  # (where, key) -> column letter

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return self.ok and self.diff is not None and not self.diff.empty


def merge_workbook(book: bytes, book_name: str, csv: bytes, csv_name: str, settings: Settings, department: str | None = None) -> Merged:
    """Merge an .xlsx file's bytes into the CSV's bytes (nothing is written here)."""
    return merge_sheets(*read_workbook(book, book_name), book_name, csv, csv_name, settings, department)


def merge_sheets(sheets: list[Sheet], findings: list[Finding], book_name: str, csv: bytes, csv_name: str, settings: Settings, department: str | None = None) -> Merged:
    """Merge sheets read by :mod:`atlas.sheet` (with what reading them found) into the CSV's bytes."""
    merged = Merged(csv_name, book_name)
    table, csv_findings = read_table(csv_name, csv)
    merged.errors += [f for f in csv_findings if f.severity == ERROR and f.code not in _CSV_OK]
    for sheet in sheets:
        merged.letters |= {(sheet.where, key): letter for key, letter in sheet.letters.items()}
    merged.errors += [f for f in findings if f.severity == ERROR]
    merged.notes += [f for f in findings if f.severity == WARNING]
    if department is not None:
        merged.errors += [
            Finding(ERROR, "sheet.department", f"这是{s.title}的表，不是{department}的：不能用它修改{department}的资源", f"请用 atlas sheet --department {department} 导出的表，或去掉 --department", file=s.where)
            for s in sheets if s.title != department
        ]
    if not sheets and not merged.errors:
        merged.errors.append(Finding(ERROR, "sheet.none", "工作簿里没有责任单位的表", "请用 atlas sheet 导出的工作簿", file=book_name))
    if merged.errors:
        return merged
    owner = {row.cells.get("id", ""): row.cells.get("department", "") for row in table.rows}
    incoming: list[tuple[Sheet, SheetRow, dict[str, str]]] = []
    for sheet in sheets:
        for row in sheet.rows:
            cells, edits, _ = fix_cells(row.cells)  # what stays wrong, the validator reports below
            where = dict(file=sheet.where, row=row.number, resource_id=cells.get("id") or None)
            merged.notes += [Finding(WARNING, "merge.edit", f"{e.what}：{_shown(e.old)} → {_shown(e.new)}", column=e.column, **where) for e in edits]
            merged.errors += _ownership(sheet, cells, owner, where)
            incoming.append((sheet, row, cells))
    _validate(merged, incoming, settings)
    if merged.errors:
        return merged
    by_id = {cells["id"]: cells for _, _, cells in incoming}
    rows = [by_id.pop(row.cells.get("id", ""), None) or row.cells for row in table.rows]
    rows += list(by_id.values())  # new resources, in the sheets' order
    titles = {sheet.title for sheet in sheets}
    sent = {cells["id"] for _, _, cells in incoming}
    merged.kept = [row.cells["id"] for row in table.rows if row.cells.get("department") in titles and row.cells.get("id") not in sent]
    merged.text = canonical_csv(rows)
    new_table, new_findings = read_table(book_name, merged.text.encode("utf-8"))
    merged.diff = diffing.compare(table, new_table, csv_findings, new_findings)
    return merged


def _ownership(sheet: Sheet, cells: dict[str, str], owner: dict[str, str], where: dict) -> list[Finding]:
    rid, department = cells.get("id", ""), cells.get("department", "")
    if rid in owner and owner[rid] and owner[rid] != sheet.title:
        return [Finding(ERROR, "merge.other_department", f"编号 {rid} 在资源表里属于{owner[rid]}，不能由{sheet.title}的表修改或添加", f"若资源确应移交，请{owner[rid]}或维护者修改；新资源请换一个编号", column="id", value=rid, **where)]
    if department and department != sheet.title:
        return [Finding(ERROR, "merge.other_department", f"这一行的责任单位是“{department}”，但它在{sheet.title}的表里：一张表只能改本单位的资源", f"责任单位填“{sheet.title}”；其他单位的资源请交给该单位", column="department", value=department, **where)]
    return []


def _validate(merged: Merged, incoming: list, settings: Settings) -> None:
    """Check the rows as the CSV would be checked; findings point at the sheet's rows."""
    if not incoming:
        return
    data = canonical_csv([cells for _, _, cells in incoming]).encode("utf-8")
    atlas = validate_csv(merged.book_path, settings, data=data)
    for finding in atlas.report.findings:
        if finding.row is None or not 2 <= finding.row < len(incoming) + 2:
            continue
        sheet, row, _ = incoming[finding.row - 2]
        located = replace(finding, file=sheet.where, row=row.number, line=None)
        (merged.errors if finding.severity == ERROR else merged.notes).append(located)


def _shown(value: str) -> str:
    return "（空）" if value == "" else f"“{value}”"


# --- printing ---------------------------------------------------------------------------------


def to_text(merged: Merged, written: bool, dry_run: bool = False) -> str:
    lines: list[str] = []
    if merged.errors:
        lines.append(f"{merged.book_path} 有 {len(merged.errors)} 个问题，没有合并（{merged.csv_path} 保持原样）：")
        lines += [_line(merged, f, "×") for f in _sorted(merged.errors)]
        lines.append("改正后再运行 atlas merge。")
        return visible("\n".join(lines))
    diff = merged.diff
    lines.append(diffing.to_text(diff))
    changed_ids = {e.id for e in diff.added} | {c.id for c in diff.changed}
    notes = [f for f in merged.notes if f.resource_id is None or f.resource_id in changed_ids or f.code.startswith(("sheet.", "merge."))]
    if notes:
        lines += ["", f"请核对（{len(notes)} 条，已按下面的说明读取或改写，不影响合并）："]
        lines += [_line(merged, f, "!") for f in _sorted(notes)]
    if merged.kept:
        lines += ["", f"资源表里本单位还有 {len(merged.kept)} 个资源不在表中，保持原样（合并从不删除资源；停止开放的请把状态改为“已关闭”）：" + "、".join(merged.kept)]
    if diff.empty:
        lines += ["", f"没有内容变化，{merged.csv_path} 没有改写。"]
    elif dry_run:
        lines += ["", f"试运行：没有写入 {merged.csv_path}。"]
    elif written:
        lines += ["", f"已合并到 {merged.csv_path}（整体替换写入）。"]
    return visible("\n".join(lines))


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.row or 0, f.severity != ERROR))


def _line(merged: Merged, f: Finding, mark: str) -> str:
    where = f.file + (f" 第 {f.row} 行" if f.row else "")
    if f.column:
        letter = merged.letters.get((f.file, f.column))
        where += f" {letter} 列【{label(f.column)}】" if letter else f"【{label(f.column)}】"
    value = f"“{f.value}”" if f.value and f.code not in ("merge.edit",) and f.value not in f.message else ""
    hint = f" → {f.hint}" if f.hint else ""
    return f"  {mark} {where}{value} {f.message}{hint}"
