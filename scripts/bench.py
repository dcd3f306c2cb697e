"""Build benchmark: the atlas against a plain mkdocs-material floor, at several sizes.

    .venv/bin/python scripts/bench.py [--sizes 300,3000,30000] [--out benchmarks/benchmark.md] [--keep DIR] [--timeout S]

For each size N it generates an obviously fictional atlas of N resources (every name starts
with 示例; the data validates with no errors), builds it with the project's real mkdocs.yml
pointed at that data, then builds the floor: a plain mkdocs-material site (same theme, search
only) with N similar Markdown pages kept out of the nav. Each build runs in its own child
process, timed by the wall clock, its peak memory read from that child's rusage. The ratio
atlas/floor is the figure that holds on a noisy machine.

The table has one row per metric and one column per size. To add a metric, append to
``metric_rows`` (or to ``PAGES`` for a page, ``FETCHED`` for a file pages download after load,
such as a search index); to add a target, append to ``TARGETS``. A page or file that does not
exist in the built site shows as n/a.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import os
import platform
import posixpath
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas import coords  # noqa: E402
from atlas.schema import columns  # noqa: E402
from atlas.taxonomy import taxonomy  # noqa: E402
from atlas.validate import Settings, validate_csv, validate_routes  # noqa: E402

SEED = 20261129
GZIP_LEVEL = 6  # what nginx-style CDNs typically use; Netlify may serve brotli, which is smaller

# ---------------------------------------------------------------------------------------------
# 1. Synthetic data: obviously fictional, realistic in shape, reproducible from the seed
# ---------------------------------------------------------------------------------------------

KINDS = {  # realistic words per category; every name is 示例 + word + number
    "patriotic": ["革命旧址", "烈士陵园", "抗战遗址陈列馆", "红色教育基地", "党史教育馆"],
    "museum": ["博物馆", "纪念馆", "美术馆", "民俗陈列馆", "工业遗产馆"],
    "library": ["图书馆分馆", "社区书房", "城市书房", "阅读驿站", "少儿阅览室"],
    "science": ["科技馆", "科普教育基地", "天文科普站", "气象科普馆", "创客空间"],
    "culture": ["文化馆", "综合文化站", "剧场", "非遗传习所", "文化活动中心"],
    "sports": ["体育中心", "全民健身中心", "游泳馆", "青少年足球训练基地", "攀岩馆"],
    "youth": ["青少年宫", "少年宫", "青少年服务站", "青少年活动中心"],
    "nature": ["公园", "湿地公园", "自然教育中心", "森林公园", "植物园"],
    "enterprise": ["食品厂", "汽车零部件厂", "物流园", "电子科技公司", "茶叶加工厂"],
    "university": ["学院", "职业技术学院", "大学分校区", "高等专科学校"],
    "labor": ["劳动实践基地", "农耕体验园", "手工坊", "生态农场"],
    "holiday_care": ["公益假期托管点", "暑期托管班", "社区四点半课堂", "爱心托管室"],
    "family": ["家庭教育指导服务站", "家长学校", "社区家长课堂"],
    "safety": ["消防科普教育基地", "交通安全教育基地", "禁毒教育基地", "法治教育基地", "防灾减灾体验馆"],
    "mental_health": ["心理健康服务中心", "青少年心理辅导站", "心理咨询室"],
}
CATEGORY_WEIGHTS = {"library": 4, "holiday_care": 4, "family": 4, "youth": 2, "patriotic": 2, "culture": 2, "sports": 2}
DEPARTMENTS = {
    "patriotic": ["区委宣传部", "区关工委"],
    "museum": ["区文化旅游委"],
    "library": ["区文化旅游委"],
    "science": ["区科协", "区科技局"],
    "culture": ["区文化旅游委"],
    "sports": ["区文化旅游委", "区教委"],
    "youth": ["团区委"],
    "nature": ["区住房城乡建委", "区科协"],
    "enterprise": ["区市场监管局", "区教委"],
    "university": ["区教委"],
    "labor": ["区教委"],
    "holiday_care": ["团区委", "区教委", "STREET"],
    "family": ["区妇联", "STREET"],
    "safety": ["区消防救援支队", "区公安分局"],
    "mental_health": ["区卫生健康委"],
}
HOURS = [
    "Tu-Su 09:00-17:00; PH off",
    "Mo-Fr 08:30-12:00,14:00-17:30",
    "Mo-Su 09:00-21:00",
    "Tu-Su 09:00-12:00,14:00-17:00; Mo off",
    "Sa,Su 09:00-17:00",
    "Mo-Fr 14:00-18:00; Sa 09:00-12:00; PH off",
    "24/7",
]
HOURS_NOTES = ["16:30 停止入馆", "周一闭馆，遇法定节假日顺延", "寒暑假期间开放时间另行公告", "雨天户外区域暂停开放"]
ROADS = ["科城路", "西郊路", "石杨路", "华福大道", "白马路", "含谷大道", "彭门路", "正街", "滨江路", "新村路"]
TAGS = ["红岩思政", "非遗", "航空", "少儿阅读", "研学基地", "志愿服务", "劳动教育", "科学实验", "心理健康", "国防教育"]
BOOKING = ["提前 3 天电话预约，团体需提交名单", "个人无需预约，团体提前一周电话预约", "通过微信公众号预约", "现场登记即可"]
FEE_NOTES = {"free": ["学生凭证免费", ""], "paid": ["学生半价", "团体票另议"], "partly_free": ["常设展免费，特展收费", "基础课程免费，材料费自理"]}
PHRASES = [
    "场馆面向中小学生和家长开放，可开展参观、讲解和主题活动。",
    "团体参观请提前预约，并提交带队教师和学生名单。",
    "节假日人流较大，建议错峰出行，乘坐公共交通前往。",
    "馆内设有展示区、活动室和阅读角，配备专职讲解员。",
    "每年寒暑假推出主题研学课程，适合小学高段和初中学生参加。",
    "场地周边有少量停车位，建议绿色出行。",
    "活动以小组形式开展，每组由一名指导老师带领。",
    "开放时间如有调整，以场馆公告为准。",
    "可结合学校课程开展项目式学习，提供学习单和活动手册。",
    "家长可陪同孩子参加周末亲子活动，名额有限，先到先得。",
    "场地配备饮水点、急救箱和无障碍卫生间。",
    "志愿者定期开展讲解和安全教育，欢迎社区居民参与。",
]
FICTION = "本条是性能基准自动生成的示例数据，并非真实场所。"


def _weighted(rng: random.Random, weights: dict[str, float], options: list[str]) -> str:
    return rng.choices(options, weights=[weights.get(o, 1) for o in options])[0]


def _subset(rng: random.Random, options: tuple[str, ...], low: int, high: int) -> tuple[str, ...]:
    chosen = set(rng.sample(options, rng.randint(low, min(high, len(options)))))
    return tuple(o for o in options if o in chosen)  # keep the taxonomy's order


def _description(rng: random.Random, name: str, street: str, label: str, longest: bool = False) -> str:
    target = 200 if longest else rng.randint(80, 200)
    text = f"{name}位于{street}，属于“{label}”类资源。"
    phrases = rng.sample(PHRASES, len(PHRASES))
    for phrase in phrases:
        if len(text) + len(phrase) + len(FICTION) > target:
            break
        text += phrase
    while len(text) + len(FICTION) < 80:  # short openers: top up to the realistic minimum
        text += phrases.pop()
    text += FICTION
    if len(text) > 120 and rng.random() < 0.3:  # some descriptions come in two paragraphs
        cut = text.index("。", len(text) // 2) + 1
        text = text[:cut] + "\n" + text[cut:]
    return text


def _phone(rng: random.Random) -> str:
    landline = f"023-6878{rng.randrange(10000):04d}"
    roll = rng.random()
    if roll < 0.15:
        return "12345"
    if roll < 0.25:
        return f"{landline};12345"
    if roll < 0.30:
        return f"{landline}转{rng.randint(800, 899)}"
    return landline


def resource_row(i: int, n: int, rng: random.Random, today: dt.date) -> dict[str, str]:
    t = taxonomy()
    codes = [c.code for c in t.categories]
    streets = list(t.streets)
    code = codes[i] if i < len(codes) else _weighted(rng, CATEGORY_WEIGHTS, codes)
    street = streets[i % len(streets)] if i < len(streets) else rng.choice(streets)
    category = t.category(code)
    full = i == 0  # the first row fills every column: the heaviest resource page
    name = f"示例{rng.choice(KINDS[code])}{i + 1:0{max(4, len(str(n)))}d}"
    lat, lon = street.seat[0] + rng.uniform(-0.012, 0.012), street.seat[1] + rng.uniform(-0.012, 0.012)
    system = ""
    if rng.random() < 0.2:  # some editors pick coordinates on 高德/腾讯 maps
        lat, lon = coords.convert(lat, lon, coords.WGS84, coords.GCJ02)
        system = coords.GCJ02
    point = ("", "") if not full and rng.random() < 0.02 else (f"{lat:.6f}", f"{lon:.6f}")
    department = rng.choice(DEPARTMENTS[code])
    fee = rng.choice(["free", "free", "paid", "partly_free", ""]) if not full else "partly_free"
    holiday = ""
    if code == "holiday_care":
        holiday = ";".join(sorted(set(_subset(rng, t.holiday_services, 0, 3)) | {"暑假"}, key=t.holiday_services.index))
    elif full or rng.random() < 0.2:
        holiday = ";".join(_subset(rng, t.holiday_services, 1, 2))

    def some(share: float) -> bool:  # is this optional column filled?
        return full or rng.random() < share

    return {
        "id": f"example-{code.replace('_', '-')}-{i + 1:05d}",
        "name": name,
        "category": code,
        "tags": ";".join(rng.sample(TAGS, rng.randint(1, 3))) if some(0.4) else "",
        "street": street.name,
        "address": f"重庆市九龙坡区{street.name}示例{rng.choice(ROADS)}{rng.randint(1, 300)}号",
        "lat": point[0],
        "lon": point[1],
        "coord_system": system if point[0] else "",
        "phone": f"023-6878{rng.randrange(10000):04d};12345" if full else _phone(rng) if some(0.85) else "",
        "booking": rng.choice(BOOKING) if some(0.6) else "",
        "booking_url": f"https://yuyue.example.cn/{i + 1}" if some(0.15) else "",
        "website": f"https://site{i + 1}.example.cn/" if some(0.25) else "",
        "wechat": name if some(0.3) else "",
        "opening_hours": rng.choice(HOURS) if some(0.8) else "",
        "hours_note": rng.choice(HOURS_NOTES) if some(0.3) else "",
        "fee": fee,
        "fee_note": rng.choice(FEE_NOTES[fee]) if fee else "",
        "stages": ";".join(_subset(rng, tuple(s.label for s in t.stages), 1, 4)) if some(0.9) else "",
        "five_education": ";".join(_subset(rng, t.five_education, 1, 3)) if some(0.9) else "",
        "capacity": str(rng.choice([20, 30, 40, 50, 80, 100, 200])) if some(0.5) else "",
        "visit_minutes": str(rng.choice([30, 45, 60, 90, 120, 180])) if some(0.5) else "",
        "holiday_service": holiday,
        "accessible": rng.choice(["yes", "no"]) if some(0.5) else "",
        "description": _description(rng, name, street.name, category.label, longest=full),
        "department": street.name if department == "STREET" else department,
        "source": "性能基准自动生成的示例数据（非真实资源）",
        "verified_on": (today - dt.timedelta(days=rng.randrange(365))).isoformat() if some(0.85) else "",
        "status": "temporarily_closed" if not full and rng.random() < 0.01 else "",
    }


def generate(n: int, seed: int = SEED, today: dt.date | None = None) -> tuple[bytes, str, list[dict[str, str]]]:
    """(resources.csv bytes, routes.yml text, rows) for ``n`` fictional resources."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    rows = [resource_row(i, n, rng, today) for i in range(n)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = [c.key for c in columns()]
    writer.writerow(keys)
    writer.writerows([r[key] for key in keys] for r in rows)
    return out.getvalue().encode("utf-8"), yaml.safe_dump(_routes(rows), allow_unicode=True, sort_keys=False), rows


