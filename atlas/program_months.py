"""/find/'s 本月有活动: each resource's programme days as a few numbers in facets.json.

A resource's value is ``[examples_only, yyyymm of its first month, day mask, day mask, …]``, one
mask per month from the first to the last (0 for a month without days): bit d-1 is day d (31
bits fit a JavaScript int), so a year's timetable is 14 numbers.
The browser (docs/assets/atlas-finder.js) takes today's date in Beijing and keeps the days
of this month from today on: the build never goes stale, and a programme whose days this
month are over no longer counts. ``days_left`` is the reference for that lookup.

Programmes carried to schools (进校园) belong to no resource and are left out. A resource's
example programmes count only when it has no others, and are then flagged (the card says 示例).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .programs import Programme


def facet(programmes: list[Programme]) -> list[int]:
    """The value for one resource's programmes (its own, not 进校园); [] when it has none."""
    real = [x for x in programmes if not x.example]
    masks: dict[int, int] = defaultdict(int)  # months since year 0 -> day mask
    for x in real or programmes:
        for day in x.days:
            masks[day.year * 12 + day.month - 1] |= 1 << (day.day - 1)
    if not masks:
        return []
    first = min(masks)
    return [0 if real else 1, first // 12 * 100 + first % 12 + 1] + [masks.get(m, 0) for m in range(first, max(masks) + 1)]


def days_left(value: list[int], today: dt.date) -> list[dt.date]:
    """The programme days of ``today``'s month from ``today`` on (what atlas-finder.js counts)."""
    if not value:
        return []
    index = today.year * 12 + today.month - (value[1] // 100 * 12 + value[1] % 100)
    mask = value[2 + index] if 0 <= index < len(value) - 2 else 0
    return [today.replace(day=d) for d in range(today.day, 32) if mask >> (d - 1) & 1]
