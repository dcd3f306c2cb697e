"""Where programmes show: /programs/ (a calendar: list and month views, filters), each
resource page's upcoming programmes, the 托管 sessions on /holiday/, and the .ics files.

The build lists every day of every programme; the browser (docs/assets/atlas-programs.js)
decides what is upcoming, happening now or past, so a static build never goes stale. Without
JavaScript the lists still show every programme with its days.
"""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup

from . import calendar_ics
from .pages import Entry, Page, render
from .program_schema import KINDS
from .programs import Programme
from .school_terms import SchoolTerms
from .taxonomy import taxonomy

TO_SCHOOL_SLUG = "to-school"  # /programs/to-school.ics: programmes carried to schools
TITLE = "活动日历"


def _card(programme: Programme, entries: dict[str, Entry]) -> dict:
    """What a programme card shows and filters on."""
    p = programme.p
    entry = entries.get(p.resource)
    return {
        "x": programme,
        "p": p,
        "entry": entry,
        "category": entry.r.category if entry else TO_SCHOOL_SLUG,
        "street": entry.r.street if entry else "",
        "days": " ".join(day.isoformat() for day in programme.days),
        "when": programme.when(),
        "hours": programme.hours(),
    }


def cards(programmes: list[Programme], entries: dict[str, Entry]) -> list[dict]:
    return [_card(x, entries) for x in sorted(programmes, key=lambda x: (x.days[0], x.p.title, x.p.id))]


def by_resource(programmes: list[Programme]) -> dict[str, list[Programme]]:
    result: dict[str, list[Programme]] = defaultdict(list)
    for programme in programmes:
        result[programme.p.resource].append(programme)
    return result


def resource_block(programmes: list[Programme], entry: Entry, root: str = "../../") -> Markup:
    """A resource page's 近期活动: every programme with its days; past ones hidden in the browser."""
    if not programmes:
        return Markup("")
    return Markup(render("programs_block.html", items=cards(programmes, {entry.r.id: entry}), root=root, ics="programs.ics"))


def sessions(programmes: list[Programme], entry: Entry) -> tuple[dict, ...]:
    """The 托管 sessions of a site, for its card (Entry.sessions)."""
    return tuple(cards([x for x in programmes if x.p.kind == "care"], {entry.r.id: entry}))


def programs_page(programmes: list[Programme], entries: dict[str, Entry], terms: SchoolTerms | None) -> Page:
    t = taxonomy()
    items = cards(programmes, entries)
    used = {item["category"] for item in items}
    categories = [{"code": c.code, "label": c.label} for c in t.categories if c.code in used]
    if TO_SCHOOL_SLUG in used:
        categories.append({"code": TO_SCHOOL_SLUG, "label": "进校园"})
    body = render(
        "programs.html", items=items, root="../", categories=categories, streets=[s.name for s in t.streets],
        stages=[s.label for s in t.stages], five=t.five_education, terms=term_lines(terms),
        examples=any(x.example for x in programmes), kinds=KINDS,
    )
    return Page("programs/index.md", TITLE, body, "九龙坡区场馆课表：研学课程、讲座、开放日、进校园活动和假期托管班，按月查看，可按学段、类别、镇街和五育筛选，可订阅日历", search=False)


def term_lines(terms: SchoolTerms | None) -> list[str]:
    """寒假 and 暑假 as calendar.yml has them: the latest of each, or 日期待公布."""
    lines = []
    for label in ("寒假", "暑假"):
        known = terms.of(label) if terms else []
        if known:
            h = known[-1]
            lines.append(f"{h.school_year} 学年{label}：{h.start.year}年{h.start.month}月{h.start.day}日至{h.end.month}月{h.end.day}日")
        else:
            lines.append(f"{label}：日期待公布")
    return lines


def ics_files(programmes: list[Programme], entries: dict[str, Entry], site_url: str) -> dict[str, bytes]:
    """Every .ics file: all programmes, per category (and 进校园), per resource."""
    where = {rid: (e.r.name, e.r.address) for rid, e in entries.items()}

    def url(x: Programme) -> str:
        return page_url_for(site_url, x)

    files = {"programs/programs.ics": calendar_ics.calendar(programmes, f"九龙坡区{TITLE}", where, url)}
    groups: dict[str, list[Programme]] = defaultdict(list)
    for x in programmes:
        groups[entries[x.p.resource].r.category if x.p.resource in entries else TO_SCHOOL_SLUG].append(x)
    labels = {c.code: c.label for c in taxonomy().categories} | {TO_SCHOOL_SLUG: "进校园"}
    for code, members in sorted(groups.items()):
        files[f"programs/{code}.ics"] = calendar_ics.calendar(members, f"九龙坡区{TITLE} · {labels[code]}", where, url)
    for rid, members in sorted(by_resource(programmes).items()):
        if rid in entries:
            files[f"r/{rid}/programs.ics"] = calendar_ics.calendar(members, f"{entries[rid].r.name} · 活动", where, url)
    return files


def page_url_for(site_url: str, x: Programme) -> str:
    return f"{site_url.rstrip('/')}/programs/#{x.p.id}" if site_url else f"/programs/#{x.p.id}"
