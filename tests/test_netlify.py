"""netlify.toml: build settings, security headers, caching; every page type under the CSP."""

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from . import netlify_server as netlify
from .netlify_server import tile_hosts
from .browser import PHONE, offline_tiles, serve
from .sites import ROOT
from .test_quality import ROWS_ALL, built_site

RULES = netlify.rules()
CSP = netlify.csp(RULES)
YEAR = 31536000
FINGERPRINT = re.compile(r"\.[0-9a-f]{8,}\.")


def max_age(value: str) -> int:
    found = re.search(r"max-age=(\d+)", value)
    assert found, value
    return int(found.group(1))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_site(tmp_path_factory)  # the fixture site of tests/test_quality.py, built once


def url_paths(site: Path):
    """(URL path, file) for every file of the built site, as Netlify would be asked for it."""
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        path = "/" + file.relative_to(site).as_posix()
        yield path, file
        if file.name == "index.html":
            yield path[: -len("index.html")], file


# --- the file itself ------------------------------------------------------------------------------


def test_build_settings_match_the_readme():
    config = netlify.config()
    assert config["build"]["command"] == "scripts/setup && .venv/bin/mkdocs build --strict"
    mkdocs = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert config["build"]["publish"] == mkdocs.get("site_dir", "site")
    env = config["build"]["environment"]
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    assert env["PYTHON_VERSION"] == "3.11" and ">=3.11" in requires
    assert int(env["NODE_VERSION"]) >= 22  # a supported LTS


@pytest.mark.parametrize("path", ["/", "/r/example-museum/", "/map/markers.json", "/assets/vendor/leaflet/leaflet.js", "/404.html"])
def test_security_headers_on_every_response(path):
    headers = netlify.headers_for(path, RULES)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"strict-origin-when-cross-origin", "strict-origin", "same-origin", "no-referrer"}
    assert max_age(headers["Strict-Transport-Security"]) >= YEAR
    policy = dict(p.strip().split("=", 1) for p in headers["Permissions-Policy"].split(","))
    assert policy["geolocation"] == "(self)"  # 离我最近, for the site itself only
    assert headers["Content-Security-Policy"]