def _routes(rows: list[dict[str, str]]) -> list[dict]:
    ids = [r["id"] for r in rows]
    routes = [
        ("example-route-red", "示例红色文化研学线", "红色文化", ["小学高段", "初中"], ids[0:3]),
        ("example-route-science", "示例科学探索研学线", "科学探索", ["初中", "高中"], ids[3:7]),
    ]
    return [
        {"id": rid, "name": name, "theme": theme, "stages": stages, "description": f"{name}：性能基准自动生成的示例路线。",
         "stops": [{"id": stop, "minutes": 45, "note": "参观并完成学习单"} for stop in stops]}
        for rid, name, theme, stages, stops in routes
        if len(stops) >= 2
    ]


def check_valid(data_dir: Path, today: dt.date) -> int:
    """Validate like the build does; raise unless there are 0 errors. Returns the warning count."""
    atlas = validate_csv(data_dir / "resources.csv", Settings(today=today))
    validate_routes(data_dir / "routes.yml", atlas)
    if not atlas.report.ok:
        first = atlas.report.errors[:5]
        raise SystemExit(f"synthetic data has {len(atlas.report.errors)} errors, e.g. {first}")
    return len(atlas.report.warnings)


# ---------------------------------------------------------------------------------------------
# 2-3. Projects: the atlas with the real mkdocs.yml, and the plain mkdocs-material floor
# ---------------------------------------------------------------------------------------------


