"""研学 routes on a phone (390×844): a route page, and a plan made from the finder, reordered,
checked, shared, printed and exported. The venues are fictional and have coordinates."""

from __future__ import annotations

import datetime as dt
import io
import random
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest

from atlas import holidays, hours_table, timeline

from .browser import PHONE, built_site, offline_tiles, watch
from .browser import seen as assert_seen  # on screen, nothing over it, text ≥ 4.5:1
from .conftest import row
from .test_quality import serious_findings

pytestmark = pytest.mark.browser

TILE_HOSTS = {f"webrd0{n}.is.autonavi.com" for n in "1234"}
VENUES = [
    row(id="demo-a", name="示例场馆0001", lat="29.5140", lon="106.5100", capacity="20", visit_minutes="60", fee="free",
        booking="提前 3 天电话预约", phone="023-68780001", opening_hours="Tu-Su 09:00-17:00; PH off", street="杨家坪街道"),
    row(id="demo-b", name="示例场馆0002", lat="29.4880", lon="106.5230", capacity="50", visit_minutes="90", fee="paid",
        fee_note="学生 10 元", booking_url="https://booking.example.gov.cn/b", street="黄桷坪街道"),
    row(id="demo-c", name="示例场馆0003", lat="", lon="", visit_minutes="45", street="杨家坪街道"),
    row(id="demo-d", name="示例场馆0004", lat="29.3800", lon="106.3500", capacity="100", street="西彭镇"),
]
ROUTES = [{"id": "demo-route", "name": "示例研学路线", "theme": "示例主题", "stages": ["初中"], "description": "示例路线说明",
           "stops": [{"id": "demo-a", "minutes": 90, "note": "参观"}, {"id": "demo-b"}, {"id": "demo-d", "note": "交流"}]}]
POINTS = {v["id"]: (float(v["lat"]), float(v["lon"])) for v in VENUES if v["lat"]}
MINUTES = {"demo-a": 60, "demo-b": 90, "demo-c": 45, "demo-d": 60}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with built_site(tmp_path_factory.mktemp("routes"), rows=VENUES, routes=ROUTES) as url:
        yield url


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(**PHONE, accept_downloads=True)
    offline_tiles(context, TILE_HOSTS)
    page = watch(context.new_page())
    yield page
    context.close()


def pdf_text(pdf) -> str:
    # The PDF's fonts map some characters to Kangxi radicals (⽰ for 示): NFKC maps them back.
    return unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pdf.pages))


def times(page):
    return page.locator(".atlas-plan-day .atlas-timeline-time").all_inner_texts()


def python_times(ids, start=510):
    day = timeline.day([(POINTS.get(i), MINUTES[i]) for i in ids], start, timeline.Pace())
    return [f"{timeline.clock(r.arrive)}–{timeline.clock(r.leave)}" + ("（未计入前面的未知路程）" if r.after_unknown else "") for r in day.rows]


def test_route_page_shows_a_timed_day_with_its_numbered_map(site, phone):
    phone.goto(site + "routes/")
    assert serious_findings(phone) == []
    phone.get_by_role("link", name="示例研学路线").click()
    phone.wait_for_url("**/routes/demo-route/")
    # The build's timeline (Python), as a teacher reads it.
    day = timeline.day([(POINTS["demo-a"], 90), (POINTS["demo-b"], 90), (POINTS["demo-d"], 60)], 510, timeline.Pace())
    expected = [f"{timeline.clock(r.arrive)}–{timeline.clock(r.leave)}" for r in day.rows]
    assert phone.locator(".atlas-timeline-time").all_inner_texts() == expected
    assert "本路线安排；场馆建议 60 分钟" in phone.locator(".atlas-timeline-stop").first.inner_text()
    assert "全程最小：每批 20 人（示例场馆0001）" in phone.locator(".atlas-day-summary").inner_text()
    phone.wait_for_selector(".atlas-route-map[data-ready=true] .atlas-stop-number", timeout=10000)
    assert phone.locator(".atlas-route-map .atlas-stop-number").all_inner_texts() == ["1", "2", "3"]
    assert phone.locator(".atlas-route-map path.leaflet-interactive").count() == 1
    assert phone.locator(".atlas-route-map .leaflet-control-zoom a").evaluate_all("els => els.map(e => e.title)") == ["放大", "缩小"]
    assert_seen(phone.get_by_role("link", name="调整时间、人数和日期"))
    assert serious_findings(phone) == []
    # The handout: one page here, with the QR code back to the page and no map controls.
    from pypdf import PdfReader

    phone.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(phone.pdf(format="A4", print_background=True)))
    text = pdf_text(pdf)
    assert len(pdf.pages) <= 2 and "扫码打开本" in text and "https://atlas.example.org/routes/demo-route/" in text
    assert "023-68780001" in text and "打印行程单" not in text and "Leaflet" not in text and "−" not in text
    phone.emulate_media(media="screen")
    # Its .ics: one event per stop at the build's times, on the chosen date.
    phone.get_by_label("出行日期").fill("2026-12-08")
    with phone.expect_download() as download:
        phone.get_by_role("button", name="导出到日历（.ics）").click()
    from icalendar import Calendar

    events = Calendar.from_ical(open(download.value.path(), "rb").read()).walk("VEVENT")
    assert [(e["DTSTART"].dt.strftime("%Y-%m-%d %H:%M"), e["DTEND"].dt.strftime("%H:%M")) for e in events] == [
        ("2026-12-08 " + timeline.clock(r.arrive), timeline.clock(r.leave)) for r in day.rows]
    assert all(e["DTSTART"].dt.utcoffset() == dt.timedelta(hours=8) for e in events)
    assert [str(e["UID"]).split("@")[0] for e in events] == [f"route-demo-route-2026-12-08-{n}-{i}" for n, i in enumerate(("demo-a", "demo-b", "demo-d"), 1)]
    # The route opens in the planner with its own minutes.
    phone.get_by_role("link", name="调整时间、人数和日期").click()
    phone.wait_for_selector(".atlas-plan-day .atlas-timeline-time")
    assert times(phone) == expected
    assert phone.errors == []


