"""研学 route pages: /routes/ (cards), /routes/<id>/ (a timed day), /routes/plan/ (the planner).

The arithmetic lives in timeline.py (and its twin docs/assets/atlas-timeline.js); this
module only gathers what a teacher needs per stop — time on site and where it comes from,
group limit, fee, phones, booking and lead time, hours — and renders it.
"""

from __future__ import annotations

import json
import re

from . import hours, links, timeline
from .pages import FEES, Entry, Page, SiteInfo, page_url, render
from .schema import Route
from .taxonomy import taxonomy

START = 8 * 60 + 30  # a curated route's day starts at 08:30; the planner lets teachers change it
# "提前 3 天预约", "提前一周", "提前2个工作日": the lead time as the booking text states it.
LEAD = re.compile(r"提前\s*(?:\d+|[一二两三四五六七八九十半]+)\s*个?\s*(?:工作日|天|日|周|星期|个月|月|小时)")


def lead_time(booking: str | None) -> str:
    """The lead time the booking text states ("提前 3 天"), or "" when it states none."""
    match = LEAD.search(booking or "")
    return match.group(0) if match else ""


def stop_facts(entry: Entry) -> dict:
    """What a timeline and a checklist show about one resource; also the planner's JSON row."""
    r = entry.r
    fee = FEES[r.fee] + (f"（{r.fee_note}）" if r.fee_note else "") if r.fee else r.fee_note or ""
    row = {
        "id": r.id,
        "name": r.name,
        "street": r.street,
        "address": r.address,
        "minutes": r.visit_minutes,
        "capacity": r.capacity,
        "fee": fee,
        "phones": [{"display": p.display + (f" 转 {p.extension}" if p.extension else ""), "href": links.tel(p.tel, p.extension)} for p in r.phone],
        "booking": r.booking or "",
        "booking_url": r.booking_url or "",
        "lead": lead_time(r.booking),
        "status": r.status,
        "hours": entry.hours,
        "hours_text": (hours.describe(r.opening_hours) or r.opening_hours) if r.opening_hours else "",
        "point": list(entry.point) if entry.point else None,
    }
    return {k: v for k, v in row.items() if v not in (None, "", [])}


def minutes_of(stop_minutes: int | None, entry: Entry) -> tuple[int, str]:
    """A stop's minutes and where they come from: the route, the resource, or the default."""
    if stop_minutes:
        return stop_minutes, "route"
    if entry.r.visit_minutes:
        return entry.r.visit_minutes, "resource"
    return timeline.DEFAULT_MINUTES, "default"


def route_day(route: Route, by_id: dict[str, Entry], pace: timeline.Pace, start: int = START) -> dict:
    """A curated route as the template shows it: stops with their facts and times, and totals."""
    stops = []
    for stop in route.stops:
        entry = by_id[stop.id]
        minutes, origin = minutes_of(stop.minutes, entry)
        stops.append({**stop_facts(entry), "minutes": minutes, "origin": origin, "resource_minutes": entry.r.visit_minutes, "note": stop.note})
    day = timeline.day([(tuple(s["point"]) if "point" in s else None, s["minutes"]) for s in stops], start, pace)
    limits = [(s["capacity"], s["name"]) for s in stops if s.get("capacity")]
    return {
        "stops": [{**s, "row": row} for s, row in zip(stops, day.rows)],
        "day": day,
        "smallest": min(limits) if limits else None,
        "without_limit": sum(1 for s in stops if not s.get("capacity")),
    }


def _minutes_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return (f"{hours} 小时" if hours else "") + (f" {rest} 分钟" if rest else "") if minutes else "0 分钟"


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} 公里" if metres >= 1000 else f"{round(metres)} 米"


def _filters() -> dict:
    return {"clock": timeline.clock, "duration": lambda m: _minutes_text(m).strip(), "km": _km}


