import itertools

import prcoords
import pytest

from atlas import coords
from atlas.coords import BD09, GCJ02, SYSTEMS, WGS84, convert, distance_m

# A grid over the district and a margin around it (WGS-84).
GRID = [(29.22 + 0.02 * i, 106.20 + 0.02 * j) for i in range(21) for j in range(20)]


@pytest.mark.parametrize("point", GRID[::7])
def test_forward_transforms_match_an_independent_implementation(point):
    ours_gcj = coords.wgs84_to_gcj02(*point)
    theirs_gcj = prcoords.wgs_gcj(prcoords.Coords(*point))
    assert distance_m(ours_gcj, theirs_gcj) < 0.01
    ours_bd = coords.wgs84_to_bd09(*point)
    theirs_bd = prcoords.wgs_bd(prcoords.Coords(*point))
    assert distance_m(ours_bd, theirs_bd) < 0.01


def test_gcj02_offset_is_about_480_m_in_the_district():
    # DESIGN.md: WGS-84 points on a GCJ-02 basemap land about 480 m off here.
    offset = distance_m((29.5085, 106.5110), coords.wgs84_to_gcj02(29.5085, 106.5110))
    assert 400 < offset < 560


def test_inverse_round_trip_is_under_half_a_metre_everywhere_in_the_district():
    worst_gcj = max(distance_m(p, coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(*p))) for p in GRID)
    worst_bd = max(distance_m(p, coords.bd09_to_wgs84(*coords.wgs84_to_bd09(*p))) for p in GRID)
    assert worst_gcj < 0.5 and worst_bd < 0.5
    # And the iteration is far better than the one-step inverse prcoords ships (~1-2 m).
    one_step = max(distance_m(p, tuple(prcoords.gcj_wgs(prcoords.wgs_gcj(prcoords.Coords(*p))))) for p in GRID)
    assert worst_gcj < one_step / 100


def test_iterated_inverse_agrees_with_prcoords_bored_inverse():
    for p in GRID[::11]:
        gcj = coords.wgs84_to_gcj02(*p)
        theirs = prcoords.gcj_wgs_bored(prcoords.Coords(*gcj))
        assert distance_m(coords.gcj02_to_wgs84(*gcj), tuple(theirs)) < 0.05


@pytest.mark.parametrize("source,target", list(itertools.permutations(SYSTEMS, 2)))
def test_every_direction_round_trips(source, target):
    point = (29.4950, 106.5200)
    there = convert(*point, source, target)
    assert distance_m(there, point) > 100  # the systems really differ here
    back = convert(*there, target, source)
    assert distance_m(back, point) < 0.5


def test_points_outside_china_are_left_alone():
    assert coords.wgs84_to_gcj02(48.85, 2.35) == (48.85, 2.35)
    assert coords.gcj02_to_wgs84(48.85, 2.35) == (48.85, 2.35)


def test_identity_conversion():
    assert convert(29.5, 106.5, WGS84, WGS84) == (29.5, 106.5)
    assert convert(29.5, 106.5, GCJ02, GCJ02) == pytest.approx((29.5, 106.5), abs=1e-9)
    assert convert(29.5, 106.5, BD09, BD09) == pytest.approx((29.5, 106.5), abs=1e-6)
