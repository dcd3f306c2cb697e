"""Lighthouse and axe-core on the real site, one page of each type; results on benchmarks/benchmark.md.

    .venv/bin/python scripts/lighthouse.py [--site DIR] [--runs N] [--out benchmarks/benchmark.md]

Builds the shipped data with the real mkdocs.yml (`mkdocs build --strict`) into a temp dir,
or takes a built ``--site``, serves it on 127.0.0.1 with netlify.toml's headers and gzip (as
Netlify serves it), and runs Lighthouse 12.2.3 (mobile preset, Debian's Chromium) and axe-core
on each page type. Lighthouse is benchmark-only: its pinned npm package lives in
scripts/lighthouse/ (not in the site's package.json) and is installed here with `npm ci` when
missing. The Markdown section replaces only the part of the benchmark page between the
markers below, so scripts/bench.py and this script never overwrite each other's results.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACKAGE = ROOT / "scripts" / "lighthouse"
CLI = PACKAGE / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
TARGET = 95
CATEGORIES = {"performance": "性能", "accessibility": "无障碍", "best-practices": "最佳实践", "seo": "SEO"}
IMPACTS = ["critical", "serious", "moderate", "minor"]
# Netlify compresses these on the fly; Python's server does not, so we do (else Lighthouse
# would weigh every page uncompressed, which no visitor gets).
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


# --- the site and its pages ------------------------------------------------------------------


def build_site(dest: Path) -> Path:
    """The shipped data, built by the real mkdocs.yml, as Netlify builds it."""
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)]
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=child_env(NO_MKDOCS_2_WARNING="1"))
    if result.returncode:
        raise SystemExit(f"mkdocs build failed:\n{result.stderr}")
    return dest


def _most_common(rows: list[dict[str, str]], key: str) -> str:
    counts = Counter(r[key] for r in rows)
    return max(counts, key=lambda value: (counts[value], value))  # ties: the same pick every run


def page_paths(csv_path: Path) -> dict[str, str]:
    """One URL path per page type: the fullest resource row, the largest category and street,
    the first 研学 route (data/routes.yml beside the CSV)."""
    import yaml

    from atlas.taxonomy import taxonomy

    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("status") != "draft"]
    fullest = max(rows, key=lambda r: (sum(bool(v.strip()) for v in r.values()), r["id"]))
    street = next(s.slug for s in taxonomy().streets if s.name == _most_common(rows, "street"))
    route = yaml.safe_load((csv_path.parent / "routes.yml").read_text("utf-8"))[0]["id"]
    return {
        "首页": "/",
        "资源页": f"/r/{fullest['id']}/",
        "类别页": f"/c/{_most_common(rows, 'category')}/",
        "镇街页": f"/s/{street}/",
        "假期托管页": "/holiday/",
        "查找页": "/find/",
        "地图页": "/map/",
        "研学路线页": "/routes/",
        "研学路线详情页": f"/routes/{route}/",
        "路线规划页": "/routes/plan/",
        "课表页": "/programs/",
        "开放数据页": "/data/",
        "学校需求页": "/needs/",
        "编辑指南": "/editors/",
        "坐标": "/editors/coordinates/",
        "列说明": "/editors/columns/",
        "检查提示一览": "/editors/messages/",
        "坐标拾取器": "/editors/picker/",
    }


# --- serving ----------------------------------------------------------------------------------


def gzipping(base):
    """``base`` (a SimpleHTTPRequestHandler) over kept-alive HTTP/1.1, text gzipped when accepted.

    Netlify serves HTTP/2 on one connection; HTTP/1.0 would make Lighthouse model a new
    connection for every file, which no visitor pays for."""

    class Gzip(base):
        protocol_version = "HTTP/1.1"

        def send_head(self):
            accepts = self.command == "GET" and "gzip" in self.headers.get("Accept-Encoding", "")
            local = Path(self.translate_path(self.path))
            if local.is_dir():  # a folder is its index.html, or a redirect to "folder/" (no body)
                accepts = accepts and urlsplit(self.path).path.endswith("/")
                local = local / "index.html"
            self._gzip = accepts and self.guess_type(str(local)).startswith(COMPRESSED)
            self._held = False
            body = super().send_head()  # headers are held back (end_headers) until the size is known
            if not self._held:
                return body
            self._gzip = False
            if body is None:  # 304 Not Modified: no body to compress
                super().end_headers()
                return None
            data = gzip.compress(body.read(), 6)
            body.close()
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            super().end_headers()
            return io.BytesIO(data)

        def send_header(self, keyword, value):
            if not (self._gzip and keyword.lower() == "content-length"):
                super().send_header(keyword, value)

        def end_headers(self):
            if self._gzip:
                self._held = True
            else:
                super().end_headers()

    return Gzip


@contextmanager
def serve(site: Path):
    from tests import netlify_server as netlify
    from tests.browser import running

    with running(functools.partial(gzipping(netlify.handler(netlify.rules())), directory=str(site))) as url:
        yield url.rstrip("/")


# --- Lighthouse -------------------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The user's environment (proxies, NODE_EXTRA_CA_CERTS, ~/.npmrc through HOME) plus ``extra``."""
    return {**os.environ, **extra}


