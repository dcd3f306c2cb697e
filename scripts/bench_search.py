"""Search benchmark: the atlas's own search against Material's built-in search and Pagefind.

    .venv/bin/python scripts/bench_search.py [--sizes 300,3000,30000] [--out benchmarks/search-benchmark.md]
                                            [--site-limit 3000] [--keep DIR] [--no-browser]

For each size N it generates the fictional atlas of scripts/bench.py (``bench.generate``), builds
it once with the real mkdocs.yml (``bench.atlas_project``, ``mkdocs build`` in a child process)
and measures three ways of searching the same resources, for the same queries:

- ours: the sharded lunr index of atlas/search.py. Index build time is ``atlas.search.build``
  alone, in this process. What a phone downloads before the first result is computed from the
  manifest exactly as atlas-search.js would fetch it (lunr.min.js, atlas-search-core.js,
  atlas-search.js, manifest.json, the index shards of the query's first characters, the card
  files of the first five results), and measured in Chromium twice: on a page that does just
  that (the header box's work) and on /find/?q=… (which also loads facets.json,
  atlas-finder.js and the cards of the first 20 results).
- Material: mkdocs-material's search plugin, which cannot see our resource pages (they are
  ``search: exclude``d), so it gets a variant site: bench.floor_project's plain Markdown page per
  resource, built with ``search: {lang: zh, separator: …}`` and jieba, as Material recommends
  for Chinese. Its index build time is the time spent inside the search plugin's hooks.
- Pagefind (PyPI ``pagefind[extended]``, benchmark-only, not in requirements.lock) run on the
  built atlas site.

Bytes are what a static host sends with gzip level 6 (files that are already gzip, as Pagefind's
are, are sent as they are); a local server does exactly that and counts what it sends. Times
are Chromium's ``performance.now()`` on loopback without throttling: "cold" is from opening a
page with the query in its URL until the first five results are there, "warm" the median of 5
repeats of the same query once everything it needs is loaded.

Sizes above --site-limit are not built as sites (the atlas build of 30,000 takes longer than
10 minutes on 2 cores): ours is measured in-process on the same generated entries and its files
are served on their own; Material and Pagefind are n/a there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import importlib.util
import json
import mimetypes
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load_bench():
    """scripts/bench.py as a module (it is a script, not part of the package)."""
    if "bench" in sys.modules:
        return sys.modules["bench"]
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _load_bench()
sys.path.insert(0, str(ROOT / "scripts"))
import search_queries  # noqa: E402  (the graded query sets)

GRADED = list(dict.fromkeys(q for q, _, _ in search_queries.PLAIN + search_queries.HARD))  # asked of every engine

SYNONYMS = ROOT / "data" / "synonyms.yml"  # the site's own, as bench.atlas_project configures it

from atlas import forgive, holidays, search  # noqa: E402
from atlas.geocache import locate  # noqa: E402
from atlas.pages import Entry  # noqa: E402
from atlas.validate import Settings, validate_csv  # noqa: E402

GZIP_LEVEL = bench.GZIP_LEVEL
YOUTH = "少年宫"
# Typical queries: Chinese sub-words, a street, pinyin initials, full pinyin, mixed, no match.
QUERIES = ["少年宫", "纪念馆", "图书馆", "博物馆", "杨家坪", "tsg", "tushuguan", "杨家坪 tsg", "量子计算"]
TOP = 5  # results a phone shows first (the header box lists 5)
FIND_PAGE = 20  # /find/ shows 20 cards at once
RUNS = 5
OURS_SCRIPTS = ["assets/vendor/lunr.min.js", "assets/atlas-search-core.js", "assets/atlas-search.js"]
FINDER_SCRIPT = "assets/atlas-finder.js"
MATERIAL_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"  # Material's own for zh; \u200b is jieba's cut
PAGEFIND_UI = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.")
COLUMNS = ["N", "方案", "首个结果前下载 gzip 中位数 (KB)", "最大 (KB)", "索引构建时间 (s)", "索引总大小 原始 / gzip (KB)",
           "热查询 中位数 (ms)", "冷查询 中位数 (ms)", "“少年宫”找到少年宫类资源"]
NA = "n/a"


# ---------------------------------------------------------------------------------------------
# Bytes as a static host sends them, and a local server that sends exactly that
# ---------------------------------------------------------------------------------------------


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


@functools.lru_cache(maxsize=4096)
def _compress(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def served(data: bytes) -> int:
    """Bytes on the wire: gzip level 6, unless the file is gzip already (Pagefind's are)."""
    return len(data) if is_gzip(data) else len(_compress(data))


class Server:
    """A static server for a folder that gzips like a CDN and logs (path, body bytes) sent."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.sent: list[tuple[str, int]] = []
        self.lock = threading.Lock()

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            sent, self.sent = self.sent, []
        return sent

    @contextmanager
    def running(self):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = unquote(urlsplit(self.path).path)
                target = (outer.directory / path.lstrip("/")).resolve()
                if target.is_dir():
                    if not path.endswith("/"):
                        self.send_response(301)
                        self.send_header("Location", path + "/")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    target = target / "index.html"
                if outer.directory.resolve() not in target.parents or not target.is_file():
                    body = b"not found"
                    self.send_response(404)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                data = target.read_bytes()
                kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                self.send_response(200)
                self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else ""))
                self.send_header("Cache-Control", "no-cache")
                if not is_gzip(data) and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                    data = _compress(data)
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                with outer.lock:
                    outer.sent.append((path, len(data)))

        mimetypes.add_type("application/json", ".json")
        mimetypes.add_type("text/javascript", ".js")
        from tests.browser import running

        with running(Handler) as url:
            yield url


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class QueryResult:
    text: str
    bytes: int | None = None  # gz bytes before the first results (ours: the model; others: measured)
    measured: int | None = None  # ours: measured in Chromium on a page doing the header box's work
    find_model: int | None = None  # ours: the model of what /find/?q= fetches
    find_measured: int | None = None  # ours: measured on /find/?q=
    cold_ms: float | None = None
    find_cold_ms: float | None = None
    warm_ms: float | None = None
    hits: int | None = None
    top: list[str] = field(default_factory=list)
    shards: int | None = None  # ours: index shards fetched
    cards: int | None = None  # ours: card files fetched
    files: list[str] = field(default_factory=list)  # ours: the model's; others: what Chromium fetched
    measured_files: list[str] = field(default_factory=list)  # ours: what Chromium fetched


@dataclass
class EngineResult:
    engine: str  # ours | material | pagefind
    n: int
    build_s: float | None = None
    index_raw: int | None = None
    index_gz: int | None = None
    queries: list[QueryResult] = field(default_factory=list)
    youth_found: int | None = None
    youth_expected: int = 0
    youth_top: list[str] = field(default_factory=list)
    note: str = ""
    site_build_s: float | None = None  # the whole site's build (ours: the atlas; Material: the floor variant)
    shards_total: int | None = None  # ours: index shards in the manifest
    card_files_total: int | None = None  # ours: card files in the manifest
    shard_gz: list[int] = field(default_factory=list)  # ours: served bytes of each index shard
    fixed_gz: int | None = None  # Pagefind: what every first search loads (pagefind.js, wasm, entry, metadata)
    hard: dict | None = None  # search_queries.grade() of the hard query set
    plain: dict | None = None  # search_queries.grade() of the plain query set
    hard_bytes: list[int] = field(default_factory=list)  # ours: the model's bytes before the first result, per hard query

    def bytes_list(self) -> list[int]:
        return [q.bytes for q in self.queries if q.bytes is not None]


ENGINES = {"ours": "本项目（lunr 分片）", "material": "Material 内置搜索", "pagefind": "Pagefind"}


# ---------------------------------------------------------------------------------------------
# Ours
# ---------------------------------------------------------------------------------------------


def entries_from_csv(csv_data: bytes, today: dt.date) -> list[Entry]:
    """The entries the plugin would build from this CSV (as AtlasPlugin.on_config does)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "resources.csv"
        path.write_bytes(csv_data)
        atlas = validate_csv(path, Settings(today=today))
    calendar = holidays.china()  # the cards carry the hours table, as in the site
    return [Entry(r, locate(r, {}), atlas.rows[r.id].number, atlas.rows[r.id].line, calendar=calendar) for r in atlas.resources]


def warm_up() -> float:
    """Load jieba's dictionary and pypinyin once (a build pays this once, whatever its size); its seconds."""
    start = time.perf_counter()
    search.pinyin_tokens("九龙坡区图书馆")
    return time.perf_counter() - start


def build_index(entries: list[Entry]) -> tuple[float, dict[str, str]]:
    """``atlas.search.build`` alone, timed after warm_up(), with its per-text cache emptied."""
    warm_up()
    search.lead.cache_clear()
    start = time.perf_counter()
    files = search.build(entries, forgive.load_synonyms(SYNONYMS))
    return time.perf_counter() - start, files


@dataclass
class Plan:
    refs: list[str]  # every match, in rank order
    fetched: list[str]  # what atlas-search.js reads after the manifest: index shards, a single list, forgive.json, sounds.json
    card_shards_total: int

    @property
    def index_shards(self) -> list[str]:
        return [name for name in self.fetched if name.startswith("index-")]

    def card_shards(self, top: int) -> list[int]:
        """The card files holding the first ``top`` results."""
        return sorted({search.card_shard(ref, self.card_shards_total) for ref in self.refs[:top]})


def plan(files: dict[str, str], text: str) -> Plan:
    """What atlas-search.js fetches for ``text`` and what it finds (atlas.search.trace)."""
    refs, _, fetched = search.trace(files, text)
    return Plan(refs, fetched, json.loads(files["manifest.json"])["cardShards"])


def plan_paths(p: Plan, top: int, scripts: list[str], extra: list[str] = ()) -> list[str]:
    return [*scripts, "search/manifest.json", *extra, *(f"search/{name}" for name in p.fetched),
            *(f"search/cards-{s}.json" for s in p.card_shards(top))]


def ours_files(files: dict[str, str], scripts: dict[str, bytes]) -> Callable[[str], bytes]:
    def read(path: str) -> bytes:
        return scripts[path] if path in scripts else files[path.removeprefix("search/")].encode("utf-8")

    return read


def script_bytes(site: Path | None) -> dict[str, bytes]:
    """The search scripts as the site serves them (or from the sources when there is no site)."""
    sources = {
        "assets/vendor/lunr.min.js": ROOT / "node_modules" / "lunr" / "lunr.min.js",
        "assets/atlas-search-core.js": ROOT / "docs" / "assets" / "atlas-search-core.js",
        "assets/atlas-search.js": ROOT / "docs" / "assets" / "atlas-search.js",
        FINDER_SCRIPT: ROOT / "docs" / "assets" / "atlas-finder.js",
    }
    return {path: ((site / path) if site and (site / path).is_file() else source).read_bytes() for path, source in sources.items()}


def measure_ours_model(n: int, entries: list[Entry], rows: list[dict], site: Path | None) -> tuple[EngineResult, dict[str, str]]:
    """Index build time in-process, total index bytes, and the computed bytes of each query."""
    seconds, files = build_index(entries)
    scripts = script_bytes(site)
    read = ours_files(files, scripts)
    result = EngineResult("ours", n, build_s=seconds)
    result.index_raw = sum(len(v.encode("utf-8")) for v in files.values())
    result.index_gz = sum(served(v.encode("utf-8")) for v in files.values())
    manifest = json.loads(files["manifest.json"])
    result.shards_total, result.card_files_total = manifest["shards"], manifest["cardShards"]
    result.shard_gz = sorted(served(files[f"index-{i}.json"].encode("utf-8")) for i in range(manifest["shards"]))
    for text in QUERIES:
        p = plan(files, text)
        paths = plan_paths(p, TOP, OURS_SCRIPTS)
        find_paths = plan_paths(p, FIND_PAGE, OURS_SCRIPTS + [FINDER_SCRIPT], ["search/facets.json"])
        result.queries.append(QueryResult(
            text, bytes=sum(served(read(path)) for path in paths), find_model=sum(served(read(path)) for path in find_paths),
            hits=len(p.refs), shards=len(p.index_shards), cards=len(p.card_shards(TOP)), files=paths,
        ))
    # Recall for 少年宫: every resource whose name has it (少年宫 and 青少年宫) should be found.
    ids = {r.r.id: r.r.name for r in entries}
    expected = {i for i, name in ids.items() if YOUTH in name}
    found = search.search(files, YOUTH)
    result.youth_expected = len(expected)
    result.youth_found = len(expected & set(found))
    result.youth_top = [ids[i] for i in found[:TOP]]
    return result, files


# ---------------------------------------------------------------------------------------------
# Pages the browser opens: a page of the site with one engine's "search, then show 5" added
# ---------------------------------------------------------------------------------------------

OURS_BENCH = """
<script src="../assets/vendor/lunr.min.js"></script>
<script src="../assets/atlas-search-core.js"></script>
<script src="../assets/atlas-search.js"></script>
<script>
(function () {
  var q = new URLSearchParams(location.search).get("bq");
  if (!q) return;
  atlasSearch.search(q).then(function (refs) {
    return atlasSearch.cards(refs.slice(0, %(top)d)).then(function (cards) {
      window.__bench = { done: performance.now() - window.__t0, count: refs.length, top: cards.map(function (c) { return c.n; }) };
    });
  });
})();
</script>
"""

PAGEFIND_BENCH = """
<script type="module">
const q = new URLSearchParams(location.search).get("bq");
if (q) {
  const pf = await import("/pagefind/pagefind.js");
  window.pf = pf;
  const found = await pf.search(q);
  const top = await Promise.all(found.results.slice(0, %(top)d).map((r) => r.data()));
  window.__bench = { done: performance.now() - window.__t0, count: found.results.length, top: top.map((d) => d.meta.title) };
}
</script>
"""

T0 = "<script>window.__t0 = performance.now();</script>\n"  # cold times start here, before the engine's first script
BARE = '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>bench</title></head><body>\n</body></html>\n'


def bench_page(site: Path, name: str, snippet: str) -> str:
    """A copy of the site's /about/ page (same depth, same shell) with ``snippet`` added; its URL path."""
    shell = site / "about" / "index.html"
    html = shell.read_text("utf-8") if shell.is_file() else BARE
    page = site / name / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(html.replace("</body>", T0 + (snippet % {"top": TOP}) + "</body>", 1), "utf-8")
    return f"{name}/"


def mini_site(where: Path, files: dict[str, str], shell: Path | None) -> Path:
    """Ours without a site build: the search files and scripts, and a shell page if one is at hand."""
    site = where / "site"
    for path, data in script_bytes(None).items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    (site / "search").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (site / "search" / name).write_text(text, "utf-8")
    if shell is not None and (shell / "about" / "index.html").is_file():
        shutil.copytree(shell / "assets", site / "assets", dirs_exist_ok=True)
        (site / "about").mkdir(exist_ok=True)
        shutil.copy(shell / "about" / "index.html", site / "about" / "index.html")
    return site


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _sent(server: Server, keep: Callable[[str], bool]) -> tuple[int, list[str]]:
    sent = [(p, b) for p, b in server.take() if keep(p)]
    return sum(b for _, b in sent), [p for p, _ in sent]


WAIT_MS = 120_000


@contextmanager
def _fresh_page(browser, server: Server, url: str, init_script: str = ""):
    """A page in a new phone context (nothing cached), opened at ``url`` with the server's
    request log emptied first, so what it then holds is this page's cold load."""
    from tests.browser import PHONE

    context = browser.new_context(**PHONE)
    page = context.new_page()
    server.take()
    if init_script:
        page.add_init_script(init_script)
    page.goto(url)
    try:
        yield page
    finally:
        context.close()


def _bench_result(page) -> dict:
    """What the bench page's snippet left in window.__bench: time to first result, count, top."""
    page.wait_for_function("() => window.__bench", timeout=WAIT_MS)
    return page.evaluate("() => window.__bench")


def _warm(page, search: str, text: str) -> float:
    """Median ms of RUNS repeated calls of the page's ``search`` function (e.g. pf.search)."""
    times = page.evaluate(
        f"""async ([q, runs]) => {{
             await {search}(q);
             const times = [];
             for (let i = 0; i < runs; i++) {{ const t = performance.now(); await {search}(q); times.push(performance.now() - t); }}
             return times;
           }}""",
        [text, RUNS],
    )
    return statistics.median(times)


def measure_ours_browser(result: EngineResult, site: Path, browser, find: bool = True) -> None:
    """Ours in Chromium: the header box's work on a bench page (bytes, cold), /find/?q= (bytes,
    cold) and warm ``atlasSearch.search(q)`` on /find/ (or on the bench page without a site)."""
    name = bench_page(site, "zz-bench-ours", OURS_BENCH)
    server = Server(site)
    ours_path = re.compile(r"^/(search/(manifest|index-\d+|cards-\d+|facets|forgive|sounds|single-[0-9a-f]+)\.json|assets/(vendor/lunr\.min|atlas-search-core|atlas-search|atlas-finder)\.js)$")
    find = find and (site / "find" / "index.html").is_file()
    with server.running() as url:
        for q in result.queries:
            with _fresh_page(browser, server, url + name + "?bq=" + quote(q.text)) as page:
                got = _bench_result(page)
                q.measured, sent = _sent(server, lambda p: bool(ours_path.match(p)))
                q.measured_files = [p.lstrip("/") for p in sent]
                q.cold_ms = got["done"]
                q.top = got["top"]
                if q.hits is not None and got["count"] != q.hits:
                    raise SystemExit(f"ours: lunr.js found {got['count']} for {q.text!r}, the Python side {q.hits}")
                if not find:
                    q.warm_ms = _warm(page, "atlasSearch.search", q.text)
            if find:
                with _fresh_page(browser, server, url + "find/?q=" + quote(q.text)) as page:
                    page.wait_for_function("() => document.getElementById('atlas-summary').textContent && document.getElementById('results').getAttribute('aria-busy') === 'false'", timeout=WAIT_MS)
                    q.find_cold_ms = page.evaluate("() => performance.now()")
                    q.find_measured, _ = _sent(server, lambda p: bool(ours_path.match(p)))
                    q.warm_ms = _warm(page, "atlasSearch.search", q.text)


# ---------------------------------------------------------------------------------------------
# Material's built-in search on the floor variant
# ---------------------------------------------------------------------------------------------

TIMED_BUILD = r"""
import json, sys, time
from material.plugins.search import plugin as searchplugin
spent = [0.0]
def timed(hook):
    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return hook(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start
    return run
for name in [n for n in vars(searchplugin.SearchPlugin) if n.startswith("on_")]:
    setattr(searchplugin.SearchPlugin, name, timed(getattr(searchplugin.SearchPlugin, name)))
from mkdocs.__main__ import cli
start = time.perf_counter()
cli(["build", "-q", "-f", sys.argv[1], "-d", sys.argv[2]], standalone_mode=False)
with open(sys.argv[3], "w") as out:
    json.dump({"total": time.perf_counter() - start, "search": spent[0]}, out)
"""


def material_project(where: Path, rows: list[dict]) -> Path:
    """bench.floor_project's plain pages, with the search plugin set up for Chinese (jieba is installed)."""
    config_path = bench.floor_project(where, rows)
    config = yaml.safe_load(config_path.read_text("utf-8"))
    config["plugins"] = [{"search": {"lang": "zh", "separator": MATERIAL_SEPARATOR}}]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return config_path


def timed_material_build(config: Path, site: Path) -> tuple[float, float]:
    """(whole build, time inside the search plugin's hooks), in a child process."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(config.parent), "LANG": "C.UTF-8"}
        done = subprocess.run([sys.executable, "-c", TIMED_BUILD, str(config), str(site), out.name], capture_output=True, text=True, env=env, cwd=config.parent)
        if done.returncode != 0:
            raise SystemExit(f"Material variant build failed:\n{done.stderr[-3000:]}")
        times = json.loads(Path(out.name).read_text() or "{}")
    return times["total"], times["search"]


def measure_material(n: int, rows: list[dict], where: Path, browser, log=print) -> EngineResult:
    config = material_project(where, rows)
    site = where / "site"
    total, spent = timed_material_build(config, site)
    log(f"[{n}] Material variant built in {total:.1f} s ({spent:.1f} s in the search plugin)")
    index = (site / "search" / "search_index.json").read_bytes()
    result = EngineResult("material", n, build_s=spent, index_raw=len(index), index_gz=served(index), site_build_s=total)
    result.queries = [QueryResult(q) for q in QUERIES]
    expected = {r["name"] for r in rows if YOUTH in r["name"]}
    result.youth_expected = len(expected)
    if browser is None:
        return result
    home = site / "index.html"
    html, marked = re.subn(r'(<script src="assets/javascripts/bundle\.)', lambda m: T0 + m.group(1), home.read_text("utf-8"), count=1)
    if not marked:
        raise SystemExit("Material variant: no bundle script in index.html")
    home.write_text(html, "utf-8")
    server = Server(site)
    keep = re.compile(r"(search_index\.json|/workers/search\.[^/]*\.js|/javascripts/lunr/)").search
    meta = "() => { const m = document.querySelector('.md-search-result__meta'); return m && /结果/.test(m.textContent) ? m.textContent : null; }"
    with server.running() as url:
        for q in result.queries:
            with _fresh_page(browser, server, url + "?q=" + quote(q.text), init_script=_first_time(meta)) as page:
                got = _bench_result(page)
                q.cold_ms = got["done"]
                q.bytes, q.files = _sent(server, keep)
                q.hits = _material_count(got["text"])
                titles = _material_titles(page, q.hits, every=q.text == YOUTH)
                q.top = titles[:TOP]
                if q.text == YOUTH:
                    result.youth_found = len(expected & set(titles))
                    result.youth_top = titles[:TOP]
                q.warm_ms = _warm_material(page, q.text)
        ids = {r["name"]: r["id"] for r in rows}
        answers = {}
        for text in GRADED:  # Material's first ten titles for each graded query
            with _fresh_page(browser, server, url + "?q=" + quote(text), init_script=_first_time(meta)) as page:
                got = _bench_result(page)
                answers[text] = [ids[t] for t in _material_titles(page, _material_count(got["text"])) if t in ids]
        grade_both(result, answers, rows)
    return result


def _first_time(condition: str) -> str:
    """An init script: note performance.now() the first time ``condition`` holds after a DOM change."""
    return f"""
      (() => {{
        const test = {condition};
        const check = () => {{ if (!window.__bench) {{ const text = test(); if (text) window.__bench = {{ done: performance.now() - (window.__t0 || 0), text }}; }} }};
        new MutationObserver(check).observe(document, {{ subtree: true, childList: true, characterData: true }});
      }})();
    """


def _material_count(meta: str) -> int:
    if "没有" in meta:
        return 0
    digits = re.findall(r"\d[\d,]*", meta)
    return int(digits[0].replace(",", "")) if digits else 1


def _material_titles(page, hits: int, every: bool = False) -> list[str]:
    """Titles of Material's results: it renders 10, then 4 more each time the list's end comes into view
    (scrolling back up and down again); ``every`` scrolls until all ``hits`` are there."""
    item = ".md-search-result__item > .md-search-result__link h1"
    titles = page.locator(item).all_inner_texts()
    stalled = 0
    while every and len(titles) < hits and stalled < 5:
        page.evaluate("() => { const w = document.querySelector('.md-search__scrollwrap'); w.scrollTop = 0; }")
        page.wait_for_timeout(30)
        page.evaluate("() => { const w = document.querySelector('.md-search__scrollwrap'); w.scrollTop = w.scrollHeight; }")
        page.wait_for_timeout(30)
        more = page.locator(item).all_inner_texts()
        stalled = stalled + 1 if len(more) == len(titles) else 0
        titles = more
    return [t.replace("\u200b", "").strip() for t in titles]  # jieba's cuts are zero-width spaces


def _warm_material(page, text: str) -> float:
    """Median time from the query's keyup to Material's result count on screen (worker + rendering)."""
    times = page.evaluate(
        """async ([q, runs]) => {
             const box = document.querySelector('.md-search__input');
             const meta = document.querySelector('.md-search-result__meta');
             const type = (value) => { box.value = value; box.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true })); };
             const until = (ok) => new Promise((resolve) => {
               if (ok()) return resolve();
               const watch = new MutationObserver(() => { if (ok()) { watch.disconnect(); resolve(); } });
               watch.observe(meta, { subtree: true, childList: true, characterData: true });
             });
             const times = [];
             for (let i = 0; i <= runs; i++) {
               type('');
               await until(() => !/结果/.test(meta.textContent));
               const t = performance.now();
               type(q);
               await until(() => /结果/.test(meta.textContent));
               if (i) times.push(performance.now() - t);  // the first run only warms up
             }
             return times;
           }""",
        [text, RUNS],
    )
    return statistics.median(times)


# ---------------------------------------------------------------------------------------------
# Pagefind on the built atlas site
# ---------------------------------------------------------------------------------------------


def pagefind_version() -> str | None:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return None


def run_pagefind(site: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"pagefind failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds


def measure_pagefind(n: int, rows: list[dict], site: Path, browser, log=print) -> EngineResult:
    result = EngineResult("pagefind", n)
    result.queries = [QueryResult(q) for q in QUERIES]
    expected = {r["name"] for r in rows if YOUTH in r["name"]}
    result.youth_expected = len(expected)
    if pagefind_version() is None:
        result.note = "没有安装 pagefind"
        return result
    try:
        result.build_s = run_pagefind(site)
    except (RuntimeError, OSError) as error:
        result.note = f"pagefind 运行失败：{str(error).splitlines()[0]}"
        return result
    out = site / "pagefind"
    data = [p for p in out.rglob("*") if p.is_file() and not PAGEFIND_UI.search(p.name)]
    runtime = {"pagefind.js", "pagefind-worker.js"}
    index = [p for p in data if p.name not in runtime and not p.name.startswith("wasm.")]
    result.index_raw = sum(p.stat().st_size for p in index)
    result.index_gz = sum(served(p.read_bytes()) for p in index)
    fixed = [p for p in data if p.name in ("pagefind.js", "pagefind-entry.json") or p.name.startswith("wasm.") or p.suffix == ".pf_meta"]
    result.fixed_gz = sum(served(p.read_bytes()) for p in fixed)
    pages = sum(1 for _ in (out / "fragment").glob("*"))
    log(f"[{n}] Pagefind indexed {pages} pages in {result.build_s:.1f} s")
    if browser is None:
        return result
    name = bench_page(site, "zz-bench-pagefind", PAGEFIND_BENCH)
    server = Server(site)
    with server.running() as url:
        for q in result.queries:
            with _fresh_page(browser, server, url + name + "?bq=" + quote(q.text)) as page:
                got = _bench_result(page)
                q.bytes, q.files = _sent(server, lambda p: p.startswith("/pagefind/"))
                q.cold_ms, q.hits, q.top = got["done"], got["count"], got["top"]
                q.warm_ms = _warm(page, "pf.search", q.text)
                if q.text == YOUTH:
                    titles = page.evaluate("async (q) => { const s = await pf.search(q); return Promise.all(s.results.map((r) => r.data().then((d) => d.meta.title))); }", q.text)
                    result.youth_found = len(expected & {t.strip() for t in titles})
                    result.youth_top = q.top
        ids = {r["name"]: r["id"] for r in rows}
        answers = {}
        with _fresh_page(browser, server, url + name + "?bq=" + quote(YOUTH)) as page:  # one loaded page asks every graded query
            _bench_result(page)
            for text in GRADED:  # its first ten titles for each graded query
                titles = page.evaluate("async (q) => { const s = await pf.search(q); return Promise.all(s.results.slice(0, 10).map((r) => r.data().then((d) => d.meta.title))); }", text)
                answers[text] = [ids[t.strip()] for t in titles if t.strip() in ids]
        grade_both(result, answers, rows)
    return result


def grade_both(result: EngineResult, answers: dict[str, list[str]], rows: list[dict]) -> None:
    result.plain = search_queries.grade(answers, rows, search_queries.PLAIN)
    result.hard = search_queries.grade(answers, rows, search_queries.HARD)


# ---------------------------------------------------------------------------------------------
# One size
# ---------------------------------------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    site_built: bool
    engines: list[EngineResult]
    atlas_build_s: float | None = None
    load: float = 0.0


def run_size(n: int, work: Path, seed: int, today: dt.date, build_site: bool, browser, shell: Path | None = None, log=print) -> SizeResult:
    csv_data, routes, rows = bench.generate(n, seed, today)
    load = os.getloadavg()[0]
    entries = entries_from_csv(csv_data, today)
    site = None
    atlas_s = None
    if build_site:
        project = bench.atlas_project(work / f"atlas-{n}", csv_data, routes)
        site = project.parent / "site"
        log(f"[{n}] building the atlas with the real mkdocs.yml …")
        build = bench.measure_build(project, site)
        atlas_s = build.seconds
        log(f"[{n}] atlas built in {build.seconds:.1f} s")
    ours, files = measure_ours_model(n, entries, rows, site)
    ours.site_build_s = atlas_s
    grade_both(ours, {q: search.search(files, q) for q in GRADED}, rows)
    read = ours_files(files, script_bytes(site))
    ours.hard_bytes = [sum(served(read(path)) for path in plan_paths(plan(files, q), TOP, OURS_SCRIPTS)) for q, _, _ in search_queries.HARD]
    log(f"[{n}] ours: index built in {ours.build_s:.1f} s in-process")
    if site is None:
        site_for_ours = mini_site(work / f"ours-{n}", files, shell)
        ours.note = "未构建站点：索引在进程内由 atlas.search.build 生成，只发布搜索文件和脚本来测"
    else:
        site_for_ours = site
    if browser is not None:
        measure_ours_browser(ours, site_for_ours, browser, find=site is not None)
        log(f"[{n}] ours measured in Chromium")
    engines = [ours]
    if site is not None:
        engines.append(measure_material(n, rows, work / f"material-{n}", browser, log))
        engines.append(measure_pagefind(n, rows, site, browser, log))
    else:
        for name in ("material", "pagefind"):
            engines.append(EngineResult(name, n, queries=[QueryResult(q) for q in QUERIES], note="未构建站点，未测", youth_expected=ours.youth_expected))
    return SizeResult(n, site is not None, engines, atlas_s, load)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _kb(b: int | float | None) -> str:
    return NA if b is None else f"{b / 1024:,.1f}"


def _ms(x: float | None) -> str:
    return NA if x is None else (f"{x:,.1f}" if x < 100 else f"{x:,.0f}")


def _youth(e: EngineResult) -> str:
    if e.youth_found is None:
        return NA
    if e.youth_expected == 0:
        return "（没有这类资源）"
    word = "是" if e.youth_found == e.youth_expected else "部分" if e.youth_found else "否"
    return f"{word} {e.youth_found}/{e.youth_expected}"


def row_values(e: EngineResult) -> list[str]:
    sizes = e.bytes_list()
    warm = [q.warm_ms for q in e.queries if q.warm_ms is not None]
    cold = [q.cold_ms for q in e.queries if q.cold_ms is not None]
    index = NA if e.index_raw is None else f"{_kb(e.index_raw)} / {_kb(e.index_gz)}"
    build = NA if e.build_s is None else f"{e.build_s:,.2f}"
    return [
        f"{e.n:,}", ENGINES[e.engine], _kb(_median(sizes)), _kb(max(sizes) if sizes else None), build, index,
        _ms(_median(warm)), _ms(_median(cold)), _youth(e),
    ]


def table(results: list[SizeResult]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join(["---:", "---"] + ["---:"] * (len(COLUMNS) - 3) + ["---"]) + " |"]
    for size in results:
        for e in size.engines:
            lines.append("| " + " | ".join(row_values(e)) + " |")
    return "\n".join(lines)


def hard_table(results: list[SizeResult], which: str = "hard") -> str:
    """hits@5, MRR and the zero-result rate of each engine on one query set (``which``: hard | plain)."""
    rows = ["| N | 方案 | hits@5 | MRR | 零结果率 | 前 5 条里没有相关资源的查询 |", "| ---: | --- | ---: | ---: | ---: | --- |"]
    for size in results:
        for e in size.engines:
            h = getattr(e, which)
            rows.append(f"| {size.n:,} | {ENGINES[e.engine]} | " + (f"{h['hits5']:.3f} | {h['mrr']:.3f} | {h['zero']:.3f} | {'、'.join(h['misses']) or '—'} |" if h else "n/a | n/a | n/a | n/a |"))
    return "\n".join(rows)


def query_table(size: SizeResult) -> str:
    ours, material, pagefind = size.engines
    header = ["查询", "本项目 命中", "索引分片 / 卡片文件", "本项目 gzip KB（计算 / 实测）", "/find/ gzip KB（计算 / 实测）",
              "本项目 冷 / 热 ms", "打开 /find/?q= 到结果 ms", "Material 命中", "Material gzip KB", "Material 冷 / 热 ms", "Pagefind 命中", "Pagefind gzip KB", "Pagefind 冷 / 热 ms"]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |"]
    for o, m, p in zip(ours.queries, material.queries, pagefind.queries):
        lines.append("| " + " | ".join([
            f"`{o.text}`", _n(o.hits), f"{o.shards} / {o.cards}", f"{_kb(o.bytes)} / {_kb(o.measured)}", f"{_kb(o.find_model)} / {_kb(o.find_measured)}",
            f"{_ms(o.cold_ms)} / {_ms(o.warm_ms)}", _ms(o.find_cold_ms), _n(m.hits), _kb(m.bytes), f"{_ms(m.cold_ms)} / {_ms(m.warm_ms)}",
            _n(p.hits), _kb(p.bytes), f"{_ms(p.cold_ms)} / {_ms(p.warm_ms)}",
        ]) + " |")
    return "\n".join(lines)


def _n(x: int | None) -> str:
    return NA if x is None else f"{x:,}"


def agreement(results: list[SizeResult]) -> list[str]:
    """Computed vs measured bytes for ours: the largest relative gap, per size."""
    out = []
    for size in results:
        ours = size.engines[0]
        gaps = [abs(q.measured - q.bytes) / q.bytes for q in ours.queries if q.measured is not None and q.bytes]
        gaps_find = [abs(q.find_measured - q.find_model) / q.find_model for q in ours.queries if q.find_measured is not None and q.find_model]
        if gaps or gaps_find:
            parts = []
            if gaps:
                parts.append(f"首批 5 条结果最大相差 {max(gaps):.1%}")
            if gaps_find:
                parts.append(f"/find/?q= 最大相差 {max(gaps_find):.1%}")
            out.append(f"N = {size.n:,}：" + "，".join(parts))
    return out


BUDGET = 100 * 1024  # the search issue's budget at 300 resources


def budget_lines(results: list[SizeResult]) -> list[str]:
    lines = []
    small = next((s for s in results if s.n == 300), None)
    if small is not None:
        ours = small.engines[0]
        worst = max(ours.queries, key=lambda q: max(q.bytes or 0, q.measured or 0))
        worst_bytes = max(worst.bytes or 0, worst.measured or 0)
        status = "PASS" if worst_bytes < BUDGET else "FAIL"
        median = _median(ours.bytes_list())
        lines.append(f"**{status}** N = 300：本项目首个结果前的下载中位数 {_kb(median)} KB、最多 {_kb(worst_bytes)} KB gzip（`{worst.text}`），预算 < 100 KB。"
                     f"在 /find/?q= 上（另含 facets.json、atlas-finder.js 和前 20 条的卡片）最多 "
                     f"{_kb(max((q.find_measured or q.find_model or 0) for q in ours.queries))} KB。")
        if ours.hard_bytes:
            hard = ours.hard_bytes
            lines.append(f"N = 300 的 {len(hard)} 个难查询（由 manifest 算出，含查不到时才下载的 forgive.json 和 sounds.json）：首个结果前的下载中位数 "
                         f"{_kb(statistics.median(hard))} KB、最多 {_kb(max(hard))} KB gzip，{sum(b < BUDGET for b in hard)} 个低于 100 KB。")
    big = max(results, key=lambda s: s.n)
    ours = big.engines[0]
    per = "；".join(f"`{q.text}` {q.shards} 个分片 + {q.cards} 个卡片文件 = {_kb(q.bytes)} KB" for q in ours.queries)
    spread = ours.shard_gz
    lines.append(f"N = {big.n:,}{'' if big.site_built else '（进程内构建索引，未构建站点）'}：共 {ours.shards_total} 个索引分片、{ours.card_files_total} 个卡片文件，"
                 f"索引总计 {_kb(ours.index_gz)} KB gzip；分片 gzip 中位数 {_kb(statistics.median(spread))} KB、最大 {_kb(spread[-1])} KB"
                 + ("（按词的首字分片，常见字所在的分片重得多）" if spread[-1] > 3 * statistics.median(spread) else "") + "；"
                 f"一次查询下载：{per}（含 lunr.min.js 等脚本和 manifest.json）。")
    return lines


def machine() -> list[tuple[str, str]]:
    rows = bench.machine()
    version = pagefind_version()
    rows.insert(-1, ("Pagefind", f"{version}（pip install 'pagefind[extended]=={version}'，仅用于基准，未写入 requirements.lock）" if version else "未安装"))
    rows.insert(-1, ("Chromium", _chromium_version()))
    return rows


def _chromium_version() -> str:
    try:
        return subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "未安装"


def markdown(results: list[SizeResult], command: str, notes: list[str]) -> str:
    sections = []
    for size in results:
        sections += [f"### N = {size.n:,}" + ("" if size.site_built else "（未构建站点）"), "",
                     f"开始时机器 1 分钟负载 {size.load:.1f}" + (f"；图谱整站构建 {size.atlas_build_s:.1f} s" if size.atlas_build_s else "")
                     + (f"；Material 对照站整站构建 {size.engines[1].site_build_s:.1f} s，其中搜索插件 {size.engines[1].build_s:.1f} s"
                        f"（{size.engines[1].build_s / size.engines[1].site_build_s:.0%}）" if size.engines[1].site_build_s else "")
                     + (f"；Pagefind 每次首个查询固定要下载 pagefind.js、wasm、入口和元数据 {_kb(size.engines[2].fixed_gz)} KB" if size.engines[2].fixed_gz else "")
                     + "。", "",
                     query_table(size), "",
                     "“少年宫”的前 5 条：" + "；".join(f"{ENGINES[e.engine]}：{'、'.join(e.youth_top) or '（无）'}" for e in size.engines if e.youth_found is not None) + "。", ""]
    lines = [
        "# 搜索基准",
        "",
        f"由 `scripts/bench_search.py` 生成（`{command}`），请勿手工编辑。",
        "",
        "同一份生成的虚构图谱（`scripts/bench.py` 的 `generate`，名称都以“示例”开头），比较三种站内搜索：",
        "",
        "- **本项目**：`atlas/search.py` 用 lunr.py 生成、按词首字分片的索引，浏览器里由 lunr.js 2.3.9 查询。"
        "索引构建时间是在本进程内只调用 `atlas.search.build(entries)` 的时间。",
        "- **Material 内置搜索**：我们的资源页对它 `search: exclude`，所以另建一个对照站（`bench.floor_project`：每条资源一个普通 Markdown 页），"
        f"按 Material 对中文的建议配置 `search: {{lang: zh, separator: '{MATERIAL_SEPARATOR}'}}` 并装有 jieba。构建时间是构建中花在搜索插件里的时间。",
        "- **Pagefind**：在同一个构建好的图谱站点上运行 `python -m pagefind --site site --output-subdir pagefind`（extended 版，带中文分词）。",
        "",
        "**首个结果前下载**：搜索一个词、拿到前 5 条结果要下载的字节（gzip 级别 6；Pagefind 的文件本身已是 gzip，按原样计），"
        "不含页面本身和 Material 主题的脚本样式（三者相同）。本项目 = lunr.min.js + atlas-search-core.js + atlas-search.js + manifest.json + "
        "查询涉及的索引分片 + 前 5 条的卡片文件（即页头搜索框的工作），由 manifest 算出，并在 Chromium 中实测核对；"
        "另在 `/find/?q=` 上实测（它还下载 facets.json、atlas-finder.js 和前 20 条的卡片）。"
        "Material = 搜索 worker 脚本 + lunr 语言脚本 + search_index.json（页面加载时就整体下载）。"
        "Pagefind = pagefind.js + wasm + 入口与元数据 + 查询涉及的索引块 + 前 5 条的片段。一个本地服务器按上述规则压缩并统计实际发送的字节。",
        "",
        "**查询时间**（Debian Chromium 无头模式，本机回环、不限速，手机视口）：冷 = 打开带查询词的网址到前 5 条结果就绪"
        "（本项目和 Pagefind 用复制的“关于”页加上搜索脚本，Material 用对照站首页的 `?q=`），含下载、解析和建索引；"
        "热 = 所需文件都已加载后同一查询重复 5 次的中位数：本项目在 `/find/` 上计时 `atlasSearch.search(q)`，Pagefind 计时 `pagefind.search(q)`，"
        "Material 的搜索在 worker 里，计的是从按键到结果数显示出来（含渲染）。"
        "**索引总大小**：本项目 = search/ 下全部文件；Material = search_index.json（浏览器里再由 lunr 建索引）；Pagefind = pagefind/ 下的索引、元数据和片段（不含 JS、wasm 和界面文件）。",
        "",
        f"“少年宫”一列：名称含“少年宫”的资源（示例少年宫…、示例青少年宫…）被这个查询找到了几条。查询词：{'、'.join(f'`{q}`' for q in QUERIES)}。",
        "",
        *[f"> **说明**：{note}\n" for note in notes],
        *bench.machine_section(machine()),
        "",
        "## 结果",
        "",
        table(results),
        "",
        "## 查询质量",
        "",
        f"`scripts/search_queries.py` 的两组查询，每个都指向图谱里有的东西：{len(search_queries.PLAIN)} 个普通查询（图谱里的叫法、镇街、组合、拼音和首字母）"
        f"和 {len(search_queries.HARD)} 个难查询（繁体字、地名误写、同音字、提问和长句、同义词和简称、全角）。"
        "hits@5 = 前 5 条里有相关资源的查询占比；MRR = 第一个相关结果名次倒数的平均（Material 和 Pagefind 只看前 10 条）；"
        "零结果率 = 一条结果都没有的查询占比。本项目在进程内按浏览器的同一流程计算（`atlas.search.trace`；"
        "`tests/test_search.py` 核对 lunr.js 给出同样的前 5 条），Material 和 Pagefind 在 Chromium 中实测。",
        "",
        "### 普通查询",
        "",
        hard_table(results, "plain"),
        "",
        "### 难查询",
        "",
        hard_table(results),
        "",
        "## 预算",
        "",
        *[f"- {line}" for line in budget_lines(results)],
        "",
        "本项目的计算值与 Chromium 实测值：" + ("；".join(agreement(results)) or "未在浏览器中实测") + "。",
        "",
        "## 每个查询",
        "",
        *sections,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,3000,30000", help="comma-separated resource counts (default 300,3000,30000)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "search-benchmark.md"), help="Markdown report to write")
    parser.add_argument("--site-limit", type=int, default=3000, help="build sites (and measure Material and Pagefind) only up to this size")
    parser.add_argument("--keep", help="keep the generated projects and sites in this folder")
    parser.add_argument("--no-browser", action="store_true", help="skip everything measured in Chromium")
    parser.add_argument("--seed", type=int, default=bench.SEED)
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    command = ".venv/bin/python scripts/bench_search.py --sizes " + ",".join(map(str, sizes))
    today = dt.date.today()

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="atlas-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[SizeResult] = []
    notes = [f"本项目的索引构建时间不含一次性加载 jieba 词典和 pypinyin（本次 {warm_up():.1f} s，构建只付一次）；Material 的计时含它自己加载 jieba。",
             "生成的简介由 12 句固定短语拼成，整段全文的 JSON（Material 的 search_index.json）gzip 压缩率因此远高于真实数据；"
             "本项目只索引简介的第一句，受此影响小。"]
    skipped = [n for n in sizes if n > args.site_limit]
    try:
        with _browser(args.no_browser) as browser:
            shell = None
            for n in sizes:
                result = run_size(n, work, args.seed, today, n <= args.site_limit, browser, shell, log)
                results.append(result)
                if result.site_built:
                    shell = work / f"atlas-{n}" / "site"
                Path(args.out).write_text(markdown(results, command, notes + skipped_note(results, skipped, args.site_limit)), "utf-8")  # after each size
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    print()
    for line in budget_lines(results):
        print(line)
    for line in agreement(results):
        print("computed vs measured:", line)
    return 0


def skipped_note(results: list[SizeResult], skipped: list[int], limit: int) -> list[str]:
    if not skipped:
        return []
    built = [r for r in results if r.site_built]
    guess = ""
    if built:
        b = built[-1]
        atlas, floor = b.atlas_build_s * max(skipped) / b.n, b.engines[1].site_build_s * max(skipped) / b.n
        guess = (f"按本次 N = {b.n:,} 线性外推，N = {max(skipped):,} 的图谱整站约 {atlas / 60:.0f} 分钟、Material 对照站约 {floor / 60:.0f} 分钟"
                 "（实际增长快于线性，见[性能基准](benchmark.md)），加上 Pagefind 和浏览器测量，整次运行会超过约 15 分钟的预算；")
    shell = f"和 N = {built[-1].n:,} 站点的“关于”页" if built else ""
    return [f"N = {'、'.join(f'{n:,}' for n in skipped)} 没有构建站点（`--site-limit {limit}`）：{guess}"
            f"本项目的索引在进程内用 `atlas.search.build` 对同样生成的条目构建，只把搜索文件、脚本{shell}放进一个目录来测浏览器时间"
            "（没有 /find/ 页，热查询在这个页上计时）；Material 和 Pagefind 记为 n/a。"]


@contextmanager
def _browser(skip: bool):
    if skip:
        yield None
        return
    from tests.browser import chromium

    with chromium() as browser:
        yield browser


if __name__ == "__main__":
    sys.exit(main())