def real_config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))


def atlas_project(where: Path, csv_data: bytes, routes: str) -> Path:
    """A project whose mkdocs.yml is the real one, pointed at the synthetic data (as tests/sites.py)."""
    config = real_config()
    plugin = next(p["atlas"] for p in config["plugins"] if isinstance(p, dict) and "atlas" in p)
    data = where / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "resources.csv").write_bytes(csv_data)
    (data / "routes.yml").write_text(routes, "utf-8")
    plugin.update(resources="data/resources.csv", routes="data/routes.yml", geocache="data/geocache.json", node_modules=str(ROOT / "node_modules"),
                  synonyms=str(ROOT / "data" / "synonyms.yml"))
    config.update(docs_dir=str(ROOT / "docs"))
    if config["theme"].get("custom_dir"):
        config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    (where / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return where / "mkdocs.yml"


def floor_project(where: Path, rows: list[dict[str, str]]) -> Path:
    """Plain mkdocs-material: same theme and Markdown settings (no overrides), search only, N pages out of the nav."""
    real = real_config()
    real["theme"].pop("custom_dir", None)
    config = {
        "site_name": real["site_name"],
        "site_url": real.get("site_url"),
        "strict": True,
        "theme": real["theme"],
        "plugins": ["search"],
        "markdown_extensions": real.get("markdown_extensions", []),
        "not_in_nav": "/p/\n",
        "nav": [{"首页": "index.md"}, {"关于": "about.md"}],
    }
    docs = where / "docs"
    (docs / "p").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# 首页\n\n一个只有主题和搜索的对照站点。\n", "utf-8")
    (docs / "about.md").write_text("# 关于\n\n对照站点，用于性能基准。\n", "utf-8")
    for r in rows:
        (docs / "p" / f"{r['id']}.md").write_text(_floor_page(r), "utf-8")
    (where / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return where / "mkdocs.yml"


def _floor_page(r: dict[str, str]) -> str:
    facts = [("地址", r["address"]), ("电话", r["phone"]), ("预约", r["booking"]), ("开放时间", r["opening_hours"]),
             ("适合学段", r["stages"]), ("五育", r["five_education"]), ("责任单位", r["department"])]
    table = "\n".join(f"| {k} | {v} |" for k, v in facts if v)
    return f"# {r['name']}\n\n{r['street']} · {r['category']}\n\n| 项目 | 内容 |\n| --- | --- |\n{table}\n\n{r['description']}\n\n信息来源：{r['source']}\n"


@dataclass
class Build:
    seconds: float
    peak_mb: float
    timed_out: bool = False  # stopped at the time limit: seconds is a lower bound, the site is incomplete
    load: float = 0.0  # the machine's 1-minute load average when the build started: other work skews times


def measure_build(config: Path, site: Path, timeout: float | None = None) -> Build:
    """`mkdocs build` in a fresh child process: wall time, and the peak memory of the build's
    processes together (the atlas writes its search index in a second process)."""
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(config.parent), "LANG": "C.UTF-8"}
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=config.parent, start_new_session=True)
        timed_out, peak = False, 0
        while True:  # wait4: this child's own rusage, so peaks never accumulate across builds
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, session_rss_kb(child.pid))
            if timeout is not None and time.perf_counter() - start > timeout and not timed_out:
                os.killpg(child.pid, signal.SIGKILL)  # the build's own process group, started above
                timed_out = True
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0 and not timed_out:
            err.seek(0)
            raise SystemExit(f"build of {config} failed:\n{err.read().decode('utf-8', 'replace')[-3000:]}")
    # ru_maxrss (KiB) is the largest single process; the samples add up processes alive together.
    return Build(seconds, max(usage.ru_maxrss, peak) / 1024, timed_out, load)


