"""/map/ on a phone, the lazy mini-map and the route maps; nothing but the site and tiles."""

from urllib.parse import urlsplit

import pytest

from atlas import coords, maps

from .browser import built_site, phone_on, still
from .conftest import row
from .sites import ROWS

pytestmark = pytest.mark.browser

# Forty more fictional rows around two streets, so the map has clusters to show.
MANY = ROWS + [
    row(id=f"example-{n:04d}", name=f"示例场馆{n:04d}", category=("library", "sports", "youth")[n % 3],
        street=("杨家坪街道", "西彭镇")[n % 2], lat=f"{(29.5085, 29.3150)[n % 2] + n * 0.0003:.4f}", lon=f"{(106.5110, 106.3600)[n % 2] + n * 0.0002:.4f}")
    for n in range(10, 50)
]
TILE_HOSTS = maps.basemap("amap").hosts


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("map-site"), rows=MANY) as url:
        yield url


@pytest.fixture
def phone(browser, site):
    with phone_on(browser, site, (29.3160, 106.3610), TILE_HOSTS) as page:  # near the 西彭镇 rows
        yield page


def test_the_atlas_map_clusters_filters_and_links(site, phone):
    phone.goto(site + "map/")
    phone.wait_for_selector(".marker-cluster", timeout=10000)
    assert phone.locator(".marker-cluster").count() >= 1
    assert phone.locator(".atlas-map-status").inner_text() == "地图上显示 42 处"
    box = phone.locator(".atlas-map").bounding_box()
    assert box["width"] >= 380 and box["height"] >= 320  # the map fills the phone's width

    phone.select_option("select[name=category]", "museum")
    assert phone.locator(".atlas-map-status").inner_text() == "地图上显示 1 处"
    assert "category=museum" in phone.url
    still(phone.locator(".atlas-pin-icon").first).click()
    link = phone.locator(".atlas-popup a.atlas-card-name")
    assert link.inner_text() == "示例博物馆0001"
    still(link).click()
    phone.wait_for_url("**/r/example-museum/")
    assert phone.locator("h1").inner_text() == "示例博物馆0001"
    assert phone.errors == []
    assert any(urlsplit(u).hostname in TILE_HOSTS for u in phone.requests)


def test_near_me_lists_the_nearest_five(site, phone):
    phone.goto(site + "map/")
    phone.wait_for_selector(".marker-cluster", timeout=10000)
    phone.locator(".atlas-near-me").click()
    phone.wait_for_selector(".atlas-nearest-five li", timeout=10000)
    items = phone.locator(".atlas-nearest-five li")
    assert items.count() == 5
    first = items.first.get_attribute("data-resource-id")
    assert int(first.split("-")[1]) % 2 == 1  # a 西彭镇 row, near the phone
    assert phone.locator(".atlas-nearest-five .atlas-distance").first.inner_text().endswith(("米", "公里"))


def test_map_list_toggle(site, phone):
    phone.goto(site + "map/?street=西彭镇")
    phone.wait_for_selector(".marker-cluster", timeout=10000)
    assert phone.locator(".atlas-map-status").inner_text() == "地图上显示 20 处"
    phone.locator(".atlas-map-toggle").click()
    assert phone.locator(".atlas-map-list li").count() == 20
    assert not phone.locator(".atlas-map").is_visible()


def test_the_browser_transform_matches_python(site, phone):
    phone.goto(site + "map/")
    phone.wait_for_selector(".marker-cluster", timeout=10000)
    for point in ((29.5085, 106.5110), (29.2950, 106.4250)):
        got = phone.evaluate(f"atlasCoords.fromWgs84({point[0]}, {point[1]}, 'gcj02')")
        assert coords.distance_m(tuple(got), coords.wgs84_to_gcj02(*point)) < 0.01
        got = phone.evaluate(f"atlasCoords.fromWgs84({point[0]}, {point[1]}, 'bd09')")
        assert coords.distance_m(tuple(got), coords.wgs84_to_bd09(*point)) < 0.01


def test_the_mini_map_loads_only_when_scrolled_into_view(site, phone):
    phone.goto(site + "r/example-museum/")
    phone.wait_for_load_state("networkidle")
    assert not any("leaflet" in u for u in phone.requests)
    assert not any(urlsplit(u).hostname in TILE_HOSTS for u in phone.requests)
    phone.locator(".atlas-minimap").scroll_into_view_if_needed()
    phone.wait_for_selector(".atlas-minimap[data-ready=true]", timeout=10000)
    assert any(u.endswith("assets/vendor/leaflet/leaflet.js") for u in phone.requests)
    assert any(urlsplit(u).hostname in TILE_HOSTS for u in phone.requests)
    assert phone.locator(".atlas-minimap .atlas-pin").count() == 1
    assert phone.errors == []


def test_route_maps_show_numbered_stops(site, phone):
    phone.goto(site + "routes/example-route/")
    phone.wait_for_selector(".atlas-route-map .atlas-stop-number", timeout=10000)
    assert phone.locator(".atlas-route-map .atlas-stop-number").all_inner_texts() == ["1", "2"]
    assert phone.locator(".atlas-route-map path.leaflet-interactive").count() == 1
    assert phone.errors == []
