"""/data/ in a built site: the files, `frictionless validate` on the package, the links to it and to the feeds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from . import netlify_server as netlify
from .test_quality import ROWS_ALL, built_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory)


def test_frictionless_validate_passes_on_the_built_package(site):
    command = Path(sys.executable).parent / "frictionless"
    done = subprocess.run([str(command), "validate", "--json", str(site / "data" / "datapackage.json")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert '"valid": true' in done.stdout


def test_the_data_page_states_licence_date_rows_and_files(site):
    page = (site / "data" / "index.html").read_text("utf-8")
    published = sum(1 for r in ROWS_ALL if r.get("status") != "draft")
    assert f'<span class="atlas-data-rows">{published}</span>' in page
    assert 'rel="license"' in page and "CC BY 4.0" in page and "数据来源：九龙坡区协同育人资源图谱（https://atlas.example.org/data/）" in page
    assert '<time datetime="2026-05-01">' in page  # outside git: the latest verified_on
    listed = re.findall(r'<a href="([^"]+)" download>[^<]+</a><br><span class="atlas-data-size">([^<]+)</span></td>', page)
    assert len(listed) == 7
    for name, size in listed:
        data = (site / "data" / name).read_bytes()
        assert size == (f"{len(data)} B" if len(data) < 1024 else f"{len(data) / 1024:.1f} KB"), name


def test_home_and_about_link_to_the_data_page(site):
    # In the text, not only in the nav.
    assert '<a href="data/">下载使用</a>' in (site / "index.html").read_text("utf-8")
    assert '<a href="../data/">开放数据</a>' in (site / "about" / "index.html").read_text("utf-8")


def test_pages_name_their_feeds_and_the_feeds_exist(site):
    museum = (site / "c" / "museum" / "index.html").read_text("utf-8")
    links = re.findall(r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', museum)
    assert links == ["../../data/feeds/all.atom", "../../data/feeds/museum.atom"]
    resource = (site / "r" / "example-museum" / "index.html").read_text("utf-8")
    assert 'href="../../data/feeds/all.atom"' in resource
    for href in links:
        parsed = feedparser.parse((site / "c" / "museum" / href).resolve().read_bytes())
        assert not parsed.bozo and parsed.entries


def test_netlify_serves_the_files_to_other_sites_with_their_charset():
    rules = netlify.rules()
    assert netlify.headers_for("/data/hsds/services.json", rules)["Access-Control-Allow-Origin"] == "*"
    assert netlify.headers_for("/data/resources.csv", rules)["Content-Type"] == "text/csv; charset=utf-8"
    assert netlify.headers_for("/data/resources.geojson", rules)["Content-Type"] == "application/geo+json"
    assert netlify.headers_for("/data/feeds/museum.atom", rules)["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert netlify.headers_for("/data/resources.xlsx", rules)["Cache-Control"] == "public, max-age=0, must-revalidate"
