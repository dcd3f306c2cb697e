"""What changed between two versions of the resource table, keyed by id: for reviewers.

`atlas diff`, the pull-request summary and `atlas merge` share :func:`compare` (two read
tables -> a :class:`Diff`) and the printers below. Both sides are read by
:func:`atlas.load.read_table`, so encoding (UTF-8, BOM, GB18030), line endings, header
labels, column order and row order never show up as changes; they are listed as notes.
A row that cannot be read or keyed is a problem of the comparison, never silently skipped.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .files import FileError, read_bytes
from .findings import ERROR, Finding, label
from .load import Table, read_table
from .schema import columns

# Faults of a file that make rows or cells unreadable, so the comparison is incomplete.
# A missing column is not one of them: its cells are blank, which the diff shows as blank.
_COMPLETE_ANYWAY = {"header.missing"}


class DiffError(ValueError):
    """A side cannot be read at all (unknown revision, no git, unreadable file); in Chinese."""


@dataclass(frozen=True)
class FieldChange:
    column: str  # the English key; findings.label() gives the Chinese one
    old: str  # "" = blank
    new: str


@dataclass(frozen=True)
class Entry:
    """One resource as one side has it."""

    id: str
    name: str
    row: int  # as a spreadsheet shows it: the header is row 1
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Change:
    id: str
    old: Entry
    new: Entry
    fields: tuple[FieldChange, ...]  # in the schema's column order


@dataclass
class Diff:
    old_name: str
    new_name: str
    added: list[Entry] = field(default_factory=list)  # in the new file's order
    removed: list[Entry] = field(default_factory=list)  # in the old file's order
    changed: list[Change] = field(default_factory=list)  # in the new file's order
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # differences of form, not of content
    problems: list[Finding] = field(default_factory=list)  # rows that could not be compared

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def complete(self) -> bool:
        return not self.problems

    def renamed(self) -> list[tuple[Entry, Entry]]:
        """(removed, added) pairs with the same name: most likely an id that was changed."""
        added, removed = _by_name(self.added), _by_name(self.removed)
        return [(old[0], added[key][0]) for key, old in removed.items() if len(old) == 1 and len(added.get(key, ())) == 1]


# --- comparing -------------------------------------------------------------------------------


def compare(old: Table, new: Table, old_findings: list[Finding] = (), new_findings: list[Finding] = ()) -> Diff:
    """Compare two read tables by id. Findings are those :func:`read_table` returned."""
    diff = Diff(old_name=old.path, new_name=new.path)
    before = _entries(old, old_findings, diff.problems)
    after = _entries(new, new_findings, diff.problems)
    order = [c.key for c in columns()]  # the loader keys every cell by a schema column
    for rid, entry in after.items():
        if rid not in before:
            diff.added.append(entry)
            continue
        previous = before[rid]
        fields = tuple(
            FieldChange(key, previous.cells.get(key, ""), entry.cells.get(key, ""))
            for key in order
            if previous.cells.get(key, "") != entry.cells.get(key, "")
        )
        if fields:
            diff.changed.append(Change(rid, previous, entry, fields))
        else:
            diff.unchanged += 1
    diff.removed = [entry for rid, entry in before.items() if rid not in after]
    diff.notes = _table_notes(old, new, before, after)
    return diff


def _entries(table: Table, findings: list[Finding], problems: list[Finding]) -> dict[str, Entry]:
    """The table's rows by id; what cannot be keyed becomes a problem."""
    problems += [f for f in findings if f.severity == ERROR and f.code not in _COMPLETE_ANYWAY]
    entries: dict[str, Entry] = {}
    for row in table.rows:
        rid = row.cells.get("id", "")
        where = dict(file=table.path, row=row.number, line=row.line, column="id")
        if not rid:
            problems.append(Finding(ERROR, "diff.no_id", "这一行没有编号，无法与另一版本比较", "补上编号", **where))
        elif rid in entries:
            first = entries[rid].row
            problems.append(Finding(ERROR, "diff.duplicate_id", f"编号与第 {first} 行重复，这一行未参与比较", "每行的编号必须唯一", value=rid, resource_id=rid, **where))
        else:
            cells = {key: _same_lines(value) for key, value in row.cells.items()}
            entries[rid] = Entry(rid, cells.get("name", ""), row.number, row.line, cells)
    return entries


