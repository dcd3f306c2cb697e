import dataclasses

import pytest

from atlas.district import load_bounds
from atlas.validate import Settings, resident_id_ok, validate_csv

from .conftest import TODAY, csv_bytes, row


def check(*rows, settings=None, **kwargs):
    atlas = validate_csv("test.csv", settings or Settings(today=TODAY), data=csv_bytes(*rows, **kwargs))
    return atlas, {(f.code, f.row, f.column) for f in atlas.report.findings}


def codes(atlas):
    return {f.code for f in atlas.report.findings}


def test_a_valid_row_passes_without_findings():
    atlas, found = check(row(phone="023-68781234;12345", opening_hours="Tu-Su 09:00-17:00; PH off"))
    assert found == set()
    assert [r.id for r in atlas.resources] == ["example-0001"]
    assert [p.tel for p in atlas.resources[0].phone] == ["+862368781234", "12345"]


def test_chinese_labels_are_accepted_for_headers_and_choices():
    from atlas.schema import columns

    header = [c.label for c in columns()]
    data = row(category="图书馆·阅读空间", fee="免费", accessible="是", status="开放")
    labelled = {c.label: data.get(c.key, "") for c in columns()}
    atlas, found = check(labelled, header=header)
    assert found == set()
    resource = atlas.resources[0]
    assert (resource.category, resource.fee, resource.accessible, resource.status) == ("library", "free", "yes", "open")


def test_rows_are_numbered_as_in_a_spreadsheet():
    _, found = check(row(), row(id="example-0002", name="示例场馆0002", phone="2368781234"))
    assert ("cell.phone", 3, "phone") in found


def test_errors_keep_a_row_out_and_warnings_do_not():
    atlas, _ = check(row(), row(id="example-0002", name="示例场馆0002", capacity="40人"), row(id="example-0003", name="示例场馆0003", verified_on=""))
    assert [r.id for r in atlas.resources] == ["example-0001", "example-0003"]
    assert not atlas.report.ok


def test_drafts_are_validated_but_not_published():
    atlas, found = check(row(status="draft"))
    assert found == set() and atlas.resources == []


@pytest.mark.parametrize(
    "cells,code,column",
    [
        ({"id": "Example 1"}, "cell.id", "id"),
        ({"category": "zoo"}, "cell.category", "category"),
        ({"street": "杨家坪"}, "cell.street", "street"),
        ({"department": "区图书馆"}, "cell.department", "department"),
        ({"booking_url": "http://example.gov.cn/b"}, "cell.booking_url", "booking_url"),
        ({"website": "javascript:alert(1)"}, "cell.website", "website"),
        ({"name": "<script>alert(1)</script>"}, "cell.name", "name"),
        ({"opening_hours": "周二至周日 9:00-17:00"}, "cell.opening_hours", "opening_hours"),
        ({"stages": "小学高段;;初中"}, "cell.stages", "stages"),
        ({"stages": "大学"}, "cell.stages", "stages"),
        ({"five_education": "德;德"}, "cell.five_education", "five_education"),
        ({"verified_on": "2026/5/1"}, "cell.verified_on", "verified_on"),
        ({"verified_on": "2026-02-30"}, "cell.verified_on", "verified_on"),
        ({"lat": "29.5"}, "coords.half", "lon"),
        ({"lat": "二十九"}, "cell.lat", "lat"),
        ({"name": ""}, "cell.required", "name"),
        ({"fee": "便宜"}, "cell.fee", "fee"),
        ({"visit_minutes": "0"}, "cell.visit_minutes", "visit_minutes"),
    ],
)
def test_cell_errors_name_row_and_column(cells, code, column):
    atlas, found = check(row(**{"lon": "" if cells.get("lat") == "29.5" else "106.5110"} | cells))
    assert (code, 2, column) in found
    assert not atlas.report.ok


def test_error_messages_are_in_chinese_with_a_hint():
    atlas, _ = check(row(capacity="40人"))
    finding = atlas.report.errors[0]
    assert finding.message == "应为正整数" and "40" in finding.hint and finding.value == "40人"


def test_swapped_coordinates_are_reported_as_swapped():
    atlas, found = check(row(lat="106.5110", lon="29.5085"))
    assert ("coords.swapped", 2, "lat") in found


