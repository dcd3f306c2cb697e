"""Generated pages: one per resource at /r/<id>/, and the browse pages that list them.

Pages are Markdown files made of front matter and one HTML block rendered by Jinja with
autoescape, so no CSV value is ever interpreted as Markdown or HTML. The block carries no
blank lines, which would end a raw HTML block in Python-Markdown.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode
from dataclasses import dataclass, replace
from functools import cache, cached_property
from itertools import groupby

from jinja2 import Environment, PackageLoader, select_autoescape
from jinja2.utils import htmlsafe_json_dumps

from . import coords, hours, hours_table, links, pager
from .coords import Point
from .holidays import Calendar
from .schema import Resource
from .collate import name_key
from .taxonomy import Category, Street, taxonomy

FEES = {"free": "免费", "paid": "收费", "partly_free": "部分免费"}
BODY_MARKER = "<!-- atlas:body -->"


@dataclass(frozen=True)
class SiteInfo:
    """What pages need to know about where they are published."""

    site_url: str = ""
    repo_url: str = ""
    branch: str = "main"
    data_path: str = "data/resources.csv"
    stale_days: int = 365
    data_date: str = ""  # footer.data_date(): rows already stale then are marked 信息待核实 in the HTML
    basemap: dict | None = None  # maps.Basemap.options(), for the resource pages' mini-maps
    school_holidays: str = ""  # 寒假/暑假 dates from data/calendar.yml, for /holiday/ (program_pages.term_lines)


@dataclass
class Entry:
    """A resource with what every listing needs: its point, category and links."""

    r: Resource
    point: Point | None
    row: int = 0
    line: int = 0
    extra: str = ""
    calendar: Calendar | None = None  # holidays for the hours table (holidays.py)
    programs: str = ""  # the resource page's 近期活动 block (program_pages.resource_block)
    sessions: tuple = ()  # its 托管 sessions, shown with its card (program_pages.cards)
    program_months: tuple = ()  # its programme days for /find/'s 本月有活动 (program_months.facet)

    @cached_property
    def hours(self) -> dict | None:
        """The opening-hours table the browser looks up (hours_table.py), or None."""
        return hours_table.table_or_none(self.r.opening_hours, self.calendar)

    @cached_property
    def category(self) -> Category:
        return taxonomy().category(self.r.category)

    @cached_property
    def nav(self) -> dict[str, str]:
        return links.navigation(self.point, self.r.name, self.r.address)

    @property
    def tel(self) -> str:
        return links.tel(self.r.phone[0].tel, self.r.phone[0].extension) if self.r.phone else "tel:12345"


class HoursTables:
    """The distinct hours tables of a JSON file (markers.json, sites.json): rows point at them by
    index, so thousands of rows with the same hours carry one table, not thousands."""

    def __init__(self):
        self.tables: list[dict] = []
        self._seen: dict[str, int] = {}

    def index(self, e: Entry) -> int:
        """-1 for no table, or a closed resource (its cards say 暂停开放/已关闭 instead)."""
        if not e.hours or e.r.status in ("temporarily_closed", "closed"):
            return -1
        key = json.dumps(e.hours, sort_keys=True)
        if key not in self._seen:
            self._seen[key] = len(self.tables)
            self.tables.append(e.hours)
        return self._seen[key]


@dataclass
class Page:
    path: str  # e.g. "r/chongqing-zoo.md"
    title: str
    body: str  # the HTML block
    description: str = ""
    hide: tuple[str, ...] = ()
    search: bool = True  # False keeps the page out of Material's page search

    @property
    def meta(self) -> dict:
        """The page's front matter: title, description, what Material hides, search exclusion."""
        meta: dict = {"title": self.title, "description": self.description}
        if self.hide:
            meta["hide"] = list(self.hide)
        if not self.search:
            meta["search"] = {"exclude": True}
        return meta

    def markdown(self) -> str:
        """The page as a Markdown file: front matter and the HTML block. The plugin gives MkDocs
        only BODY_MARKER and hands it the meta and the HTML directly: Python-Markdown's raw-HTML
        handling cost ~20 ms a page for HTML it leaves as it is, and YAML ~0.5 ms for the meta."""
        front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in self.meta.items())
        return f"---\n{front}\n---\n\n{self.body}\n"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("atlas", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {"separators": (",", ":"), "sort_keys": True}  # | tojson as compact as hours_table
    return env


def render(template: str, **context) -> str:
    html = _environment().get_template(template).render(**context)
    return "\n".join(line for line in html.splitlines() if line.strip())


def page_url(site: SiteInfo, path: str) -> str:
    return f"{site.site_url.rstrip('/')}/{path}" if site.site_url else f"/{path}"


# --- the resource page ---------------------------------------------------------------------------


def _facts(r: Resource) -> list[tuple[str, str]]:
    facts = []
    if r.fee:
        facts.append(("费用", FEES[r.fee] + (f"（{r.fee_note}）" if r.fee_note else "")))
    elif r.fee_note:
        facts.append(("费用", r.fee_note))
    else:
        facts.append(("费用", "不提供费用信息，请电话咨询" if r.verified_on else "未核实，请电话咨询"))
    if r.stages:
        facts.append(("适合学段", "、".join(r.stages)))
    if r.five_education:
        facts.append(("五育", "、".join(r.five_education)))
    if r.capacity:
        facts.append(("团体接待", f"每批最多 {r.capacity} 人"))
    if r.visit_minutes:
        facts.append(("建议时长", f"约 {r.visit_minutes} 分钟"))
    if r.holiday_service:
        facts.append(("假期服务", "、".join(r.holiday_service)))
    facts.append(("无障碍设施", {"yes": "有", "no": "无"}.get(r.accessible or "", "未知")))
    return facts


def resource_page(entry: Entry, site: SiteInfo) -> Page:
    from .forms import correction_context  # forms builds its pages with this module

    r = entry.r
    url = page_url(site, f"r/{r.id}/")
    body = render(
        "resource.html",
        r=r,
        root="../../",
        category=entry.category,
        street=taxonomy().street(r.street),
        nav=entry.nav,
        phones=[{"href": links.tel(p.tel, p.extension), "display": p.display, "extension": p.extension} for p in r.phone],
        hours_text=hours.describe(r.opening_hours) if r.opening_hours else None,
        hours_table=htmlsafe_json_dumps(entry.hours, dumps=_compact_json) if entry.hours else "",
        facts=_facts(r),
        programs=entry.programs,
        paragraphs=[p.strip() for p in (r.description or "").splitlines() if p.strip()],
        stale_days=site.stale_days,
        stale=_stale_by(r, site),
        qr=bool(site.site_url),
        minimap=_minimap(entry, site),
        correction=links.correction(site.repo_url, r.id, r.name, entry.row, url) if site.repo_url else "",
        edit=links.edit_row(site.repo_url, site.branch, site.data_path, entry.line) if site.repo_url else "",
        form=correction_context(site.site_url),
    )
    summary = f"{entry.category.label} · {r.street} · {r.address}"
    # Resources are found by the atlas's own search, not Material's page search.
    return Page(path=f"r/{r.id}.md", title=r.name, body=body, description=summary, hide=("navigation", "toc"), search=False)


def _stale_by(r: Resource, site: SiteInfo) -> bool:
    """Stale on the data's date, hence on any later day: shown in the HTML, not revealed by
    atlas.js after the page is drawn, which pushed the page down a line in 大字 mode. Rows
    that go stale after publication are still revealed by atlas.js (same rule: older than
    stale_days)."""
    if not (r.verified_on and site.data_date):
        return False
    return (dt.date.fromisoformat(site.data_date) - r.verified_on).days > site.stale_days


def _compact_json(data, **_) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def _minimap(entry: Entry, site: SiteInfo) -> dict | None:
    if entry.point is None or not site.basemap:
        return None
    lat, lon = coords.convert(*entry.point, coords.WGS84, site.basemap["datum"])
    return {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "basemap": json.dumps(site.basemap, ensure_ascii=False, sort_keys=True)}


# --- browse pages ----------------------------------------------------------------------------------


def _root(path: str) -> str:
    """The relative link from a page's URL to the site root: c/museum.md is /c/museum/."""
    parts = path.removesuffix(".md").split("/")
    return "../" * (len(parts) - (parts[-1] == "index"))


def _listing(base: str, title: str, entries: list[Entry], intro: str = "", finder: str = "", **context) -> list[Page]:
    """The pages of one listing, PER_PAGE cards each; one page and no pager when they fit.

    Titles and descriptions name the page, so search engines and WeChat previews do not see
    forty identical pages; ``finder`` is the /find/ query that filters the same resources."""
    count = pager.page_count(len(entries))
    result = []
    for number in range(1, count + 1):
        path = pager.page_path(base, number)
        root = _root(path)
        paging = pager.Pager(number, count, len(entries)) if count > 1 else None
        body = render(
            "browse.html", items=entries[(number - 1) * pager.PER_PAGE : number * pager.PER_PAGE], total=len(entries),
            root=root, intro=intro, pager=paging, finder=f"{root}find/?{finder}" if paging and finder else "", **context,
        )
        description = intro or title
        if paging:
            description += f"（第 {number} 页，共 {count} 页）"
        result.append(Page(path, title if number == 1 else f"{title}（第 {number} 页）", body, description, search=False))
    return result


def _tiles(tiles: list[dict]) -> str:
    return render("index_list.html", tiles=tiles)


def browse_pages(entries: list[Entry], site: SiteInfo) -> list[Page]:
    t = taxonomy()
    pages: list[Page] = []
    by_name = sorted(entries, key=lambda e: (name_key(e.r.name), e.r.id))

    cat_tiles = []
    for category in t.categories:
        members = [e for e in by_name if e.r.category == category.code]
        pages += _listing(f"c/{category.code}", category.label, members, category.description, urlencode({"category": category.code}))
        cat_tiles.append({"href": f"{category.code}/", "title": category.label, "count": len(members), "color": category.color, "note": category.description})
    pages.append(Page("c/index.md", "按类别浏览", _tiles(cat_tiles), "九龙坡区协同育人资源：按类别浏览"))

    street_tiles = []
    for street in t.streets:
        members = [e for e in by_name if e.r.street == street.name]
        note = f"{street.managed_by}管理" if street.managed_by else ""
        intro = f"{street.name}的协同育人资源" + (f"（{note}）" if note else "")
        pages += _listing(f"s/{street.slug}", street.name, members, intro, urlencode({"street": street.name}))
        street_tiles.append({"href": f"{street.slug}/", "title": street.name, "count": len(members), "color": "", "note": note})
    pages.append(Page("s/index.md", "按镇街浏览", _tiles(street_tiles), "九龙坡区协同育人资源：按镇街浏览"))

    stage_tiles = []
    for stage in t.stages:
        members = [e for e in by_name if stage.label in e.r.stages]
        pages += _listing(f"stage/{stage.slug}", f"适合{stage.label}", members, f"适合{stage.label}的协同育人资源", urlencode({"stage": stage.label}))
        stage_tiles.append({"href": f"{stage.slug}/", "title": stage.label, "count": len(members), "color": "", "note": ""})
    pages.append(Page("stage/index.md", "按学段浏览", _tiles(stage_tiles), "九龙坡区协同育人资源：按学段浏览"))

    pages += holiday_pages(entries, site.school_holidays)
    pages.append(freshness_page(entries, site.stale_days))
    return pages


# --- the holiday page --------------------------------------------------------------------------

HOLIDAY_TITLE = "假期托管"
HOLIDAY_WHAT = "公益假期托管点和提供寒暑假、周末、课后服务的场馆"
PRIVACY = "点“离我最近”按距离排序（位置只在你的手机上使用，不会上传）。"
# What the one-page /holiday/ says about its order (atlas.js says it again after 离我最近).
HOLIDAY_ORDER = "公益假期托管点在前，其后是假期开放的场馆，各按镇街排列。"
# Up to this many sites /holiday/ lists them all on one page, sortable in the browser (as
# before pagination, ~10 KB gzip); beyond it, it becomes an index of per-street/town pages.
HOLIDAY_ONE_PAGE = 2 * pager.PER_PAGE


def _is_holiday(e: Entry) -> bool:
    return e.r.category == "holiday_care" or bool(e.r.holiday_service)


def _is_care(e: Entry) -> bool:
    return e.r.category == "holiday_care"


def _holiday_entries(entries: list[Entry]) -> list[Entry]:
    """Annotated copies of the holiday sites: 托管点 first, then by street/town (official
    order) and name (pinyin)."""
    t = taxonomy()
    chosen = []
    for e in entries:
        if not _is_holiday(e):
            continue
        parts = [
            "、".join(e.r.holiday_service) if e.r.holiday_service else "假期时间未核实",
            "适合" + "、".join(e.r.stages) if e.r.stages else "",
            hours.describe(e.r.opening_hours) or e.r.opening_hours if e.r.opening_hours else "",
            FEES.get(e.r.fee or "", "") + (f"（{e.r.fee_note}）" if e.r.fee_note else ""),
        ]
        # A copy: the entries are shared with every other listing.
        chosen.append(replace(e, extra=" · ".join(p for p in parts if p)))
    order = {s.name: i for i, s in enumerate(t.streets)}
    chosen.sort(key=lambda e: (not _is_care(e), order[e.r.street], name_key(e.r.name), e.r.id))
    return chosen


def _by_street(chosen: list[Entry]) -> list[tuple[Street, list[Entry]]]:
    t = taxonomy()
    return [(t.street(street), list(group)) for street, group in groupby(chosen, key=lambda e: e.r.street)]


def holiday_pages(entries: list[Entry], school_holidays: str = "") -> list[Page]:
    """/holiday/ for parents looking for 托管: the 公益假期托管点 first, grouped by street/town,
    then the venues merely open in the holidays, with filters by service. At scale it becomes
    an index of the streets/towns with per-street/town pages, and "离我最近" over sites.json."""
    chosen = _holiday_entries(entries)
    care = [e for e in chosen if _is_care(e)]
    venues = [e for e in chosen if not _is_care(e)]
    description = "九龙坡区公益假期托管点和假期服务场馆"
    if len(chosen) <= HOLIDAY_ONE_PAGE:
        sections = [
            {"id": "care", "title": "公益假期托管点", "count": len(care), "groups": _by_street(care), "empty": "暂无公益假期托管点。"},
            {"id": "open", "title": "假期开放的场馆", "count": len(venues), "groups": _by_street(venues),
             "note": "这些场馆在寒暑假、周末或课后开放，但不是托管点。", "empty": "暂无。"},
        ]
        body = render("holiday.html", root="../", order=HOLIDAY_ORDER, privacy=school_holidays + PRIVACY, sections=sections, services=taxonomy().holiday_services,
                      seats=_seats())
        return [Page("holiday/index.md", HOLIDAY_TITLE, body, description, search=False)]

    tiles = []
    result: list[Page] = []
    order = {s.name: i for i, s in enumerate(taxonomy().streets)}
    for street, group in _by_street(sorted(chosen, key=lambda e: order[e.r.street])):  # stable: 托管点 first in each
        in_care = sum(1 for e in group if _is_care(e))
        tiles.append({"href": f"{street.slug}/", "title": street.name, "count": len(group), "color": "", "note": f"托管点 {in_care} 处" if in_care else ""})
        result += _listing(
            f"holiday/{street.slug}", f"{street.name} · {HOLIDAY_TITLE}", group, f"{street.name}的{HOLIDAY_WHAT}，托管点在前。{PRIVACY}",
            up={"path": "holiday/", "text": "各镇街的假期托管"}, nearest=True, sites="holiday/sites.json", street=street.name, seats=_seats(),
        )
    body = render(
        "holiday_index.html", root="../", intro=f"{HOLIDAY_WHAT}，按镇街分页列出。{school_holidays}{PRIVACY}", total=len(chosen), tiles=tiles,
        care=care if len(care) <= pager.PER_PAGE else [], care_total=len(care), seats=_seats(),
    )
    return [Page("holiday/index.md", HOLIDAY_TITLE, body, description, search=False), *result]


def _seats() -> str:
    """Each street/town's seat (WGS-84), in the district's order like every list of streets on
    the site: where 离我最近 measures from when a phone gives no position and the parent picks
    a street/town instead (选择镇街)."""
    return json.dumps([[s.name, *s.seat] for s in taxonomy().streets], ensure_ascii=False, separators=(",", ":"))


def holiday_sites(entries: list[Entry]) -> str:
    """/holiday/sites.json, fetched when a parent taps "离我最近" on a split holiday page:
    every holiday site with a point, in WGS-84 like the phone's position (distances need no
    datum change) and to 5 decimals (~1 m), with what its card offers: call and today's hours
    (an index into ``hours``, the distinct hours tables, or -1)."""
    t = taxonomy()
    streets = [s.name for s in t.streets]
    tables = HoursTables()
    rows = [
        [e.r.id, e.r.name, streets.index(e.r.street), int(_is_care(e)), "、".join(e.r.holiday_service), round(e.point[0], 5), round(e.point[1], 5),
         e.tel if e.r.phone else "", e.r.phone[0].display if e.r.phone else "", tables.index(e)]
        for e in sorted(entries, key=lambda e: e.r.id)
        if _is_holiday(e) and e.point is not None
    ]
    return json.dumps({"datum": "wgs84", "streets": streets, "hours": tables.tables, "sites": rows}, ensure_ascii=False, separators=(",", ":")) + "\n"


def freshness_page(entries: list[Entry], stale_days: int) -> Page:
    t = taxonomy()
    rows = []
    for department in t.departments:
        mine = [e for e in entries if e.r.department == department]
        if not mine:
            continue
        dates = sorted(e.r.verified_on.isoformat() for e in mine if e.r.verified_on)
        rows.append({"department": department, "count": len(mine), "never": sum(1 for e in mine if not e.r.verified_on), "oldest": dates[0] if dates else "", "dates": " ".join(dates)})
    body = render("freshness.html", rows=rows, stale_days=stale_days, entries=sorted(entries, key=lambda e: (e.r.verified_on is not None, e.r.verified_on or "", name_key(e.r.name), e.r.id)))
    return Page("freshness/index.md", "各单位数据更新情况", body, "各责任单位维护的资源数量、最早核实日期和待核实条目", search=False)