def _same_lines(value: str) -> str:
    # A line break inside a cell is CRLF when Excel saved the file: not a change.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _table_notes(old: Table, new: Table, before: dict, after: dict) -> list[str]:
    notes = []
    if old.encoding and new.encoding and old.encoding != new.encoding:
        notes.append(f"文件编码：{old.encoding} → {new.encoding}")
    gained = [k for k in new.keys if k not in old.keys]
    lost = [k for k in old.keys if k not in new.keys]
    if gained:
        notes.append("新版本多了列：" + "、".join(label(k) for k in gained))
    if lost:
        notes.append("新版本少了列：" + "、".join(label(k) for k in lost) + "（这些列的内容按空白比较）")
    shared = [k for k in old.keys if k in new.keys]
    if shared != [k for k in new.keys if k in old.keys]:
        notes.append("列的顺序不同（按列名比较，不影响结果）")
    common = [rid for rid in before if rid in after]
    if common != [rid for rid in after if rid in before]:
        notes.append("行的顺序不同（按编号比较，不影响结果）")
    return notes


def _byte_notes(old: bytes, new: bytes) -> list[str]:
    ends = {True: "CRLF（Windows）", False: "LF"}
    crlf = b"\r\n" in old, b"\r\n" in new
    return [f"换行符：{ends[crlf[0]]} → {ends[crlf[1]]}"] if crlf[0] != crlf[1] else []


