"""Headless Debian Chromium through Playwright, and a static server for a built site."""

from __future__ import annotations

import base64
import functools
import http.server
import sys
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


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser closing a kept-alive connection is not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


@contextmanager
def running(handler):
    """Serve with ``handler`` on a free loopback port in a thread; yields the base URL."""
    server = _Server(("127.0.0.1", 0), handler)
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


# --- what a person sees -----------------------------------------------------------------------------


def axe(page, options: dict) -> dict:
    if not page.evaluate("() => 'axe' in window"):
        page.add_script_tag(path=str(AXE))
    # What a person sees once the page is still: a check mid-fade (Material's header title swaps
    # with a transition when the page scrolls) would measure a colour nobody reads.
    return page.evaluate("""async (options) => {
      const moving = document.getAnimations().filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity);
      await Promise.race([Promise.all(moving.map((a) => a.finished.catch(() => null))), new Promise((done) => setTimeout(done, 2000))]);
      return axe.run(document, options);
    }""", options)


def serious_findings(page) -> list[str]:
    """axe-core's serious and critical findings in the page's current state, one line each."""
    result = axe(page, {"resultTypes": ["violations"]})
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        for node in violation["nodes"]:
            selector = " ".join(str(t) for t in node["target"])
            found.append(f"{violation['impact']} {violation['id']} at {selector}: {node['failureSummary']}")
    return found


# For one element: what is drawn at its centre and four inner points (elementFromPoint), and the
# lowest contrast of any text in it against the colours painted behind that text (WCAG 2).
SEEN = r"""(el) => {
  el.scrollIntoView({block: "center"});
  const r = el.getBoundingClientRect();
  const name = (n) => n ? n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") + (typeof n.className === "string" && n.className ? "." + n.className.trim().split(/\s+/).join(".") : "") : "nothing";
  const points = [[.5, .5], [.2, .25], [.8, .25], [.2, .75], [.8, .75]].map(([x, y]) => [r.left + r.width * x, r.top + r.height * y]);
  const covers = [];
  for (const [x, y] of points) {
    const top = document.elementFromPoint(x, y);
    if (!top || !(top === el || el.contains(top))) covers.push(name(top));
  }
  const rgba = (text) => { const v = text.match(/[\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
  const background = (node) => {
    const layers = [];
    for (let n = node; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = (c) => { const [R, G, B] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * R + 0.7152 * G + 0.0722 * B; };
  let lowest = Infinity, worst = "";
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let t = walker.currentNode.nodeType === 3 ? walker.currentNode : walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent.trim()) continue;
    const host = t.parentElement, style = getComputedStyle(host);
    if (!host.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const bg = background(host), fg = over(rgba(style.color), bg);
    const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < lowest) { lowest = ratio; worst = t.textContent.trim().slice(0, 20) + " " + style.color + " on rgb(" + bg.slice(0, 3).map(Math.round).join(",") + ")"; }
  }
  return {covers, contrast: lowest, worst, width: r.width, height: r.height, text: el.innerText.trim()};
}"""


def seen(locator, contrast: float = 4.5) -> dict:
    """Assert that a person sees ``locator``'s element: it has a size, nothing is drawn over it
    (the element at its centre and inner points is it or inside it) and all its text has at least
    ``contrast`` against what is behind it. Returns the measurements."""
    got = locator.evaluate(SEEN)
    assert got["width"] > 0 and got["height"] > 0, f"{locator} has no size"
    assert got["covers"] == [], f"{locator} is covered by {got['covers']}"
    assert got["text"] == "" or got["contrast"] >= contrast, f"{locator}: contrast {got['contrast']:.2f} ({got['worst']})"
    return got


# What a person sees of an element: whether it is the element at its own centre (nothing
# covers it), whether that centre is on screen, and its text contrast against the first
# opaque background behind it (WCAG 2 relative luminance).
_ON_SCREEN = """(el) => {
  const rgba = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = [255, 255, 255];
  for (let n = el; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || c[3] > 0.5) { bg = c; break; }
  }
  const fg = rgba(getComputedStyle(el).color), a = lum(fg), b = lum(bg);
  const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  const top = document.elementFromPoint(x, y);
  return {onTop: !!top && (top === el || el.contains(top)), inView: y > 0 && y < innerHeight && x > 0 && x < innerWidth,
          contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), covered_by: top && top !== el && !el.contains(top) ? top.outerHTML.slice(0, 120) : ""};
}"""


def on_screen(locator) -> dict:
    """Without scrolling: ``onTop``, ``inView``, ``contrast`` and what covers it (``covered_by``) for one element."""
    return locator.evaluate(_ON_SCREEN)


def assert_seen(locator, min_contrast: float = 4.5) -> None:
    """The element is on screen, nothing covers its centre, and its text reads (≥ 4.5:1)."""
    what = on_screen(locator)
    assert what["inView"], f"{locator} is off screen"
    assert what["onTop"], f"{locator} is covered by {what['covered_by']}"
    assert what["contrast"] >= min_contrast, f"{locator} contrast {what['contrast']:.2f}"
