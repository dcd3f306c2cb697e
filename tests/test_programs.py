"""场馆课表: programme rows checked by row and column, and their days expanded from dates and RRULEs."""

import csv

import pytest
from click.testing import CliRunner

from atlas import holidays, reference
from atlas.cli import main
from atlas.findings import Report
from atlas.program_schema import Program
from atlas.programs import describe_rule, expand, validate_programs
from atlas.schema import columns

from .programs_fixture import programs_csv

KNOWN = {"example-museum", "example-care"}


def program(**overrides: str) -> dict[str, str]:
    base = {"id": "example-course", "resource": "example-museum", "title": "示例课程0001", "kind": "course",
            "dates": "2026-07-11", "department": "区文化旅游委"}
    return base | overrides


def write(tmp_path, *rows: dict[str, str]):
    path = tmp_path / "programs.csv"
    path.write_bytes(programs_csv(list(rows)))
    return path


def check(tmp_path, *rows):
    report = Report()
    found = validate_programs(write(tmp_path, *rows), KNOWN, holidays.china(), report)
    return found, report


def days(**cells) -> list[str]:
    return [d.isoformat() for d in expand(Program.model_validate(program(**cells)), holidays.china())]


def test_a_weekly_rule_crosses_month_and_year_ends():
    assert days(dates="2026-12-26", rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=3") == ["2026-12-26", "2027-01-02", "2027-01-09"]
    # the 31st exists only in some months: RFC 5545 skips the others, it never moves to the 1st
    assert days(dates="2027-01-31", rrule="FREQ=MONTHLY;COUNT=3") == ["2027-01-31", "2027-03-31", "2027-05-31"]
    assert days(dates="2027-01-01~2027-04-30", rrule="FREQ=MONTHLY;BYDAY=-1SA") == ["2027-01-30", "2027-02-27", "2027-03-27", "2027-04-24"]


def test_a_range_bounds_the_rule_and_public_holidays_are_dropped():
    weekdays = days(dates="2026-09-28~2026-10-09", rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", except_dates="法定节假日")
    # 国庆 2026: 1–7 October off (chinese-calendar); the rest of the weekdays stay
    assert weekdays == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09"]
    assert days(dates="2026-02-14~2026-02-24", except_dates="法定节假日;2026-02-24") == ["2026-02-14"]  # 调休 Saturday stays
    assert days(dates="2026-07-30~2026-08-02") == ["2026-07-30", "2026-07-31", "2026-08-01", "2026-08-02"]


def test_rules_in_words():
    assert describe_rule("FREQ=WEEKLY;BYDAY=SA") == "每周六"
    assert describe_rule("FREQ=MONTHLY;BYDAY=1SU") == "每月的第1个周日"
    assert describe_rule("FREQ=MONTHLY;BYDAY=-1SA") == "每月的最后一个周六"
    assert describe_rule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR") == "每周一至周五"
    assert describe_rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU") == "每两周的周六、周日"


@pytest.mark.parametrize(
    "cells, code, column",
    [
        ({"resource": "nowhere"}, "program.unknown_resource", "resource"),
        ({"start_time": "10:00", "end_time": "09:30"}, "program.end_before_start", "end_time"),
        ({"start_time": "10:00"}, "program.half_time", "end_time"),
        ({"booking_deadline": "2026-07-12"}, "program.deadline_after_start", "booking_deadline"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=XX;COUNT=3"}, "cell.rrule", "rrule"),
        ({"rrule": "每周六"}, "cell.rrule", "rrule"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=SA"}, "program.rrule_unbounded", "rrule"),
        ({"dates": "2026-07-11;2026-07-18", "rrule": "FREQ=WEEKLY;COUNT=2"}, "program.rrule_dates", "dates"),
        ({"dates": "2026-07-18~2026-07-11"}, "cell.dates", "dates"),
        ({"dates": "2026-02-30"}, "cell.dates", "dates"),
        ({"capacity": "10", "places_left": "11"}, "program.places", "places_left"),
        ({"dates": "2026-10-01", "except_dates": "法定节假日"}, "program.no_days", "except_dates"),
        ({"kind": "托管", "ages": "12-6"}, "cell.ages", "ages"),
        ({"start_time": "25:00", "end_time": "26:00"}, "cell.start_time", "start_time"),
        ({"title": "=HYPERLINK(1)"}, "cell.formula", "title"),
    ],
)
def test_bad_rows_are_named_by_row_and_column(tmp_path, cells, code, column):
    found, report = check(tmp_path, program(id="example-ok"), program(**cells))
    bad = [f for f in report.errors if f.code == code]
    assert bad, report.findings
    assert (bad[0].row, bad[0].column, bad[0].resource_id) == (3, column, "example-course")
    assert [p.p.id for p in found] == ["example-ok"]  # the good row is kept, the bad one is not published


def test_good_rows_are_kept_with_their_days_and_drafts_are_not_published(tmp_path):
    found, report = check(
        tmp_path,
        program(id="example-care-session", resource="example-care", kind="托管", ages="6-12", dates="2026-07-06~2026-07-17",
                rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", start_time="08:30", end_time="17:30", capacity="40", places_left="0",
                booking_deadline="2026-07-01", status="示例"),
        program(id="example-to-school", resource="进校园", dates="2026-09-10;2026-11-12"),
        program(id="example-draft", status="draft"),
        program(id="example-to-school"),
    )
    assert [f.code for f in report.errors] == ["id.duplicate"]
    care, school = found
    assert len(care.days) == 10 and care.example and care.p.places_left == 0 and care.kind == "托管"
    assert school.to_school and school.when() == "2026年9月10日（周四）；2026年11月12日（周四），共 2 天"


def test_the_shipped_programmes_are_valid_and_marked_as_examples():
    result = CliRunner().invoke(main, ["validate", "--today", "2026-11-29"])
    assert result.exit_code == 0, result.output
    assert "data/programs.csv" not in result.output  # no findings at all
    rows = list(csv.DictReader(open("data/programs.csv", encoding="utf-8")))
    assert rows and all(r["status"] == "example" and r["title"].startswith("【示例】") for r in rows)
    assert all(not r["booking_url"] for r in rows)  # no invented links for real organizations


def test_template_and_column_guide_come_from_the_schema():
    runner = CliRunner()
    template = runner.invoke(main, ["template", "--programs"]).output
    header = template.lstrip("\ufeff").splitlines()[0].split(",")
    assert header == [c.key for c in columns(Program)]
    guide = runner.invoke(main, ["columns", "--programs"]).output
    assert guide == reference.program_columns_markdown() and all(f"`{c.key}`" in guide for c in columns(Program))
    assert reference.PROGRAM_COLUMNS_MARKER in open("docs/editors/columns.md", encoding="utf-8").read()