def session_rss_kb(session: int) -> int:
    """Resident memory of every process in a session, in KiB (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[3]) == session:
                total += int((stat.parent / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):  # the process ended while we looked
            continue
    return total


# ---------------------------------------------------------------------------------------------
# 4. Weights: bytes of pages and what their first view loads
# ---------------------------------------------------------------------------------------------


@dataclass
class Weight:
    raw: int
    gz: int

    def __add__(self, other: Weight) -> Weight:
        return Weight(self.raw + other.raw, self.gz + other.gz)


def weigh(path: Path) -> Weight:
    data = path.read_bytes()
    return Weight(len(data), len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)))


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.urls.append(a["href"])
        # /map/ loads these itself right after the first paint: part of the first view all the same.
        for name in ("data-styles", "data-scripts"):
            self.urls += (a.get(name) or "").split()


def page_assets(site: Path, page: str, site_url: str = "") -> list[str]:
    """Same-site <script src> and stylesheet hrefs of a page, as paths inside ``site``."""
    parser = _Assets()
    parser.feed((site / page).read_text("utf-8"))
    host = urlsplit(site_url).netloc
    base = urlsplit(site_url).path.rstrip("/")
    found = []
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != host:
            continue  # another site: not ours to weigh
        if parts.netloc or parts.path.startswith("/"):
            path = parts.path[len(base):] if base and parts.path.startswith(base) else parts.path
            path = path.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
        if path not in found and (site / path).is_file():
            found.append(path)
    return found


@dataclass
class PageWeight:
    path: str
    html: Weight
    first_view: Weight  # the HTML plus its same-site scripts and stylesheets (no images, no tiles)


def weigh_page(site: Path, page: str, site_url: str = "") -> PageWeight | None:
    if not (site / page).is_file():
        return None
    html = weigh(site / page)
    total = html
    for asset in page_assets(site, page, site_url):
        total = total + weigh(site / asset)
    return PageWeight(page, html, total)


TRANSFER = "资源页全部传输（有开放时间，手机打开到网络空闲）"


def page_transfer(site: Path, page: str) -> Weight | None:
    """Everything a phone downloads for ``page`` until the network is idle: every same-site
    file it requests, weighed as gzip like ``weigh``. Headless Chromium at 390×844; the
    basemap's tiles are answered offline and not counted."""
    from tests.browser import PHONE, chromium, offline_tiles, serve
    from tests.netlify_server import tile_hosts

    if not (site / page).is_file():
        return None
    urls: list[str] = []
    with serve(site) as base, chromium() as browser:
        context = browser.new_context(**PHONE)
        offline_tiles(context, tile_hosts())
        tab = context.new_page()
        tab.on("request", lambda request: urls.append(request.url))
        tab.goto(base + page.removesuffix("index.html"), wait_until="networkidle")
        context.close()
    total = Weight(0, 0)
    for url in dict.fromkeys(u for u in urls if u.startswith(base)):
        path = unquote(urlsplit(url).path).lstrip("/")
        path = path + "index.html" if not path or path.endswith("/") else path
        if (site / path).is_file():
            total = total + weigh(site / path)
    return total


