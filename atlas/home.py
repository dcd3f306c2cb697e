"""The home page's generated sections (the 研学 route pages are routes.py's)."""

from __future__ import annotations

from .pages import Entry, render
from .schema import Route
from .taxonomy import taxonomy

HOME_MARKER = "<!-- atlas:home -->"


def home_sections(entries: list[Entry], routes: list[Route]) -> str:
    t = taxonomy()
    counts = {c.code: sum(1 for e in entries if e.r.category == c.code) for c in t.categories}
    holiday = counts.get("holiday_care", 0)  # what the button says it counts: 托管点, as /c/holiday_care/
    return render("home.html", categories=t.categories, counts=counts, holiday=holiday, routes=routes, streets=t.streets, stages=t.stages, total=len(entries))
