"""Maps: basemap datum, stable folium output, local assets only, route maps."""

import json
import re

import pytest

from atlas import coords, holidays, maps, pages
from atlas.geocache import locate
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes
from .sites import ROWS


def entries():
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=csv_bytes(*ROWS))
    return [pages.Entry(r, locate(r, {}), calendar=holidays.china()) for r in atlas.resources]


def test_markers_are_emitted_in_the_basemaps_datum():
    known = (29.5085, 106.5110)  # WGS-84
    entry = [e for e in entries() if e.r.id == "example-museum"][0]
    entry.point = known
    data = json.loads(maps.markers([entry], maps.basemap("amap")))
    _, _, _, _, _, lat, lon, tel, phone, hours = data["markers"][0]
    assert (tel, phone) == ("tel:+862368781234", "023-68781234")  # what its popup offers: a call, and today's hours
    assert data["hours"][hours]["w"][0] == [] and data["hours"][hours]["w"][1] == [[540, 1020]]  # Tu-Su 09:00-17:00
    expected = coords.wgs84_to_gcj02(*known)
    assert coords.distance_m((lat, lon), expected) < 0.2
    assert coords.distance_m((lat, lon), known) > 400  # really moved onto the GCJ-02 grid
    assert data["datum"] == "gcj02"
    osm = json.loads(maps.markers([entry], maps.basemap("osm")))
    assert osm["markers"][0][5:7] == [29.5085, 106.511]


def test_markers_skip_resources_without_a_point_and_stay_small():
    data = json.loads(maps.markers(entries(), maps.basemap("amap")))
    assert [m[0] for m in data["markers"]] == ["example-museum", "example-care"]  # pinyin: 示例博物馆 (bo) before 示例托管点 (tuo), not by id
    # Well under the ~0.8 KB per marker of folium's MarkerCluster with popups.
    base = maps.basemap("amap")
    tables = len(json.dumps(data["hours"], ensure_ascii=False, separators=(",", ":")).encode()) - 2  # shared, one per distinct hours
    per_marker = (len(maps.markers(entries(), base).encode()) - len(maps.markers([], base).encode()) - tables) / len(data["markers"])
    assert per_marker < 300
    same = entries()[:1] * 3  # three rows with the same hours carry one table
    assert len(json.loads(maps.markers(same, base))["hours"]) == 1


def test_folium_output_is_stable_and_local():
    one = maps.atlas_map(maps.basemap("amap"))
    two = maps.atlas_map(maps.basemap("amap"))
    assert one == two
    script, map_name, cluster_name = one
    assert re.fullmatch(r"map_atlas\d+", map_name) and cluster_name.startswith("marker_cluster_atlas")
    assert f"var {map_name} = L.map(" in script and f"var {cluster_name} = L.markerClusterGroup(" in script
    for cls in (maps.LocalMap, maps.LocalCluster):
        for _, url in cls.default_js + cls.default_css:
            assert url.startswith("assets/vendor/"), url
    # folium's own defaults are untouched (we subclass, never mutate its module-level lists).
    import folium

    assert any("cdn.jsdelivr.net" in url for _, url in folium.Map.default_js)


@pytest.mark.parametrize("provider,datum,host", [("amap", "gcj02", "webrd01.is.autonavi.com"), ("osm", "wgs84", "tile.openstreetmap.org")])
def test_basemaps(provider, datum, host):
    base = maps.basemap(provider)
    assert base.datum == datum and host in base.hosts


def test_the_review_number_is_shown_with_chinese_basemaps():
    assert "审图号：GS(0000)0000号" in maps.basemap("amap", review_number="GS(0000)0000号").attribution


def test_tianditu_needs_a_key_and_is_wgs84():
    with pytest.raises(ValueError, match="密钥"):
        maps.basemap("tianditu")
    base = maps.basemap("tianditu", key="k")
    assert base.datum == "wgs84" and base.overlay and "t0.tianditu.gov.cn" in base.hosts


