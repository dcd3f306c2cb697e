"""`atlas stale` on fixed dates: what is stale, in which order, with which links."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from atlas import stale
from atlas.cli import main
from atlas.pages import SiteInfo
from atlas.validate import Settings, validate_csv

from .conftest import csv_bytes, row

SITE = SiteInfo(site_url="https://atlas.example.org/", repo_url="https://github.com/example/atlas", branch="main", data_path="data/resources.csv", stale_days=365)
ROWS = [
    row(id="fresh", name="示例场馆0001", verified_on="2026-05-01"),
    row(id="year", name="示例场馆0002", verified_on="2025-05-01", department="区教委"),
    row(id="never", name="示例|场馆[0003]", verified_on="", department="区文化旅游委"),
    row(id="older", name="示例场馆0004", verified_on="2024-01-01", department="区文化旅游委"),
]


def stale_on(day: str, rows=ROWS, site=SITE, tmp_path=None):
    today = dt.date.fromisoformat(day)
    atlas = validate_csv("resources.csv", Settings(today=today), data=csv_bytes(*rows))
    assert atlas.report.ok, atlas.report.errors
    return stale.stale_rows(atlas, site, today)


def test_never_verified_and_older_than_stale_days_per_department():
    found = stale_on("2026-05-01")  # "year" is exactly 365 days old: not yet stale
    assert {d: [r.id for r in rows] for d, rows in found.items()} == {"区文化旅游委": ["never", "older"]}
    found = stale_on("2026-05-02")
    # departments in the taxonomy's order (区教委 before 区文化旅游委); never verified first, then the oldest
    assert {d: [(r.id, r.days) for r in rows] for d, rows in found.items()} == {"区教委": [("year", 366)], "区文化旅游委": [("never", None), ("older", 852)]}


def test_links_point_at_the_page_and_the_csv_line():
    (year,) = stale_on("2026-05-02")["区教委"]
    assert year.page == "https://atlas.example.org/r/year/"
    assert year.edit == "https://github.com/example/atlas/blob/main/data/resources.csv#L3"


def test_markdown_has_the_marker_escaped_names_and_a_section_per_department():
    found = stale_on("2026-05-02")
    text = stale.to_markdown(found, SITE, dt.date(2026, 5, 2))
    assert text.startswith(stale.MARKER + "\n")
    assert "### 区教委（1 条）" in text and "### 区文化旅游委（2 条）" in text and "**3 条**" in text
    assert r"[示例\|场馆\[0003\]](https://atlas.example.org/r/never/)" in text
    assert "| 2024-01-01（852 天前） |" in text and "| 从未核实 |" in text


def test_a_long_list_is_cut_per_department_to_fit_an_issue():
    rows = [row(id=f"example-{n:04d}", name=f"示例场馆{n:04d}", verified_on="") for n in range(400)]
    found = stale_on("2026-05-02", rows)
    text = stale.to_markdown(found, SITE, dt.date(2026, 5, 2), limit=20_000)
    assert len(text) <= 20_000
    assert "另有 " in text and "https://atlas.example.org/freshness/" in text and "**400 条**" in text


def test_nothing_stale_says_so():
    assert stale.to_text({}, SITE, dt.date(2026, 5, 2)) == "截至 2026-05-02，所有资源都在 365 天内核实过。"
    assert stale.to_markdown({}, SITE, dt.date(2026, 5, 2)).startswith(stale.MARKER)


def test_cli_reads_mkdocs_yml_and_takes_a_fixed_day(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "resources.csv").write_bytes(csv_bytes(*ROWS))
    (tmp_path / "mkdocs.yml").write_text(
        "site_url: https://atlas.example.org/\nplugins:\n  - search\n  - atlas:\n      repo: https://github.com/example/atlas\n"
        "      stale_days: 400\n      tiles:\n        key: !ENV TIANDITU_KEY\n", "utf-8",
    )
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["stale", "--format", "json", "--today", "2026-05-02"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["stale_days"] == 400 and data["stale"] == 2  # "year" is 366 days old: fresh under 400
    assert [d["department"] for d in data["departments"]] == ["区文化旅游委"]
    result = runner.invoke(main, ["stale", "--today", "2026-05-02", "--stale-days", "30"])
    assert result.exit_code == 0 and "截至 2026-05-02，3 条资源待核实（从未核实，或超过 30 天）" in result.output
    assert "https://github.com/example/atlas/blob/main/data/resources.csv#L3" in result.output and "#L2" not in result.output


def test_cli_errors_are_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["stale", "missing.csv"])
    assert result.exit_code == 1 and "找不到资源表 CSV missing.csv" in result.output and "Traceback" not in result.output
    (tmp_path / "bad.csv").write_bytes(csv_bytes(row(category="飞艇")))
    result = runner.invoke(main, ["stale", "bad.csv"])
    assert result.exit_code == 1 and "bad.csv 有 1 个错误，先运行 atlas validate bad.csv 修正" in result.output
    result = runner.invoke(main, ["geocode-review", "bad.csv"])
    assert result.exit_code == 0  # a list only: the errors are validate's to report
