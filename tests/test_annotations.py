"""`atlas validate --format github` and the job summary: escaped, on the right lines, within 1 MiB."""

from __future__ import annotations

import re

from click.testing import CliRunner

from atlas import summary
from atlas.cli import main
from atlas.findings import ERROR, Finding, Report, to_github

from .conftest import csv_bytes, row


def test_annotation_properties_and_message_are_escaped():
    finding = Finding(ERROR, "x", "坏了\n::warning::假的 100%", hint="改成 a,b:c", file="data/a,b:c.csv", row=3, line=4, column="name", value="x\r\ny", resource_id="id,1")
    (line,) = to_github(Report([finding])).splitlines()
    props, message = re.fullmatch(r"::error (.*?)::(.*)", line).groups()
    assert props == "file=data/a%2Cb%3Ac.csv,line=4,title=第 3 行（编号 id%2C1）：错误"
    # one line: the newline of the message is %0A, the CR of the cell spelled out as \x0d
    assert message == "【名称】“x\\x0d / y” 坏了%0A::warning::假的 100%25 → 改成 a,b:c"


def test_validate_github_format_annotates_csv_lines_and_appends_the_summary(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(row(), row(id="example-0002", category="飞艇")))
    target = tmp_path / "summary.md"
    target.write_text("# 之前的内容\n", "utf-8")
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "github", "--summary", str(target), "--routes", str(tmp_path / "none.yml")])
    assert result.exit_code == 1
    assert re.search(rf"^::error file={re.escape(str(path))},line=3,title=第 3 行（编号 example-0002）：错误::【类别】“飞艇”", result.output, re.M)
    written = target.read_text("utf-8")
    assert written.startswith("# 之前的内容\n## 数据检查") and "× 错误 【类别】“飞艇”" in written and written.rstrip().endswith("```")


def test_summary_is_cut_at_a_line_within_1_mib_and_closes_its_code_block(tmp_path):
    report = "\n".join(f"第 {n} 行 × 错误 ``` 示例" for n in range(80_000))
    target = tmp_path / "summary.md"
    summary.append(target, summary.code_block(report))
    text = target.read_text("utf-8")
    assert len(text.encode("utf-8")) <= summary.LIMIT
    assert text.startswith("````text\n") and "\n````\n\n> ……摘要太长" in text
    before_note = text.split("\n````\n\n>")[0]
    assert before_note.endswith("示例")  # whole lines only
    summary.append(target, "更多\n")  # no room left: nothing more is added
    assert len(target.read_bytes()) <= summary.LIMIT


def test_diff_summary_option(tmp_path):
    old, new, target = tmp_path / "old.csv", tmp_path / "new.csv", tmp_path / "s.md"
    old.write_bytes(csv_bytes(row()))
    new.write_bytes(csv_bytes(row(), row(id="example-0002", name="示例场馆0002")))
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--summary", str(target)])
    assert result.exit_code == 0 and "示例场馆0002" in result.output
    assert "示例场馆0002" in target.read_text("utf-8")
