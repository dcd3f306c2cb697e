"""scripts/bench.py: the synthetic atlas validates and is reproducible; a tiny run makes the table."""

import csv
import io


import pytest

from atlas.taxonomy import taxonomy
from atlas.validate import Settings, validate_csv, validate_routes

from .conftest import TODAY
from .sites import script


@pytest.fixture(scope="module")
def bench():
    with script("bench") as module:
        yield module


@pytest.fixture(scope="module")
def generated(bench):
    return bench.generate(40, seed=7, today=TODAY)


def test_synthetic_data_validates_with_no_errors(generated, tmp_path):
    data, routes, _ = generated
    (tmp_path / "resources.csv").write_bytes(data)
    (tmp_path / "routes.yml").write_text(routes, "utf-8")
    atlas = validate_csv(tmp_path / "resources.csv", Settings(today=TODAY))
    validate_routes(tmp_path / "routes.yml", atlas)
    assert atlas.report.errors == []
    assert len(atlas.resources) == 40 and len(atlas.routes) == 2


def test_same_seed_same_bytes(bench, generated):
    data, routes, _ = bench.generate(40, seed=7, today=TODAY)
    assert (data, routes) == generated[:2]
    assert bench.generate(40, seed=8, today=TODAY)[0] != data


def test_rows_are_fictional_and_cover_every_category_and_street(generated):
    rows = list(csv.DictReader(io.StringIO(generated[0].decode("utf-8"))))
    assert all(r["name"].startswith("示例") for r in rows)
    assert all("示例" in r["address"] and "非真实" in r["source"] for r in rows)
    assert {r["category"] for r in rows} == {c.code for c in taxonomy().categories}
    assert {r["street"] for r in rows} == {s.name for s in taxonomy().streets}
    assert all(80 <= len(r["description"].replace("\n", "")) <= 200 for r in rows)
    assert any(r["holiday_service"] for r in rows) and any(not r["verified_on"] for r in rows)


def test_a_tiny_run_writes_the_table_and_the_targets(bench, tmp_path, capsys):
    out = tmp_path / "benchmark.md"
    assert bench.main(["--sizes", "20", "--out", str(out)]) == 0
    report = out.read_text("utf-8")
    printed = capsys.readouterr().out
    assert "| 指标 | N = 20 |" in report and "| 指标 | N = 20 |" in printed
    labels = [line.split(" | ")[0].lstrip("| ") for line in report.splitlines() if line.startswith("| ")]
    for label in (
        "图谱构建时间 (s)", "图谱构建峰值内存 (MB)", "每条资源耗时 (ms)", "站点大小 (MB)", "对照站构建时间 (s)",
        "对照站峰值内存 (MB)", "时间比 图谱/对照", "资源页 HTML (KB 原始 / gzip)", "资源页 首次访问含脚本样式 (KB 原始 / gzip)",
        "首页 HTML (KB 原始 / gzip)", "类别页（最大类别） HTML (KB 原始 / gzip)", "假期托管页 HTML (KB 原始 / gzip)",
        "地图页 HTML (KB 原始 / gzip)", "查找页 HTML (KB 原始 / gzip)", "站内页面搜索索引 search/pages.json（第一次搜索时） (KB 原始 / gzip)",
        f"{bench.TRANSFER} (KB 原始 / gzip)",
    ):
        assert label in labels, label
    resource = next(line for line in report.splitlines() if line.startswith("| 资源页 首次访问"))
    raw, gz = (float(x.replace(",", "")) for x in resource.split(" | ")[1].rstrip(" |").split(" / "))
    assert raw > gz > 1  # the HTML plus Material's bundle and stylesheets, raw and gzip
    for target in ("对照站的 2 倍", "线性增长", "30,000", "100 KB gzip"):
        assert target in report and target in printed
    assert "## 机器" in report and "Material" in report


def test_first_view_counts_same_site_scripts_and_styles_only(bench, tmp_path):
    (tmp_path / "r" / "a").mkdir(parents=True)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("x" * 1000)
    (tmp_path / "assets" / "app.css").write_text("y" * 500)
    (tmp_path / "r" / "a" / "index.html").write_text(
        '<link rel="stylesheet" href="../../assets/app.css"><link rel="icon" href="../../assets/app.js">'
        '<script src="https://cdn.example.net/x.js"></script><script src="/assets/app.js"></script><img src="../../big.png">'
    )
    assert bench.page_assets(tmp_path, "r/a/index.html", "https://atlas.example.org/") == ["assets/app.css", "assets/app.js"]
    weight = bench.weigh_page(tmp_path, "r/a/index.html")
    assert weight.first_view.raw == weight.html.raw + 1500


def test_first_view_counts_what_the_map_page_loads_after_painting(bench, tmp_path):
    (tmp_path / "map").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "leaflet.js").write_text("L" * 700)
    (tmp_path / "assets" / "leaflet.css").write_text("c" * 70)
    (tmp_path / "map" / "map.js").write_text("m" * 7)
    (tmp_path / "map" / "index.html").write_text(
        '<div class="atlas-map-page" data-styles="../assets/leaflet.css" data-scripts="../assets/leaflet.js map.js"></div>'
    )
    assert bench.page_assets(tmp_path, "map/index.html") == ["assets/leaflet.css", "assets/leaflet.js", "map/map.js"]
    assert bench.weigh_page(tmp_path, "map/index.html").first_view.raw == (tmp_path / "map" / "index.html").stat().st_size + 777


@pytest.mark.browser
def test_the_whole_transfer_counts_what_scripts_fetch_until_the_network_is_idle(bench, tmp_path):
    (tmp_path / "r" / "x").mkdir(parents=True)
    (tmp_path / "r" / "x" / "index.html").write_text(
        '<!doctype html><script src="../../a.js"></script><script>setTimeout(() => fetch("../../late.json"), 200)</script>', "utf-8")
    (tmp_path / "a.js").write_text("var a = 1;" * 100, "utf-8")
    (tmp_path / "late.json").write_text("[" + "1," * 5000 + "1]", "utf-8")
    (tmp_path / "unused.js").write_text("var b = 2;" * 100, "utf-8")
    weight = bench.page_transfer(tmp_path, "r/x/index.html")
    assert weight.raw == sum((tmp_path / p).stat().st_size for p in ("r/x/index.html", "a.js", "late.json"))
    assert 0 < weight.gz < weight.raw