# Pages to weigh: (label, how to find its path in a built site from the synthetic rows).
# A page that does not exist (yet) is reported as n/a. Add the map and finder here when they land.
def _largest_category(rows: list[dict[str, str]]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["category"]] = counts.get(r["category"], 0) + 1
    return f"c/{max(sorted(counts), key=counts.get)}/index.html"


PAGES: list[tuple[str, Callable[[list[dict[str, str]]], str]]] = [
    ("资源页", lambda rows: f"r/{rows[0]['id']}/index.html"),
    ("首页", lambda rows: "index.html"),
    ("类别页（最大类别）", _largest_category),
    ("假期托管页", lambda rows: "holiday/index.html"),
    ("地图页", lambda rows: "map/index.html"),
    ("查找页", lambda rows: "find/index.html"),
]
# Files that pages fetch after load (not <script src>): the search index, the map's markers.
FETCHED = [
    ("站内页面搜索索引 search/pages.json（第一次搜索时）", "search/pages.json"),
    ("地图标记 map/markers.json", "map/markers.json"),
    ("假期托管点 holiday/sites.json（点“离我最近”时）", "holiday/sites.json"),
]
VENDOR = "assets/vendor"  # front-end packages served by the site, weighed one by one


def site_mb(site: Path) -> float:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6


@dataclass
class Result:
    n: int
    atlas: Build
    floor: Build
    warnings: int = 0
    site_mb: float | None = None  # None when the build stopped at the time limit
    floor_mb: float | None = None
    pages: dict[str, PageWeight | None] = field(default_factory=dict)
    files: dict[str, Weight | None] = field(default_factory=dict)

    @property
    def ms_per_resource(self) -> float:
        return self.atlas.seconds * 1000 / self.n

    @property
    def ratio(self) -> float | None:  # a lower bound when the atlas timed out; None when the floor did
        return None if self.floor.timed_out else self.atlas.seconds / self.floor.seconds