def test_the_csp_runs_scripts_only_from_the_sites_files():
    assert CSP["default-src"] == ["'self'"]
    assert CSP["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no hashes, no hosts
    assert not any("'unsafe-eval'" in sources for sources in CSP.values())
    assert CSP["connect-src"] == ["'self'"]
    assert CSP["object-src"] == ["'none'"]
    assert CSP["base-uri"] == ["'self'"]
    assert CSP["frame-ancestors"] in (["'none'"], ["'self'"])
    for directive in ("worker-src", "style-src-elem"):
        assert CSP.get(directive, ["'self'"]) == ["'self'"]


def test_images_may_come_from_the_configured_basemap_only():
    hosts = tile_hosts()
    assert hosts and "'self'" in CSP["img-src"]
    assert {urlsplit(s).hostname for s in CSP["img-src"] if s.startswith("https://")} == hosts
    assert all(s in {"'self'", "data:"} or s.startswith("https://") for s in CSP["img-src"])


def test_unsafe_inline_styles_are_explained():
    if "'unsafe-inline'" in CSP["style-src"]:
        comments = "\n".join(line for line in netlify.NETLIFY_TOML.read_text("utf-8").splitlines() if line.lstrip().startswith("#"))
        assert "style-src 'unsafe-inline'" in comments and "attribute" in comments


def test_vcards_say_their_charset():
    assert netlify.headers_for("/r/example-museum/contact.vcf", RULES)["Content-Type"] == "text/vcard; charset=utf-8"


# --- against a built site --------------------------------------------------------------------------


def test_no_page_has_an_inline_script(built):
    # Data blocks (Material's __config, JSON-LD) are never executed, so the CSP does not apply.
    data_types = {"application/json", "application/ld+json"}
    for page in built.rglob("*.html"):
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", page.read_text("utf-8"), re.S):
            kind = re.search(r'type="([^"]+)"', attributes)
            assert "src=" in attributes or (kind and kind.group(1) in data_types), f"inline script in {page}: {body[:80]}"
        assert not re.search(r"\son[a-z]+=", re.sub(r"<script\b.*?</script>", "", page.read_text("utf-8"), flags=re.S)), f"inline handler in {page}"


def test_no_two_rules_set_the_same_header_for_one_file(built):
    # Netlify would send both values joined with a comma: two max-ages, or a doubled CSP.
    for path, _ in url_paths(built):
        names = [name.lower() for _, values in netlify.matching(path, RULES) for name in values]
        assert len(names) == len(set(names)), (path, netlify.matching(path, RULES))


def test_cache_lifetimes(built):
    long_rules = {pattern for pattern, values in RULES if max_age(values.get("Cache-Control", "max-age=0")) >= YEAR}
    used = set()
    for path, _ in url_paths(built):
        cache = netlify.headers_for(path, RULES)["Cache-Control"]
        age = max_age(cache)
        if age >= YEAR:
            assert FINGERPRINT.search(path) and "immutable" in cache, f"{path} is cached for a year but its name has no hash"
            used |= {pattern for pattern, _ in netlify.matching(path, RULES)} & long_rules
        elif path.startswith("/assets/vendor/"):
            assert 3600 <= age <= 7 * 86400, path  # named by package, not by content: moderate
        else:
            assert age <= 300, f"{path} changes with every build but is cached for {age} s"
    assert used == long_rules, f"long-cache rules that match no file (renamed by Material?): {long_rules - used}"
    for path in ("/", "/r/example-museum/", "/map/markers.json", "/search/search_index.json", "/r/example-museum/contact.vcf"):
        assert max_age(netlify.headers_for(path, RULES)["Cache-Control"]) == 0, path


def test_the_404_page_works_at_any_depth(built):
    page = (built / "404.html").read_text("utf-8")
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', page)
    assert assets and all(a.startswith("/") for a in assets), assets  # absolute: Netlify serves it for /any/depth/


# --- Chromium with the headers enforced ------------------------------------------------------------

# Every page type in Chromium (the inline-script check above covers every page statically).
# Collect violations in the page itself: the console shows only some of them.
LISTEN = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});"""


@pytest.fixture(scope="module")
def site(built):
    with serve(built, netlify.handler(RULES)) as url:
        yield url


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(**PHONE)
    context.add_init_script(LISTEN)
    offline_tiles(context, tile_hosts())
    yield context
    context.close()


# Predicates below are arrow functions: a bare expression would be eval'ed, which the CSP forbids.
@pytest.fixture
def open_page(context, site):
    pages = []

    def opener(path: str):
        page = context.new_page()
        pages.append(page)
        page.messages = []
        page.on("console", lambda m: page.messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.messages.append(f"pageerror: {e}"))
        page.response = page.goto(site + path)
        assert page.response.headers["content-security-policy"] == netlify.headers_for("/", RULES)["Content-Security-Policy"]
        return page

    yield opener
    for page in pages:
        page.close()


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    seen = page.evaluate("window.__csp || []")
    return seen + [m for m in page.messages if "Content Security Policy" in m]


def errors(page, allow=()) -> list[str]:
    return [m for m in page.messages if (m.startswith(("error:", "pageerror:"))) and not any(a in m for a in allow)]


@pytest.mark.browser
def test_home_and_the_header_search_under_the_csp(open_page):
    page = open_page("")
    assert page.locator(".atlas-textsize").is_visible()  # assets/atlas-head.js ran
    page.locator("label.md-header__button[for=__search]").click()
    # At the first query our worker (worker-src) fetched search/pages.json (connect-src) and
    # loaded Material's worker beside it (importScripts), which found the about page.
    page.locator(".md-search__input").fill("关于")
    page.keyboard.press("End")
    page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item a')].some(a => a.href.includes('/about/'))", timeout=10000)
    assert violations(page) == [] and errors(page) == []

    # The listener does see a violation: an injected inline script is blocked and reported.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s); }")
    assert page.evaluate("window.ran") is None
    assert any(v.startswith("script-src") for v in violations(page))


@pytest.mark.browser
def test_resource_page_scripts_work_under_the_csp(open_page):
    page = open_page("r/example-museum/")
    page.wait_for_function("() => document.querySelector('.atlas-open-status').textContent.length > 0", timeout=10000)
    page.locator(".atlas-minimap").scroll_into_view_if_needed()
    page.wait_for_selector(".atlas-minimap[data-ready=true] img.leaflet-tile-loaded", timeout=10000)  # tiles: img-src
    assert page.locator(".atlas-minimap .atlas-pin").count() == 1  # the marker's colour is a style attribute
    assert violations(page) == [] and errors(page) == []


@pytest.mark.browser
def test_map_shows_markers_under_the_csp(open_page):
    page = open_page("map/")
    page.wait_for_selector(".leaflet-marker-icon", timeout=10000)  # folium's map.js + markers.json
    assert page.locator(".atlas-map-status").inner_text() == f"地图上显示 {len(ROWS_ALL) - 2} 处"  # no draft, no point
    page.wait_for_selector("img.leaflet-tile-loaded", timeout=10000)
    assert violations(page) == [] and errors(page) == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["c/museum/", "routes/example-route/"])
def test_other_pages_under_the_csp(open_page, path):
    page = open_page(path)
    if path.startswith("routes/"):
        page.wait_for_selector(".atlas-stop-number", timeout=10000)
    assert violations(page) == [] and errors(page) == []


@pytest.mark.browser
def test_finder_under_the_csp(open_page, built):
    if not (built / "find" / "index.html").exists():
        pytest.skip("this build has no /find/ page (the finder is not merged yet)")
    page = open_page("find/?q=博物馆")
    page.wait_for_function("() => document.querySelector('.atlas-finder') && document.querySelector('#results, .atlas-empty') !== null", timeout=10000)
    page.wait_for_function("() => document.querySelectorAll('#results li').length > 0 || !document.querySelector('.atlas-empty').hidden", timeout=10000)
    assert violations(page) == [] and errors(page) == []


@pytest.mark.browser
def test_missing_pages_get_the_404_page_under_the_csp(open_page):
    page = open_page("r/no-such-place/")
    assert page.response.status == 404
    assert page.locator(".md-header").is_visible() and page.locator(".atlas-textsize").is_visible()  # styles and scripts loaded
    assert violations(page) == []
    assert errors(page, allow=("status of 404",)) == []