def test_python_and_the_browser_compute_the_same_timeline(site, phone):
    phone.goto(site + "routes/plan/")
    phone.wait_for_function("() => window.atlasTimeline")
    rng = random.Random(17)
    for case in range(30):
        stops = [((29.3 + rng.random() * 0.3, 106.25 + rng.random() * 0.35) if rng.random() > 0.15 else None, rng.choice([15, 30, 45, 60, 90, 120]))
                 for _ in range(rng.randint(1, 7))]
        pace = timeline.Pace(detour=rng.choice([1.0, 1.4, 1.7]), speed_kmh=rng.choice([20.0, 25.0, 40.0]))
        start = rng.randrange(7 * 60, 10 * 60, 5)
        py = timeline.day(stops, start, pace)
        js = phone.evaluate("([s, start, pace]) => atlasTimeline.day(s, start, pace)",
                            [[[list(p) if p else None, m] for p, m in stops], start, {"detour": pace.detour, "speed": pace.speed_kmh, "end": pace.day_end}])
        assert [(r["arrive"], r["leave"], r["afterUnknown"]) for r in js["rows"]] == [(r.arrive, r.leave, r.after_unknown) for r in py.rows], case
        assert [r["leg"] and r["leg"]["minutes"] for r in js["rows"]] == [r.leg and r.leg.minutes for r in py.rows], case
        assert js["end"] == py.end and js["unknownLegs"] == py.unknown_legs and js["metres"] == pytest.approx(py.metres, abs=1e-6)
        points = [p for p, _ in stops if p]
        assert phone.evaluate("([p, s]) => atlasTimeline.order(p, s)", [[list(p) for p in points], [29.5, 106.5]]) == timeline.order(points, (29.5, 106.5))
    assert phone.evaluate("() => [atlasTimeline.batches(45, 20), atlasTimeline.batches(45, null)]") == [3, 1]
    # Closed days: the browser's lookup in the build's table, and Python asking the hours directly.
    calendar = holidays.china()
    for hours in ("Tu-Su 09:00-17:00; PH off", "Mo-Fr 08:30-12:00,14:00-17:30", "Sa,Su 10:00-16:00; PH 10:00-12:00"):
        table = hours_table.table(hours, calendar)
        days = [calendar.first + dt.timedelta(days=d) for d in range(0, (calendar.last - calendar.first).days, 3)]
        js = phone.evaluate("([t, days]) => days.map(d => atlasTimeline.closedOn(t, d))", [table, [d.isoformat() for d in days]])
        assert js == [timeline.closed_on(hours, calendar, d) for d in days], hours


