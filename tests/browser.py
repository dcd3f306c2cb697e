"""Headless Debian Chromium through Playwright, and a static server for a built site."""

from __future__ import annotations

import base64
import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent.parent / "node_modules" / "axe-core" / "axe.min.js"  # devDependency
# A 1×1 PNG: tiles are answered locally (the sandbox has no network).
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(directory: Path, handler=_Quiet):
    with running(functools.partial(handler, directory=str(directory))) as url:
        yield url


@contextmanager
def running(handler):
    """Serve with ``handler`` on a free loopback port in a thread; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def offline_tiles(context, hosts) -> None:
    """Answer every request to the basemap's tile hosts with a blank tile."""
    hosts = set(hosts)
    context.route(lambda url: urlsplit(url).hostname in hosts, lambda route: route.fulfill(body=TILE, content_type="image/png"))


@contextmanager
def built_site(tmp: Path, config: Path | None = None, **project):
    """Build a fixture project (or ``config``) into ``tmp`` and serve it; yields its URL."""
    from .sites import build, make_project

    result = build(config or make_project(tmp, **project), tmp / "site")
    assert result.returncode == 0, result.stderr
    with serve(tmp / "site") as url:
        yield url


def watch(page):
    """Record a page's requests and its console and script errors on the page itself."""
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def still(locator, pause_ms: int = 150, tries: int = 40):
    """Wait until an element stops moving (a Leaflet pan or zoom animation has ended).

    Playwright's own stability check looks at two animation frames; a loaded CI machine can
    drop frames mid-animation, and a click then lands on the map instead of the popup link."""
    box = locator.bounding_box()
    for _ in range(tries):
        locator.page.wait_for_timeout(pause_ms)
        box, before = locator.bounding_box(), box
        if box == before:
            return locator
    raise AssertionError(f"{locator} kept moving")


@contextmanager
def phone_on(browser, site: str, here: tuple[float, float], tile_hosts):
    """A watched page in a phone context at ``here`` (geolocation granted, tiles answered
    locally); on leaving, fails if the page asked any host but the site and the tiles."""
    context = browser.new_context(**PHONE, permissions=["geolocation"], geolocation={"latitude": here[0], "longitude": here[1]})
    offline_tiles(context, tile_hosts)
    page = watch(context.new_page())
    yield page
    context.close()
    allowed = {urlsplit(site).hostname, *tile_hosts}
    strangers = {urlsplit(u).hostname for u in page.requests} - allowed
    assert strangers == set(), strangers
