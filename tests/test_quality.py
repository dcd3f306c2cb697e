"""Every page type on a phone: no console errors, no serious axe-core findings, core content
without JavaScript, the 大字模式 switch, and a layout that holds at 200% text size."""

import re
import time
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from atlas.taxonomy import taxonomy

from .browser import PHONE, _Quiet, offline_tiles, serious_findings, serve
from .netlify_server import tile_hosts
from .conftest import row
from .sites import ROOT, ROWS, build, make_project

pytestmark = pytest.mark.browser

MATERIAL = Path(str(files("material"))) / "templates"
TILE_HOSTS = tile_hosts()

# One fictional resource of every category in 西彭镇, so /s/xipeng/ shows every badge colour.
ROWS_ALL = ROWS + [
    row(id=f"example-all-{c.code.replace('_', '-')}", name=f"示例{c.label}", category=c.code, street="西彭镇", phone="023-68781234",
        lat=f"{29.3150 + n * 0.001:.4f}", lon=f"{106.3600 + n * 0.001:.4f}")
    for n, c in enumerate(taxonomy().categories)
]

# The page types, and what must be on screen before a page counts as loaded.
PAGES = {
    "home": ("", ".atlas-tile"),
    "resource": ("r/example-museum/", ".atlas-open-status.is-open, .atlas-open-status.is-closed"),
    "closed resource": ("r/example-closed/", ".atlas-banner"),
    "category": ("c/museum/", ".atlas-card-item"),
    "street, every category": ("s/xipeng/", ".atlas-card-item"),
    "map": ("map/", ".leaflet-marker-icon"),
    "finder": ("find/", ".atlas-finder"),
    "open data": ("data/", ".atlas-data-files"),
    "coordinate picker": ("editors/picker/?id=example-museum", ".atlas-picker-result:not([hidden])"),
}

_BUILT: dict[str, Path] = {}


def built_site(tmp_path_factory) -> Path:
    """The site of ROWS_ALL, built once per session (tests/test_netlify.py serves it too)."""
    if "site" not in _BUILT:
        project = tmp_path_factory.mktemp("quality-site")
        result = build(make_project(project, rows=ROWS_ALL), project / "site")
        assert result.returncode == 0, result.stderr
        _BUILT["site"] = project / "site"
    return _BUILT["site"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = built_site(tmp_path_factory)
    with serve(built) as url:
        yield url, built


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(**PHONE)
    offline_tiles(context, TILE_HOSTS)
    yield context
    context.close()


@pytest.fixture(scope="module")
def loaded(phone, site):
    """One loaded page per page type, shared by the checks below (a page load costs ~2 s)."""
    url, _ = site
    pages = {}

    def load(name: str):
        if name not in pages:
            path, ready = PAGES[name]
            page = phone.new_page()
            page.errors = []
            page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page.errors.append(str(e)))
            page.goto(url + path)
            page.wait_for_selector(ready, timeout=10000)
            page.wait_for_load_state("networkidle")
            pages[name] = page
        return pages[name]

    yield load
    for page in pages.values():
        page.close()


# --- console and axe-core ----------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_no_console_errors_and_no_serious_axe_findings(loaded, name):
    page = loaded(name)
    assert page.errors == []
    assert serious_findings(page) == []


# --- 200% text size ---------------------------------------------------------------------------------

# Everything a visitor taps in the header and the page content.
CONTROLS = ("header label.md-header__button, header .atlas-textsize, "
            ".md-content :is(a.atlas-button, button, select, input:not([type=hidden]), a.atlas-tile, a.atlas-card-name, .atlas-chips a, a.atlas-badge)")
