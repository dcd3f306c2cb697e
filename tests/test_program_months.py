"""/find/'s 本月有活动: each resource's programme days by month in facets.json, and the
lookup atlas-finder.js makes in them (program_months.days_left is its reference)."""

import datetime as dt
import json

from atlas import holidays, program_months, search
from atlas.findings import Report
from atlas.geocache import locate
from atlas.pages import Entry
from atlas.programs import validate_programs
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes, row
from .programs_fixture import programs_csv

D = dt.date


def programmes(tmp_path, *rows: dict[str, str]):
    path = tmp_path / "programs.csv"
    base = {"kind": "course", "department": "区文化旅游委", "resource": "example-museum"}
    path.write_bytes(programs_csv([base | {"id": f"example-{i}", "title": f"示例活动{i:04d}"} | r for i, r in enumerate(rows)]))
    report = Report()
    found = validate_programs(path, {"example-museum", "example-care"}, holidays.china(), report)
    assert report.ok, report.findings
    return found


def months(value: list[int]) -> dict[int, list[int]]:
    """{yyyymm: [days]} from a facet value (months without days left out), to read the assertions."""
    year, month = divmod(value[1], 100)
    found = {}
    for i, mask in enumerate(value[2:]):
        y, m = divmod(year * 12 + month - 1 + i, 12)
        if mask:
            found[y * 100 + m + 1] = [d for d in range(1, 32) if mask >> (d - 1) & 1]
    return found


def test_a_weekly_rule_crossing_a_month_end_marks_both_months(tmp_path):
    value = program_months.facet(programmes(tmp_path, {"dates": "2026-11-21", "rrule": "FREQ=WEEKLY;BYDAY=SA;COUNT=4"}))
    assert value[0] == 0  # not an example
    assert months(value) == {202611: [21, 28], 202612: [5, 12]}


def test_a_range_spanning_two_months_and_the_year_end(tmp_path):
    value = program_months.facet(programmes(tmp_path, {"dates": "2026-12-30~2027-01-02"}, {"dates": "2026-12-05"}))
    assert months(value) == {202612: [5, 30, 31], 202701: [1, 2]}
    assert value == [0, 202612, (1 << 4) | (1 << 29) | (1 << 30), 0b11]  # from December, a mask a month
    assert max(value) < 2**31  # a JavaScript int: the browser shifts it with >>>


def test_only_the_days_left_this_month_count(tmp_path):
    value = program_months.facet(programmes(tmp_path, {"dates": "2026-10-10"}, {"dates": "2026-12-05"}, {"dates": "2026-12-30~2027-01-02"}))
    assert program_months.days_left(value, D(2026, 12, 5)) == [D(2026, 12, 5), D(2026, 12, 30), D(2026, 12, 31)]  # today counts
    assert program_months.days_left(value, D(2026, 12, 6)) == [D(2026, 12, 30), D(2026, 12, 31)]  # the 5th is past
    assert value[:2] == [0, 202610] and len(value) == 2 + 4  # October to January, November's mask 0
    assert program_months.days_left(value, D(2026, 10, 11)) == []  # a past programme, in its own month
    assert program_months.days_left(value, D(2026, 11, 15)) == []  # a month with no programme days
    assert program_months.days_left(value, D(2027, 1, 2)) == [D(2027, 1, 2)]
    assert program_months.days_left(value, D(2026, 9, 1)) == program_months.days_left(value, D(2027, 2, 1)) == []  # before and after
    assert program_months.days_left([], D(2026, 12, 5)) == []


def test_examples_count_only_without_real_programmes_and_are_flagged(tmp_path):
    real, example = programmes(tmp_path, {"dates": "2026-12-05"}, {"dates": "2026-12-06", "status": "example"})
    assert program_months.facet([real, example]) == [0, 202612, 1 << 4]
    assert program_months.facet([example]) == [1, 202612, 1 << 5]
    assert program_months.facet([]) == []


def entries(tmp_path) -> list[Entry]:
    path = tmp_path / "resources.csv"
    path.write_bytes(csv_bytes(row(id="example-museum", name="示例博物馆0001"), row(id="example-care", name="示例托管点0002")))
    atlas = validate_csv(path, Settings(today=TODAY))
    return [Entry(r, locate(r, {})) for r in atlas.resources]


def test_facets_json_carries_the_months_only_for_resources_with_programmes(tmp_path):
    plain = entries(tmp_path)
    before = search.build(plain)["facets.json"]
    with_days = entries(tmp_path)
    with_days[1].program_months = tuple(program_months.facet(programmes(tmp_path, {"dates": "2026-11-30~2026-12-01"})))
    rows = json.loads(search.build(with_days)["facets.json"])
    ids = sorted(e.r.id for e in plain)
    museum, care = rows[ids.index("example-museum")], rows[ids.index("example-care")]
    assert len(care) == len(museum) + 1 and care[-1] == [0, 202611, 1 << 29, 1]
    assert json.loads(before) == [r[:len(museum)] for r in rows]  # the other columns are unchanged
