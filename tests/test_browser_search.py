"""Searching on a phone: the header box, and /find/ with facets and the state in the URL."""

from urllib.parse import parse_qs, urlsplit

import pytest

from .browser import PHONE, built_site, watch
from .sites import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("shipped"), config=ROOT / "mkdocs.yml") as url:
        yield url


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(**PHONE)
    yield watch(context.new_page())
    context.close()


def results(page):
    page.wait_for_selector("#results[aria-busy=false]", state="attached", timeout=10000)
    return page.locator("#results [data-resource-id]").evaluate_all("els => els.map(e => e.dataset.resourceId)")


def test_nothing_search_related_loads_before_focus_and_the_header_box_finds_the_youth_palace(site, phone):
    phone.goto(site)
    phone.wait_for_load_state("networkidle")
    ours = ("search/manifest.json", "search/index-", "lunr.min.js", "atlas-search-core.js")
    assert not any(part in url for url in phone.requests for part in ours)
    phone.locator("label.md-header__button[for=__search]").click()  # the magnifier in the phone header
    box = phone.locator(".md-search__input")
    box.fill("少年宫")
    first = phone.locator(".atlas-header-results li a").first
    first.wait_for(timeout=10000)
    assert phone.locator(".atlas-header-results li").first.get_attribute("data-resource-id") == "xipeng-shiyan-shaoniangong"
    first.click()
    phone.wait_for_url("**/r/xipeng-shiyan-shaoniangong/")
    assert "少年宫" in phone.locator("h1").inner_text()
    assert phone.errors == []


def test_enter_in_the_header_box_opens_the_finder(site, phone):
    phone.goto(site + "about/")
    phone.locator("label.md-header__button[for=__search]").click()
    phone.locator(".md-search__input").fill("tsg")
    phone.locator(".md-search__input").press("Enter")
    phone.wait_for_url("**/find/?q=tsg")
    assert results(phone)[0] == "jlp-library"


def test_finder_with_pinyin_initials_and_a_street(site, phone):
    phone.goto(site + "find/?q=tsg&street=杨家坪街道")
    assert results(phone) == ["jlp-library"]
    card = phone.locator('#results [data-resource-id="jlp-library"]')
    assert card.locator("a.atlas-card-name").inner_text() == "九龙坡区图书馆"
    assert card.locator('a[href^="tel:"]').count() == 1 and card.locator('a[href^="https://uri.amap.com/"]').count() == 1
    assert phone.locator("select[name=street]").input_value() == "杨家坪街道"
    assert phone.errors == []


def test_facets_count_filter_and_live_in_the_url_with_a_working_back_button(site, phone):
    phone.goto(site + "find/?q=博物馆")
    everything = results(phone)
    assert len(everything) >= 3
    option = phone.locator('select[name=street] option[value="谢家湾街道"]')
    count = int(option.inner_text().split("（")[1].rstrip("）"))
    phone.select_option("select[name=street]", "谢家湾街道")
    narrowed = results(phone)
    assert len(narrowed) == count and set(narrowed) <= set(everything)
    assert parse_qs(urlsplit(phone.url).query) == {"q": ["博物馆"], "street": ["谢家湾街道"]}
    phone.go_back()
    assert results(phone) == everything
    assert phone.locator("select[name=street]").input_value() == ""


def test_the_empty_state_helps(site, phone):
    phone.goto(site + "find/?q=火星探测基地")
    assert results(phone) == []
    assert phone.locator(".atlas-empty").is_visible()
    assert phone.locator(".atlas-empty a[href='?q=tsg']").count() == 1


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("finder-examples")) as url:
        yield url


@pytest.mark.parametrize("when,expected", [("2026-11-30T10:00:00+08:00", ["example-care"]), ("2026-12-01T10:00:00+08:00", ["example-care", "example-museum"])])
def test_open_now_uses_the_opening_hours_in_the_browser(browser, example_site, when, expected):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.clock.set_fixed_time(when)  # a Monday (museum closed), then a Tuesday
    page.goto(example_site + "find/?open=1")
    assert sorted(results(page)) == expected
    assert page.locator("input[name=open]").is_checked()
    context.close()