def test_a_plan_from_the_finder_reordered_checked_shared_and_printed(site, phone, browser):
    # Three venues from the finder's cards.
    phone.goto(site + "find/")
    phone.get_by_label("查找场馆、托管点或活动场所").click()
    phone.keyboard.type("示例场馆")
    phone.keyboard.press("Enter")  # the list of everything is replaced by the query's results
    phone.wait_for_selector("#atlas-summary:has-text('“示例场馆”')", timeout=10000)
    for name in ("示例场馆0001", "示例场馆0002", "示例场馆0004"):
        card = phone.locator("#results li", has_text=name)
        add = card.get_by_role("button", name="加入路线")
        assert_seen(add)
        add.click()
        assert card.get_by_role("button", name="已加入路线").is_visible()
    phone.locator("#results li", has_text="示例场馆0004").get_by_role("link", name="查看路线").click()
    phone.wait_for_url("**/routes/plan/**")
    phone.wait_for_selector(".atlas-plan-stop")
    names = lambda: [n.split(". ", 1)[1] for n in phone.locator(".atlas-plan-name").all_inner_texts()]  # noqa: E731
    assert names() == ["示例场馆0001", "示例场馆0002", "示例场馆0004"]

    # Reorder with a button, then by dragging the handle.
    down = phone.get_by_role("button", name="下移 示例场馆0001")
    assert_seen(down)
    down.click()
    assert names() == ["示例场馆0002", "示例场馆0001", "示例场馆0004"]
    handle = phone.locator(".atlas-plan-stop", has_text="示例场馆0004").locator(".atlas-drag")
    target = phone.locator(".atlas-plan-stop").first.bounding_box()
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    phone.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    phone.mouse.down()
    target = phone.locator(".atlas-plan-stop").first.bounding_box()
    phone.mouse.move(box["x"] + box["width"] / 2, target["y"] + 5, steps=8)
    phone.mouse.up()
    assert names() == ["示例场馆0004", "示例场馆0002", "示例场馆0001"]
    order = ["demo-d", "demo-b", "demo-a"]
    assert times(phone) == python_times(order)

    # A class of 45 on a Monday: two warnings, in words a teacher can act on.
    phone.get_by_label("人数").fill("45")
    phone.get_by_label("日期").fill("2026-12-07")
    phone.get_by_label("日期").dispatch_event("change")
    warnings = phone.locator(".atlas-plan-warnings li")
    assert "示例场馆0001：每批最多 20 人，45 人需分 3 批" in warnings.first.inner_text()
    assert any("2026-12-07 不开放" in t for t in warnings.all_inner_texts())
    assert_seen(warnings.first)
    assert serious_findings(phone) == []

    # The shared link, opened on another phone (no local storage), is the same plan.
    url = phone.url
    assert parse_qs(urlsplit(url).query)["stops"] == [",".join(order)]
    other = watch(browser.new_context(**PHONE).new_page())
    offline_tiles(other.context, TILE_HOSTS)
    other.goto(url)
    other.wait_for_selector(".atlas-plan-stop")
    assert other.locator(".atlas-plan-name").all_inner_texts() == phone.locator(".atlas-plan-name").all_inner_texts()
    assert times(other) == times(phone)
    assert other.get_by_label("人数").input_value() == "45" and other.get_by_label("日期").input_value() == "2026-12-07"
    assert other.locator(".atlas-plan-warnings li").all_inner_texts() == warnings.all_inner_texts()
    other.context.close()
    # And this phone keeps its last plan for the next visit.
    phone.goto(site + "routes/plan/")
    phone.wait_for_selector(".atlas-plan-stop")
    assert names() == ["示例场馆0004", "示例场馆0002", "示例场馆0001"]

    # .ics: one event per stop, Beijing time, stable UIDs.
    with phone.expect_download() as download:
        phone.get_by_role("button", name="导出到日历（.ics）").click()
    from icalendar import Calendar

    calendar = Calendar.from_ical(open(download.value.path(), "rb").read())
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]).split("｜")[1] for e in events] == ["1. 示例场馆0004", "2. 示例场馆0002", "3. 示例场馆0001"]
    first = events[0]["DTSTART"].dt
    assert first == dt.datetime(2026, 12, 7, 8, 30, tzinfo=first.tzinfo) and str(first.tzinfo) in ("Asia/Shanghai", "CST")
    assert first.utcoffset() == dt.timedelta(hours=8)
    assert len({str(e["UID"]) for e in events}) == 3

    # Printed: no map controls, the phones and the checklist, at most two pages.
    phone.wait_for_selector(".atlas-route-map[data-ready=true]")
    phone.wait_for_function("() => document.querySelector('.atlas-print-qr').dataset.url === location.href")
    phone.emulate_media(media="print")  # page.pdf() prints with the emulated media
    assert phone.locator(".leaflet-control-container").evaluate_all("els => els.length && els.every(e => !e.offsetParent)")
    assert not phone.get_by_role("button", name="上移 示例场馆0002").is_visible()
    assert phone.locator(".atlas-print-qr svg").is_visible()
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(phone.pdf(format="A4", print_background=True)))
    text = pdf_text(pdf)
    assert len(pdf.pages) <= 2 and "扫码打开本行程" in text
    assert "预约清单" in text and "023-6878" in text and "提前 3 天" in text
    assert "放大" not in text and "缩小" not in text and "Zoom" not in text and "上移" not in text
    assert phone.errors == []


