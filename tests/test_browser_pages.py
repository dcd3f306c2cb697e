"""Paginated browse pages and the split holiday page on a phone."""

import pytest

from atlas import coords, maps

from .browser import assert_seen, built_site, phone_on, still
from .conftest import row
from .sites import ROWS
from .test_quality import serious_findings

pytestmark = pytest.mark.browser

# 130 fictional museums (c/museum/ has 3 pages) and 110 care sites in two towns (/holiday/ splits).
MANY = (
    ROWS
    + [row(id=f"example-m{n:04d}", name=f"示例场馆{n:04d}", category="museum", lat=f"{29.5000 + n * 0.0001:.4f}") for n in range(130)]
    + [
        row(id=f"example-h{n:04d}", name=f"示例托管点{n:04d}", category="holiday_care", street=("华岩镇", "西彭镇")[n % 2], holiday_service="暑假",
            lat=f"{(29.4780, 29.3150)[n % 2] + n * 0.0003:.4f}", lon=f"{(106.4450, 106.3600)[n % 2] + n * 0.0002:.4f}")
        for n in range(110)
    ]
)
TILE_HOSTS = maps.basemap("amap").hosts
HERE = (29.3160, 106.3610)  # the phone, near the 西彭镇 sites; the position never leaves it


def nearest_ids(street: str = "") -> list[str]:
    sites = [r for r in MANY if (r["category"] == "holiday_care" or r.get("holiday_service")) and r["lat"] and (not street or r["street"] == street)]
    return [r["id"] for r in sorted(sites, key=lambda r: coords.distance_m(HERE, (float(r["lat"]), float(r["lon"]))))]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("pages-site"), rows=MANY) as url:
        yield url


@pytest.fixture
def phone(browser, site):
    with phone_on(browser, site, HERE, TILE_HOSTS) as page:  # a resource page's mini-map may come into view
        yield page


def cards(page, which: str = ".atlas-cards") -> list[str]:
    return page.locator(f"{which} > li").evaluate_all("items => items.map(li => li.dataset.resourceId)")


def test_following_the_pager(site, phone):
    phone.goto(site + "c/museum/")
    assert phone.locator(".atlas-count").inner_text() == "第 1 页，共 3 页 · 共 131 处"
    first = cards(phone)
    assert len(first) == 50
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the pager wraps, no sideways scrolling
    phone.locator(".atlas-pager a[rel=next]").click()
    phone.wait_for_url("**/c/museum/2/")
    assert phone.title().startswith("博物馆·纪念馆·美术馆（第 2 页）")
    assert phone.locator(".atlas-pager [aria-current=page]").inner_text() == "2"
    second = cards(phone)
    phone.locator(".atlas-pager a", has_text="3").click()
    phone.wait_for_url("**/c/museum/3/")
    third = cards(phone)
    assert len(third) == 31 and phone.locator(".atlas-pager a[rel=next]").count() == 0
    assert len(set(first + second + third)) == 131
    phone.locator(".atlas-pager a[rel=prev]").click()
    phone.wait_for_url("**/c/museum/2/")
    phone.locator(".atlas-pager a", has_text="1").click()
    phone.wait_for_url("**/c/museum/")
    phone.locator(".atlas-card-name").first.click()
    phone.wait_for_url(f"**/r/{first[0]}/")
    phone.goto(site + "c/museum/2/")
    phone.locator("a", has_text="在查找页筛选").click()
    phone.wait_for_url("**/find/?category=museum")
    assert phone.locator("select[name=category]").input_value() == "museum"
    assert phone.errors == []


def test_the_pager_passes_axe(site, phone):
    phone.goto(site + "c/museum/2/")
    phone.wait_for_load_state("networkidle")
    assert serious_findings(phone) == []


def test_nearest_on_the_split_holiday_page_covers_every_site(site, phone):
    phone.goto(site + "holiday/")
    phone.wait_for_load_state("networkidle")
    assert phone.locator(".atlas-tile").count() == 2 and phone.locator(".atlas-card-item").count() == 0
    assert not any(u.endswith("sites.json") for u in phone.requests)  # nothing before the tap
    phone.locator(".atlas-nearest").click()
    phone.wait_for_selector(".atlas-nearest-list li", timeout=10000)
    assert any(u.endswith("holiday/sites.json") for u in phone.requests)
    assert cards(phone, ".atlas-nearest-list") == nearest_ids()[:20]
    first = phone.locator(".atlas-nearest-list .atlas-card-name").first
    assert_seen(still(first))  # the list is scrolled into view, below the sticky header
    metres = phone.locator(".atlas-nearest-list .atlas-distance").evaluate_all(
        "labels => labels.map(l => parseFloat(l.textContent) * (l.textContent.endsWith('公里') ? 1000 : 1))")
    assert metres == sorted(metres)
    assert phone.locator(".atlas-nearest-status").inner_text() == "离你最近的 20 处，托管点在前（共 111 处有坐标）"
    phone.locator(".atlas-nearest-more").click()
    assert cards(phone, ".atlas-nearest-list") == nearest_ids()[:40]
    link = phone.locator(".atlas-nearest-list .atlas-card-name").first
    assert link.inner_text() == next(r["name"] for r in MANY if r["id"] == nearest_ids()[0])
    link.click()
    phone.wait_for_url(f"**/r/{nearest_ids()[0]}/")
    assert phone.errors == []


def test_nearest_on_a_street_holiday_page_keeps_to_its_street(site, phone):
    phone.goto(site + "holiday/xipeng/2/")
    assert phone.locator(".atlas-count").inner_text() == "第 2 页，共 2 页 · 共 55 处"
    phone.locator(".atlas-nearest").click()
    phone.wait_for_selector(".atlas-nearest-list li", timeout=10000)
    assert phone.locator(".atlas-nearest-status").inner_text() == "离你最近的 20 处，托管点在前（共 55 处有坐标）"
    assert cards(phone, ".atlas-nearest-list") == nearest_ids("西彭镇")[:20]
    assert phone.locator(".atlas-nearest-list .atlas-card-meta").first.inner_text() == "公益假期托管点 · 西彭镇"
    phone.locator("a", has_text="各镇街的假期托管").click()
    phone.wait_for_url(site + "holiday/")
    assert phone.errors == []
