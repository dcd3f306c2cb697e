"""scripts/lighthouse.py without Lighthouse: scores from a real (trimmed) report, the section,
the markers that keep bench.py's page and this section apart, and the gzip server."""

import copy
import gzip
import http.client
import json
from collections import Counter

import pytest
import yaml

from .sites import ROOT, script

REPORT = json.loads((ROOT / "tests" / "data" / "lighthouse-map.json").read_text("utf-8"))  # /map/, Lighthouse 12.2.3


@pytest.fixture(scope="module")
def lh():
    with script("lighthouse") as module:
        yield module


def report(**scores: float) -> dict:
    out = copy.deepcopy(REPORT)
    for cid, score in scores.items():
        out["categories"][cid.replace("_", "-")]["score"] = score
    return out


def section(lh, results, axe=None) -> str:
    paths = {label: f"/{n}/" for n, label in enumerate(results)}
    axe = axe or {label: {"impacts": Counter(), "rules": []} for label in results}
    versions = {"lighthouse": "12.2.3", "node": "20.20.2", "chromium": "Chromium 156.0.8078.108", "axe": "4.14.1"}
    return lh.section(paths, results, axe, versions, ["一条说明"], ".venv/bin/python scripts/lighthouse.py")


def test_scores_and_the_audits_that_failed(lh):
    s = lh.scores(REPORT)
    assert s.scores == {"performance": 84, "accessibility": 100, "best-practices": 96, "seo": 100}
    assert set(s.failing) == {"performance"}  # only what is under 95 is explained
    assert any(title.startswith("Largest Contentful Paint（") for title in s.failing["performance"])
    assert "largest-contentful-paint-element" in s.errors


def test_the_section_has_the_table_and_fails_under_95(lh):
    text = section(lh, {"地图页": lh.scores(REPORT)})
    assert text.startswith(lh.START) and text.endswith(lh.END)
    assert "| 页面类型 | 路径 | 性能 | 无障碍 | 最佳实践 | SEO |" in text
    assert "| 地图页 | `/0/` | **84** | 100 | 96 | 100 |" in text
    assert "**FAIL**" in text and "地图页 性能 84" in text
    assert "- 地图页 · 性能：" in text and "Total Blocking Time" in text
    assert "12.2.3" in text and "Chromium 156.0.8078.108" in text and "> **说明**：一条说明" in text


def test_the_section_passes_when_every_score_is_95_or_more(lh):
    good = lh.scores(report(performance=0.95, best_practices=1))
    text = section(lh, {"首页": good, "地图页": good})
    assert "**PASS**" in text and "FAIL" not in text and "未通过的审计" not in text


def test_axe_counts_by_impact(lh):
    axe = {"首页": {"impacts": Counter({"serious": 1, "minor": 2}), "rules": ["color-contrast (serious)"]}}
    text = section(lh, {"首页": lh.scores(REPORT)}, axe)
    assert "| 页面类型 | critical | serious | moderate | minor | 规则 |" in text
    assert "| 首页 | 0 | 1 | 0 | 2 | color-contrast (serious) |" in text


def test_the_median_run_counts(lh):
    runs = [report(performance=p) for p in (0.9, 0.5, 0.7)]
    assert lh.median_run(runs)["categories"]["performance"]["score"] == 0.7


def test_marker_replacement_keeps_the_rest_of_the_page(lh):
    page = f"# 性能基准\n\n表格\n\n{lh.START}\n旧的结果\n{lh.END}\n\n后记\n"
    new = f"{lh.START}\n新的结果\n{lh.END}"
    assert lh.replace_section(page, new) == f"# 性能基准\n\n表格\n\n{new}\n\n后记\n"
    assert lh.replace_section("# 性能基准\n", new) == f"# 性能基准\n\n{new}\n"  # no section yet: appended


def test_bench_keeps_the_lighthouse_section(lh, tmp_path):
    with script("bench") as bench:
        out = tmp_path / "benchmark.md"
        out.write_text(f"# 旧表\n\n{lh.START}\nLighthouse 结果\n{lh.END}\n", "utf-8")
        assert bench.keeping_lighthouse("# 新表\n", out) == f"# 新表\n\n{lh.START}\nLighthouse 结果\n{lh.END}\n"
        out.write_text("# 旧表\n", "utf-8")
        assert bench.keeping_lighthouse("# 新表\n", out) == "# 新表\n"


def test_page_paths_pick_one_page_of_each_type(lh):
    paths = lh.page_paths(ROOT / "data" / "resources.csv")
    assert list(paths) == ["首页", "资源页", "类别页", "镇街页", "假期托管页", "查找页", "地图页", "研学路线页", "研学路线详情页", "路线规划页", "课表页", "开放数据页", "学校需求页", "编辑指南", "坐标", "列说明", "检查提示一览", "坐标拾取器"]
    routes = yaml.safe_load((ROOT / "data" / "routes.yml").read_text("utf-8"))
    assert paths["研学路线详情页"] == f"/routes/{routes[0]['id']}/"
    assert paths["资源页"].startswith("/r/") and paths["类别页"].startswith("/c/") and paths["镇街页"].startswith("/s/")


def test_the_server_sends_netlify_headers_and_gzip(lh, tmp_path):
    (tmp_path / "map").mkdir()
    (tmp_path / "map" / "index.html").write_text("<p>地图</p>" * 100, "utf-8")
    (tmp_path / "404.html").write_text("没有这个页面", "utf-8")
    with lh.serve(tmp_path) as base:
        connection = http.client.HTTPConnection(base.split("//")[1])  # one kept-alive connection, as a browser
        for accept in ("gzip", ""):
            connection.request("GET", "/map/", headers={"Accept-Encoding": accept})
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200 and "script-src 'self'" in response.getheader("Content-Security-Policy")
            assert (gzip.decompress(body) if accept else body).decode("utf-8") == "<p>地图</p>" * 100
            assert response.getheader("Content-Encoding") == (accept or None)
        connection.request("GET", "/map", headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        assert response.status == 301 and response.read() == b""


def test_npm_and_mkdocs_inherit_the_users_environment(lh, monkeypatch, tmp_path):
    """Behind a proxy with its own CA, npm needs NODE_EXTRA_CA_CERTS, the proxy and ~/.npmrc (HOME)."""
    user = {"HTTPS_PROXY": "http://proxy.example:3128", "NODE_EXTRA_CA_CERTS": "/etc/ssl/example-ca.pem", "HOME": "/home/editor", "PATH": "/opt/node/bin:/usr/bin"}
    for name, value in user.items():
        monkeypatch.setenv(name, value)
    calls = []

    class Done:
        returncode, stderr = 0, ""

    monkeypatch.setattr(lh.subprocess, "run", lambda args, **kwargs: calls.append((args, kwargs["env"])) or Done())
    monkeypatch.setattr(lh, "CLI", tmp_path / "not-installed.js")
    lh.ensure_lighthouse()
    lh.build_site(tmp_path / "site")
    (npm, npm_env), (mkdocs, mkdocs_env) = calls
    assert npm[0] == "npm" and "mkdocs" in mkdocs
    for env in (npm_env, mkdocs_env):
        assert {name: env[name] for name in user} == user
    assert npm_env["PUPPETEER_SKIP_DOWNLOAD"] == "1" and mkdocs_env["NO_MKDOCS_2_WARNING"] == "1"
