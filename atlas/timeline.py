"""A 研学 day's arithmetic: travel between stops, the timeline, the order, batches, closed days.

One algorithm, written twice on purpose: here for the curated route pages, and in
docs/assets/atlas-timeline.js for the planner in the browser. tests/test_browser_routes.py
checks that both give the same timeline for the same plan; change them together.

Travel is an estimate a teacher can check: the straight line (coords.distance_m, WGS-84)
times a detour factor, at a coach's speed, rounded up to whole 5 minutes. A leg with an
end that has no coordinates is *unknown* (None), never 0 km; the clock then runs on
without it and the times after it say so.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from . import hours_table
from .coords import Point, distance_m
from .holidays import Calendar

DEFAULT_MINUTES = 60  # a stop whose route and resource both leave the time open


@dataclass(frozen=True)
class Pace:
    """How travel is estimated and when a day is too long (the plugin's ``routes`` options)."""

    detour: float = 1.4  # road distance / straight-line distance
    speed_kmh: float = 25.0  # a coach in town, stops and lights included
    day_end: int = 17 * 60 + 30  # minutes after midnight: later than this gets a warning

    def as_json(self) -> dict:
        return {"detour": self.detour, "speed": self.speed_kmh, "end": self.day_end}


@dataclass(frozen=True)
class Leg:
    metres: float | None  # the road estimate; None = unknown (an end without coordinates)
    minutes: int | None


@dataclass(frozen=True)
class Row:
    arrive: int  # minutes after midnight
    leave: int
    after_unknown: bool  # an unknown leg comes before: the real times are later
    leg: Leg | None  # to the next stop; None for the last


@dataclass(frozen=True)
class Day:
    rows: tuple[Row, ...]
    start: int
    end: int
    metres: float  # the known legs' road estimate
    unknown_legs: int
    on_site: int  # minutes at the stops


def leg(a: Point | None, b: Point | None, pace: Pace) -> Leg:
    """Travel between two points: the straight line × detour, at the coach's speed."""
    if a is None or b is None:
        return Leg(None, None)
    metres = distance_m(a, b) * pace.detour
    return Leg(metres, travel_minutes(metres, pace))


def travel_minutes(metres: float, pace: Pace) -> int:
    """Whole 5 minutes, rounded up: a timetable, not a stopwatch (0 m is 0 minutes)."""
    return 5 * math.ceil(metres / (pace.speed_kmh * 1000 / 60) / 5)


def day(stops: list[tuple[Point | None, int]], start: int, pace: Pace) -> Day:
    """The timeline of (point, minutes on site) stops in visiting order, from ``start``."""
    rows, clock, unknown, metres, after_unknown = [], start, 0, 0.0, False
    for index, (point, minutes) in enumerate(stops):
        arrive, leave = clock, clock + minutes
        nxt = leg(point, stops[index + 1][0], pace) if index + 1 < len(stops) else None
        rows.append(Row(arrive, leave, after_unknown, nxt))
        clock = leave
        if nxt is not None:
            if nxt.minutes is None:
                unknown += 1
                after_unknown = True
            else:
                clock += nxt.minutes
                metres += nxt.metres
    end = rows[-1].leave if rows else start
    return Day(tuple(rows), start, end, metres, unknown, sum(m for _, m in stops))


def clock(minutes: int) -> str:
    """08:30 from 510; past midnight it keeps counting (24:10) rather than wrap."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(text: str) -> int:
    """510 from "08:30" or "8:30"; ValueError otherwise."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60):
        raise ValueError(f"时间应写成 08:30 这样的格式，而不是 {text!r}")
    return int(hours) * 60 + int(minutes)


def batches(size: int, limit: int | None) -> int:
    """How many groups a class must split into at a stop that takes ``limit`` people at a time."""
    if not limit or size <= limit:
        return 1
    return math.ceil(size / limit)


def closed_on(opening_hours: str | None, calendar: Calendar, date: dt.date) -> bool | None:
    """True when the hours say closed all of ``date`` (holidays included), None when unknown."""
    if not opening_hours:
        return None
    try:
        return not hours_table.day_spans(opening_hours, calendar, date)
    except (hours_table.Unsupported, ValueError):
        return None


def order(points: list[Point], start: Point) -> list[int]:
    """A good visiting order: nearest neighbour from ``start``, then 2-opt (open path)."""
    tour, left, here = [], list(range(len(points))), start
    while left:
        nearest = min(left, key=lambda i: (distance_m(here, points[i]), i))
        tour.append(nearest)
        left.remove(nearest)
        here = points[nearest]
    return two_opt(tour, points, start)


def path_length(tour: list[int], points: list[Point], start: Point) -> float:
    stops = [start, *(points[i] for i in tour)]
    return sum(distance_m(a, b) for a, b in zip(stops, stops[1:]))


def two_opt(tour: list[int], points: list[Point], start: Point) -> list[int]:
    """Reverse stretches of the path while that makes it shorter; never makes it longer."""
    best, best_length, improved = list(tour), path_length(tour, points, start), True
    while improved:
        improved = False
        for i in range(len(best) - 1):
            for j in range(i + 1, len(best)):
                candidate = best[:i] + best[i:j + 1][::-1] + best[j + 1:]
                length = path_length(candidate, points, start)
                if length < best_length - 1e-6:
                    best, best_length, improved = candidate, length, True
    return best