KEY_CONTROLS = {
    "home": ["a.atlas-tile", ".atlas-quick a"],
    "resource": ["a.atlas-call", "a[data-app=amap]", "a[data-app=baidu]", "a[data-app=tencent]", ".atlas-copy", ".atlas-share"],
    "closed resource": ["a[href='tel:12345']", "a[data-app=amap]"],
    "category": ["a.atlas-card-name", ".atlas-card-actions a"],
    "street, every category": ["a.atlas-card-name", "a.atlas-badge"],
    "map": ["select[name=category]", "select[name=street]", ".atlas-near-me", ".atlas-map-toggle", ".atlas-map"],
    "finder": ["input[name=q]", ".atlas-search button[type=submit]"],
    "open data": [".atlas-data-files a", ".atlas-data-feeds a"],
    "coordinate picker": ["select[name=street]", "input[name=id]", ".atlas-picker-form button", ".atlas-picker-copy", ".atlas-picker-map"],
}
WIDTH = PHONE["viewport"]["width"]
HEADER = ["label.md-header__button[for=__drawer]", ".atlas-textsize", "label.md-header__button[for=__search]"]

# A phone browser lays a too-wide page out in a wider viewport (innerWidth grows to fit), so
# compare with the phone's own width, not innerWidth.
LAYOUT = """([controls, width]) => {
  const shown = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  // Inside a box that scrolls or clips on its own (the map, a table region, an ellipsis).
  const contained = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
      if (/auto|scroll|hidden|clip/.test(getComputedStyle(p).overflowX)) return true;
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") + " «" + (el.textContent || "").trim().slice(0, 20) + "»";
  const outside = [];
  for (const el of document.querySelectorAll(".md-header__inner *, .md-content *")) {
    if (el.closest(".md-search") || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.height && (r.right > width + 1 || r.left < -1) && !contained(el)) outside.push(name(el));
  }
  const boxes = [...document.querySelectorAll(controls)].filter((el) => !el.closest(".md-search") && shown(el))
    .map((el) => [el, el.getBoundingClientRect()]).filter(([, r]) => r.width && r.height);
  const overlapping = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left), h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) overlapping.push(name(a) + " × " + name(b));
    }
  return {scroll: Math.max(document.scrollingElement.scrollWidth, innerWidth) - width, outside, overlapping};
}"""


@pytest.mark.parametrize("name", PAGES)
def test_usable_at_200_percent_text(loaded, phone, name):
    page = loaded(name)
    cdp = phone.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})  # the browser's text size at 200%
    try:
        assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") == 40  # Material's 125%
        layout = page.evaluate(LAYOUT, [CONTROLS, WIDTH])
        assert layout["scroll"] <= 1, "the page scrolls sideways"
        assert layout["outside"] == []
        assert layout["overlapping"] == []
        for selector in HEADER + KEY_CONTROLS[name]:
            control = page.locator(selector).first
            box = control.bounding_box()
            assert control.is_visible() and box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1, selector
    finally:
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        cdp.detach()


# --- the 大字模式 switch -------------------------------------------------------------------------

# Records whether <html> had the class when the parser reached <body>: before first paint.
AT_BODY = """new MutationObserver((changes, observer) => {
  if (!document.body) return;
  window.__largeAtBody = document.documentElement.classList.contains("atlas-large");
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});"""


