"""The open data files: CSV, Excel, JSON, GeoJSON and the Frictionless data package."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import frictionless
import geojson
import openpyxl
import pytest

from atlas import exports, textsheet
from atlas.district import load_bounds
from atlas.geocache import locate
from atlas.pages import Entry
from atlas.schema import columns
from atlas.tableschema import table_schema
from atlas.taxonomy import taxonomy
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes, row
from .sites import ROWS


def entries_of(rows, tmp_path: Path, name: str = "resources.csv") -> list[Entry]:
    path = tmp_path / name
    path.write_bytes(csv_bytes(*rows))
    atlas = validate_csv(path, Settings(today=TODAY))
    assert atlas.report.ok, atlas.report
    return [Entry(r, locate(r, {})) for r in atlas.resources]


@pytest.fixture
def entries(tmp_path):
    return entries_of(ROWS, tmp_path)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_is_canonical_and_reads_back_as_the_same_resources(entries, tmp_path):
    data = exports.resources_csv(entries)
    table = read_csv(data)
    assert table[0] == [c.key for c in columns()]
    assert [line[0] for line in table[1:]] == ["example-museum", "example-care", "example-closed"]  # no draft, CSV order
    again = entries_of([dict(zip(table[0], line)) for line in table[1:]], tmp_path, "again.csv")
    assert [exports.record(e) for e in again] == [exports.record(e) for e in entries]
    museum = dict(zip(table[0], table[1]))
    # The GCJ-02 row is published in WGS-84, ~480 m from where the 高德 picker put it.
    assert museum["coord_system"] == "wgs84" and museum["lat"] != "29.505734"
    assert museum["phone"] == "023-68781234;12345" and museum["stages"] == "小学高段;初中"


def test_xlsx_has_chinese_labels_and_every_cell_is_text_equal_to_the_csv(entries):
    sheet = openpyxl.load_workbook(io.BytesIO(exports.resources_xlsx(entries))).active
    values = [[cell.value or "" for cell in line] for line in sheet.iter_rows()]
    table = read_csv(exports.resources_csv(entries))
    assert values[0] == [c.label for c in columns()]
    assert values[1:] == table[1:]
    assert {cell.data_type for line in sheet.iter_rows() for cell in line if cell.value is not None} == {"s"}


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+8613800000000", "-1+2", "@SUM(A1)", "023-68781234", "2026-05-01"])
def test_a_text_sheet_keeps_formula_like_cells_as_text(value):
    book = openpyxl.load_workbook(io.BytesIO(textsheet.workbook_bytes("t", ["a"], [[value]])))
    cell = book.active["A2"]
    assert (cell.value, cell.data_type) == (value, "s")


def test_columns_are_wide_enough_to_read():
    assert textsheet.column_widths(["编号", "简介"], [["a", "很长的简介" * 20], ["bb", ""]]) == [8, 40]
    assert textsheet.column_widths(["名称"], [["示例场馆0001"]]) == [14]
    sheet = openpyxl.load_workbook(io.BytesIO(textsheet.workbook_bytes("t", ["名称"], [["示例场馆0001"]]))).active
    assert sheet.column_dimensions["A"].width == 14


def test_rows_written_into_an_ordinary_sheet_are_text_too():
    book = openpyxl.Workbook()
    textsheet.write_rows(book.active, ["名称", "电话"], [["=1+1", "02368781234"]])
    sheet = openpyxl.load_workbook(io.BytesIO(textsheet.save(book))).active
    assert [[(c.value, c.data_type) for c in line] for line in sheet.iter_rows()] == [[("名称", "s"), ("电话", "s")], [("=1+1", "s"), ("02368781234", "s")]]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b


def test_a_text_sheet_is_byte_reproducible():
    rows = [["示例", "=1+1"], ["023", ""]]
    data = textsheet.workbook_bytes("t", ["甲", "乙"], rows)
    assert data == textsheet.workbook_bytes("t", ["甲", "乙"], rows)
    # Nothing from the clock: openpyxl stamps the save time into core.xml, zip entries carry times too.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(created|modified)[^>]*>([^<]+)<", core) == [("created", "2000-01-01T00:00:00Z"), ("modified", "2000-01-01T00:00:00Z")]


def test_json_has_typed_values_and_page_links(entries):
    items = json.loads(exports.resources_json(entries, "https://atlas.example.org/"))
    museum = items[0]
    assert museum["stages"] == ["小学高段", "初中"] and museum["capacity"] == 50 and isinstance(museum["lat"], float)
    assert museum["url"] == "https://atlas.example.org/r/example-museum/"
    assert items[2]["verified_on"] == "2024-01-01" and items[2]["lat"] is None


def test_geojson_is_rfc7946_and_every_point_is_in_the_district(entries):
    text = exports.resources_geojson(entries).decode("utf-8")
    collection = geojson.loads(text)
    assert collection.is_valid, collection.errors()
    data = json.loads(text)
    assert "crs" not in data  # RFC 7946: WGS-84 only, no crs member
    features = data["features"]
    assert [f["id"] for f in features] == [e.r.id for e in entries if e.point]  # the closed library has no point
    bounds = load_bounds(None)
    for feature, entry in zip(features, [e for e in entries if e.point]):
        lon, lat = feature["geometry"]["coordinates"]
        assert (lat, lon) == (round(entry.point[0], 6), round(entry.point[1], 6))  # [lon, lat] order
        assert bounds.contains((lat, lon)), feature["id"]
        assert feature["properties"]["name"] == entry.r.name


def test_geojson_of_the_shipped_data_is_valid_and_inside_the_district():
    from atlas.geocache import read_cache

    root = Path(__file__).parent.parent
    cache = read_cache(root / "data" / "geocache.json")
    atlas = validate_csv(root / "data" / "resources.csv", Settings(today=TODAY, geocache=cache))
    placed = [Entry(r, locate(r, cache)) for r in atlas.resources]
    data = json.loads(exports.resources_geojson(placed))
    assert geojson.loads(json.dumps(data)).is_valid
    bounds = load_bounds(None)
    assert all(bounds.contains(tuple(reversed(f["geometry"]["coordinates"]))) for f in data["features"])


def test_table_schema_comes_from_the_model():
    fields = {f["name"]: f for f in table_schema()["fields"]}
    assert list(fields) == [c.key for c in columns()]
    for c in columns():
        assert fields[c.key]["title"] == c.label
        assert fields[c.key].get("constraints", {}).get("required", False) == c.required
    assert fields["category"]["constraints"]["enum"] == [c.code for c in taxonomy().categories]
    assert fields["street"]["constraints"]["enum"] == [s.name for s in taxonomy().streets]
    assert fields["fee"]["constraints"]["enum"] == ["free", "paid", "partly_free"]
    assert (fields["capacity"]["type"], fields["verified_on"]["type"], fields["lat"]["type"]) == ("integer", "date", "number")
    assert fields["id"]["constraints"]["unique"] and fields["id"]["constraints"]["pattern"]


def test_a_column_without_a_table_schema_type_stops_the_export(monkeypatch):
    from atlas import schema, tableschema

    types = tableschema._types()
    del types[schema.Count]
    monkeypatch.setattr(tableschema, "_types", lambda: types)
    with pytest.raises(KeyError, match="column capacity"):
        table_schema()


def _package(tmp_path: Path, entries, table: bytes | None = None) -> Path:
    table = table if table is not None else exports.resources_csv(entries)
    (tmp_path / "resources.csv").write_bytes(table)
    (tmp_path / "datapackage.json").write_bytes(exports.datapackage(table, exports.DataInfo(), len(entries)))
    return tmp_path / "datapackage.json"


def test_frictionless_validates_the_package(entries, tmp_path):
    report = frictionless.validate(str(_package(tmp_path, entries)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_value_outside_the_schema(entries, tmp_path):
    # Proves the constraints are live: a category the taxonomy lacks, a multi-value outside the list.
    table = exports.resources_csv(entries).decode().replace(",museum,", ",bogus,").replace("小学高段;初中", "小学高段;大学").encode()
    report = frictionless.validate(str(_package(tmp_path, entries, table)))
    errors = report.flatten(["fieldName", "type"])
    assert ["category", "constraint-error"] in errors and ["stages", "constraint-error"] in errors


def test_files_are_listed_with_sizes_and_reproducible(entries):
    info = exports.DataInfo(site_url="https://atlas.example.org/")
    first, second = exports.files(entries, info), exports.files(entries, info)
    assert [(f.path, f.content) for f in first] == [(f.path, f.content) for f in second]
    paths = [f.path for f in first]
    for path in ("data/resources.csv", "data/resources.xlsx", "data/resources.json", "data/resources.geojson", "data/datapackage.json",
                 "data/hsds/services.json", "data/hsds/organizations.json", "data/feeds/all.atom", "data/feeds/museum.atom"):
        assert path in paths
    assert exports.Export("x", b"a" * 2048, "x").size == "2.0 KB"