def run_size(n: int, work: Path, seed: int, today: dt.date, timeout: float | None = None, log=print) -> Result:
    csv_data, routes, rows = generate(n, seed, today)
    project = atlas_project(work / f"atlas-{n}", csv_data, routes)
    warnings = check_valid(project.parent / "data", today)
    log(f"[{n}] data valid (0 errors, {warnings} warnings); building the atlas …")
    site = project.parent / "site"
    atlas = measure_build(project, site, timeout)
    log(f"[{n}] atlas {atlas.seconds:.1f} s{' (timed out)' if atlas.timed_out else ''}, {atlas.peak_mb:.0f} MB; building the floor …")
    floor_cfg = floor_project(work / f"floor-{n}", rows)
    floor_site = floor_cfg.parent / "site"
    floor = measure_build(floor_cfg, floor_site, timeout)
    log(f"[{n}] floor {floor.seconds:.1f} s{' (timed out)' if floor.timed_out else ''}, {floor.peak_mb:.0f} MB")
    result = Result(n, atlas, floor, warnings)
    site_url = real_config().get("site_url") or ""
    if not floor.timed_out:
        result.floor_mb = site_mb(floor_site)
        result.pages["对照站单页"] = weigh_page(floor_site, f"p/{rows[0]['id']}/index.html", site_url)
    if atlas.timed_out:
        return result
    result.site_mb = site_mb(site)
    for label, locate in PAGES:
        result.pages[label] = weigh_page(site, locate(rows), site_url)
    for label, path in FETCHED:
        result.files[label] = weigh(site / path) if (site / path).is_file() else None
    with_hours = next((r for r in rows if r["opening_hours"]), rows[0])
    result.files[TRANSFER] = page_transfer(site, f"r/{with_hours['id']}/index.html")
    vendor = site / VENDOR
    for path in sorted(p for p in vendor.rglob("*") if p.suffix in (".js", ".css")) if vendor.is_dir() else []:
        result.files[f"前端依赖 {path.relative_to(site)}"] = weigh(path)
    return result


# ---------------------------------------------------------------------------------------------
# The table and the targets
# ---------------------------------------------------------------------------------------------

NA = "n/a"


def _kb(w: Weight | None) -> str:
    return NA if w is None else f"{w.raw / 1024:,.1f} / {w.gz / 1024:,.1f}"


def _seconds(b: Build) -> str:
    return f"> {b.seconds:.0f}（超时停止）" if b.timed_out else f"{b.seconds:.1f}"


def _peak(b: Build) -> str:
    return f"≥ {b.peak_mb:.0f}" if b.timed_out else f"{b.peak_mb:.0f}"


def _ratio(r: Result) -> str:
    return NA if r.ratio is None else f"{'> ' if r.atlas.timed_out else ''}{r.ratio:.2f}×"


def _page(label: str, part: str) -> Callable[[Result], str]:
    return lambda r: _kb(getattr(r.pages[label], part) if r.pages.get(label) else None)


def metric_rows(results: list[Result]) -> list[tuple[str, Callable[[Result], str]]]:
    """(label, value at one size). Append rows here; page and file rows follow PAGES, FETCHED and the site."""
    rows: list[tuple[str, Callable[[Result], str]]] = [
        ("图谱构建时间 (s)", lambda r: _seconds(r.atlas)),
        ("图谱构建峰值内存 (MB)", lambda r: _peak(r.atlas)),
        ("每条资源耗时 (ms)", lambda r: f"{'> ' if r.atlas.timed_out else ''}{r.ms_per_resource:.1f}"),
        ("站点大小 (MB)", lambda r: NA if r.site_mb is None else f"{r.site_mb:.1f}"),
        ("对照站构建时间 (s)", lambda r: _seconds(r.floor)),
        ("对照站峰值内存 (MB)", lambda r: _peak(r.floor)),
        ("对照站大小 (MB)", lambda r: NA if r.floor_mb is None else f"{r.floor_mb:.1f}"),
        ("时间比 图谱/对照", _ratio),
        ("内存比 图谱/对照", lambda r: f"{r.atlas.peak_mb / r.floor.peak_mb:.2f}×"),
        ("开始构建时机器负载（图谱 / 对照）", lambda r: f"{r.atlas.load:.1f} / {r.floor.load:.1f}"),
    ]
    for label in [label for label, _ in PAGES] + ["对照站单页"]:
        rows.append((f"{label} HTML (KB 原始 / gzip)", _page(label, "html")))
        rows.append((f"{label} 首次访问含脚本样式 (KB 原始 / gzip)", _page(label, "first_view")))
    for label in dict.fromkeys([label for label, _ in FETCHED] + [k for r in results for k in r.files]):
        rows.append((f"{label} (KB 原始 / gzip)", lambda r, k=label: _kb(r.files.get(k))))
    return rows


