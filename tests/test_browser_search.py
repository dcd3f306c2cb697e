"""Searching on a phone, as a person sees it: the header box, /find/ from every way in,
result cards, sorting, Back — each state checked for what is on screen (seen) and by axe-core."""

from urllib.parse import parse_qs, urlsplit

import pytest

from atlas import coords, links, maps
from atlas.collate import name_key
from atlas.geocache import locate
from atlas.validate import Settings, validate_csv

from .browser import PHONE, built_site, phone_on, seen, serious_findings, still, watch
from .conftest import TODAY, csv_bytes, row
from .sites import ROOT, ROWS

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


def header_search(page, text: str) -> list[str]:
    """Tap the magnifier, type, and return the venue ids the panel shows."""
    if not materials_panel_open(page):
        page.locator("label.md-header__button[for=__search]").click()
    page.locator(".md-search__input").fill("")
    page.keyboard.type(text)
    page.keyboard.press("End")  # Chinese arrives as inserted text; an IME ends with a key up, which Material listens for
    page.wait_for_function("(q) => { const t = document.querySelector('.atlas-header-title'); return t && document.querySelector('.md-search__input').value === q && t.dataset.q === q; }", arg=text, timeout=10000)
    return page.locator(".atlas-header-results li").evaluate_all("els => els.map(e => e.dataset.resourceId)")


def materials_panel_open(page) -> bool:
    return page.evaluate("() => document.getElementById('__search').checked")


def large_text(page, site):
    page.goto(site)
    page.locator(".atlas-textsize").click()
    assert page.locator(".atlas-textsize").get_attribute("aria-pressed") == "true"


# --- the header search -------------------------------------------------------------------------


def test_nothing_search_related_loads_before_focus_and_the_header_box_finds_the_youth_palace(site, phone):
    phone.goto(site)
    phone.wait_for_load_state("networkidle")
    ours = ("search/manifest.json", "search/index-", "lunr.min.js", "atlas-search-core.js")
    materials = ("search/pages.json", "/workers/search.")  # Material's page search: at the first query
    assert [url for url in phone.requests if any(part in url for part in ours + materials)] == []
    assert header_search(phone, "少年宫")[0] == "xipeng-shiyan-shaoniangong"
    phone.locator(".atlas-header-results li a").first.click()
    phone.wait_for_url("**/r/xipeng-shiyan-shaoniangong/")
    assert "少年宫" in phone.locator("h1").inner_text()
    assert phone.errors == []


@pytest.mark.parametrize("large", [False, True], ids=["normal", "大字"])
def test_header_results_are_seen_venues_first_and_tappable(site, phone, large):
    if large:
        large_text(phone, site)
    phone.goto(site + "about/")
    assert header_search(phone, "图书馆")[:1] == ["jlp-library"]
    for selector in (".atlas-header-title", ".atlas-header-results li a", ".atlas-header-all"):
        items = phone.locator(selector)
        for i in range(items.count()):
            seen(items.nth(i))
    # Venues above Material's hand-written pages, which still come (about/, the home page text).
    phone.locator(".md-search-result__item").first.wait_for(timeout=10000)
    assert phone.locator(".atlas-header-results").bounding_box()["y"] < phone.locator(".md-search-result__item").first.bounding_box()["y"]
    assert serious_findings(phone) == []
    phone.locator(".atlas-header-results li a").first.click()
    phone.wait_for_url("**/r/jlp-library/")
    assert phone.errors == []


def test_one_engine_one_answer_including_single_characters(site, phone):
    phone.goto(site + "about/")
    header = {q: header_search(phone, q) for q in ("馆", "宫", "园", "图书馆", "tsg", "博物馆", "量子计算", "圖書館", "附近有没有能打篮球的地方")}
    for query, top in header.items():
        phone.goto(site + "find/?q=" + query)
        assert results(phone)[:5] == top, query
    assert all(header[q] for q in ("馆", "宫", "园"))  # one character is a real query
    assert header["量子计算"] == [] and header["圖書館"][0] == "jlp-library" and header["附近有没有能打篮球的地方"]


# --- every way into the finder lands on it, results on top, address intact --------------------------

SHARED = "find/?q=图书馆&street=杨家坪街道"


