"""The schema is the contract of DESIGN.md; the guide and the template are generated from it."""

import csv
import io
import re
from pathlib import Path

from click.testing import CliRunner

from atlas import reference
from atlas.cli import main
from atlas.formulas import formula_start
from atlas.schema import columns
from atlas.taxonomy import taxonomy

ROOT = Path(__file__).parent.parent

# DESIGN.md's data contract, in order: (key, label, required).
CONTRACT = [
    ("id", "编号", True), ("name", "名称", True), ("category", "类别", True), ("tags", "标签", False),
    ("street", "镇街", True), ("address", "地址", True), ("lat", "纬度", False), ("lon", "经度", False),
    ("coord_system", "坐标系", False), ("phone", "电话", False), ("booking", "预约方式", False),
    ("booking_url", "预约链接", False), ("website", "网站", False), ("wechat", "微信公众号", False),
    ("opening_hours", "开放时间", False), ("hours_note", "开放说明", False), ("fee", "费用", False),
    ("fee_note", "费用说明", False), ("stages", "适合学段", False), ("five_education", "五育", False),
    ("capacity", "团体接待上限", False), ("visit_minutes", "建议时长", False), ("holiday_service", "假期服务", False),
    ("accessible", "无障碍", False), ("description", "简介", False), ("department", "责任单位", True),
    ("source", "信息来源", False), ("verified_on", "核实日期", False), ("status", "状态", False),
]

CATEGORIES = {
    "patriotic": "爱国主义教育基地·红色资源", "museum": "博物馆·纪念馆·美术馆", "library": "图书馆·阅读空间",
    "science": "科普场馆", "culture": "文化馆·剧场", "sports": "体育场馆", "youth": "青少年宫·青少年服务站",
    "nature": "公园·自然教育", "enterprise": "企业劳动实践·职业体验", "university": "高校", "labor": "劳动实践基地",
    "holiday_care": "公益假期托管点", "family": "家庭教育指导服务站·家长学校", "safety": "安全·法治教育基地",
    "mental_health": "心理健康服务",
}

STREETS = (
    "杨家坪街道 黄桷坪街道 谢家湾街道 石坪桥街道 石桥铺街道 中梁山街道 渝州路街道 二郎街道 九龙街道 华岩镇 "
    "含谷镇 金凤镇 白市驿镇 走马镇 石板镇 巴福镇 陶家镇 西彭镇 铜罐驿镇"
).split()


def test_columns_follow_the_contract():
    assert [(c.key, c.label, c.required) for c in columns()] == CONTRACT


def test_multi_valued_columns():
    assert {c.key for c in columns() if c.multi} == {"tags", "phone", "stages", "five_education", "holiday_service"}


def test_taxonomies_follow_the_contract():
    t = taxonomy()
    assert {c.code: c.label for c in t.categories} == CATEGORIES
    assert all(c.description and c.icon.startswith("material/") and re.fullmatch(r"#[0-9a-f]{6}", c.color) for c in t.categories)
    assert [s.name for s in t.streets] == STREETS
    assert len({s.code for s in t.streets}) == 19 and all(re.fullmatch(r"500107\d{3}", s.code) for s in t.streets)
    assert {s.name for s in t.streets if s.managed_by} == {"含谷镇", "金凤镇", "白市驿镇", "走马镇", "石板镇", "巴福镇"}
    assert [s.label for s in t.stages] == ["学前", "小学低段", "小学高段", "初中", "高中", "家长"]
    assert t.five_education == ("德", "智", "体", "美", "劳")
    assert "区教委" in t.departments and "区委网信办" in t.departments and "铜罐驿镇" in t.departments
    assert len(t.departments) == 15 + 19


# 国家统计局统计用区划代码: nine streets 001-009, ten towns 102-111 (issue 13: a 高德 reverse
# geocode gives 陶家镇 towncode 500107109000; a boundary file is named 铜罐驿镇_500107111000).
STREET_CODES = {
    "杨家坪街道": "500107001", "黄桷坪街道": "500107002", "谢家湾街道": "500107003", "石坪桥街道": "500107004",
    "石桥铺街道": "500107005", "中梁山街道": "500107006", "渝州路街道": "500107007", "二郎街道": "500107008",
    "九龙街道": "500107009", "华岩镇": "500107102", "含谷镇": "500107103", "金凤镇": "500107104",
    "白市驿镇": "500107105", "走马镇": "500107106", "石板镇": "500107107", "巴福镇": "500107108",
    "陶家镇": "500107109", "西彭镇": "500107110", "铜罐驿镇": "500107111",
}


def test_street_and_town_codes_are_the_statistical_codes():
    assert {s.name: s.code for s in taxonomy().streets} == STREET_CODES
    assert "| 铜罐驿镇 | 500107111 |" in reference.columns_markdown()


def test_column_reference_lists_every_column_and_category():
    text = reference.columns_markdown()
    for c in columns():
        assert f"| `{c.key}` | {c.label} |" in text
    for code in CATEGORIES:
        assert f"`{code}`" in text


def test_template_header_is_the_schema_and_its_example_row_is_valid(tmp_path):
    template = reference.csv_template()
    assert template.startswith("\ufeff") and template.count("\ufeff") == 1  # Excel on Windows reads it as UTF-8
    header, example = list(csv.reader(io.StringIO(template[1:])))
    assert header == [c.key for c in columns()]
    assert not [cell for cell in header + example if formula_start(cell)]  # nothing a spreadsheet would run
    path = tmp_path / "template.csv"
    path.write_text(template, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path), "--today", "2026-11-29", "--geocache", str(tmp_path / "none.json"), "--routes", str(tmp_path / "none.yml")])
    assert result.exit_code == 0, result.output
    assert "0 个错误，0 个提醒" in result.output


def test_editor_guide_embeds_the_generated_reference():
    guide = (ROOT / "docs" / "editors.md").read_text("utf-8")
    columns = (ROOT / "docs" / "editors" / "columns.md").read_text("utf-8")
    assert reference.COLUMNS_MARKER in columns and "editors/columns.md" in guide
    assert "downloads/template.csv" in guide and "downloads/template.csv" in columns


def test_every_cli_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in main.commands:
        assert f"atlas {name}" in readme, name