def ensure_lighthouse() -> None:
    if not CLI.exists():
        env = child_env(PUPPETEER_SKIP_DOWNLOAD="1")  # Debian's Chromium is used, never a download
        subprocess.run(["npm", "ci", "--prefix", str(PACKAGE), "--no-audit", "--no-fund", "--ignore-scripts"], check=True, env=env)


def lighthouse(url: str) -> dict:
    """One Lighthouse run (mobile is its default form factor): the JSON result."""
    args = ["node", str(CLI), url, "--output=json", "--quiet", f"--chrome-path={CHROMIUM}", f"--chrome-flags={CHROME_FLAGS}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    if result.returncode:
        raise SystemExit(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score: Lighthouse's own advice for noisy machines."""
    ranked = sorted(runs, key=lambda r: r["categories"]["performance"]["score"] or 0)
    return ranked[(len(ranked) - 1) // 2]


@dataclass
class Scores:
    scores: dict[str, int | None]  # category id -> 0..100 (None: Lighthouse could not score it)
    failing: dict[str, list[str]] = field(default_factory=dict)  # category id -> titles of failed weighted audits
    errors: list[str] = field(default_factory=list)  # audits Lighthouse could not run (ids)
    warnings: list[str] = field(default_factory=list)


def scores(lhr: dict) -> Scores:
    errors = sorted(aid for aid, audit in lhr["audits"].items() if audit.get("scoreDisplayMode") == "error")
    out = Scores({}, errors=errors, warnings=list(lhr.get("runWarnings", [])))
    for cid in CATEGORIES:
        category = lhr["categories"][cid]
        score = None if category["score"] is None else round(category["score"] * 100)
        out.scores[cid] = score
        if score is None or score < TARGET:
            out.failing[cid] = [_audit_title(lhr["audits"][ref["id"]]) for ref in category["auditRefs"] if _failed(lhr["audits"][ref["id"]], ref)]
    return out


def _failed(audit: dict, ref: dict) -> bool:
    return ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 0.9


def _audit_title(audit: dict) -> str:
    shown = f"（{audit['displayValue']}）" if audit.get("displayValue") else ""
    return f"{audit['title']}{shown}"


# --- axe-core -----------------------------------------------------------------------------------


def axe_counts(base: str, paths: dict[str, str]) -> dict[str, dict]:
    """axe-core's violations on each page on a phone: rules by impact, and the rule ids."""
    from tests.browser import AXE, PHONE, chromium, offline_tiles
    from tests.netlify_server import tile_hosts

    out = {}
    with chromium() as browser:
        context = browser.new_context(**PHONE, bypass_csp=True)  # the CSP (rightly) refuses the injected axe
        offline_tiles(context, tile_hosts())  # only so the page settles offline; axe reads the DOM, not tiles
        for label, path in paths.items():
            page = context.new_page()
            page.goto(base + path, wait_until="networkidle")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
            out[label] = {"impacts": Counter(v["impact"] for v in violations), "rules": sorted(f"{v['id']} ({v['impact']})" for v in violations)}
            page.close()
        context.close()
    return out


def axe_version() -> str:
    return json.loads((ROOT / "node_modules" / "axe-core" / "package.json").read_text("utf-8"))["version"]


def chromium_version() -> str:
    result = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    return result.stdout.strip().split(" built on")[0] or "unknown"


# --- the Markdown section ---------------------------------------------------------------------


def notes(results: dict[str, Scores], load: tuple[float, float], runs: int) -> list[str]:
    """What a reader needs to judge the figures: the offline tiles, audits that could not run, the load."""
    out = [
        "地图页的底图瓦片来自高德（webrd0x.is.autonavi.com），测试环境无法访问外网：瓦片请求失败，"
        "在控制台留下 net::ERR_NAME_NOT_RESOLVED（“最佳实践”里的“浏览器控制台有错误”），也不计入页面重量和渲染。"
        "线上会加载瓦片，地图页的性能分可能更低；这里没有用本地假瓦片冒充线上。",
    ]
    failed = sorted({aid for s in results.values() for aid in s.errors})
    if failed:
        out.append(f"Lighthouse 这一版本有 {len(failed)} 项审计在这个 Chromium 上运行出错（不计分，只是诊断项缺失）：" + "、".join(f"`{a}`" for a in failed) + "。")
    warned = sorted({w for s in results.values() for w in s.warnings})
    out += [f"Lighthouse 警告：{w}" for w in warned]
    out.append(f"机器 1 分钟平均负载：开始 {load[0]:.1f}，结束 {load[1]:.1f}（{os.cpu_count()} 核）。负载高时模拟的 CPU 时间偏长，性能分偏低；每页取 {runs} 次中性能分居中的一次。")
    return out


def _cell(score: int | None) -> str:
    return "n/a" if score is None else f"**{score}**" if score < TARGET else str(score)


def section(paths: dict[str, str], results: dict[str, Scores], axe: dict[str, dict], versions: dict[str, str], remarks: list[str], command: str) -> str:
    """The benchmark page's Lighthouse part (between the markers)."""
    low = [(label, cid, s.scores[cid]) for label, s in results.items() for cid in CATEGORIES if s.scores[cid] is None or s.scores[cid] < TARGET]
    verdict = "PASS" if not low else "FAIL"
    detail = "每个页面类型四项都 ≥ 95" if not low else "；".join(f"{label} {CATEGORIES[cid]} {_cell(score).strip('*')}" for label, cid, score in low)
    lines = [
        START,
        "## Lighthouse 与 axe-core",
        "",
        f"由 `scripts/lighthouse.py` 生成（`{command}`），请勿手工编辑；`scripts/bench.py` 重写本页时保留这一节。",
        "",
        f"用项目的真实数据和 `mkdocs.yml` 构建（`mkdocs build --strict`），在 127.0.0.1 上按 `netlify.toml` 的响应头并 gzip 压缩（同 Netlify）提供，"
        f"Lighthouse {versions['lighthouse']}（npm，锁定版本，Node {versions['node']}）用 Debian 的 {versions['chromium']}，"
        "移动端预设（模拟慢速 4G 和 4 倍 CPU 降速），每类页面取一页。",
        "",
        "| 页面类型 | 路径 | " + " | ".join(CATEGORIES.values()) + " |",
        "| --- | --- | " + " | ".join(["---:"] * len(CATEGORIES)) + " |",
        *[f"| {label} | `{paths[label]}` | " + " | ".join(_cell(s.scores[cid]) for cid in CATEGORIES) + " |" for label, s in results.items()],
        "",
        f"**{verdict}**：目标每项 ≥ {TARGET}。{detail}。",
        "",
        *[f"> **说明**：{remark}\n" for remark in remarks],
    ]
    if low:
        lines += ["### 低于 95 的项目未通过的审计", ""]
        for label, s in results.items():
            for cid, titles in s.failing.items():
                lines.append(f"- {label} · {CATEGORIES[cid]}：" + ("；".join(titles) if titles else "（没有单项未通过，得分由各指标加权而来）"))
        lines.append("")
    lines += [
        f"### axe-core {versions['axe']}",
        "",
        "同样的页面，390×844 手机视口，axe-core 默认规则（Playwright 注入，Debian 的 Chromium）；数字是违反的规则数。",
        "",
        "| 页面类型 | " + " | ".join(IMPACTS) + " | 规则 |",
        "| --- | " + " | ".join(["---:"] * len(IMPACTS)) + " | --- |",
        *[f"| {label} | " + " | ".join(str(a["impacts"].get(i, 0)) for i in IMPACTS) + " | " + ("、".join(a["rules"]) or "无") + " |" for label, a in axe.items()],
        "",
        END,
    ]
    return "\n".join(lines)


def replace_section(page: str, new: str) -> str:
    """``page`` with its Lighthouse section replaced by ``new`` (appended if it has none)."""
    start, end = page.find(START), page.find(END)
    if start == -1 or end < start:
        return page.rstrip("\n") + "\n\n" + new + "\n"
    return page[:start] + new + page[end + len(END):]


# --- main ---------------------------------------------------------------------------------------


def measure(site: Path, paths: dict[str, str], runs: int, keep: Path | None, log) -> tuple[dict[str, Scores], dict[str, dict], tuple[float, float]]:
    results, start = {}, os.getloadavg()[0]
    with serve(site) as base:
        for n, (label, path) in enumerate(paths.items()):
            log(f"Lighthouse {label} {path}")
            lhr = median_run([lighthouse(base + path) for _ in range(runs)])
            if keep:
                (keep / f"{n}-{path.strip('/').replace('/', '-') or 'home'}.json").write_text(json.dumps(lhr), "utf-8")
            results[label] = scores(lhr)
        log("axe-core")
        axe = axe_counts(base, paths)
    return results, axe, (start, os.getloadavg()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", help="a built site to test (default: build the shipped data into a temp dir)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median performance run counts (default 3)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "benchmark.md"), help="benchmark page whose Lighthouse section is rewritten")
    parser.add_argument("--keep", help="also write each page's Lighthouse JSON report into this folder")
    args = parser.parse_args(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    ensure_lighthouse()
    paths = page_paths(ROOT / "data" / "resources.csv")
    work = Path(tempfile.mkdtemp(prefix="atlas-lighthouse-"))
    try:
        site = Path(args.site) if args.site else build_site(work / "site")
        keep = Path(args.keep) if args.keep else None
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
        results, axe, load = measure(site, paths, args.runs, keep, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    versions = {
        "lighthouse": json.loads((CLI.parent.parent / "package.json").read_text("utf-8"))["version"],
        "node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip().lstrip("v"),
        "chromium": chromium_version(),
        "axe": axe_version(),
    }
    command = ".venv/bin/python scripts/lighthouse.py" + (f" --runs {args.runs}" if args.runs != 3 else "")
    text = section(paths, results, axe, versions, notes(results, load, args.runs), command)
    out = Path(args.out)
    out.write_text(replace_section(out.read_text("utf-8") if out.exists() else "", text), "utf-8")
    print(text)
    return 0

if __name__ == "__main__":
    sys.exit(main())
