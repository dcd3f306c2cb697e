"""/data/ on a phone (390×844): reached from the home page, readable, every download a tap away."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from .browser import PHONE, seen, serve, watch
from .test_quality import built_site, serious_findings

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve(built_site(tmp_path_factory)) as url:
        yield url


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, accept_downloads=True)
    page = watch(context.new_page())
    yield page
    context.close()


def test_from_the_home_page_to_a_download(site, phone):
    phone.goto(site)
    phone.get_by_role("link", name="下载使用").click()
    phone.wait_for_url("**/data/")
    expect(phone.locator("h1")).to_have_text("开放数据")
    facts = phone.locator(".atlas-data-facts")
    expect(facts).to_contain_text("资源条数：18 条")
    expect(facts).to_contain_text("数据日期：2026-05-01")
    expect(phone.get_by_role("link", name="知识共享 署名 4.0 国际许可协议（CC BY 4.0）")).to_be_visible()
    expect(phone.locator(".atlas-data-credit")).to_contain_text("CC BY 4.0")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390  # the file table scrolls inside its own box, if at all

    for name in ("resources.csv", "resources.xlsx", "resources.geojson", "datapackage.json", "hsds/services.json"):
        link = phone.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        seen(link)
    size = phone.locator(".atlas-data-size").first
    seen(size)

    with phone.expect_download() as download:
        phone.get_by_role("link", name="resources.csv", exact=True).click()
    data = download.value.path().read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0][:3] == ["id", "name", "category"] and len(rows) == 1 + 18
    assert serious_findings(phone) == []
    assert phone.errors == []


def test_a_category_page_announces_its_feeds_without_costing_a_request(site, phone):
    phone.goto(site + "c/museum/")
    phone.wait_for_load_state("networkidle")
    found = phone.evaluate("[...document.querySelectorAll('link[rel~=alternate][type=\"application/atom+xml\"]')].map((l) => l.href)")
    assert found == [site + "data/feeds/all.atom", site + "data/feeds/museum.atom"]
    assert not [url for url in phone.requests if "sitemap.xml" in url]  # Material fetches one beside every link[rel=alternate]
    assert phone.errors == []


def test_a_feed_link_is_there_to_tap(site, phone):
    phone.goto(site + "data/")
    feed = phone.locator(".atlas-data-feeds").get_by_role("link", name="全部资源")
    seen(feed)
    assert feed.get_attribute("href") == "feeds/all.atom"
    response = phone.request.get(site + "data/feeds/all.atom")
    assert response.ok and b"<feed" in response.body()