def plan_link(route: Route) -> str:
    """The planner, filled with this route's stops and its own minutes (blank = the resource's)."""
    stops = ",".join(s.id for s in route.stops)
    minutes = ",".join(str(s.minutes or "") for s in route.stops)
    return f"../plan/?stops={stops}&minutes={minutes}&start={timeline.clock(START)}"


def route_page(route: Route, by_id: dict[str, Entry], site: SiteInfo, pace: timeline.Pace) -> Page:
    data = route_day(route, by_id, pace)
    drawing = _drawing(data["stops"], site)
    body = render("route.html", route=route, data=data, root="../../", pace=pace, plan=plan_link(route),
                  qr=bool(site.site_url), url=page_url(site, f"routes/{route.id}/"), drawing=drawing, **_filters())
    day = data["day"]
    description = f"{route.theme}研学路线：{len(route.stops)} 站，约 {_minutes_text(day.end - day.start).strip()}"
    return Page(f"routes/{route.id}.md", route.name, body, description, hide=("navigation", "toc"))


def _drawing(stops: list[dict], site: SiteInfo) -> str:
    """The numbered map's data for atlas-planner.js: points in WGS-84, the basemap's options."""
    points = [[n, s["point"][0], s["point"][1], s["name"]] for n, s in enumerate(stops, start=1) if "point" in s]
    if not points or not site.basemap:
        return ""
    return json.dumps({"basemap": site.basemap, "stops": points}, ensure_ascii=False, sort_keys=True)


def index_page(routes: list[Route], by_id: dict[str, Entry], pace: timeline.Pace) -> Page:
    cards = []
    for route in routes:
        data = route_day(route, by_id, pace)
        cards.append({"route": route, "day": data["day"], "smallest": data["smallest"], "names": [s["name"] for s in data["stops"]]})
    body = render("routes.html", cards=cards, root="../", **_filters())
    return Page("routes/index.md", "研学路线", body, "九龙坡区研学路线：每条路线的时间安排、团体上限、费用和预约清单；也可以自己规划路线",
                hide=("navigation", "toc"))


def plan_page(site: SiteInfo, pace: timeline.Pace) -> Page:
    streets = [{"name": s.name, "seat": list(s.seat)} for s in taxonomy().streets]
    config = json.dumps({"pace": pace.as_json(), "basemap": site.basemap, "streets": streets}, ensure_ascii=False, sort_keys=True)
    body = render("plan.html", root="../../", config=config, streets=streets)  # options in the HTML: filling them in JS moved the page
    return Page("routes/plan.md", "规划研学路线", body, "自己规划研学路线：选站点、排顺序、算时间，检查团体人数和开放时间，打印或分享",
                hide=("navigation", "toc"), search=False)


def plan_stops(entries: list[Entry]) -> str:
    """routes/plan/stops.json: every published resource's facts, for the planner. Rows share
    their hours tables (many venues keep the same hours): ``hours`` is an index into ``tables``."""
    tables: dict[str, int] = {}
    rows = []
    for e in sorted(entries, key=lambda e: e.r.id):
        row = stop_facts(e)
        if "hours" in row:
            key = json.dumps(row["hours"], sort_keys=True)
            row["hours"] = tables.setdefault(key, len(tables))
        rows.append(row)
    data = {"tables": [json.loads(key) for key in tables], "stops": rows}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def pages(routes: list[Route], entries: list[Entry], site: SiteInfo, pace: timeline.Pace) -> tuple[list[Page], list[tuple[str, str, str]]]:
    """Every route page, the cards and the planner; and the QR codes (path, url, title) to make."""
    by_id = {e.r.id: e for e in entries}
    made = [index_page(routes, by_id, pace), plan_page(site, pace)]
    made += [route_page(route, by_id, site, pace) for route in routes]
    qr = [(f"routes/{r.id}/qr.svg", page_url(site, f"routes/{r.id}/"), r.name) for r in routes] if site.site_url else []
    return made, qr
