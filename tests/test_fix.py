"""`atlas fix`: an editor's file in the canonical form, every edit printed, no cell lost."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas import fix as fixing
from atlas.cli import main
from atlas.load import read_table
from atlas.schema import columns
from atlas.validate import validate_csv

from .conftest import csv_bytes, row
from .test_diff import resaved

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "data" / "resources.csv"
BROKEN = sorted((ROOT / "tests" / "data" / "broken").glob("*.csv"))
KEYS = [c.key for c in columns()]
LABELS = {c.key: c.label for c in columns()}


def run(*args: str):
    result = CliRunner().invoke(main, ["fix", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def assert_nothing_lost(data: bytes, fixed: fixing.Fixed) -> None:
    """Every cell that had text still has it, changed only by an edit that says so, row by row."""
    before, _ = read_table("in.csv", data, keep_raw=True)
    after, findings = read_table("out.csv", fixed.text.encode("utf-8"))
    assert not [f for f in findings if f.severity == "error" and f.code != "header.missing"]
    assert after.keys == tuple(KEYS) and len(after.rows) == len(before.rows)
    edits = {(e.row, e.column): e for e in fixed.edits if e.column}
    for old, new in zip(before.rows, after.rows):
        for key, typed in old.raw.items():
            kept = new.cells[key]
            if (old.number, key) not in edits:
                assert kept == typed, (old.number, key)
                continue
            assert bool(kept) == bool(old.cells[key]), (old.number, key, typed)
            chain = [e for e in fixed.edits if e.row == old.number and e.column == key]
            assert chain[0].old == typed and chain[-1].new == kept  # the edits lead from what was typed to what is written
            assert all(a.new == b.old for a, b in zip(chain, chain[1:]))


# --- the canonical form ---------------------------------------------------------------------


def test_the_shipped_table_is_canonical_and_left_untouched(tmp_path):
    data = SHIPPED.read_bytes()
    fixed = fixing.fix_bytes(data, "resources.csv")
    assert fixed.text.encode("utf-8") == data and not fixed.edits and not fixed.left and not fixed.changed
    copy = tmp_path / "resources.csv"
    copy.write_bytes(data)
    os.utime(copy, (1_000_000_000, 1_000_000_000))
    result = run(str(copy))
    assert result.exit_code == 0 and result.output == f"{copy} 已是规范格式，没有改动。\n"
    assert copy.stat().st_mtime == 1_000_000_000  # not rewritten


@pytest.mark.parametrize(
    "how",
    [
        dict(encoding="gb18030", newline="\r\n", labels=True, shuffle_columns=True),
        dict(encoding="utf-8-sig", newline="\r\n", shuffle_columns=True, seed=3),
        dict(encoding="utf-8", labels=True),
    ],
)
def test_the_shipped_table_resaved_by_excel_comes_back_byte_for_byte(tmp_path, how):
    data = SHIPPED.read_bytes()
    mangled = resaved(data, **how)
    fixed = fixing.fix_bytes(mangled, "x.csv")
    assert fixed.text.encode("utf-8") == data
    assert not [e for e in fixed.edits if e.column]  # only the file's form changed, no cell
    what = [e.what for e in fixed.edits]
    assert ("编码改为 UTF-8" in what) == (how["encoding"] == "gb18030")
    assert ("去掉文件开头的 BOM" in what) == (how["encoding"] == "utf-8-sig")
    assert ("换行符改为 LF" in what) == ("newline" in how)
    assert any(w.startswith("表头改为标准列名和顺序") for w in what)
    assert_nothing_lost(mangled, fixed)


EXCEL_MANGLED = [
    # (column, as saved, canonical, what the edit says)
    ("phone", "2368781234", "023-68781234", "补回开头的 0（表格软件把号码当成了数字）"),
    ("phone", "75586013388", "0755-86013388", "补回开头的 0（表格软件把号码当成了数字）"),
    ("phone", "02368781234；13800138000", "023-68781234;138-0013-8000", "电话号码统一写法"),
    ("phone", "(023)6878 1234、12345", "023-68781234;12345", "几个号码分开写，用 ; 分隔"),
    ("phone", "023-68781234转123", "023-68781234转123", None),
    ("phone", "４００-１２３-４５６７", "400-123-4567", "电话号码统一写法"),
    ("verified_on", "2026/5/1", "2026-05-01", "日期改为 YYYY-MM-DD"),
    ("verified_on", "2026年5月1日", "2026-05-01", "日期改为 YYYY-MM-DD"),
    ("verified_on", "2026-05-01 00:00:00", "2026-05-01", "日期改为 YYYY-MM-DD"),
    ("verified_on", "46143", "2026-05-01", "表格软件把日期存成了序号，已换算为 YYYY-MM-DD"),
    ("verified_on", "13/4/2026", "2026-04-13", "日期改为 YYYY-MM-DD"),
    ("verified_on", "20260501", "2026-05-01", "日期改为 YYYY-MM-DD"),
    ("category", "图书馆·阅读空间", "library", "改为代码（图书馆·阅读空间 → library）"),
    ("category", "Library", "library", "代码改为小写"),
    ("fee", "免费", "free", "改为代码（免费 → free）"),
    ("accessible", "是", "yes", "改为代码（是 → yes）"),
    ("stages", "小学高段、初中", "小学高段;初中", "多个值统一用 ; 分隔，去掉空项和重复项"),
    ("stages", "小学高段；初中;;初中", "小学高段;初中", "多个值统一用 ; 分隔，去掉空项和重复项"),
    ("tags", "非遗; 航空", "非遗;航空", "多个值统一用 ; 分隔，去掉空项和重复项"),
    ("lat", "２９.５０８５", "29.5085", "全角数字和符号改为半角"),
    ("name", "\u3000示例场馆0001 ", "示例场馆0001", "去掉首尾空白"),
]


@pytest.mark.parametrize("column, typed, canonical, what", EXCEL_MANGLED)
def test_what_spreadsheets_do_to_cells_is_undone(column, typed, canonical, what):
    cells, edits, left = fixing.fix_cells(row(**{column: typed}))
    assert cells[column] == canonical and not left
    assert [e.what for e in edits] == ([what] if what else [])
    assert all(e.old == typed and e.new == canonical for e in edits)


@pytest.mark.parametrize(
    "column, typed, says",
    [
        ("verified_on", "5/4/2026", "可以读作 2026 年 5 月 4 日，也可以读作 2026 年 4 月 5 日"),
        ("verified_on", "2026-02-30", "不是有效日期"),
        ("verified_on", "99999", "不是有效日期"),  # no date serial of this century
        ("phone", "2.36878E+09", "科学计数法"),  # the digits are gone
        ("phone", "68781234", "固定电话缺少区号"),  # 023? probably, but not certainly
        ("phone", "1368781234", "不是有效的中国电话号码"),  # a mobile that lost a digit
        ("phone", "023-68781234/5", "不是电话号码"),
        ("stages", "小学、初中", "不是有效的学段"),  # not every part is an option: no split
        ("category", "少年宫", "不是有效的类别"),
        ("stages", ";；", "有空的项"),  # nothing but separators: not emptied
    ],
)
def test_what_is_not_certain_stays_and_is_reported(column, typed, says):
    cells, edits, left = fixing.fix_cells(row(**{column: typed}))
    assert cells[column] == typed and not edits
    (finding,) = left
    assert finding.column == column and finding.value == typed and says in finding.message and finding.hint


def test_an_excel_file_is_fixed_reported_edit_by_edit_and_then_valid(tmp_path, settings):
    header = [LABELS[k] for k in reversed(KEYS)]  # Chinese labels, another order
    one = row(phone="2368781234", verified_on="2026/5/1", category="图书馆·阅读空间", stages="小学高段、初中", name=" 示例场馆0001 ")
    two = row(id="example-0002", name="示例场馆0002", verified_on="46143", fee="免费", description="第一行\r\n第二行")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header] + [[r.get(k, "") for k in reversed(KEYS)] for r in (one, two)])
    source = tmp_path / "区科协.csv"
    source.write_bytes(out.getvalue().encode("gb18030"))
    target = tmp_path / "resources.csv"
    result = run(str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "整个文件 换行符改为 LF：CRLF（Windows） → LF",
        "整个文件 编码改为 UTF-8：GB18030 → UTF-8",
        f"第 1 行 表头改为标准列名和顺序：{','.join(header)} → {','.join(KEYS)}",
        "第 2 行（example-0001）【名称】 去掉首尾空白：“ 示例场馆0001 ” → “示例场馆0001”",
        "第 2 行（example-0001）【类别】 改为代码（图书馆·阅读空间 → library）：“图书馆·阅读空间” → “library”",
        "第 2 行（example-0001）【电话】 补回开头的 0（表格软件把号码当成了数字）：“2368781234” → “023-68781234”",
        "第 2 行（example-0001）【适合学段】 多个值统一用 ; 分隔，去掉空项和重复项：“小学高段、初中” → “小学高段;初中”",
        "第 2 行（example-0001）【核实日期】 日期改为 YYYY-MM-DD：“2026/5/1” → “2026-05-01”",
        "第 3 行（example-0002）【费用】 改为代码（免费 → free）：“免费” → “free”",
        "第 3 行（example-0002）【简介】 单元格内换行改为 LF：“第一行␍⏎第二行” → “第一行⏎第二行”",
        "第 3 行（example-0002）【核实日期】 表格软件把日期存成了序号，已换算为 YYYY-MM-DD：“46143” → “2026-05-01”",
        f"共 11 处改动（其中 8 个单元格），已写入 {target}。",
    ]
    assert source.read_bytes() == out.getvalue().encode("gb18030")  # -o leaves the editor's file alone
    atlas = validate_csv(target, settings)
    assert atlas.report.ok and [r.id for r in atlas.resources] == ["example-0001", "example-0002"]
    assert atlas.resources[1].description == "第一行\n第二行"
    assert run(str(target)).output == f"{target} 已是规范格式，没有改动。\n"  # idempotent


def test_in_place_is_atomic_and_left_items_exit_1(tmp_path, monkeypatch):
    path = tmp_path / "r.csv"
    data = csv_bytes(row(phone="2368781234", verified_on="5/4/2026"))
    path.write_bytes(data)

    def interrupted(fd):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", interrupted)
        assert run(str(path)).exit_code == 1  # click: Aborted!
    assert path.read_bytes() == data and [p.name for p in tmp_path.iterdir()] == ["r.csv"]
    result = run(str(path))
    assert result.exit_code == 1
    assert "以下 1 处无法自动修正，保持原样，请人工处理：" in result.output
    assert "第 2 行【核实日期】“5/4/2026” 日期“5/4/2026”可以读作" in result.output
    assert f"共 1 处改动（其中 1 个单元格），已写入 {path}。" in result.output
    assert path.read_text("utf-8").splitlines()[1].split(",")[KEYS.index("phone")] == "023-68781234"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_a_missing_column_is_added_empty_and_reported(tmp_path):
    header = [k for k in KEYS if k != "department"]
    fixed = fixing.fix_bytes(csv_bytes(row(), header=header), "x.csv")
    assert fixed.text.splitlines()[0] == ",".join(KEYS)
    assert [f.code for f in fixed.left] == ["header.missing"]
    assert fixed.edits[-1] == fixing.Edit("补上缺少的列（空列）", "", "责任单位", row=1)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_real_broken_files_lose_nothing_or_are_not_touched(tmp_path, path):
    data = path.read_bytes()
    fixed = fixing.fix_bytes(data, path.name)
    copy = tmp_path / path.name
    copy.write_bytes(data)
    result = run(str(copy))
    assert result.exit_code in (0, 1)
    if fixed.blocked:
        assert fixed.text is None and copy.read_bytes() == data and result.exit_code == 1
        assert "没有改写（文件保持原样）" in result.output
        return
    assert_nothing_lost(data, fixed)
    again = fixing.fix_bytes(fixed.text.encode("utf-8"), "again.csv")
    assert again.text == fixed.text and not again.edits  # idempotent
    assert copy.read_bytes() == fixed.text.encode("utf-8")


def test_structural_faults_block_the_rewrite():
    blocked = {p.stem for p in BROKEN if fixing.fix_file(p).blocked}
    assert {"hdr_typo_adress", "hdr_duplicate", "csv_too_many_cells", "csv_unclosed_quote", "enc_utf16", "enc_shift_jis"} <= blocked
    assert not blocked & {"enc_gb18030", "enc_utf8_bom", "hdr_chinese_labels", "csv_blank_row", "csv_stray_quote", "hdr_missing_required"}


# --- synthetic tables --------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    list(' ;；、,，"\n\r\t\u3000\ufeff\u00a0') + ["2368781234", "023-68781234", "2026/5/1", "46143", "5/4/2026", "图书馆·阅读空间",
    "免费", "小学高段", "初中", "２９", "12345", "转", "示例", "<", "E+09", "0"]
) | st.text(max_size=4)
CELL = st.lists(FRAGMENTS, max_size=6).map("".join)


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(KEYS), CELL, max_size=8), min_size=1, max_size=4), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]), st.sampled_from(["\n", "\r\n"]))
def test_random_tables_lose_no_cell_and_fix_once(rows, encoding, newline):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(KEYS)
    writer.writerows([[r.get(k, "") for k in KEYS] for r in rows])
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return  # not representable in GB18030
    fixed = fixing.fix_bytes(data, "random.csv")
    if fixed.blocked:  # e.g. a lone CR the csv module reads as a line break: nothing written
        return
    assert_nothing_lost(data, fixed)
    again = fixing.fix_bytes(fixed.text.encode("utf-8"), "again.csv")
    assert again.text == fixed.text and not again.edits


def test_files_that_cannot_be_read_or_written_are_one_clear_line(tmp_path):
    assert run(str(tmp_path / "none.csv")).output == f"Error: 无法读取 {tmp_path / 'none.csv'}：文件或文件夹不存在\n"
    assert run(str(tmp_path)).output == f"Error: 无法读取 {tmp_path}：这是一个文件夹，不是文件\n"
    source = tmp_path / "r.csv"
    source.write_bytes(csv_bytes(row()))
    nowhere = tmp_path / "no-such-folder" / "out.csv"
    result = run(str(source), "-o", str(nowhere))
    assert result.exit_code == 1 and result.output == f"Error: 无法写入 {nowhere}：文件或文件夹不存在\n"


def test_in_place_through_a_symlink_keeps_the_link_and_the_mode(tmp_path):
    real = tmp_path / "real.csv"
    real.write_bytes(csv_bytes(row(phone="2368781234")))
    real.chmod(0o600)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run(str(link)).exit_code == 0
    assert link.is_symlink() and "023-68781234" in real.read_text("utf-8")
    assert real.stat().st_mode & 0o777 == 0o600
