"""A 研学 day's arithmetic (atlas/timeline.py): distance, order, timeline, batches, closed days."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from atlas import coords, holidays, timeline
from atlas.timeline import Pace

PACE = Pace()
# Fictional points in the district (WGS-84): 杨家坪-ish, 黄桷坪-ish, 西彭-ish.
A, B, C = (29.5140, 106.5100), (29.4880, 106.5230), (29.3800, 106.3500)


def test_a_leg_is_the_straight_line_times_the_detour_at_coach_speed():
    straight = coords.distance_m(A, B)
    assert 3000 < straight < 3400  # ~3.2 km between the two points
    leg = timeline.leg(A, B, PACE)
    assert leg.metres == pytest.approx(straight * 1.4)
    # 4.5 km at 25 km/h is 10.8 minutes: rounded up to whole 5 minutes.
    assert leg.minutes == 5 * -(-straight * 1.4 / (25000 / 60) // 5)
    assert timeline.leg(A, B, Pace(detour=2.0, speed_kmh=50)).metres == pytest.approx(straight * 2)


def test_travel_rounds_up_to_five_minutes():
    per_minute = 25000 / 60
    assert timeline.travel_minutes(0, PACE) == 0
    assert timeline.travel_minutes(1, PACE) == 5
    assert timeline.travel_minutes(5 * per_minute, PACE) == 5
    assert timeline.travel_minutes(5 * per_minute + 1, PACE) == 10


def test_a_leg_without_coordinates_is_unknown_not_zero():
    assert timeline.leg(A, None, PACE) == timeline.Leg(None, None)
    assert timeline.leg(None, A, PACE).minutes is None


def test_timeline_adds_time_on_site_and_travel():
    day = timeline.day([(A, 90), (B, 60), (C, 45)], 8 * 60 + 30, PACE)
    ab, bc = timeline.leg(A, B, PACE).minutes, timeline.leg(B, C, PACE).minutes
    assert [(r.arrive, r.leave) for r in day.rows] == [
        (510, 600), (600 + ab, 660 + ab), (660 + ab + bc, 705 + ab + bc)]
    assert day.end == 705 + ab + bc and day.on_site == 195 and day.unknown_legs == 0
    assert day.metres == pytest.approx(timeline.leg(A, B, PACE).metres + timeline.leg(B, C, PACE).metres)
    assert day.rows[-1].leg is None and not any(r.after_unknown for r in day.rows)


def test_timeline_says_which_times_come_after_an_unknown_leg():
    day = timeline.day([(A, 30), (None, 30), (B, 30)], 540, PACE)
    assert day.unknown_legs == 2 and day.metres == 0
    assert [(r.arrive, r.after_unknown) for r in day.rows] == [(540, False), (570, True), (600, True)]


def test_clock_both_ways():
    assert timeline.clock(510) == "08:30" and timeline.parse_clock("8:30") == 510
    for bad in ("24:00", "8.30", "08:3", "", "ab:cd"):
        with pytest.raises(ValueError, match="08:30"):
            timeline.parse_clock(bad)


@pytest.mark.parametrize(("size", "limit", "expected"), [(45, 20, 3), (40, 20, 2), (20, 20, 1), (45, None, 1), (45, 50, 1), (1, 1, 1), (41, 20, 3)])
def test_batches(size, limit, expected):
    assert timeline.batches(size, limit) == expected


def test_closed_days_follow_the_weekly_hours_and_china_s_holidays():
    calendar = holidays.china()
    hours = "Tu-Su 09:00-17:00; PH off"
    assert timeline.closed_on(hours, calendar, dt.date(2026, 12, 7)) is True  # a Monday
    assert timeline.closed_on(hours, calendar, dt.date(2026, 12, 8)) is False  # a Tuesday
    assert timeline.closed_on(hours, calendar, dt.date(2026, 10, 1)) is True  # 国庆节, a Thursday
    assert timeline.closed_on(None, calendar, dt.date(2026, 12, 8)) is None  # no hours: unknown


def _random_points(n, seed):
    rng = random.Random(seed)
    return [(29.35 + rng.random() * 0.2, 106.30 + rng.random() * 0.25) for _ in range(n)]


@pytest.mark.parametrize("seed", range(12))
def test_two_opt_improves_or_keeps_a_nearest_neighbour_tour(seed):
    points, start = _random_points(9, seed), (29.50, 106.50)
    tour = timeline.order(points, start)
    assert sorted(tour) == list(range(9))
    nearest, left, here = [], set(range(9)), start
    while left:
        i = min(left, key=lambda k: (coords.distance_m(here, points[k]), k))
        nearest.append(i)
        left.remove(i)
        here = points[i]
    assert timeline.path_length(tour, points, start) <= timeline.path_length(nearest, points, start) + 1e-6
    # No single reversal shortens it further (2-opt's local optimum).
    for i, j in itertools.combinations(range(9), 2):
        candidate = tour[:i] + tour[i:j + 1][::-1] + tour[j + 1:]
        assert timeline.path_length(candidate, points, start) >= timeline.path_length(tour, points, start) - 1e-6


def test_two_opt_untangles_a_crossing():
    # Start at the origin, points on a line: the crossing order 0, 2, 1, 3 becomes 0, 1, 2, 3.
    points = [(29.50, 106.51), (29.50, 106.52), (29.50, 106.53), (29.50, 106.54)]
    start = (29.50, 106.50)
    assert timeline.two_opt([0, 2, 1, 3], points, start) == [0, 1, 2, 3]
    assert timeline.order(list(reversed(points)), start) == [3, 2, 1, 0]