def _arrive(page, site, way):
    if way == "shared link":
        page.goto(site + SHARED)
    elif way == "home page form":
        page.goto(site)
        page.locator("#atlas-home-q").fill("图书馆")
        page.locator(".atlas-home button[type=submit]").click()
    elif way == "Enter in the header":
        page.goto(site + "about/")
        header_search(page, "图书馆")
        page.keyboard.press("Enter")
    elif way == "reload":
        page.goto(site + SHARED)
        results(page)
        page.reload()
    elif way == "Back from a venue":
        page.goto(site + SHARED)
        results(page)
        page.locator("#results a.atlas-card-name").first.click()
        page.wait_for_url("**/r/jlp-library/")
        page.go_back()
    page.wait_for_url("**/find/?**")


@pytest.mark.parametrize("way", ["shared link", "home page form", "Enter in the header", "reload", "Back from a venue"])
def test_every_way_in_lands_on_the_finder_with_its_results_on_top(site, phone, way):
    _arrive(phone, site, way)
    assert results(phone)[0] == "jlp-library"
    phone.wait_for_timeout(300)  # Material has mounted and would have opened its panel by now
    assert not materials_panel_open(phone)
    assert phone.locator("#atlas-q").input_value() == "图书馆"
    expected = {"q": ["图书馆"], "street": ["杨家坪街道"]} if way in ("shared link", "reload", "Back from a venue") else {"q": ["图书馆"]}
    assert parse_qs(urlsplit(phone.url).query) == expected
    seen(phone.locator("#results a.atlas-card-name").first)
    seen(phone.locator("#atlas-summary"))
    if way == "shared link":
        assert serious_findings(phone) == []
    assert phone.errors == []


def test_materials_search_still_reads_q_on_other_pages(site, phone):
    phone.goto(site + "about/?q=图谱")
    phone.wait_for_function("() => document.getElementById('__search').checked", timeout=10000)
    assert phone.locator(".md-search__input").input_value() == "图谱"


# --- the finder --------------------------------------------------------------------------------------


def test_finder_with_pinyin_initials_and_a_street(site, phone):
    phone.goto(site + "find/?q=tsg&street=杨家坪街道")
    assert results(phone) == ["jlp-library"]
    card = phone.locator('#results [data-resource-id="jlp-library"]')
    assert card.locator("a.atlas-card-name").inner_text() == "九龙坡区图书馆"
    assert card.locator('a[href^="tel:"]').count() == 1 and card.locator('a[href^="https://uri.amap.com/"]').count() == 1
    assert phone.locator("select[name=street]").input_value() == "杨家坪街道"
    assert phone.errors == []


def test_the_finder_lists_without_lunr_and_fetches_it_once_a_query_needs_an_index(site, phone):
    phone.goto(site + "find/")
    everything = results(phone)
    phone.wait_for_load_state("networkidle")
    assert len(everything) == 20 and not any("lunr.min.js" in url for url in phone.requests)
    phone.locator("#atlas-q").fill("图书馆")
    phone.locator("#atlas-q").press("Enter")
    phone.wait_for_function("() => new URLSearchParams(location.search).get('q') === '图书馆'")
    assert results(phone)[:1] == ["jlp-library"]
    assert sum("lunr.min.js" in url for url in phone.requests) == 1
    assert phone.errors == []


def test_a_lost_lunr_download_is_fetched_again_by_the_next_search(site, phone):
    lost = []

    def once(route):  # mobile data drops the first request
        if lost:
            route.continue_()
        else:
            lost.append(route.request.url)
            route.abort()

    phone.route("**/assets/vendor/lunr.min.js", once)
    phone.goto(site + "find/?q=图书馆")
    phone.wait_for_load_state("networkidle")
    assert len(lost) == 1 and phone.locator("#results [data-resource-id]").count() == 0
    phone.locator(".atlas-search button[type=submit]").click()
    phone.wait_for_selector("#atlas-summary:has-text('“图书馆”')", timeout=10000)
    assert results(phone)[:1] == ["jlp-library"]


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


@pytest.mark.parametrize("leave", ["Back", "reload"])
def test_back_from_a_result_restores_the_list_its_length_and_scroll(site, phone, leave):
    phone.goto(site + "find/?q=馆")
    first = results(phone)
    assert len(first) == 20 and phone.locator(".atlas-more").is_visible()
    phone.locator(".atlas-more").click()
    phone.wait_for_function("() => document.querySelectorAll('#results li').length > 20")
    everything = results(phone)
    target = phone.locator("#results a.atlas-card-name").nth(len(everything) - 2)
    target.scroll_into_view_if_needed()
    y = phone.evaluate("scrollY")
    assert y > 1000
    phone.wait_for_timeout(300)  # a person's pause after scrolling (the position is kept 150 ms after the last scroll)
    if leave == "Back":
        target.click()
        phone.wait_for_url("**/r/**")
        phone.go_back()
    else:
        phone.reload()
    phone.wait_for_function("(n) => document.querySelectorAll('#results li').length === n", arg=len(everything), timeout=10000)
    assert results(phone) == everything
    assert abs(phone.evaluate("scrollY") - y) <= 2
    seen(phone.locator("#results a.atlas-card-name").nth(len(everything) - 2))
    assert parse_qs(urlsplit(phone.url).query) == {"q": ["馆"]}