def machine_section(rows: list[tuple[str, str]] | None = None) -> list[str]:
    """The "## 机器" part of a benchmark page: where the figures were measured."""
    return ["## 机器", "", "| 项目 | 值 |", "| --- | --- |", *[f"| {k} | {v} |" for k, v in (rows or machine())]]


def table(results: list[Result]) -> str:
    header = ["指标"] + [f"N = {r.n:,}" for r in results]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] + ["---:"] * len(results)) + " |"]
    for label, value in metric_rows(results):
        lines.append("| " + " | ".join([label] + [value(r) for r in results]) + " |")
    return "\n".join(lines)


BIG = 30_000
Check = tuple[bool | None, str]  # (PASS / FAIL / None = not measured, what was measured)


def _extrapolate(results: list[Result], get: Callable[[Result], float], n: int) -> float:
    """Straight line through the two largest finished sizes: a cost per resource plus a fixed start."""
    a, b = results[-2], results[-1]
    return get(b) + (get(b) - get(a)) / (b.n - a.n) * (n - b.n)


def _within_floor(results: list[Result]) -> Check:
    measured = [r for r in results if r.ratio is not None]
    if not measured:
        return None, "对照站都超时"
    worst = max(measured, key=lambda r: r.ratio)
    return worst.ratio <= 2, f"最差 {_ratio(worst)} (N = {worst.n:,})；" + "、".join(_ratio(r) for r in results)


def _linear(results: list[Result]) -> Check:
    finished = [r for r in results if not r.atlas.timed_out]
    if not finished:
        return None, "没有完成的构建"
    small, large = finished[0], finished[-1]
    growth = large.ms_per_resource / small.ms_per_resource
    detail = f"{large.ms_per_resource:.1f} ms (N = {large.n:,}) / {small.ms_per_resource:.1f} ms (N = {small.n:,}) = {growth:.2f}×"
    if large is not results[-1]:
        detail += f"；N = {results[-1].n:,} 超时，未计入"
    return growth <= 1.5, detail


def _big_build(results: list[Result]) -> Check:
    big = next((r for r in results if r.n == BIG), None)
    finished = [r for r in results if not r.atlas.timed_out]
    guess = ""
    if len(finished) >= 2:
        seconds = _extrapolate(finished, lambda r: r.atlas.seconds, BIG)
        peak = _extrapolate(finished, lambda r: r.atlas.peak_mb, BIG)
        guess = f"按 N = {finished[-2].n:,}、{finished[-1].n:,} 线性外推约 {seconds:,.0f} s、峰值约 {peak:,.0f} MB（增长快于线性时实际更慢）"
    if big is None:
        return None, f"未测 N = {BIG:,}" + (f"；{guess}" if guess else "")
    floor = f"；对照站 {_in_words(big.floor)}"
    if big.atlas.timed_out:
        ok = False if big.atlas.seconds >= 300 or big.atlas.peak_mb >= 2048 else None
        return ok, _in_words(big.atlas) + floor + (f"；{guess}" if guess else "")
    return big.atlas.seconds < 300 and big.atlas.peak_mb < 2048, _in_words(big.atlas) + floor


def _in_words(b: Build) -> str:
    if b.timed_out:
        return f"{b.seconds:.0f} s 时超时停止，此前峰值 {b.peak_mb:.0f} MB"
    return f"{b.seconds:.0f} s，峰值 {b.peak_mb:.0f} MB"


def _resource_page(results: list[Result]) -> Check:
    weights = [(r.files[TRANSFER].gz, r.n) for r in results if r.files.get(TRANSFER)]
    if not weights:
        return None, "没有资源页"
    worst = max(weights)
    return worst[0] < 100 * 1024, f"最大 {worst[0] / 1024:.1f} KB gzip (N = {worst[1]:,})"


TARGETS: list[tuple[str, Callable[[list[Result]], Check]]] = [
    ("每个规模下图谱构建时间不超过对照站的 2 倍", _within_floor),
    ("线性增长：最大规模的每条耗时不超过最小规模的 1.5 倍", _linear),
    (f"N = {BIG:,} 构建少于 5 分钟、峰值内存少于 2 GB", _big_build),
    ("资源页全部传输（到网络空闲）< 100 KB gzip", _resource_page),
]


