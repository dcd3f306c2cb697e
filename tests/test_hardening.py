"""Hostile and odd inputs to the `atlas` command line (issue 12): one clear line, never a
traceback, never a secret, never a raw control character."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from atlas import cli, contact, reference
from atlas.cli import main
from atlas.formulas import defuse, formula_start
from atlas.schema import Resource, columns

from .conftest import csv_bytes, row
from .sites import build, make_project

KEYS = [c.key for c in columns()]
OPTIONS = ["--today", "2026-11-29", "--routes", "/nonexistent", "--geocache", "/nonexistent"]


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_an_unexpected_error_is_one_line_without_secrets(tmp_path, monkeypatch):
    path = tmp_path / "resources.csv"
    path.write_bytes(csv_bytes(row()))

    def broken(*args, **kwargs):
        raise RuntimeError("boom at https://restapi.amap.com/v3/geocode/geo?key=sekrit-value-1&output=JSON")

    monkeypatch.setattr(cli, "validate_csv", broken)
    result = run("validate", str(path), *OPTIONS, env={"AMAP_KEY": "sekrit-value-1", "ATLAS_DEBUG": ""})
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "sekrit" not in result.output
    assert "意外错误：RuntimeError: boom" in result.output and "key=***" in result.output
    assert len(result.output.strip().splitlines()) == 1


# --- the <head> --------------------------------------------------------------------------------

HOSTILE_NAME = '示例场馆0009 &lt;img src=x onerror=alert(1)&gt; "A&B" x<y'
HOSTILE_ADDRESS = '重庆市九龙坡区"示例"路3号 " onfocus="alert(1)'
HOSTILE_DESCRIPTION = '简介 "引号" & <不是标签> &amp; a</b c <!- x'


class Head(HTMLParser):
    """What a browser makes of a page's <head>: the title text and each <meta>'s attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.metas, self._in = "", [], ""

    def handle_starttag(self, tag, attrs):
        self._in = tag
        if tag == "meta":
            self.metas.append(dict(attrs))

    def handle_endtag(self, tag):
        self._in = ""

    def handle_data(self, data):
        if self._in == "title":
            self.title += data

    def meta(self, **match) -> dict:
        return next(m for m in self.metas if all(m.get(k) == v for k, v in match.items()))


def test_values_in_the_head_are_escaped(tmp_path):
    hostile = row(
        id="example-hostile", name=HOSTILE_NAME, address=HOSTILE_ADDRESS, description=HOSTILE_DESCRIPTION, phone="+86 23 6878 1234",
        website="https://www.example.gov.cn/a?b=1&c=\"2\"", booking_url="https://www.example.gov.cn/y?q=</script>&r='1'",
    )
    site = tmp_path / "site"
    result = build(make_project(tmp_path, rows=[hostile], routes=[]), site)
    assert result.returncode == 0, result.stderr
    page = (site / "r" / "example-hostile" / "index.html").read_text("utf-8")
    head = Head()
    head.feed(page[: page.index("</head>")])
    assert head.title == f"{HOSTILE_NAME} - 九龙坡区协同育人资源图谱"
    description = head.meta(name="description")
    assert set(description) == {"name", "content"}  # no attribute smuggled in
    assert description["content"] == f"图书馆·阅读空间 · 杨家坪街道 · {HOSTILE_ADDRESS}"
    assert head.meta(property="og:title")["content"].startswith(HOSTILE_NAME)
    assert head.meta(property="og:description")["content"] == description["content"]
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    place = json.loads(page[start : page.index("</script>", start)])  # the JSON-LD ends at its own </script>
    assert (place["name"], place["address"]["streetAddress"], place["description"]) == (HOSTILE_NAME, HOSTILE_ADDRESS, HOSTILE_DESCRIPTION)
    assert (place["sameAs"], place["potentialAction"]["target"]["urlTemplate"]) == (hostile["website"], hostile["booking_url"])
    topic = Head()
    topic.feed(page[page.index('data-md-component="header-topic"') :][:400].replace('<span class="md-ellipsis">', "<title>").replace("</span>", "</title>", 1))
    assert topic.title.strip() == HOSTILE_NAME  # the header shows the name as typed, not decoded
    assert "<img src=x" not in page and 'onfocus="alert' not in page
    # The template for Excel/WPS users: a BOM, so Excel on Windows reads UTF-8 …
    template = (site / "downloads" / "template.csv").read_bytes()
    assert template.startswith(b"\xef\xbb\xbfid,name,") and template.count(b"\xef\xbb\xbf") == 1
    # … and no CSV the site offers (the template; the open data once it ships) carries a live
    # formula, not even a "+86 …" phone.
    offered = sorted(site.rglob("*.csv"))
    assert site / "downloads" / "template.csv" in offered
    for path in offered:
        cells = [cell for line in csv.reader(io.StringIO(path.read_text("utf-8-sig"))) for cell in line]
        assert not [cell for cell in cells if formula_start(cell)], path