def test_never_a_blank_page_partial_matches_say_so(site, phone):
    phone.goto(site + "find/?q=火星探测基地")  # nothing matches it all; 基地 does
    found = results(phone)
    assert found and phone.locator(".atlas-empty").is_hidden()
    assert "没有完全匹配的结果，以下是部分匹配" in seen(phone.locator("#atlas-summary"))["text"]
    phone.goto(site + "find/?q=紀念館")  # traditional characters
    assert results(phone)[:1] and "部分匹配" not in phone.locator("#atlas-summary").inner_text()


@pytest.mark.parametrize("typo,venue", [("图书管", "jlp-library"), ("动物圆", "chongqing-zoo")])
def test_a_homophone_typo_finds_the_venue_in_the_header_and_the_finder(site, phone, typo, venue):
    # 管 is a word of this atlas (托管班): only the sound of 书管 (shu'guan = 书馆) leads to 图书馆.
    phone.goto(site + "about/")
    header = header_search(phone, typo)
    assert header[:1] == [venue]
    seen(phone.locator(f'.atlas-header-results li[data-resource-id="{venue}"] a'))
    assert "search/sounds.json" in " ".join(phone.requests)  # asked again, by sound, only because 书管/物圆 are in no index
    phone.goto(site + "find/?q=" + typo)
    assert results(phone)[:5] == header[:5]  # the header and the finder agree
    seen(phone.locator(f'#results [data-resource-id="{venue}"] a.atlas-card-name'))
    assert "部分匹配" not in seen(phone.locator("#atlas-summary"))["text"]  # a complete answer, not a partial one
    assert serious_findings(phone) == []
    phone.goto(site + "find/?q=托管")  # the exact word keeps its own: the 托管 venues, no 馆 by sound
    care = results(phone)
    assert care and venue not in care and "jlp-library" not in care
    assert phone.errors == []


def test_the_empty_state_helps(site, phone):
    phone.goto(site + "find/?q=量子计算")
    assert results(phone) == []
    assert phone.locator(".atlas-empty").is_visible()
    assert phone.locator(".atlas-empty a[href='?q=tsg']").count() == 1


# --- cards, sorting and 离我最近, on fictional rows with hours, phones and points -------------------

FIND_ROWS = ROWS + [
    row(id="example-garden", name="示例艾草园0005", category="nature", street="华岩镇", phone="023-68785678", lat="29.4795", lon="106.4470"),
    row(id="example-centre", name="示例中心0006", category="youth", street="西彭镇", lat="29.3150", lon="106.3600"),
]
HERE = (29.4781, 106.4452)  # a few metres from 示例托管点0002


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("finder-examples"), rows=FIND_ROWS) as url:
        yield url


@pytest.fixture
def parent(browser, example_site):
    with phone_on(browser, example_site, HERE, maps.basemap("amap").hosts) as page:
        page.clock.set_fixed_time("2026-12-01T10:00:00+08:00")  # a Tuesday morning
        yield page


def _published():
    atlas = validate_csv("x.csv", Settings(today=TODAY), data=csv_bytes(*FIND_ROWS))
    return [r for r in atlas.resources if r.status != "draft"]


def _card(page, rid):
    return page.locator(f'#results [data-resource-id="{rid}"]')


