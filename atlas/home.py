"""The home page's generated sections and the 研学 routes page."""

from __future__ import annotations

from .pages import Entry, Page, render
from .schema import Route
from .taxonomy import taxonomy

HOME_MARKER = "<!-- atlas:home -->"


def home_sections(entries: list[Entry], routes: list[Route]) -> str:
    t = taxonomy()
    counts = {c.code: sum(1 for e in entries if e.r.category == c.code) for c in t.categories}
    holiday = counts.get("holiday_care", 0)  # what the button says it counts: 托管点, as /c/holiday_care/
    return render("home.html", categories=t.categories, counts=counts, holiday=holiday, routes=routes, streets=t.streets, stages=t.stages, total=len(entries))


def routes_page(routes: list[Route], entries: list[Entry], map_ids: dict[str, str]) -> Page:
    by_id = {e.r.id: e for e in entries}
    body = render("routes.html", routes=routes, by_id=by_id, root="../", map_ids=map_ids)
    return Page("routes/index.md", "研学路线", body, "九龙坡区研学路线：按参观顺序排列的站点")
