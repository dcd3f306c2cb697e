"""/find/'s 本月有活动: each resource's programme days as a few numbers in facets.json.

A resource's value is ``[examples_only, yyyymm, day mask, yyyymm, day mask, …]``: bit d-1 of a
month's mask is day d (31 bits fit a JavaScript int), so 300 days of a year are 24 numbers.
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
    counted = real or programmes
    masks: dict[int, int] = defaultdict(int)
    for x in counted:
        for day in x.days:
            masks[day.year * 100 + day.month] |= 1 << (day.day - 1)
    if not masks:
        return []
    return [0 if real else 1] + [n for month in sorted(masks) for n in (month, masks[month])]


def days_left(value: list[int], today: dt.date) -> list[dt.date]:
    """The programme days of ``today``'s month from ``today`` on (what atlas-finder.js counts)."""
    pairs = dict(zip(value[1::2], value[2::2]))
    mask = pairs.get(today.year * 100 + today.month, 0)
    return [today.replace(day=d) for d in range(today.day, 32) if mask >> (d - 1) & 1]
