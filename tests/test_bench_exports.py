"""scripts/bench_exports.py: open-data sizes from generated entries, a section scripts/bench.py keeps."""

import pytest

from .conftest import TODAY
from .sites import script


@pytest.fixture(scope="module")
def tools():
    with script("bench") as bench, script("bench_exports") as module:
        yield bench, module


def test_sizes_come_from_the_files_the_build_makes(tools):
    _, module = tools
    weights, seconds = module.measure(30, seed=7, today=TODAY)
    assert set(module.SHOWN) <= set(weights) and seconds > 0
    csv = weights["data/resources.csv"]
    assert 0 < csv.gz < csv.raw
    assert weights["data/feeds/ 合计"].raw > weights["data/feeds/all.atom"].raw


def test_the_section_is_replaced_in_place_and_survives_a_bench_run(tools, tmp_path):
    bench, module = tools
    out = tmp_path / "benchmark.md"
    out.write_text("# 性能基准\n\n表\n", "utf-8")
    results = {30: module.measure(30, seed=7, today=TODAY)}
    module.write_section(out, module.section(results, "cmd"))
    module.write_section(out, module.section(results, "cmd"))
    page = out.read_text("utf-8")
    assert page.count(module.START) == 1 and page.startswith("# 性能基准\n\n表\n\n<!-- exports:start -->")
    assert "| data/resources.xlsx |" in page and "| 文件 | N = 30 |" in page
    kept = bench.keeping_lighthouse("# 新表\n", out)
    assert kept.startswith("# 新表\n\n" + module.START) and kept.rstrip().endswith(module.END)
