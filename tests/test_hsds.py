"""The HSDS 3.0 export, checked against Open Referral's published JSON schemas (tests/data/hsds-3.0)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from atlas import hsds

from .conftest import row
from .sites import ROWS
from .test_exports import entries_of

SCHEMAS = Path(__file__).parent / "data" / "hsds-3.0"


def strict(schema):
    """As the specification's own example check does: no properties beyond the schema's, anywhere."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node:
                node.setdefault("additionalProperties", False)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


@pytest.fixture(scope="module")
def validator_for():
    # The object schemas refer to each other by file name ("$ref": "phone.json").
    schemas = {path.name: strict(json.loads(path.read_text("utf-8"))) for path in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources((name, Resource.from_contents(s, default_specification=DRAFT202012)) for name, s in schemas.items())

    def make(name: str):
        return jsonschema.Draft202012Validator(schemas[name], registry=registry, format_checker=jsonschema.FormatChecker())

    return make


def errors(validator, item) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(item)]


HOURS = [
    row(id="example-weekdays", name="示例场馆0010", opening_hours="Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00", phone="023-68781234转123"),
    row(id="example-odd-hours", name="示例场馆0011", opening_hours="Jan-Mar Sa 09:00-12:00", hours_note="仅冬季开放"),
]


@pytest.fixture
def files(tmp_path):
    entries = entries_of(ROWS + HOURS, tmp_path)
    return {name: json.loads(content) for name, content, _, _ in hsds.files(entries)}


def test_services_match_the_hsds_service_schema(files, validator_for):
    services = files["services.json"]
    assert services["total_items"] == len(services["contents"]) == 5
    validator = validator_for("service.json")
    for item in services["contents"]:
        assert errors(validator, item) == [], item["name"]


def test_organizations_match_the_hsds_organization_schema(files, validator_for):
    validator = validator_for("organization.json")
    orgs = files["organizations.json"]["contents"]
    assert sorted(o["name"] for o in orgs) == sorted({"区文化旅游委", "华岩镇"})
    for item in orgs:
        assert errors(validator, item) == []


def test_the_schemas_are_strict_enough_to_catch_a_fault(files, validator_for):
    item = copy.deepcopy(files["services.json"]["contents"][0])
    item["status"] = "open"  # the atlas's word, not HSDS's
    item["phones"][0]["telephone"] = "x"  # not an HSDS field
    found = errors(validator_for("service.json"), item)
    assert any(e.startswith("status:") for e in found) and any("telephone" in e for e in found)


def test_schedules_come_from_the_opening_hours(files):
    by_name = {s["name"]: s for s in files["services.json"]["contents"]}
    weekly = by_name["示例场馆0010"]["schedules"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("MO,TU,WE,TH,FR", "08:30+08:00", "12:00+08:00"),
        ("SA", "09:00+08:00", "12:00+08:00"),
        ("MO,TU,WE,TH,FR", "14:00+08:00", "17:30+08:00"),
    ]
    assert by_name["示例场馆0010"]["phones"][0] == {**by_name["示例场馆0010"]["phones"][0], "number": "023-68781234", "extension": 123}
    # Beyond what a weekly schedule can say: kept word for word in the description, not guessed.
    (odd,) = by_name["示例场馆0011"]["schedules"]
    assert "Jan-Mar Sa 09:00-12:00" in odd["description"] and "byday" not in odd and odd["notes"] == "仅冬季开放"
    museum = by_name["示例博物馆0001"]
    assert "PH off" in museum["schedules"][0]["description"]
    assert by_name['示例图书馆0003 "A&B" \'x\'']["status"] == "temporarily closed"


def test_ids_are_stable_uuids(files, tmp_path):
    again = {name: json.loads(content) for name, content, _, _ in hsds.files(entries_of(ROWS + HOURS, tmp_path, "again.csv"))}
    assert again == files
    ids = [s["id"] for s in files["services.json"]["contents"]]
    assert len(set(ids)) == len(ids)


def test_the_shipped_data_matches_the_schemas(validator_for):
    from atlas.geocache import locate, read_cache
    from atlas.pages import Entry
    from atlas.validate import Settings, validate_csv

    from .conftest import TODAY

    root = Path(__file__).parent.parent
    cache = read_cache(root / "data" / "geocache.json")
    atlas = validate_csv(root / "data" / "resources.csv", Settings(today=TODAY, geocache=cache))
    made = {name: json.loads(content) for name, content, _, _ in hsds.files([Entry(r, locate(r, cache)) for r in atlas.resources])}
    assert made["services.json"]["total_items"] == len(atlas.resources)
    service, organization = validator_for("service.json"), validator_for("organization.json")
    assert [e for item in made["services.json"]["contents"] for e in errors(service, item)] == []
    assert [e for item in made["organizations.json"]["contents"] for e in errors(organization, item)] == []
