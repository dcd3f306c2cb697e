"""Material's page search waits for the first query (atlas/page_search.py)."""

import json
import re

import pytest

from atlas import page_search
from tests.browser import PHONE, serve, watch
from tests.sites import build, make_project


def test_defer_moves_the_index_and_leaves_material_an_empty_one_with_the_same_config(tmp_path):
    (tmp_path / "search").mkdir()
    full = {"config": {"lang": ["en"], "separator": "[\\s]+"}, "docs": [{"location": "about/", "title": "关于", "text": "本图谱"}]}
    (tmp_path / page_search.MATERIAL).write_text(json.dumps(full, ensure_ascii=False), "utf-8")
    page_search.defer(tmp_path)
    page_search.defer(tmp_path)  # mkdocs may call on_post_build again: nothing is lost
    assert json.loads((tmp_path / page_search.PAGES).read_text("utf-8")) == full
    assert json.loads((tmp_path / page_search.MATERIAL).read_text("utf-8")) == {"config": full["config"], "docs": []}


def test_defer_does_nothing_without_materials_search(tmp_path):
    page_search.defer(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = tmp_path_factory.mktemp("page-search")
    result = build(make_project(project), project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_every_page_points_material_at_our_worker_and_it_names_materials(built):
    # If a Material upgrade renames its worker's folder, the template's replace finds nothing
    # and the pages download everything at load again: this fails first.
    pages = [built / "index.html", built / "about" / "index.html", *sorted((built / "r").glob("*/index.html"))[:2]]
    for page in pages:
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page.read_text("utf-8"), re.S).group(1))
        worker, _, material = config["search"].partition("?")
        assert worker.endswith("assets/javascripts/workers/atlas-pages.js"), page
        assert (built / "assets/javascripts/workers" / material).is_file(), material
    assert (built / "assets/javascripts/workers/atlas-pages.js").is_file()
    docs = json.loads((built / page_search.PAGES).read_text("utf-8"))["docs"]
    assert any(d["location"] == "about/" for d in docs)


def test_filter_controls_are_not_page_text_in_materials_search(built):
    # Searching 托管 in the header listed /map/ with its 19 street names and 14 category labels
    # run together as the "text" that matched: controls are not what a page is about.
    docs = json.loads((built / page_search.PAGES).read_text("utf-8"))["docs"]
    text = {d["location"]: d["text"].replace("\u200b", "") for d in docs}
    for page in ("map/", "find/"):
        assert page in text and "全部类别" not in text[page] and "杨家坪街道" not in text[page], (page, text[page][:80])


def _type(page, text):
    box = page.locator(".md-search__input")
    box.fill("")
    box.type(text)
    page.keyboard.press("End")  # Material listens for key up


def test_when_the_pages_index_fails_the_search_says_nothing_found_and_the_next_query_tries_again(built, browser):
    with serve(built) as base:
        context = browser.new_context(**PHONE)
        page = watch(context.new_page())
        page.route("**/search/pages.json", lambda route: route.abort())
        page.goto(base + "about/")
        page.locator("label.md-header__button[for=__search]").click()
        _type(page, "关于")
        meta = page.locator(".md-search-result__meta")
        page.wait_for_function("() => /没有|no/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=10000)
        assert page.locator(".md-search-result__item").count() == 0, meta.inner_text()
        page.unroute("**/search/pages.json")
        _type(page, "关于图谱")
        page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item a')].some(a => a.href.includes('/about/'))", timeout=10000)
        context.close()


def test_text_that_comes_without_a_key_is_searched_by_material_too(built, browser):
    with serve(built) as base:
        context = browser.new_context(**PHONE)
        page = watch(context.new_page())
        page.goto(base + "about/")
        page.locator("label.md-header__button[for=__search]").click()
        page.locator(".md-search__input").fill("关于")  # an input event and no key, as an IME's commit
        page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item a')].some(a => a.href.includes('/about/'))", timeout=10000)
        assert page.errors == []
        context.close()