def root_font(page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_large_text_switch_is_remembered(browser, site):
    url, _ = site
    context = browser.new_context(**PHONE)
    context.add_init_script(AT_BODY)
    offline_tiles(context, TILE_HOSTS)
    page = context.new_page()
    page.goto(url)
    switch = page.locator(".atlas-textsize")
    assert switch.is_visible() and switch.inner_text() == "大字" and switch.get_attribute("aria-pressed") == "false"
    assert root_font(page) == 20

    switch.click()
    assert switch.get_attribute("aria-pressed") == "true" and root_font(page) == 30

    page.reload()
    assert page.evaluate("window.__largeAtBody") is True  # restored before the body was parsed
    assert switch.get_attribute("aria-pressed") == "true" and root_font(page) == 30
    page.goto(url + "r/example-museum/")  # another page type
    assert page.evaluate("window.__largeAtBody") is True and root_font(page) == 30
    assert page.locator(".atlas-textsize").get_attribute("aria-pressed") == "true"

    page.locator(".atlas-textsize").click()
    page.reload()
    assert page.evaluate("window.__largeAtBody") is False and root_font(page) == 20
    assert page.locator(".atlas-textsize").get_attribute("aria-pressed") == "false"
    context.close()


# --- nothing moves once drawn ------------------------------------------------------------------

# Layout shifts not caused by a tap, each with what moved.
SHIFTS = """window.__shifts = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => {
  if (!e.hadRecentInput) __shifts.push({value: e.value, moved: e.sources.map((s) => (s.node ? s.node.nodeName + "." + s.node.className : "?")
    + ` ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}, ${Math.round(s.previousRect.height)}→${Math.round(s.currentRect.height)} px high`)});
})).observe({type: "layout-shift", buffered: true});"""
STEADY = {**PAGES, "holiday": ("holiday/", ".atlas-card-item"), "programs": ("programs/", ".md-content h1"), "planner": ("routes/plan/", ".atlas-plan-settings")}


class _SlowScripts(_Quiet):
    """Scripts arrive 0.4 s after the page, as on slow phone data: the page is drawn before
    they run, so whatever a script adds or fills shows as a shift if it moves things. Not
    atlas-head.js: it runs in <head>, before anything is drawn, by design."""

    def do_GET(self):
        path = urlsplit(self.path).path
        if path.endswith(".js") and not path.endswith("/atlas-head.js"):
            time.sleep(0.4)
        super().do_GET()


@pytest.fixture(scope="module")
def slow_scripts(site):
    with serve(site[1], handler=_SlowScripts) as url:
        yield url


@pytest.mark.parametrize("large", [False, True], ids=["normal", "大字"])
@pytest.mark.parametrize("name", STEADY)
def test_nothing_moves_once_drawn(browser, slow_scripts, name, large):
    context = browser.new_context(**PHONE)
    offline_tiles(context, TILE_HOSTS)
    if large:  # as the 大字 switch leaves it for the next page
        context.add_init_script("localStorage.setItem('atlas.large-text', '1')")
    context.add_init_script(SHIFTS)
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})  # a phone's CPU: more time to draw between scripts
    path, ready = STEADY[name]
    page.goto(slow_scripts + path)
    page.wait_for_selector(ready, timeout=20000)
    page.wait_for_load_state("networkidle")
    shifts = page.evaluate("__shifts")
    assert page.evaluate("document.documentElement.classList.contains('atlas-large')") == large
    context.close()
    assert sum(s["value"] for s in shifts) < 0.002, shifts  # Lighthouse calls < 0.1 good; the smallest real fault seen here was 0.004


# What a late script fills in must not move what is already drawn: each box is the same with
# the script blocked as with it. test_nothing_moves_once_drawn catches these only when Chrome
# happens to paint before the script runs; this compares the two states directly. Each case:
# the page, the script, what says the script has filled it in, and the boxes that must stay.
FILLED_LATE = {
    # atlas.js writes each card's 今日 line (Chrome drew the list first on a slowed phone).
    "a card's hours": ("c/museum/", "**/assets/atlas.js", "document.querySelector('.atlas-card-hours[data-hours]').textContent.trim() !== ''",
                       [".atlas-card-item"]),
    # Material shows its search button only once its bundle drops .no-js; the title wrapped around it.
    "header search": ("", "**/assets/javascripts/bundle.*.js", "!document.documentElement.classList.contains('no-js')",
                      [".md-header__title .md-ellipsis", ".md-header__button.atlas-textsize"]),
    # The finder writes 本月有活动（12）: the box after it went onto another line.
    "finder's month count": ("find/", "**/assets/atlas-finder.js", "/（\\d+）/.test(document.querySelector('.atlas-month-label').textContent)",
                             [".atlas-facets label", ".atlas-finder-sort"]),
}


