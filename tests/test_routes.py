"""Curated 研学 route pages (atlas/routes.py): what a teacher reads on /routes/<id>/."""

from __future__ import annotations

import json

import pytest

from atlas import coords, holidays, pages, routes, timeline
from atlas.geocache import locate
from atlas.schema import Route
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes, row

# Obviously fictional venues with coordinates (WGS-84), limits, fees and booking rules.
VENUES = [
    row(id="demo-a", name="示例场馆0001", lat="29.5140", lon="106.5100", capacity="20", visit_minutes="60", fee="free",
        booking="提前 3 天电话预约", phone="023-68780001", opening_hours="Tu-Su 09:00-17:00; PH off"),
    row(id="demo-b", name="示例场馆0002", lat="29.4880", lon="106.5230", capacity="50", fee="paid", fee_note="学生 10 元",
        booking_url="https://booking.example.gov.cn/b"),
    row(id="demo-c", name="示例场馆0003", lat="", lon="", visit_minutes="45"),
]


def entries(calendar=None):
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=csv_bytes(*VENUES))
    return {r.id: pages.Entry(r, locate(r, {}), calendar=calendar) for r in atlas.resources}


def route(*stops):
    return Route.model_validate({"id": "demo", "name": "示例路线", "theme": "示例", "stops": list(stops)})


SITE = pages.SiteInfo(site_url="https://atlas.example.org/", basemap={"url": "https://t/{z}/{x}/{y}", "datum": "gcj02", "attribution": "©", "subdomains": "", "overlay": "", "maxZoom": 18})


def test_minutes_come_from_the_route_else_the_resource_else_the_default():
    by_id = entries()
    data = routes.route_day(route({"id": "demo-a", "minutes": 90}, {"id": "demo-a"}, {"id": "demo-b"}), by_id, timeline.Pace())
    assert [(s["minutes"], s["origin"]) for s in data["stops"]] == [(90, "route"), (60, "resource"), (60, "default")]
    html = routes.route_page(route({"id": "demo-a", "minutes": 90}, {"id": "demo-b"}), by_id, SITE, timeline.Pace()).body
    assert "停留 90 分钟（本路线安排；场馆建议 60 分钟）" in html
    assert "场馆未注明建议时长，按 60 分钟估算" in html


def test_route_page_times_totals_limit_fees_and_checklist():
    by_id = entries()
    r = route({"id": "demo-a"}, {"id": "demo-b", "minutes": 30})
    page = routes.route_page(r, by_id, SITE, timeline.Pace())
    leg = timeline.leg(by_id["demo-a"].point, by_id["demo-b"].point, timeline.Pace())
    arrive = 510 + 60 + leg.minutes
    assert f"<time>08:30</time>–<time>09:30</time>" in page.body
    assert f"<time>{timeline.clock(arrive)}</time>–<time>{timeline.clock(arrive + 30)}</time>" in page.body
    assert f"约 {leg.metres / 1000:.1f} 公里，车程约 {leg.minutes} 分钟" in page.body
    assert f"约 {timeline.clock(arrive + 30)} 结束" in page.body
    assert "全程最小：每批 20 人（示例场馆0001）" in page.body
    assert "费用：免费" in page.body and "费用：收费（学生 10 元）" in page.body
    assert "提前 3 天" in page.body and "023-6878 0001" in page.body.replace("023-68780001", "023-6878 0001")
    assert 'href="https://booking.example.gov.cn/b"' in page.body and "未注明" in page.body  # demo-b states no lead time
    assert page.path == "routes/demo.md" and "示例" in page.description
    drawing = json.loads(page.body.split("data-route-map='")[1].split("'")[0].replace("&#34;", '"').replace("&amp;", "&"))
    assert [s[0] for s in drawing["stops"]] == [1, 2] and drawing["stops"][0][1:3] == list(by_id["demo-a"].point)


def test_a_stop_without_coordinates_makes_travel_unknown_not_zero():
    page = routes.route_page(route({"id": "demo-a"}, {"id": "demo-c"}), entries(), SITE, timeline.Pace())
    assert "路程未知（站点缺少坐标）" in page.body and "0.0 公里" not in page.body and "0 米" not in page.body
    assert "路程未知：站点缺少坐标" in page.body


