"""`atlas sheet` and `atlas merge`: a department's rows out to Excel/WPS and back, edited in openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from atlas.cli import main
from atlas.fix import canonical_csv
from atlas.schema import columns
from atlas.sheet import GUIDE, LISTS, options
from atlas.taxonomy import taxonomy

from .conftest import row

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "data" / "resources.csv"
KEYS = [c.key for c in columns()]


def run(tmp: Path, *args: str):
    old = os.getcwd()
    os.chdir(tmp)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def atlas_dir(tmp_path: Path) -> Path:
    """A working copy of the shipped table."""
    shutil.copy(SHIPPED, tmp_path / "resources.csv")
    return tmp_path


def exported(tmp: Path, *args: str, name: str = "区科协.xlsx"):
    result = run(tmp, "sheet", "resources.csv", *args, "-o", name)
    assert result.exit_code == 0, result.output
    return load_workbook(tmp / name)


def merge(tmp: Path, book, *args: str, name: str = "edited.xlsx"):
    book.save(tmp / name)
    return run(tmp, "merge", name, "--csv", "resources.csv", *args)


def column_of(sheet, key: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value.split("\n")[-1] == key)


def row_of(sheet, rid: str) -> int:
    id_col = column_of(sheet, "id")
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, id_col).value == rid)


# --- writing ----------------------------------------------------------------------------------


def test_unchanged_sheets_merge_back_byte_identical(atlas_dir):
    before = (atlas_dir / "resources.csv").read_bytes()
    for args in ((), ("--department", "区科协"), ("--department", "区文化旅游委")):
        book = exported(atlas_dir, *args)
        result = merge(atlas_dir, book)
        assert result.exit_code == 0, result.output
        assert "没有内容变化" in result.output
        assert (atlas_dir / "resources.csv").read_bytes() == before


def test_one_sheet_per_department_with_its_rows_only(atlas_dir):
    book = exported(atlas_dir)
    shipped = list(csv.DictReader(io.StringIO(SHIPPED.read_text("utf-8"))))
    departments = [d for d in taxonomy().departments if any(r["department"] == d for r in shipped)]
    assert book.sheetnames == departments + [GUIDE, LISTS]
    assert book[LISTS].sheet_state == "hidden"
    total = 0
    for department in departments:
        sheet = book[department]
        dep_col = column_of(sheet, "department")
        values = [sheet.cell(r, dep_col).value for r in range(2, sheet.max_row + 1)]
        assert values and set(values) == {department}
        total += len(values)
    assert total == len(shipped)


def test_header_shows_labels_and_keeps_keys_and_every_cell_is_text(atlas_dir):
    sheet = exported(atlas_dir, "--department", "区科协")["区科协"]
    assert [cell.value for cell in sheet[1]] == [f"{c.label}\n{c.key}" for c in columns()]
    filled = [cell for line in sheet.iter_rows(min_row=2) for cell in line if cell.value is not None]
    assert filled and all(cell.data_type == "s" and cell.number_format == "@" for cell in filled)
    assert all(sheet.column_dimensions[cell.column_letter].number_format == "@" for cell in sheet[1])
    # controlled columns show the Chinese label, the CSV keeps the code
    assert sheet.cell(row_of(sheet, "chongqing-zoo"), column_of(sheet, "category")).value == "公园·自然教育"


def test_controlled_columns_have_drop_downs_from_the_schema(atlas_dir):
    book = exported(atlas_dir, "--department", "区科协")
    sheet, lists = book["区科协"], book[LISTS]
    checks = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in sheet.data_validations.dataValidation}
    expected = {"category", "street", "coord_system", "fee", "stages", "five_education", "holiday_service", "accessible", "department", "status"}
    assert {sheet.cell(1, column_of(sheet, key)).column_letter for key in expected} == set(checks)
    for key in expected:
        letter = sheet.cell(1, column_of(sheet, key)).column_letter
        dv = checks[letter]
        assert dv.type == "list" and str(dv.sqref) == f"{letter}2:{letter}1000"
        source = dv.formula1.split("!")[1].replace("$", "")
        listed = [cell.value for line in lists[source] for cell in line]
        values, strict = options(key)
        assert listed == list(values)
        assert bool(dv.showErrorMessage) == strict  # several stages with ; must stay typeable
    assert "爱国主义教育基地·红色资源" in options("category")[0] and "铜罐驿镇" in options("street")[0]


def test_same_rows_same_bytes(atlas_dir):
    run(atlas_dir, "sheet", "resources.csv", "-o", "a.xlsx")
    first = (atlas_dir / "a.xlsx").read_bytes()
    time.sleep(1.1)  # the zip format stamps times to two seconds; openpyxl stamps the save time
    run(atlas_dir, "sheet", "resources.csv", "-o", "b.xlsx")
    assert (atlas_dir / "b.xlsx").read_bytes() == first


def test_guide_sheet_lists_every_column(atlas_dir):
    guide = exported(atlas_dir, "--department", "区科协")[GUIDE]
    keys = {line[1].value for line in guide.iter_rows()}
    assert set(KEYS) <= keys


def test_cell_that_looks_like_a_formula_is_written_as_text(tmp_path):
    cells = row(id="example-0001", phone="+86 23 6878 1234", department="区科协")
    (tmp_path / "resources.csv").write_text(canonical_csv([cells]), "utf-8")
    sheet = exported(tmp_path, "--department", "区科协")["区科协"]
    cell = sheet.cell(2, column_of(sheet, "phone"))
    assert cell.value == "+86 23 6878 1234" and cell.data_type == "s" and cell.quotePrefix


def test_an_empty_department_gets_a_sheet_to_add_rows(atlas_dir):
    sheet = exported(atlas_dir, "--department", "区妇联")["区妇联"]
    assert sheet.max_row == 1 and len(sheet.data_validations.dataValidation) == 10


def test_unknown_department_and_bad_output_name_are_one_line(atlas_dir):
    result = run(atlas_dir, "sheet", "resources.csv", "--department", "区科学协会", "-o", "x.xlsx")
    assert result.exit_code == 1 and "不是责任单位" in result.output and "区科协" in result.output
    result = run(atlas_dir, "sheet", "resources.csv", "-o", "x.csv")
    assert result.exit_code == 1 and ".xlsx" in result.output


# --- edited and merged back --------------------------------------------------------------------


def test_edits_in_openpyxl_merge_back_with_a_report(atlas_dir):
    book = exported(atlas_dir, "--department", "区科协")
    sheet = book["区科协"]
    zoo = row_of(sheet, "chongqing-zoo")
    sheet.cell(zoo, column_of(sheet, "phone")).value = 2368781234  # Excel made it a number
    sheet.cell(zoo, column_of(sheet, "fee")).value = "免费"  # picked from the drop-down
    sheet.cell(zoo, column_of(sheet, "hours_note")).value = "  周一闭馆 "
    new = sheet.max_row + 1
    for key, value in row(id="example-0009", name="示例场馆0009", department="区科协", category="科普场馆").items():
        sheet.cell(new, column_of(sheet, key)).value = value
    result = merge(atlas_dir, book)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "新增 1 个、删除 0 个、修改 1 个资源" in out
    assert "电话：（空） → 023-68781234" in out and "费用：（空） → free" in out
    assert "edited.xlsx 表“区科协” 第 2 行 J 列【电话】 补回开头的 0" in out
    text = (atlas_dir / "resources.csv").read_text("utf-8")
    lines = text.splitlines()
    assert lines[-1].startswith("example-0009,示例场馆0009,science,")  # new rows at the end
    zoo_line = next(line for line in lines if line.startswith("chongqing-zoo,"))
    assert ",023-68781234," in zoo_line and ",周一闭馆," in zoo_line and ",free," in zoo_line
    assert len(lines) == len(SHIPPED.read_text("utf-8").splitlines()) + 1
    again = merge(atlas_dir, exported(atlas_dir, "--department", "区科协", name="again.xlsx"))
    assert "没有内容变化" in again.output


def test_dry_run_writes_nothing(atlas_dir):
    book = exported(atlas_dir, "--department", "区科协")
    sheet = book["区科协"]
    sheet.cell(row_of(sheet, "chongqing-zoo"), column_of(sheet, "fee")).value = "免费"
    result = merge(atlas_dir, book, "--dry-run")
    assert result.exit_code == 0 and "试运行" in result.output and "费用：（空） → free" in result.output
    assert (atlas_dir / "resources.csv").read_bytes() == SHIPPED.read_bytes()


def test_a_row_missing_from_the_sheet_is_kept(atlas_dir):
    book = exported(atlas_dir, "--department", "区科协")
    sheet = book["区科协"]
    sheet.delete_rows(row_of(sheet, "chongqing-zoo"))
    result = merge(atlas_dir, book)
    assert result.exit_code == 0 and "保持原样" in result.output and "chongqing-zoo" in result.output
    assert (atlas_dir / "resources.csv").read_bytes() == SHIPPED.read_bytes()


def zoo_typed(atlas_dir, key: str, value):
    """区科协's workbook with ``value`` typed into 重庆动物园's ``key`` cell: (book, that cell)."""
    book = exported(atlas_dir, "--department", "区科协")
    sheet = book["区科协"]
    cell = sheet.cell(row_of(sheet, "chongqing-zoo"), column_of(sheet, key))
    cell.value = value
    return book, cell


def refused(atlas_dir, book, *args) -> str:
    result = merge(atlas_dir, book, *args)
    assert result.exit_code == 1, result.output
    assert "没有合并" in result.output
    assert (atlas_dir / "resources.csv").read_bytes() == SHIPPED.read_bytes()
    return result.output


def test_a_formula_typed_into_a_cell_is_refused(atlas_dir):
    book, cell = zoo_typed(atlas_dir, "booking", '=HYPERLINK("http://example.com","预约")')
    out = refused(atlas_dir, book)
    assert f"edited.xlsx 表“区科协” 第 {cell.row} 行 {cell.column_letter} 列【预约方式】" in out and "是公式 =HYPERLINK" in out


def test_text_starting_with_equals_is_refused_by_the_validator(atlas_dir):
    book, cell = zoo_typed(atlas_dir, "hours_note", "=1+1")
    cell.data_type = "s"  # typed after a ' : text that Excel would run in a CSV
    assert "以“=”开头：在 Excel 或 WPS 里打开时会被当成公式执行" in refused(atlas_dir, book)


@pytest.mark.parametrize("typed", [dt.datetime(2026, 5, 1), 46143])
def test_excel_date_serials_are_read_and_reported(atlas_dir, typed):
    book, cell = zoo_typed(atlas_dir, "verified_on", typed)
    cell.number_format = "yyyy/m/d" if isinstance(typed, dt.datetime) else "General"
    result = merge(atlas_dir, book)
    assert result.exit_code == 0, result.output
    assert "核实日期：（空） → 2026-05-01" in result.output
    said = "被 Excel/WPS 存成了日期（内部是序号 46143）" if isinstance(typed, dt.datetime) else "表格软件把日期存成了序号"
    assert f"第 {cell.row} 行 {cell.column_letter} 列【核实日期】" in result.output and said in result.output


def test_a_workbook_of_another_department_is_refused(atlas_dir):
    book = exported(atlas_dir, "--department", "区文化旅游委")
    out = refused(atlas_dir, book, "--department", "区科协")
    assert "edited.xlsx 表“区文化旅游委” 这是区文化旅游委的表，不是区科协的" in out


def test_rows_of_another_department_are_refused(atlas_dir):
    book = exported(atlas_dir, "--department", "区科协")
    sheet = book["区科协"]
    new = sheet.max_row + 1
    for key, value in row(id="jlp-library", name="九龙坡区图书馆", department="区科协").items():  # 区文化旅游委's row
        sheet.cell(new, column_of(sheet, key)).value = value
    zoo = row_of(sheet, "chongqing-zoo")
    sheet.cell(zoo, column_of(sheet, "department")).value = "区教委"
    out = refused(atlas_dir, book)
    assert f"第 {new} 行 A 列【编号】 编号 jlp-library 在资源表里属于区文化旅游委" in out
    assert f"第 {zoo} 行" in out and "这一行的责任单位是“区教委”，但它在区科协的表里" in out


def test_merged_cells_renamed_and_missing_columns_are_refused(atlas_dir):
    book = exported(atlas_dir, "--department", "区科协")
    sheet = book["区科协"]
    sheet.merge_cells("Y2:Y3")
    sheet.cell(1, column_of(sheet, "address")).value = "地点"
    sheet.delete_cols(column_of(sheet, "phone"))
    out = refused(atlas_dir, book)
    assert "Y2:Y3 是合并的单元格" in out
    assert "F 列的列名“地点”无法识别" in out and "缺少“地址”列（address）" in out and "缺少“电话”列（phone）" in out
    assert "F 列没有可识别的列名，但第 2 行等 2 行有内容" in out


def test_a_sheet_not_named_for_a_department_is_refused(atlas_dir):
    book = exported(atlas_dir, "--department", "区科协")
    book["区科协"].title = "Sheet1"
    assert "表名“Sheet1”不是责任单位的名称" in refused(atlas_dir, book)


def test_invalid_cells_are_reported_by_sheet_row_and_column(atlas_dir):
    book, cell = zoo_typed(atlas_dir, "street", "杨家坪")
    assert f"第 {cell.row} 行 E 列【镇街】“杨家坪” 不是有效的镇街" in refused(atlas_dir, book)


def test_not_a_workbook_is_one_clear_line(atlas_dir):
    (atlas_dir / "fake.xlsx").write_bytes(b"id,name\n")
    result = run(atlas_dir, "merge", "fake.xlsx", "--csv", "resources.csv")
    assert result.exit_code == 1 and "不是可以读取的 .xlsx 工作簿" in result.output and "另存为" in result.output