@pytest.mark.parametrize("large", [False, True], ids=["normal", "大字"])
@pytest.mark.parametrize("name", FILLED_LATE)
def test_what_a_script_fills_in_later_moves_nothing(browser, site, name, large):
    path, script, filled, selectors = FILLED_LATE[name]
    boxes = []
    for blocked in (True, False):
        context = browser.new_context(**PHONE)
        offline_tiles(context, TILE_HOSTS)
        if large:
            context.add_init_script("localStorage.setItem('atlas.large-text', '1')")
        if blocked:
            context.route(script, lambda route: route.abort())
        page = context.new_page()
        page.goto(site[0] + path)
        page.wait_for_load_state("networkidle")
        if blocked:
            assert not page.evaluate(filled)
        else:
            page.wait_for_function(filled)
        boxes.append({selector: page.locator(selector).evaluate_all("els => els.map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.height]; })")
                      for selector in selectors})
        context.close()
    assert all(boxes[0].values()) and boxes[0] == boxes[1]


# --- without JavaScript -----------------------------------------------------------------------------

NO_JS = {
    "home": ["a.atlas-tile[href='c/museum/']", "a[href='holiday/']"],
    "resource": ["h1:text-is('示例博物馆0001')", "#atlas-address:text-is('重庆市九龙坡区示例路1号')", "a.atlas-call[href='tel:+862368781234']",
                 ".atlas-hours:has-text('周二至周日 09:00–17:00，法定节假日闭馆')", "a[data-app=amap]"],
    "category": ["a.atlas-card-name[href='../../r/example-museum/']"],
    "map": [".atlas-map-page noscript a[href='../c/']"],
    "finder": [".atlas-finder noscript a[href='../c/']"],
    "open data": [".atlas-data-files a[href='resources.csv']", "a[rel=license]", ".atlas-data-feeds a[href='feeds/all.atom']"],
}


@pytest.fixture(scope="module")
def no_js(browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("name", NO_JS)
def test_core_content_without_javascript(no_js, site, name):
    url, _ = site
    no_js.goto(url + PAGES[name][0])
    for selector in NO_JS[name]:
        assert no_js.locator(selector).first.is_visible(), selector
    assert not no_js.locator(".atlas-textsize").is_visible()  # a switch that cannot work is not shown


# --- the theme overrides stay in step with the installed Material ----------------------------------


def test_header_override_is_materials_header_plus_the_switch():
    ours = (ROOT / "overrides" / "partials" / "header.html").read_text("utf-8")
    material = (MATERIAL / "partials" / "header.html").read_text("utf-8")
    strip = lambda text: re.sub(r"\A\{#-.*?-#\}\n", "", text, flags=re.S)  # noqa: E731 (the leading comment)
    without_switch = re.sub(r"    \{#- atlas:.*?\{#- /atlas -#\}\n", "", ours, flags=re.S)
    assert strip(without_switch) == strip(material)
    assert 'class="md-header__button atlas-textsize"' in ours


def test_search_override_is_materials_search_with_a_named_dialog():
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text("utf-8")
    material = (MATERIAL / "partials" / "search.html").read_text("utf-8")
    strip = lambda text: re.sub(r"\A\{#-.*?-#\}\n", "", text, flags=re.S)  # noqa: E731 (the leading comment)
    original = '<div class="md-search" data-md-component="search" role="dialog">'
    restored = re.sub(r"\{#- atlas:.*?\{#- /atlas -#\}", original, ours, flags=re.S)
    assert strip(restored) == strip(material)
    assert 'role="dialog" aria-label=' in ours


def test_head_script_keeps_materials_helpers():
    material = (MATERIAL / "partials" / "javascripts" / "base.html").read_text("utf-8")
    helpers = re.search(r"<script>(.*?)</script>", material, re.S).group(1)
    expected = helpers.replace('"{{ config.extra.scope | d(base_url) }}"', "document.currentScript.dataset.scope")
    assert expected != helpers and expected in (ROOT / "overrides" / "assets" / "atlas-head.js").read_text("utf-8")


def test_nothing_needs_the_dropped_tab_script():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config.get("markdown_extensions", [])]
    assert "pymdownx.tabbed" not in extensions and "content.tabs.link" not in config["theme"].get("features", [])
