"""`mkdocs build` end to end: generated pages, nav, reproducibility, no outside requests."""

import filecmp
import re
import socket
from pathlib import Path

import pytest

from .conftest import row
from .sites import ROOT, build, make_project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = tmp_path_factory.mktemp("project")
    result = build(make_project(project), project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def html(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


def test_every_published_resource_has_a_page_and_take_away_files(built):
    for resource_id in ("example-museum", "example-care", "example-closed"):
        assert (built / "r" / resource_id / "index.html").is_file()
        assert (built / "r" / resource_id / "contact.vcf").read_text("utf-8").startswith("BEGIN:VCARD")
        assert (built / "r" / resource_id / "qr.svg").is_file()
    assert not (built / "r" / "example-draft").exists()


def test_nothing_is_written_into_docs(built):
    assert not (ROOT / "docs" / "r").exists() and not (ROOT / "docs" / "c").exists()


def test_resource_pages_are_not_in_the_nav(built):
    page = html(built, "r/example-museum/index.html")
    nav = page[page.index('<nav class="md-nav md-nav--primary"') : page.index("</nav>", page.index('<nav class="md-nav md-nav--primary"'))]
    assert "example-care" not in nav and "r/example" not in nav
    assert "按类别" in nav and "假期托管" in nav


def test_browse_pages_list_cards(built):
    category = html(built, "c/museum/index.html")
    assert 'data-resource-id="example-museum"' in category and 'href="../../r/example-museum/"' in category
    street = html(built, "s/huayan/index.html")
    assert 'data-resource-id="example-care"' in street
    stage = html(built, "stage/junior/index.html")
    assert 'data-resource-id="example-museum"' in stage
    holiday = html(built, "holiday/index.html")
    assert 'data-resource-id="example-care"' in holiday and "atlas-nearest" in holiday and "暑假、寒假" in holiday
    freshness = html(built, "freshness/index.html")
    assert "华岩镇" in freshness and "区文化旅游委" in freshness and "2024-01-01" in freshness
    routes = html(built, "routes/index.html")
    assert routes.index("示例博物馆0001") < routes.index("示例托管点0002")


def test_home_has_tiles_and_entries(built):
    home = html(built, "index.html")
    assert 'href="c/museum/"' in home and 'href="holiday/"' in home and 'href="routes/"' in home


def test_head_has_open_graph_and_json_ld(built):
    page = html(built, "r/example-museum/index.html")
    head = page[: page.index("</head>")]
    assert '<meta property="og:title" content="示例博物馆0001｜博物馆·纪念馆·美术馆">' in head
    assert '<script type="application/ld+json">' in head


def test_edit_link_points_at_the_csv_row(built):
    # The museum's description spans two lines, so the care site (row 3) starts on line 4.
    page = html(built, "r/example-care/index.html")
    assert "blob/main/data/resources.csv#L4" in page
    assert 'title="编辑此页"' in page or "md-content__button" in page


def test_temporarily_closed_banner(built):
    assert "暂停开放" in html(built, "r/example-closed/index.html")


def test_pages_load_nothing_from_outside_the_site(built):
    for page in built.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        loads = re.findall(r'<(?:script|img|iframe|source|video|audio)\b[^>]*\ssrc="([^"]+)"', text)
        loads += [href for rel, href in re.findall(r'<link\b[^>]*\srel="([^"]+)"[^>]*\shref="([^"]+)"', text) if rel not in ("canonical", "alternate")]
        for url in loads:
            assert not re.match(r"(https?:)?//", url), (page, url)


def test_two_builds_are_byte_identical(built, tmp_path):
    project = tmp_path / "again"
    project.mkdir()
    result = build(make_project(project), project / "site")
    assert result.returncode == 0, result.stderr
    comparison = filecmp.dircmp(built, project / "site")
    differing = _diff(comparison)
    # MkDocs stamps the build date into the sitemap; nothing else may differ.
    assert differing <= {"sitemap.xml", "sitemap.xml.gz"}, differing


def _diff(comparison, prefix="") -> set[str]:
    (_, mismatch, errors) = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files, shallow=False)
    out = {prefix + name for name in mismatch + errors + comparison.left_only + comparison.right_only}
    for name, sub in comparison.subdirs.items():
        out |= _diff(sub, f"{prefix}{name}/")
    return out


@pytest.mark.parametrize(
    "cells,column",
    [({"name": "<script>alert(1)</script>"}, "名称"), ({"website": "javascript:alert(1)"}, "网站"), ({"description": '"><img src=x onerror=alert(1)>'}, "简介")],
)
def test_hostile_rows_stop_the_build_with_a_clear_error(tmp_path, cells, column):
    result = build(make_project(tmp_path, rows=[row(**cells)], routes=[]), tmp_path / "site")
    assert result.returncode != 0
    assert "不能发布" in result.stderr and f"【{column}】" in result.stderr and "第 2 行" in result.stderr
    assert not (tmp_path / "site" / "r").exists()


def test_the_build_makes_no_network_call(tmp_path, monkeypatch):
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    def refuse(*args, **kwargs):
        raise AssertionError("the build tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    config = load_config(str(make_project(tmp_path)), site_dir=str(tmp_path / "site"))
    mkdocs_build(config)
    assert (tmp_path / "site" / "r" / "example-museum" / "index.html").is_file()


def test_the_shipped_data_builds_strict(tmp_path):
    result = build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "site" / "r").glob("*/index.html"))) >= 20
