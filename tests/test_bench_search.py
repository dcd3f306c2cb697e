"""scripts/bench_search.py: a tiny in-process run of ours makes the table and finds the youth palaces."""

from pathlib import Path

import pytest

from .browser import CHROMIUM
from .conftest import TODAY
from .sites import script


@pytest.fixture(scope="module")
def bench_search():
    with script("bench_search") as module:
        yield module


@pytest.fixture
def maybe_browser(request):
    """Chromium when Debian's is installed (scripts/setup --browser); otherwise ours is measured without it."""
    return request.getfixturevalue("browser") if Path(CHROMIUM).exists() else None


def test_ours_at_a_tiny_size_makes_the_table_and_finds_the_youth_palaces(bench_search, maybe_browser, tmp_path):
    size = bench_search.run_size(40, tmp_path, 20261129, TODAY, build_site=False, browser=maybe_browser, log=lambda _: None)
    ours, material, pagefind = size.engines
    assert [e.engine for e in size.engines] == ["ours", "material", "pagefind"]

    # 少年宫 finds every resource named …少年宫 or …青少年宫, and one of them comes first.
    assert ours.youth_expected >= 1 and ours.youth_found == ours.youth_expected
    assert "少年宫" in ours.youth_top[0]
    youth = next(q for q in ours.queries if q.text == "少年宫")
    assert youth.hits >= ours.youth_expected and youth.shards == 1 and youth.cards >= 1
    # What a phone downloads: the three scripts, the manifest, the shard and the cards.
    assert youth.files[:4] == ["assets/vendor/lunr.min.js", "assets/atlas-search-core.js", "assets/atlas-search.js", "search/manifest.json"]
    assert 10 * 1024 < youth.bytes < 150 * 1024
    if maybe_browser is not None:  # lunr.js in Chromium fetched exactly what the model says, and answered alike
        assert sorted(youth.measured_files) == sorted(youth.files) and youth.measured == youth.bytes
        assert "少年宫" in youth.top[0]
        assert youth.cold_ms > 0 and youth.warm_ms is not None

    table = bench_search.table([size])
    header, rule, *rows = table.splitlines()
    assert [c.strip() for c in header.strip("|").split("|")] == [
        "N", "方案", "首个结果前下载 gzip 中位数 (KB)", "最大 (KB)", "索引构建时间 (s)", "索引总大小 原始 / gzip (KB)",
        "热查询 中位数 (ms)", "冷查询 中位数 (ms)", "“少年宫”找到少年宫类资源",
    ]
    assert len(rows) == 3
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert cells[:2] == ["40", "本项目（lunr 分片）"] and cells[-1] == f"是 {ours.youth_found}/{ours.youth_expected}"
    assert float(cells[2]) > 10 and float(cells[4]) > 0
    assert all(c.strip() == "n/a" for c in rows[1].strip("|").split("|")[2:])  # Material and Pagefind were not built

    report = bench_search.markdown([size], "test", [])
    assert "# 搜索基准" in report and "## 机器" in report and table in report

    # The hard query set: hits@5, MRR and the zero-result rate beside the others (n/a when not measured).
    hard = bench_search.hard_table([size]).splitlines()
    assert hard[0] == "| N | 方案 | hits@5 | MRR | 零结果率 | 前 5 条里没有相关资源的查询 |" and "## 难查询" in report and hard[2] in report
    assert ours.hard["n"] >= 40 and 0 <= ours.hard["zero"] <= ours.hard["hits5"] <= 1
    assert hard[3].endswith("| n/a | n/a | n/a | n/a |")
    # The plain query set beside it, the same columns; and what the hard queries download (forgive.json when needed).
    plain = bench_search.hard_table([size], "plain").splitlines()
    assert plain[0] == hard[0] and "### 普通查询" in report and plain[2] in report and plain[3].endswith("| n/a | n/a | n/a | n/a |")
    assert ours.plain["n"] >= 20 and 0 <= ours.plain["zero"] <= ours.plain["hits5"] <= 1
    assert len(ours.hard_bytes) == ours.hard["n"] and min(ours.hard_bytes) > 10 * 1024


def test_served_bytes_are_gzip_level_6_unless_already_gzip(bench_search):
    import gzip

    text = ("示例青少年宫" * 200).encode("utf-8")
    assert bench_search.served(text) == len(gzip.compress(text, compresslevel=6, mtime=0)) < len(text)
    packed = gzip.compress(text)
    assert bench_search.served(packed) == len(packed)