def test_coordinates_outside_the_district():
    _, found = check(row(lat="39.9042", lon="116.4074"))
    assert ("coords.outside", 2, "lat") in found


def test_coordinates_are_converted_from_their_system_before_the_bounds_check():
    # Just east of the default box read as WGS-84; as BD-09 it is ~1.1 km further west: inside.
    _, found = check(row(lat="29.40", lon="106.575"))
    assert ("coords.outside", 2, "lat") in found
    _, found = check(row(lat="29.40", lon="106.575", coord_system="bd09"))
    assert ("coords.outside", 2, "lat") not in found


def test_bounds_are_configurable():
    tight = Settings(today=TODAY, bounds=load_bounds([29.50, 106.50, 29.52, 106.52]))
    _, found = check(row(), settings=tight)
    assert found == set()
    _, found = check(row(lat="29.45", lon="106.45"), settings=tight)
    assert ("coords.outside", 2, "lat") in found


def test_a_point_in_another_street_is_a_warning():
    # Near 西彭镇's seat but the row says 杨家坪街道.
    atlas, found = check(row(lat="29.3150", lon="106.3600"))
    assert ("coords.street", 2, "street") in found
    assert atlas.report.ok


def test_missing_coordinates_are_a_warning_unless_cached():
    atlas, found = check(row(lat="", lon=""))
    assert ("coords.missing", 2, "lat") in found and atlas.report.ok
    cached = Settings(today=TODAY, geocache={"重庆市九龙坡区示例路1号": {"lat": 29.5, "lon": 106.5}})
    _, found = check(row(lat="", lon=""), settings=cached)
    assert found == set()


def test_freshness():
    _, found = check(row(verified_on=""))
    assert ("verified.never", 2, "verified_on") in found
    _, found = check(row(verified_on="2025-11-28"))
    assert ("verified.stale", 2, "verified_on") in found
    _, found = check(row(verified_on="2025-11-29"))
    assert found == set()
    atlas, found = check(row(verified_on="2026-11-30"))
    assert ("verified.future", 2, "verified_on") in found and not atlas.report.ok
    strict = dataclasses.replace(Settings(today=TODAY), stale_days=30)
    _, found = check(row(verified_on="2026-10-01"), settings=strict)
    assert ("verified.stale", 2, "verified_on") in found


def test_resident_id_checksum():
    assert resident_id_ok("11010519491231002X")
    assert not resident_id_ok("110105194912310021")


def test_personal_data_is_rejected():
    _, found = check(row(description="联系人身份证 11010519491231002X"))
    assert ("privacy.id_number", 2, "description") in found
    _, found = check(row(description="编号 110105194912310021 不是身份证"))  # bad checksum
    assert not any(code == "privacy.id_number" for code, _, _ in found)
    _, found = check(row(booking="联系王老师 138 1234 5678"))
    assert ("privacy.mobile", 2, "booking") in found
    _, found = check(row(fee_note="转账至 6222 0202 0000 0000 006"))
    assert any(code in {"privacy.card_number", "privacy.mobile"} for code, _, _ in found)


def test_duplicates_across_rows():
    _, found = check(row(), row(name="示例场馆0002"))
    assert ("id.duplicate", 3, "id") in found
    atlas, found = check(row(), row(id="example-0002", name="示例场馆 ０００１"))  # spaces, full-width digits
    assert ("row.likely_duplicate", 3, "name") in found and atlas.report.ok
    _, found = check(row(), row(id="example-0002", street="谢家湾街道", lat="29.5190", lon="106.5200"))
    assert found == set()


def test_full_width_semicolons_separate_values():
    atlas, found = check(row(stages="小学高段；初中"))
    assert found == set() and atlas.resources[0].stages == ("小学高段", "初中")


def test_hours_the_browser_cannot_show_as_open_now_are_named():
    _, found = check(row(opening_hours="Mo-Fr 09:00-17:00; Sa unknown"), row(id="example-0002", name="示例场馆0002", opening_hours="Mo-Fr 09:00-17:00; PH off"))
    assert found == {("hours.no_status", 2, "opening_hours")}