def test_unknown_ids_in_a_shared_link_are_named(site, phone):
    phone.goto(site + "routes/plan/?stops=demo-a,no-such-place,demo-c&size=30")
    phone.wait_for_selector(".atlas-plan-stop")
    message = phone.locator(".atlas-planner-message")
    assert "no-such-place" in message.inner_text() and "找不到" in message.inner_text()
    assert_seen(message)
    assert phone.locator(".atlas-plan-stop").count() == 2
    # demo-c has no coordinates: the leg is unknown, never 0 km.
    leg = phone.locator(".atlas-plan-day .atlas-timeline-leg").inner_text()
    assert "路程未知" in leg and "0 米" not in leg
    assert times(phone) == python_times(["demo-a", "demo-c"])
    assert serious_findings(phone) == []
    # A late start on a Tuesday: the visit runs past closing time, and the day past 17:30.
    phone.get_by_label("日期").fill("2026-12-08")
    phone.get_by_label("到达第一站").fill("16:30")
    phone.get_by_label("到达第一站").dispatch_event("change")
    warnings = phone.locator(".atlas-plan-warnings li").all_inner_texts()
    assert any("示例场馆0001：16:30–17:30 不全在开放时间内（当天 09:00–17:00）" in w for w in warnings), warnings
    assert any("行程约 18:15 结束，晚于 17:30" in w for w in warnings), warnings
    assert times(phone) == python_times(["demo-a", "demo-c"], start=16 * 60 + 30)
    # 大字: nothing runs off the side of the phone, the controls stay tappable and readable.
    phone.locator(".atlas-textsize").click()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    for name in ("下移 示例场馆0001", "移除 示例场馆0003"):
        assert_seen(phone.get_by_role("button", name=name))
    assert_seen(phone.get_by_label("人数"))
    assert serious_findings(phone) == []


def test_suggested_order_from_a_street(site, phone):
    phone.goto(site + "routes/plan/?stops=demo-a,demo-d,demo-b")
    phone.wait_for_selector(".atlas-plan-stop")
    phone.get_by_label("出发地").select_option("西彭镇")
    phone.get_by_role("button", name="建议顺序").click()
    names = [n.split(". ", 1)[1] for n in phone.locator(".atlas-plan-name").all_inner_texts()]
    assert names == ["示例场馆0004", "示例场馆0002", "示例场馆0001"]  # from 西彭, the far one first
    assert "最近邻" in phone.locator(".atlas-planner-message").inner_text()
    assert parse_qs(urlsplit(phone.url).query)["origin"] == ["西彭镇"]


def test_a_school_picked_on_the_map_is_the_start_of_the_suggested_order(site, phone):
    phone.goto(site + "routes/plan/?stops=demo-d,demo-a,demo-b")
    phone.wait_for_selector(".atlas-plan-map[data-ready=true]", timeout=10000)
    pick = phone.get_by_role("button", name="在地图上点选学校")
    assert_seen(pick)
    pick.click()
    assert "点一下学校" in phone.locator(".atlas-planner-message").inner_text()
    # Tap the map near stop 2 (示例场馆0001, 杨家坪): the school is there.
    marker = phone.locator(".atlas-plan-map .atlas-stop-number", has_text="2")
    box = marker.bounding_box()
    phone.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2)
    phone.wait_for_function("() => /origin=/.test(location.search)")
    origin = [float(x) for x in parse_qs(urlsplit(phone.url).query)["origin"][0].split(",")]
    assert 29.3 < origin[0] < 29.7 and 106.2 < origin[1] < 106.7
    assert phone.locator(".atlas-plan-map .atlas-origin").count() == 1
    phone.get_by_role("button", name="建议顺序").click()
    names = [n.split(". ", 1)[1] for n in phone.locator(".atlas-plan-name").all_inner_texts()]
    order_ids = ["demo-d", "demo-a", "demo-b"]
    assert names == [next(v["name"] for v in VENUES if v["id"] == order_ids[i]) for i in timeline.order([POINTS[k] for k in order_ids], tuple(origin))]
    assert names[-1] == "示例场馆0004"  # the far one last, from a school in 杨家坪
    assert serious_findings(phone) == []
    assert phone.errors == []
