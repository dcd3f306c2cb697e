"""Atom feeds of resources added, changed or re-verified: one for the atlas, one per category.

An entry is a resource's latest event, dated by the commit that made it (history.py); a
resource without history is dated by its ``verified_on`` (a confirmation on that day), and
one with neither has no news to tell and stays out. Nothing is dated by the clock, so a
rebuild gives the same bytes. Each feed keeps the newest ``LIMIT`` entries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator

from .history import ADDED, CHANGED, CHINA, VERIFIED, Event, History
from .taxonomy import taxonomy

if TYPE_CHECKING:
    from .pages import Entry

LIMIT = 100
KIND_LABELS = {ADDED: "新增", CHANGED: "信息更新", VERIFIED: "重新核实"}
# A feed with no dated entry still needs an <updated>: a fixed date, never the clock.
NO_DATE = dt.datetime(2000, 1, 1, tzinfo=CHINA)
_NAMESPACE = uuid.UUID("1b4cf0a8-6c1e-5b55-9f4e-6a6c6f2d9a15")  # this atlas's entry ids


def latest(entry: Entry, history: History | None) -> tuple[Event, dt.datetime | None] | None:
    """The resource's latest event and when it was added (if known), or None when nothing is dated."""
    events = (history.events if history else {}).get(entry.r.id, ())
    added = next((e.when for e in events if e.kind == ADDED), None)
    if events:
        return events[-1], added
    if entry.r.verified_on:
        day = entry.r.verified_on
        return Event(VERIFIED, dt.datetime(day.year, day.month, day.day, tzinfo=CHINA)), added
    return None


def feed(title: str, path: str, entries: list[Entry], history: History | None, site_url: str) -> bytes:
    base = site_url.rstrip("/") + "/" if site_url else "/"
    dated = [(e, found) for e in entries if (found := latest(e, history))]
    dated.sort(key=lambda pair: (-pair[1][0].when.timestamp(), pair[0].r.id))
    dated = dated[:LIMIT]
    fg = FeedGenerator()
    fg.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, path)}")
    fg.title(title)
    fg.subtitle("九龙坡区协同育人资源图谱中新增、信息更新和重新核实的资源")
    fg.author({"name": "九龙坡区协同育人资源图谱"})
    fg.link(href=f"{base}{path}", rel="self", type="application/atom+xml")
    fg.link(href=f"{base}data/", rel="alternate", type="text/html")
    fg.language("zh-CN")
    fg.rights("CC BY 4.0")
    fg.updated(dated[0][1][0].when if dated else NO_DATE)
    for entry, (event, added) in dated:
        r = entry.r
        item = fg.add_entry(order="append")
        item.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{r.id}/{event.kind}/{event.when.isoformat()}')}")
        item.title(f"{KIND_LABELS[event.kind]}：{r.name}")
        item.link(href=f"{base}r/{r.id}/", rel="alternate", type="text/html")
        item.updated(event.when)
        if added:
            item.published(added)
        item.author({"name": r.department})
        item.category(term=r.category, label=entry.category.label)
        facts = [entry.category.label, r.street, r.address]
        facts.append(f"核实日期 {r.verified_on.isoformat()}" if r.verified_on else "信息待核实")
        item.summary("；".join(facts))
    return fg.atom_str(pretty=True)


def page_feed(path: str) -> dict:
    """Front matter naming a category page's own feed (overrides/main.html links it), or {}."""
    parts = path.removesuffix(".md").split("/")  # c/museum.md, c/museum/2.md (pager.py)
    if len(parts) >= 2 and parts[0] == "c" and any(c.code == parts[1] for c in taxonomy().categories):
        category = taxonomy().category(parts[1])
        return {"atom_feed": f"data/feeds/{category.code}.atom", "atom_title": f"{category.label}的更新"}
    return {}


def files(entries: list[Entry], history: History | None, site_url: str = "") -> list[tuple[str, bytes, str]]:
    """(name, Atom bytes, title) for all.atom and one <category>.atom per category (empty ones too: pages link them)."""
    out = [("all.atom", feed("九龙坡区协同育人资源图谱：资源更新", "data/feeds/all.atom", entries, history, site_url), "全部资源的更新（Atom）")]
    for category in taxonomy().categories:
        mine = [e for e in entries if e.r.category == category.code]
        path = f"data/feeds/{category.code}.atom"
        out.append((f"{category.code}.atom", feed(f"九龙坡区{category.label}：资源更新", path, mine, history, site_url), f"{category.label}的更新（Atom）"))
    return out
