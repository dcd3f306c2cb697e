"""`atlas geocode-review`: the cache entries waiting for a person, as the geocoding pull request's body."""

from __future__ import annotations

from atlas import georeview
from atlas.geocache import normalise_address
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes, row

A, B = "重庆市九龙坡区示例路1号", "重庆市九龙坡区示例路2号"
ENTRIES = {
    normalise_address(A): {"lat": 29.5, "lon": 106.5, "status": "accepted"},
    normalise_address(B): {"lat": 29.4, "lon": 106.4, "status": "needs_review", "provider": "amap", "note": "结果看起来在华岩镇 | @someone <b>"},
}


def resources():
    rows = [
        row(id="example-0001", address=A, lat="", lon=""),
        row(id="example-0002", name="示例场馆0002", address=B, lat="", lon=""),
        row(id="example-0003", name="示例场馆0003", address=B, lat="", lon=""),
        row(id="example-0004", name="示例场馆0004", address=B),  # its own coordinates win: nothing to review
    ]
    atlas = validate_csv("r.csv", Settings(today=TODAY, geocache=ENTRIES), data=csv_bytes(*rows))
    return atlas.resources


def test_lists_each_address_waiting_for_review_once_with_its_rows():
    (review,) = georeview.pending(resources(), ENTRIES)
    assert (review.address, review.ids, review.lat, review.lon) == (B, ("example-0002", "example-0003"), 29.4, 106.4)


def test_markdown_escapes_the_note_and_links_the_point_and_pages():
    text = georeview.to_markdown(georeview.pending(resources(), ENTRIES), ENTRIES, "https://atlas.example.org/")
    assert text.startswith("地理编码缓存现有 1 条已采用、1 条待确认的坐标。")
    assert "### 待确认的坐标（1 个地址）" in text
    assert "[`example-0002`](https://atlas.example.org/r/example-0002/)" in text
    assert "https://uri.amap.com/marker?position=106.400000,29.400000" in text and "coordinate=wgs84" in text
    assert "@someone" not in text and "<b>" not in text and "\\|" in text


def test_nothing_to_review():
    accepted = {key: dict(entry, status="accepted") for key, entry in ENTRIES.items()}
    text = georeview.to_markdown(georeview.pending(resources(), accepted), accepted)
    assert "没有待确认的坐标" in text and "2 条已采用、0 条待确认" in text