def test_cards_show_phone_hours_today_and_street(parent, example_site):
    parent.goto(example_site + "find/")
    assert len(results(parent)) == 5
    museum = _card(parent, "example-museum")
    call = museum.locator("a.atlas-button[href^='tel:']")
    assert call.inner_text() == "拨打 023-68781234" and call.get_attribute("href") == "tel:+862368781234"
    hours = museum.locator(".atlas-card-hours")
    parent.wait_for_function("() => document.querySelectorAll('.atlas-card-hours.is-open').length === 2", timeout=10000)
    assert hours.inner_text() == "今天 09:00–17:00 · 正在开放"
    assert _card(parent, "example-care").locator(".atlas-card-hours").inner_text() == "今天 08:30–12:00、14:00–17:30 · 正在开放"
    assert _card(parent, "example-closed").locator(".atlas-card-hours").inner_text() == "暂停开放"
    assert _card(parent, "example-closed").locator("a.atlas-button[href='tel:12345']").inner_text() == "拨打 12345 咨询"
    assert "开放时间未登记" in _card(parent, "example-garden").locator(".atlas-card-hours").inner_text()
    assert "华岩镇" in _card(parent, "example-care").locator(".atlas-card-meta").inner_text()
    for r in _published():  # the 高德 link: built in the browser from the point, as atlas/links.py builds it
        expected = links.navigation(locate(r, {}), r.name, r.address)["amap"]
        assert _card(parent, r.id).locator("a.atlas-button:text-is('导航')").get_attribute("href") == expected, r.id
    assert parent.locator(".atlas-distance").count() == 0  # no distance before 离我最近
    for part in ("a.atlas-card-name", ".atlas-card-meta", ".atlas-card-hours", "a.atlas-button"):
        seen(museum.locator(part).first)
    seen(hours)
    assert parent.errors == []


def test_hours_on_a_monday_say_closed_today(browser, example_site):
    with phone_on(browser, example_site, HERE, maps.basemap("amap").hosts) as page:
        page.clock.set_fixed_time("2026-11-30T10:00:00+08:00")
        page.goto(example_site + "find/?q=示例博物馆")
        hours = _card(page, "example-museum").locator(".atlas-card-hours.is-closed")
        hours.wait_for(timeout=10000)
        assert hours.inner_text() == "今天不开放 · 现在未开放"
        seen(hours)


def test_near_me_sorts_by_distance_and_shows_it_then_by_name(parent, example_site):
    parent.goto(example_site + "find/")
    results(parent)
    parent.locator(".atlas-finder-near").click()
    parent.wait_for_function("() => document.querySelector('.atlas-finder-near-status').textContent.startsWith('已按距离排序')", timeout=10000)
    order = results(parent)
    published = _published()
    points = {r.id: locate(r, {}) for r in published}
    by_distance = sorted((r.id for r in published if points[r.id]), key=lambda i: coords.distance_m(HERE, points[i]))
    assert order == by_distance + [r.id for r in published if not points[r.id]]
    assert order[0] == "example-care" and order[-1] == "example-closed"
    labels = parent.locator("#results .atlas-distance").all_inner_texts()
    assert labels[0].endswith(" 米") and labels[-1] == "暂无坐标" and labels[-2].endswith(" 公里")
    assert "1 处还没有坐标" in parent.locator(".atlas-finder-near-status").inner_text()
    assert parse_qs(urlsplit(parent.url).query) == {"sort": ["near"]}
    seen(_card(parent, "example-care").locator(".atlas-distance"))
    seen(parent.locator(".atlas-finder-near-status"))
    assert serious_findings(parent) == []  # the 离我最近 list shown

    parent.select_option("select[name=sort]", "name")
    parent.wait_for_url("**sort=name**")
    assert results(parent) == [r.id for r in sorted(published, key=lambda r: name_key(r.name))]
    assert parent.errors == []


def test_large_text_finder_cards_are_seen(parent, example_site):
    large_text(parent, example_site)
    parent.goto(example_site + "find/?q=示例")
    assert len(results(parent)) == 5
    parent.wait_for_function("() => document.querySelectorAll('.atlas-card-hours.is-open').length === 2", timeout=10000)
    for part in ("a.atlas-card-name", ".atlas-card-hours", "a.atlas-button", ".atlas-card-address"):
        items = parent.locator(f"#results {part}")
        for i in range(items.count()):
            seen(items.nth(i))
    seen(parent.locator(".atlas-finder-near"))
    assert serious_findings(parent) == []


def test_map_popup_is_seen_and_passes_axe(parent, example_site):
    parent.goto(example_site + "map/")
    parent.wait_for_selector(".leaflet-marker-icon", timeout=10000)
    parent.select_option("select[name=category]", "museum")
    still(parent.locator(".atlas-pin-icon").first).click()
    link = parent.locator(".atlas-popup a.atlas-card-name")
    still(link)
    seen(link)
    assert serious_findings(parent) == []


@pytest.mark.parametrize("when,expected", [("2026-11-30T10:00:00+08:00", ["example-care"]), ("2026-12-01T10:00:00+08:00", ["example-care", "example-museum"])])
def test_open_now_uses_the_opening_hours_in_the_browser(browser, example_site, when, expected):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.clock.set_fixed_time(when)  # a Monday (museum closed), then a Tuesday
    page.goto(example_site + "find/?open=1")
    assert sorted(results(page)) == expected
    assert page.locator("input[name=open]").is_checked()
    context.close()