def targets(results: list[Result]) -> list[tuple[str, str, str]]:
    out = []
    for label, check in TARGETS:
        ok, detail = check(results)
        out.append(("PASS" if ok else "FAIL" if ok is False else "N/A", label, detail))
    return out


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def machine() -> list[tuple[str, str]]:
    def proc(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    mem = proc("/proc/meminfo", "MemTotal")
    ram = f"{int(mem.split()[0]) / 1024 / 1024:.1f} GB" if mem != "unknown" else mem
    return [
        ("CPU", proc("/proc/cpuinfo", "model name")),
        ("核数", str(os.cpu_count())),
        ("内存", ram),
        ("Python", platform.python_version()),
        ("MkDocs", metadata.version("mkdocs")),
        ("Material", metadata.version("mkdocs-material")),
        ("日期", dt.date.today().isoformat()),
    ]


def markdown(results: list[Result], checks: list[tuple[str, str, str]], command: str) -> str:
    notes = []
    if BIG not in {r.n for r in results}:
        notes.append(f"N = {BIG:,} 这次没有测：目标表里是按已测规模线性外推的值。")
    for r in results:
        if r.atlas.timed_out or r.floor.timed_out:
            which = "、".join(name for name, build in (("图谱", r.atlas), ("对照站", r.floor)) if build.timed_out)
            notes.append(f"N = {r.n:,} 的{which}构建到时间上限（--timeout）被停止：时间和峰值内存是下限，站点不完整，页面大小记为 n/a。")
    lines = [
        "# 性能基准",
        "",
        f"由 `scripts/bench.py` 生成（`{command}`），请勿手工编辑。",
        "",
        "每个规模 N 生成 N 条明显虚构的资源（名称都以“示例”开头，校验 0 个错误），用项目真实的 `mkdocs.yml` 构建；"
        "再在同一次运行里构建“对照站”：同样主题设置、只有搜索插件的 mkdocs-material 站点，N 个相近文字的 Markdown 页面，"
        "都不列入导航。每次构建在单独的子进程中运行，记录墙钟时间和峰值内存（RSS，构建的各进程同时占用之和：图谱在第二个进程里写搜索索引和二维码）。"
        "机器繁忙时绝对时间会变，图谱/对照的比值更可靠；“机器负载”是每次构建开始时的 1 分钟平均负载，超过核数说明有别的进程在抢 CPU。",
        "",
        "页面大小：HTML 本身，以及“首次访问”= HTML 加上页面 `<script src>` 和样式表引用的本站文件（不含图片和地图瓦片），"
        f"gzip 级别 {GZIP_LEVEL}。搜索索引、地图标记等是页面加载后再下载的文件，单独列出；“前端依赖”是站点自带的 npm 包文件，"
        "有的按需加载（如资源页的开放时间计算）。表里 n/a 表示这个页面或文件（还）不存在。",
        "",
        *[f"> **说明**：{note}\n" for note in notes],
        *machine_section(),
        "",
        "## 结果",
        "",
        table(results),
        "",
        "## 目标",
        "",
        "| 结果 | 目标 | 实测 |",
        "| --- | --- | --- |",
        *[f"| {status} | {label} | {detail} |" for status, label, detail in checks],
        "",
    ]
    return "\n".join(lines)


LIGHTHOUSE = ("<!-- lighthouse:start -->", "<!-- lighthouse:end -->")  # scripts/lighthouse.py's section
EXPORTS = ("<!-- exports:start -->", "<!-- exports:end -->")  # scripts/bench_exports.py's section


def keeping_lighthouse(page: str, out: Path) -> str:
    """``page`` followed by the sections scripts/lighthouse.py and scripts/bench_exports.py wrote into ``out`` (their own runs, not ours)."""
    old = out.read_text("utf-8") if out.exists() else ""
    for first, last in (LIGHTHOUSE, EXPORTS):
        start, end = old.find(first), old.find(last)
        if start != -1 and end > start:
            page = page.rstrip("\n") + "\n\n" + old[start:end + len(last)] + "\n"
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,3000,30000", help="comma-separated resource counts (default 300,3000,30000)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "benchmark.md"), help="Markdown report to write")
    parser.add_argument("--keep", help="keep the generated projects and sites in this folder")
    parser.add_argument("--timeout", type=float, help="stop any one build after this many seconds (its time is then a lower bound)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    command = ".venv/bin/python scripts/bench.py --sizes " + ",".join(map(str, sizes)) + (f" --timeout {args.timeout:g}" if args.timeout else "")
    today = dt.date.today()

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    try:
        for n in sizes:
            results.append(run_size(n, work, args.seed, today, args.timeout, log))
            checks = targets(results)
            out = Path(args.out)  # after each size: partial results survive
            out.write_text(keeping_lighthouse(markdown(results, checks, command), out), "utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    print()
    for status, label, detail in checks:
        print(f"{status:4}  {label}：{detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
