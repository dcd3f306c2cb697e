"""`atlas diff`: two versions of the table compared by id, whatever the editor's software did to the file."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas import diff as diffing
from atlas.cli import main
from atlas.schema import columns

from .conftest import csv_bytes, row

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "data" / "resources.csv"
KEYS = [c.key for c in columns()]
LABELS = {c.key: c.label for c in columns()}


def resaved(data: bytes, *, encoding="utf-8", newline="\n", labels=False, shuffle_columns=False, shuffle_rows=False, seed=1) -> bytes:
    """``data`` as Excel/WPS might save it: another encoding, CRLF, Chinese headers, other orders."""
    header, *body = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    rng = random.Random(seed)
    order = list(range(len(header)))
    if shuffle_columns:
        rng.shuffle(order)
    if shuffle_rows:
        rng.shuffle(body)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow([LABELS[header[i]] if labels else header[i] for i in order])
    writer.writerows([[cells[i].replace("\n", newline) for i in order] for cells in body])
    return out.getvalue().encode(encoding)


def run(*args: str, cwd: Path | None = None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["diff", *args])
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    "how",
    [
        dict(encoding="gb18030", newline="\r\n"),
        dict(encoding="utf-8-sig", newline="\r\n", labels=True),
        dict(encoding="gb18030", labels=True, shuffle_columns=True, shuffle_rows=True),
        dict(encoding="utf-8", shuffle_rows=True, seed=7),
    ],
)
def test_the_shipped_table_resaved_by_excel_has_no_changes(how):
    data = SHIPPED.read_bytes()
    diff = diffing.diff_bytes(data, resaved(data, **how), "old.csv", "new.csv")
    assert diff.empty and diff.complete and diff.unchanged == 44
    notes = " ".join(diff.notes)
    assert ("GB18030" in notes) == (how["encoding"] == "gb18030")
    assert ("CRLF" in notes) == (how.get("newline") == "\r\n")
    assert ("行的顺序不同" in notes) == bool(how.get("shuffle_rows"))
    assert "没有内容变化（44 个资源未变）" in diffing.to_text(diff)


def test_added_removed_and_changed_fields_old_to_new(tmp_path):
    one, two, three = row(), row(id="example-0002", name="示例场馆0002"), row(id="example-0003", name="示例场馆0003")
    (tmp_path / "old.csv").write_bytes(csv_bytes(one, two, three))
    new_one = one | {"phone": "023-68781234", "name": "示例场馆0001（新馆）", "description": "第一行\n第二行"}
    four = row(id="example-0004", name="示例场馆0004", tags="非遗;航空")
    (tmp_path / "new.csv").write_bytes(csv_bytes(four, three, new_one, encoding="gb18030"))
    result = run(str(tmp_path / "old.csv"), str(tmp_path / "new.csv"))
    assert result.exit_code == 0
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    assert result.output.splitlines() == [
        f"比较 {old} → {new}：新增 1 个、删除 1 个、修改 1 个资源，1 个未变。",
        "",
        "+ 新增 example-0004 示例场馆0004（第 2 行）",
        "    名称：示例场馆0004",
        "    类别：library",
        "    标签：非遗;航空",
        "    镇街：杨家坪街道",
        "    地址：重庆市九龙坡区示例路1号",
        "    纬度：29.5085",
        "    经度：106.5110",
        "    责任单位：区文化旅游委",
        "    核实日期：2026-05-01",
        "",
        "- 删除 example-0002 示例场馆0002（原第 3 行）",
        "",
        "~ 修改 example-0001 示例场馆0001（新馆）（原第 2 行，现第 4 行）",
        "    名称：示例场馆0001 → 示例场馆0001（新馆）",
        "    电话：（空） → 023-68781234",
        "    简介：（空） → 第一行 ⏎ 第二行",
        "",
        "格式上的差别（不算内容变化）：",
        "  文件编码：UTF-8 → GB18030",
        "  行的顺序不同（按编号比较，不影响结果）",
    ]


def test_line_breaks_inside_a_cell_and_around_it_are_not_changes():
    text = row(description="第一行\n第二行\n第三行")
    lf = csv_bytes(text)
    crlf = lf.replace(b"\n", b"\r\n")  # also inside the quoted cell, as Excel writes it
    assert b"\r\n\xe7\xac\xac\xe4\xba\x8c" in crlf
    diff = diffing.diff_bytes(lf, crlf, "a.csv", "b.csv")
    assert diff.empty and diff.notes == ["换行符：LF → CRLF（Windows）"]


def test_a_changed_id_is_flagged_as_a_broken_link():
    diff = diffing.diff_bytes(csv_bytes(row()), csv_bytes(row(id="example-new")), "a.csv", "b.csv")
    assert [e.id for e in diff.added] == ["example-new"] and [e.id for e in diff.removed] == ["example-0001"]
    assert [(o.id, n.id) for o, n in diff.renamed()] == [("example-0001", "example-new")]
    assert "! example-0001 → example-new 可能是改了编号" in diffing.to_text(diff)


def test_long_texts_show_the_changed_part_with_context():
    before = "甲" * 100 + "二〇二五年开馆" + "乙" * 100
    after = "甲" * 100 + "二〇二六年开馆" + "乙" * 100
    diff = diffing.diff_bytes(csv_bytes(row(description=before)), csv_bytes(row(description=after)), "a", "b")
    (change,) = diff.changed
    assert change.fields[0].old == before and change.fields[0].new == after  # the structure keeps whole values
    line = next(x for x in diffing.to_text(diff).splitlines() if "简介" in x)
    # 20 characters of context either side of the one that differs (五/六)
    assert line == "    简介：…" + "甲" * 17 + "二〇二五年开馆" + "乙" * 17 + "… → …" + "甲" * 17 + "二〇二六年开馆" + "乙" * 17 + "…"


def test_rows_that_cannot_be_compared_are_reported_and_exit_1(tmp_path):
    (tmp_path / "old.csv").write_bytes(csv_bytes(row(), row(id="example-0002")))
    broken = csv_bytes(row(), row(id=""), row()) + "example-0009,too,few\n".encode()
    (tmp_path / "new.csv").write_bytes(broken)
    result = run(str(tmp_path / "old.csv"), str(tmp_path / "new.csv"))
    assert result.exit_code == 1
    assert "× 比较不完整（下面的新增、删除可能不准），以下行无法比较：" in result.output
    assert f"{tmp_path / 'new.csv'} 第 3 行：这一行没有编号" in result.output
    assert "第 4 行：编号与第 2 行重复，这一行未参与比较" in result.output
    assert "第 5 行：本行只有 3 个单元格" in result.output


@pytest.mark.parametrize(
    "data, says",
    [
        ("编号,名称\n".encode("utf-16"), "UTF-16"),
        (b"", "文件是空的"),
        ("\n".join(["名称,地址"] * 3).encode(), "缺少必填列“编号”"),
    ],
)
def test_an_unreadable_side_is_one_clear_line(tmp_path, data, says):
    (tmp_path / "old.csv").write_bytes(csv_bytes(row()))
    (tmp_path / "new.csv").write_bytes(data)
    result = run(str(tmp_path / "old.csv"), str(tmp_path / "new.csv"))
    assert result.exit_code == 1 and result.output.startswith(f"Error: 无法读取 {tmp_path / 'new.csv'}：")
    assert says in result.output


def test_a_quote_that_swallows_the_rest_makes_the_comparison_incomplete(tmp_path):
    (tmp_path / "old.csv").write_bytes(csv_bytes(row(), row(id="example-0002")))
    (tmp_path / "new.csv").write_bytes(csv_bytes(row()) + b'"example-0002,unclosed\n')
    result = run(str(tmp_path / "old.csv"), str(tmp_path / "new.csv"))
    assert result.exit_code == 1
    assert result.output.splitlines()[2:4] == [
        "× 比较不完整（下面的新增、删除可能不准），以下行无法比较：",
        f"  {tmp_path / 'new.csv'} 第 3 行：第 3 行起的引号没有闭合，之后的内容都被当成了一个单元格",
    ]


def test_usage_and_missing_files(tmp_path):
    assert run("only-one.csv").exit_code == 2
    missing = run(str(tmp_path / "a.csv"), str(tmp_path / "b.csv"))
    assert missing.output == f"Error: 无法读取 {tmp_path / 'a.csv'}：文件或文件夹不存在\n" and missing.exit_code == 1
    folder = run(str(tmp_path), str(tmp_path))
    assert folder.output == f"Error: 无法读取 {tmp_path}：这是一个文件夹，不是文件\n" and folder.exit_code == 1


def test_markdown_escapes_every_value():
    evil = row(name='<img src=x onerror=alert(1)> | @octocat [点我](https://evil.example/) `x` **粗**', description="a\nb")
    diff = diffing.diff_bytes(csv_bytes(row()), csv_bytes(evil, row(id="example-0002", name="<b>新</b>")), "a", "b")
    text = diffing.to_markdown(diff)
    assert "<img" not in text and "<b>" not in text and "@" not in text and "`x`" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link
    assert "&#60;img src=x onerror=alert(1)&#62; \\| &#64;octocat \\[点我\\](https://evil.example/) \\`x\\` \\*\\*粗\\*\\*" in text
    added, changed = [x.replace("\\|", "") for x in text.splitlines() if x.startswith("| 名称 |")]
    assert added.count("|") == 3 and changed.count("|") == 4  # no cell breaks out of its table
    assert "a<br>b" in text
    assert text.startswith("### 资源表的变化：新增 1 个、删除 0 个、修改 1 个资源，0 个未变\n")


def test_json_is_the_structured_diff(tmp_path):
    (tmp_path / "old.csv").write_bytes(csv_bytes(row()))
    (tmp_path / "new.csv").write_bytes(csv_bytes(row(phone="12345")))
    result = run(str(tmp_path / "old.csv"), str(tmp_path / "new.csv"), "--format", "json")
    data = json.loads(result.output)
    assert data["complete"] and not data["empty"] and data["unchanged"] == 0
    assert data["changed"][0]["id"] == "example-0001"
    assert data["changed"][0]["fields"] == [{"column": "phone", "old": "", "new": "12345"}]


# --- against a git revision ----------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=测试", "-c", "user.email=test@example.invalid", *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "data").mkdir()
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "data" / "resources.csv").write_bytes(csv_bytes(row(), row(id="example-0002", name="示例场馆0002")))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def test_git_compares_the_working_file_with_a_revision(repo):
    target = repo / "data" / "resources.csv"
    target.write_bytes(resaved(csv_bytes(row(id="example-0002", name="示例场馆0002", fee="free"), row()), encoding="gb18030", newline="\r\n"))
    result = run("--git", "HEAD", "--format", "markdown", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "修改 1 个资源，1 个未变" in result.output and "| 费用 | （空） | free |" in result.output
    assert "`data/resources.csv@HEAD` → `data/resources.csv`" in result.output
    # From elsewhere, naming the file: the revision is read from the file's own repository.
    elsewhere = run("--git", "main", str(target), cwd=repo.parent)
    assert elsewhere.exit_code == 0 and "费用：（空） → free" in elsewhere.output


def test_git_file_new_since_the_revision_is_all_added(repo):
    other = repo / "data" / "other.csv"
    other.write_bytes(csv_bytes(row()))
    result = run("--git", "HEAD", str(other), cwd=repo)
    assert result.exit_code == 0 and "新增 1 个" in result.output and "版本 HEAD 中还没有这个文件" in result.output


@pytest.mark.parametrize("rev, says", [("no-such-branch", "找不到版本“no-such-branch”"), ("--output=x", "不是版本号")])
def test_git_bad_revision(repo, rev, says):
    result = run(f"--git={rev}", cwd=repo)
    assert result.exit_code == 1 and says in result.output and not (repo / "x").exists()


def test_git_outside_a_repository(tmp_path):
    (tmp_path / "r.csv").write_bytes(csv_bytes(row()))
    result = run("--git", "HEAD", str(tmp_path / "r.csv"))
    assert result.exit_code == 1 and "不在可用的 git 仓库里" in result.output


# --- random tables ---------------------------------------------------------------------------

# What tables hold (GB18030 is recognised by what Chinese text looks like, so no random scripts here).
CHARS = st.sampled_from(list('示例场馆图书馆重庆市九龙坡区，。；;,"\n abZ09-“”\u3000')) | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
VALUE = st.text(alphabet=CHARS, max_size=6).map(lambda v: v.strip(" \t\n\u3000\ufeff\u00a0"))
EDIT = st.one_of(st.just(None), st.just("remove"), st.tuples(st.sampled_from(KEYS[1:]), VALUE))


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.dictionaries(st.sampled_from(KEYS[1:]), VALUE, max_size=5), EDIT), min_size=1, max_size=6),
    st.lists(st.dictionaries(st.sampled_from(KEYS[1:]), VALUE, max_size=5), max_size=2),
    st.randoms(use_true_random=False),
)
def test_random_changes_are_found_exactly(rows, extra, rng):
    old_rows, new_rows, changed = [], [], {}
    for number, (cells, edit) in enumerate(rows):
        before = cells | {"id": f"example-{number:04d}"}
        old_rows.append(before)
        if edit == "remove":
            continue
        after = before | (dict([edit]) if edit else {})
        if after != before and after.get(edit[0], "") != before.get(edit[0], ""):
            changed[before["id"]] = [edit[0]]
        new_rows.append(after)
    new_rows += [cells | {"id": f"example-new-{n}"} for n, cells in enumerate(extra)]
    old = csv_bytes(*old_rows)
    # GB18030 is recognised by its Chinese header: a lone 示 in GB18030 is also valid UTF-8 (ʾ).
    new = resaved(csv_bytes(*new_rows), encoding="gb18030", newline="\r\n", labels=True, shuffle_columns=True, shuffle_rows=True, seed=rng.random())
    diff = diffing.diff_bytes(old, new, "old.csv", "new.csv")
    assert diff.complete, diff.problems
    assert sorted(e.id for e in diff.added) == sorted(f"example-new-{n}" for n in range(len(extra)))
    assert sorted(e.id for e in diff.removed) == sorted(c["id"] for c, (_, edit) in zip(old_rows, rows) if edit == "remove")
    assert {c.id: [f.column for f in c.fields] for c in diff.changed} == changed
    assert diff.unchanged == len(old_rows) - len(diff.removed) - len(changed)
    assert diffing.to_text(diff) and diffing.to_markdown(diff) and json.loads(diffing.to_json(diff))["complete"]