def _by_name(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Entries by name, ignoring spacing and full-width forms; nameless ones left out."""
    found: dict[str, list[Entry]] = {}
    for entry in entries:
        key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", entry.name))
        if key:
            found.setdefault(key, []).append(entry)
    return found


# --- reading the two sides -------------------------------------------------------------------


def diff_bytes(old: bytes, new: bytes, old_name: str, new_name: str) -> Diff:
    """Compare two versions of a CSV file given as bytes."""
    old_table, old_findings = _readable(old_name, old)
    new_table, new_findings = _readable(new_name, new)
    diff = compare(old_table, new_table, old_findings, new_findings)
    diff.notes = _byte_notes(old, new) + diff.notes
    return diff


def _readable(name: str, data: bytes) -> tuple[Table, list[Finding]]:
    table, findings = read_table(name, data)
    if not table.keys:  # nothing readable at all: every row would look added or removed
        fault = next((f for f in findings if f.severity == ERROR), None)
        why = f"{fault.message}（{fault.hint}）" if fault and fault.hint else fault.message if fault else "没有表头"
        raise DiffError(f"无法读取 {name}：{why}")
    if "id" not in table.keys:
        raise DiffError(f"无法读取 {name}：缺少必填列“编号”（id），无法按编号比较")
    return table, findings


def diff_files(old: str | Path, new: str | Path) -> Diff:
    """Compare two CSV files (any encoding the loader reads)."""
    return diff_bytes(_read(old), _read(new), str(old), str(new))


def diff_git(path: str | Path, rev: str) -> Diff:
    """Compare ``path`` as committed at ``rev`` with the file as it is now."""
    new = _read(path)
    old = read_at_revision(path, rev)
    if old is not None:
        return diff_bytes(old, new, f"{path}@{rev}", str(path))
    new_table, new_findings = _readable(str(path), new)  # the file is new since rev
    diff = compare(Table(path=f"{path}@{rev}"), new_table, [], new_findings)
    diff.notes.insert(0, f"版本 {rev} 中还没有这个文件：所有行都算新增")
    return diff


def read_at_revision(path: str | Path, rev: str) -> bytes | None:
    """The file's bytes at a git revision, or None when the revision does not have it."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if rev.startswith("-"):
        raise DiffError(f"“{rev}”不是版本号")

    def git(*args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
        except FileNotFoundError:
            raise DiffError("找不到 git 命令：--git 需要安装 git") from None

    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        said = inside.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"{folder} 不在可用的 git 仓库里（{said[0] if said else 'git 出错'}），不能用 --git；请改用 atlas diff 旧文件 新文件")
    if git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise DiffError(f"找不到版本“{rev}”（分支、标签或提交号）；远程分支请先 git fetch")
    shown = git("show", f"{rev}:./{path.name}")
    return shown.stdout if shown.returncode == 0 else None


def _read(path: str | Path) -> bytes:
    try:
        return read_bytes(path)
    except FileError as error:
        raise DiffError(str(error)) from None


# --- printing --------------------------------------------------------------------------------


def summary(diff: Diff) -> str:
    counts = f"新增 {len(diff.added)} 个、删除 {len(diff.removed)} 个、修改 {len(diff.changed)} 个资源，{diff.unchanged} 个未变"
    return f"没有内容变化（{diff.unchanged} 个资源未变）" if diff.empty else counts


def to_text(diff: Diff) -> str:
    lines = [f"比较 {diff.old_name} → {diff.new_name}：{summary(diff)}。"]
    if diff.problems:
        lines += ["", "× 比较不完整（下面的新增、删除可能不准），以下行无法比较："]
        lines += [f"  {f.file} 第 {f.row} 行：{f.message}" if f.row else f"  {f.file}：{f.message}" for f in diff.problems]
    for entry in diff.added:
        lines += ["", f"+ 新增 {entry.id} {entry.name}（第 {entry.row} 行）"]
        lines += [f"    {label(key)}：{_one_line(value)}" for key, value in _filled(entry)]
    for entry in diff.removed:
        lines += ["", f"- 删除 {entry.id} {entry.name}（原第 {entry.row} 行）"]
    for change in diff.changed:
        where = f"第 {change.new.row} 行" if change.old.row == change.new.row else f"原第 {change.old.row} 行，现第 {change.new.row} 行"
        lines += ["", f"~ 修改 {change.id} {change.new.name}（{where}）"]
        for f in change.fields:
            old, new = _excerpts(f.old, f.new)
            lines.append(f"    {label(f.column)}：{_one_line(old)} → {_one_line(new)}")
    for old, new in diff.renamed():
        lines += ["", f"! {old.id} → {new.id} 可能是改了编号（名称相同）：网址 /r/{old.id}/ 会失效，已发布的编号请不要改"]
    if diff.notes:
        lines += ["", "格式上的差别（不算内容变化）："] + [f"  {note}" for note in diff.notes]
    return "\n".join(lines)


def to_markdown(diff: Diff) -> str:
    """For a pull request's summary; every value from the files is escaped."""
    lines = [f"### 资源表的变化：{_md(summary(diff))}", "", f"{_code(diff.old_name)} → {_code(diff.new_name)}"]
    if diff.problems:
        lines += ["", "> [!WARNING]", "> 比较不完整（下面的新增、删除可能不准），以下行无法比较：", ">"]
        lines += [f"> - {_md(f.file)} 第 {f.row} 行：{_md(f.message)}" if f.row else f"> - {_md(f.file)}：{_md(f.message)}" for f in diff.problems]
    for old, new in diff.renamed():
        lines += ["", "> [!CAUTION]", f"> {_code(old.id)} → {_code(new.id)} 可能是改了编号（名称相同）：网址会失效，已发布的编号请不要改"]
    if diff.added:
        lines += ["", f"#### 新增 {len(diff.added)} 个"]
        for entry in diff.added:
            lines += ["", f"**{_code(entry.id)} {_md(entry.name)}**（第 {entry.row} 行）", "", "| 列 | 值 |", "| --- | --- |"]
            lines += [f"| {label(key)} | {_md(value)} |" for key, value in _filled(entry)]
    if diff.removed:
        lines += ["", f"#### 删除 {len(diff.removed)} 个", ""]
        lines += [f"- {_code(entry.id)} {_md(entry.name)}（原第 {entry.row} 行）" for entry in diff.removed]
    if diff.changed:
        lines += ["", f"#### 修改 {len(diff.changed)} 个"]
        for change in diff.changed:
            lines += ["", f"**{_code(change.id)} {_md(change.new.name)}**（第 {change.new.row} 行）", "", "| 列 | 原值 | 新值 |", "| --- | --- | --- |"]
            for f in change.fields:
                old, new = _excerpts(f.old, f.new)
                lines.append(f"| {label(f.column)} | {_md(old)} | {_md(new)} |")
    if diff.notes:
        lines += ["", "格式上的差别（不算内容变化）：", ""] + [f"- {_md(note)}" for note in diff.notes]
    return "\n".join(lines) + "\n"


def to_json(diff: Diff) -> str:
    data = asdict(diff) | {"empty": diff.empty, "complete": diff.complete, "renamed": [[o.id, n.id] for o, n in diff.renamed()]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def _filled(entry: Entry) -> list[tuple[str, str]]:
    return [(c.key, entry.cells[c.key]) for c in columns() if c.key != "id" and entry.cells.get(c.key)]


BLANK = "（空）"
_CONTEXT = 20


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """Both values, or for long texts the changed part with some context either side."""
    if not old or not new:
        return old or BLANK, new or BLANK
    if max(len(old), len(new)) <= 2 * _CONTEXT + 40:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    cut = max(0, start - _CONTEXT)

    def excerpt(text: str) -> str:
        stop = len(text) - max(0, end - _CONTEXT)
        return ("…" if cut else "") + text[cut:stop] + ("…" if stop < len(text) else "")

    return excerpt(old), excerpt(new)


def _one_line(value: str) -> str:
    return value.replace("\n", " ⏎ ")


# One pass, character by character, so that no escape is escaped again.
# Values never start a line here, so list, heading and quote markers need no escape.
_MD = {c: f"&#{ord(c)};" for c in "&<>\"'@"} | {c: "\\" + c for c in "\\`*_[]|~"} | {"\n": "<br>", "\r": ""}


def _md(value: str) -> str:
    """Plain text in Markdown and HTML: no markup, links, images, mentions or table breaks."""
    return "".join(_MD.get(c, c) for c in value)


def _code(text: str) -> str:
    """A code span shows text as it is: no markup, no links, no mentions (but no ` | or line break)."""
    return f"`{text}`" if text and not re.search(r"[`|\r\n]", text) else _md(text)