def test_without_any_coordinates_the_page_says_there_is_no_map():
    page = routes.route_page(route({"id": "demo-c"}, {"id": "demo-c"}), entries(), SITE, timeline.Pace())
    assert "data-route-map" not in page.body and "站点暂无坐标" in page.body


def test_route_and_venue_values_are_escaped_in_text_and_attributes():
    venues = [row(id="q", name="示例场馆 \"A&B\" 'x' <3", lat="29.5", lon="106.5"), VENUES[1]]
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=csv_bytes(*venues))
    by_id = {r.id: pages.Entry(r, locate(r, {})) for r in atlas.resources}
    hostile = Route.model_validate({"id": "demo", "name": "示例 & <路线>", "theme": "主题 'x'", "stops": [{"id": "q", "note": "a < b"}, {"id": "demo-b"}]})
    body = routes.route_page(hostile, by_id, SITE, timeline.Pace()).body
    assert "示例场馆 &#34;A&amp;B&#34; &#39;x&#39; &lt;3" in body and "a &lt; b" in body and "<3" not in body
    drawing = body.split("data-route-map='")[1].split("'")[0]  # the JSON stays inside its attribute
    assert json.loads(drawing.replace("&#34;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&amp;", "&"))["stops"][0][3] == "示例场馆 \"A&B\" 'x' <3"


@pytest.mark.parametrize(("text", "lead"), [("提前 3 天电话预约", "提前 3 天"), ("请提前一周预约", "提前一周"), ("提前2个工作日", "提前2个工作日"),
                                            ("电话预约", ""), (None, "")])
def test_lead_time_is_what_the_booking_text_states(text, lead):
    assert routes.lead_time(text) == lead


def test_cards_and_the_planners_data():
    by_id = entries(holidays.china())
    page = routes.index_page([route({"id": "demo-a"}, {"id": "demo-b"})], by_id, timeline.Pace())
    assert 'href="demo/"' in page.body and "示例场馆0001 → 示例场馆0002" in page.body and "团体每批最多 20 人" in page.body
    assert 'href="plan/"' in page.body
    data = json.loads(routes.plan_stops(list(by_id.values())))
    rows = data["stops"]
    a = next(r for r in rows if r["id"] == "demo-a")
    assert a["capacity"] == 20 and a["lead"] == "提前 3 天" and a["point"] == [29.514, 106.51]
    assert data["tables"][a["hours"]] == by_id["demo-a"].hours and data["tables"][a["hours"]]["w"][0] == []  # Monday closed
    assert "point" not in next(r for r in rows if r["id"] == "demo-c")


def test_the_planners_data_shares_hours_tables():
    venues = [row(id=f"demo-{i}", name=f"示例场馆{i:04d}", opening_hours="Tu-Su 09:00-17:00; PH off") for i in range(5)]
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=csv_bytes(*venues))
    data = json.loads(routes.plan_stops([pages.Entry(r, None, calendar=holidays.china()) for r in atlas.resources]))
    assert len(data["tables"]) == 1 and {r["hours"] for r in data["stops"]} == {0}


def test_plan_link_keeps_the_routes_own_minutes():
    link = routes.plan_link(route({"id": "demo-a", "minutes": 90}, {"id": "demo-b"}))
    assert link == "../plan/?stops=demo-a,demo-b&minutes=90,&start=08:30"


def test_gcj02_venue_points_are_wgs84_in_the_timeline():
    # The CSV may give 高德 (GCJ-02) points; travel is measured between WGS-84 points.
    venues = [row(id="g", name="示例场馆0009", lat="29.5114", lon="106.5137", coord_system="gcj02"), VENUES[0]]
    atlas = validate_csv("resources.csv", Settings(today=TODAY), data=csv_bytes(*venues))
    entry = next(pages.Entry(r, locate(r, {})) for r in atlas.resources if r.id == "g")
    assert coords.distance_m(entry.point, coords.gcj02_to_wgs84(29.5114, 106.5137)) < 1