# --- controls, bidi, terminal escapes, the no-HTML rule ------------------------------------------

HIDDEN = ["\u202e", "\u2066", "\u2028", "\u2029", "\u200b", "\ufeff", "\x85", "\x9b", "\x7f", "\x1b", "\x07", "\x00"]


def excel_csv(*rows: dict) -> bytes:
    """Rows as Excel writes them: CRLF line ends, so a lone CR in a cell is quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(KEYS)
    writer.writerows([r.get(key, "") for key in KEYS] for r in rows)
    return out.getvalue().encode("utf-8")


def report_of(tmp_path, *rows: dict, output: str = "json"):
    path = tmp_path / "resources.csv"
    path.write_bytes(excel_csv(*rows))
    result = run("validate", str(path), "--format", output, *OPTIONS)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    return json.loads(result.output) if output == "json" else result.output


def codes(report: dict, severity: str) -> set[tuple[str, str]]:
    return {(f["code"], f["column"]) for f in report["findings"] if f["severity"] == severity}


@pytest.mark.parametrize("char", HIDDEN)
@pytest.mark.parametrize("column", ["name", "address", "tags", "wechat", "website", "booking_url"])
def test_controls_and_bidi_are_refused_in_names_and_urls(tmp_path, char, column):
    value = {"website": "https://example.gov.cn/", "booking_url": "https://example.gov.cn/yuyue"}.get(column, "示例场馆0001")
    at = 10 if value.startswith("https") else 3  # inside: a cell's ends are trimmed of spaces and BOMs
    report = report_of(tmp_path, row(**{column: value[:at] + char + value[at:]}))
    assert (f"cell.{column}", column) in codes(report, "error"), report


@pytest.mark.parametrize("char", ["\u202e", "\u2028", "\u200b", "\u2066"])
def test_invisible_characters_in_free_text_warn(tmp_path, char):
    report = report_of(tmp_path, row(description=f"第一段{char}简介"))
    assert report["ok"] and ("text.invisible", "description") in codes(report, "warning"), report


@pytest.mark.parametrize("char", ["\x1b", "\x7f", "\x85", "\x00"])
def test_controls_in_free_text_are_errors(tmp_path, char):
    assert ("cell.description", "description") in codes(report_of(tmp_path, row(description=f"简介{char}x")), "error")


def test_a_report_shows_escapes_instead_of_obeying_them(tmp_path):
    sneaky = "示例\x1b[8m隐藏\u202e反转"
    text = report_of(tmp_path, row(name=sneaky), output="text")
    assert "\x1b" not in text and "\u202e" not in text
    assert "示例\\x1b[8m隐藏\\u202e反转" in text
    raw = run("validate", str(tmp_path / "resources.csv"), "--format", "json", *OPTIONS).output
    assert "\x1b" not in raw and "\u202e" not in raw and json.loads(raw)["findings"][0]["value"] == sneaky


@pytest.mark.parametrize("text", ["PM2.5<good 或 x<y", "<<Red Rock>> 阅读活动", "分数 < A 等", "a<b 且 b<c", "1 <2", "<不是标签>", "<Red Rock>"])
def test_a_less_than_sign_that_starts_no_tag_is_text(tmp_path, text):
    report = report_of(tmp_path, row(description=text, name=f"示例场馆0001 {text}"))
    assert report["errors"] == 0, report


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "x</p>", "<!-- x -->", "<B>粗</B>", "<my-widget a=1>", "<a href='https://example.org'>x</a>"]
)
def test_real_tags_are_still_refused(tmp_path, text):
    report = report_of(tmp_path, row(description=text))
    assert ("cell.description", "description") in codes(report, "error"), report


# --- spreadsheet formulas ------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://evil.example","点这里")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "=DDE(\"cmd\";\"/C calc\";\"!A0\")"]
TEXT_COLUMNS = ["name", "tags", "address", "booking", "wechat", "hours_note", "fee_note", "description", "source"]


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("column", TEXT_COLUMNS)
def test_a_formula_in_a_text_column_is_named_by_row_and_column(tmp_path, column, formula):
    report = report_of(tmp_path, row(), row(**{"id": "example-0002", "name": "示例场馆0002", column: formula}))
    found = [f for f in report["findings"] if f["code"] == "cell.formula"]
    assert [(f["row"], f["column"], f["severity"]) for f in found] == [(3, column, "error")], report


@pytest.mark.parametrize("prefix", ["\t", "\r", " ", "\u3000"])
def test_a_formula_after_a_tab_or_line_break_is_flagged(tmp_path, prefix):
    report = report_of(tmp_path, row(description=prefix + "=1+1", fee_note=prefix + "@x", hours_note="闭馆\t=1+1 之后"))
    assert {f for f in codes(report, "error") if f[0] == "cell.formula"} == {("cell.formula", "description"), ("cell.formula", "fee_note")}
    assert ("cell.formula", "tags") in codes(report_of(tmp_path, row(tags="红岩思政;=1+1")), "error")  # each tag is a cell of its own elsewhere


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("column", ["phone", "lat", "website", "booking_url", "opening_hours", "capacity", "category", "stages", "verified_on"])
def test_typed_columns_refuse_formulas_by_their_type(tmp_path, column, formula):
    report = report_of(tmp_path, row(**{column: formula}))
    assert any(f["column"] == column and f["severity"] == "error" for f in report["findings"]), report


def test_only_phones_and_coordinates_may_start_with_a_sign(tmp_path):
    report = report_of(tmp_path, row(phone="+86 23 6878 1234", lat="+29.5085", lon="106.5110", description="免费 - 无需预约"))
    assert report["errors"] == 0, report


def test_defuse_keeps_a_spreadsheet_from_running_a_cell():
    assert [defuse(f)[0] for f in FORMULAS] == ["'"] * len(FORMULAS)
    assert defuse("示例场馆") == "示例场馆" and defuse("\t=1") == "'\t=1" and formula_start("a=1") is None


# --- length limits -------------------------------------------------------------------------------


@pytest.mark.parametrize("column", [c.key for c in columns()])
def test_every_column_has_a_length_limit_with_a_clear_message(tmp_path, column):
    limit = next(c.max_chars for c in columns() if c.key == column)
    report = report_of(tmp_path, row(**{column: "示" * (limit + 1)}))
    found = [f for f in report["findings"] if f["column"] == column and f["severity"] == "error"]
    assert [f["message"] for f in found] == [f"太长：{limit + 1:,} 个字符，这一列最多 {limit:,} 个"], report


def test_a_long_name_is_refused_and_limits_are_in_the_column_guide(tmp_path):
    assert next(c.max_chars for c in columns() if c.key == "name") == 80
    assert report_of(tmp_path, row(name="示例场馆" + "长" * 76))["errors"] == 0  # 80: still fine
    report = report_of(tmp_path, row(name="示" * 10_000, opening_hours="Mo-Su 09:00-17:00;" * 1000))
    assert {(f["column"], f["message"].split("，")[0]) for f in report["findings"] if f["severity"] == "error"} == {
        ("name", "太长：10,000 个字符"), ("opening_hours", "太长：18,000 个字符"),
    }
    assert "| `name` | 名称 | 必填 | 资源的正式名称 | 示例场馆 | 80 |" in reference.columns_markdown()


# --- messages that used to mislead ---------------------------------------------------------------


def test_a_cell_beyond_pythons_csv_limit_is_called_what_it_is(tmp_path):
    # Python's default limit; frictionless (a test dependency) raises it for the whole process on import.
    limit = csv.field_size_limit(131_072)
    path = tmp_path / "resources.csv"
    path.write_bytes(excel_csv(row(), row(id="example-0002", name="示例场馆0002", description="长" * 138_000)))
    result = run("validate", str(path), *OPTIONS)
    assert result.exit_code == 1
    csv.field_size_limit(limit)
    assert "超过 131,072 个字符的单元格" in result.output and "引号没有闭合" not in result.output.splitlines()[1]


@pytest.mark.parametrize("option", [None, "--geocache", "--routes"])
def test_a_folder_or_a_device_is_named_in_chinese(tmp_path, option):
    good = tmp_path / "resources.csv"
    good.write_bytes(excel_csv(row()))
    for odd, words in ((tmp_path, "是一个文件夹"), (Path("/dev/null"), "不是普通文件")):
        args = ["validate", str(odd), *OPTIONS] if option is None else ["validate", str(good), *OPTIONS, option, str(odd)]
        result = run(*args)
        assert result.exit_code == 1 and words in result.output, result.output
        assert "is a directory" not in result.output and "找不到" not in result.output


# --- vCard ---------------------------------------------------------------------------------------


def test_a_vcard_parses_back_with_another_parser():
    import vobject  # a second, independent reader of what contact.vcard writes

    long_name = "示例场馆0001，甲;乙\\丙" + "很长的名字" * 10
    resource = Resource.model_validate(
        row(name=long_name, phone="023-68781234转123;12345", website="https://www.example.gov.cn/a;b,c?x=1&y=2,3",
            address="重庆市九龙坡区示例路1号，第2栋;3楼")
    )
    page = "https://atlas.example.org/r/example-0001/"
    text = contact.vcard(resource, page, (29.5085, 106.511))
    physical = text.split("\r\n")
    assert physical[-1] == "" and all(len(line.encode("utf-8")) <= 75 for line in physical)  # folded at 75 octets
    assert any(line.startswith(" ") for line in physical)  # the long name was folded
    assert "VERSION:3.0" in physical and not any(line.startswith("KIND") for line in physical)  # KIND is vCard 4 only
    card = vobject.readOne(text)
    assert card.fn.value == long_name and card.org.value == [long_name]
    # URL (a URI) and TEL (a phone number) are not text: written as they are. vobject reads every
    # property it has no rule for as comma-separated text, so they are checked on its unfolded lines.
    logical = [vobject.base.parseLine(line) for line, _ in vobject.base.getLogicalLines(io.StringIO(text))]
    assert [value for name, _, value, _ in logical if name == "URL"] == ["https://www.example.gov.cn/a;b,c?x=1&y=2,3"]
    assert card.adr.value.street == "重庆市九龙坡区示例路1号，第2栋;3楼" and card.adr.value.country == "中国"
    assert [value for name, _, value, _ in logical if name == "TEL"] == ["+862368781234,123", "12345"]  # "," a dialling pause
    assert card.geo.value == "29.508500;106.511000" and card.note.value == f"九龙坡区协同育人资源图谱 {page}"
