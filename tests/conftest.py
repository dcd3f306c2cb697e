"""One fixture factory for rows and CSV files, with thin variants in the tests."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from atlas.schema import columns
from atlas.validate import Settings

TODAY = dt.date(2026, 11, 29)


def row(**overrides: str) -> dict[str, str]:
    """A valid, obviously fictional row; override any cell by its key."""
    base = {
        "id": "example-0001",
        "name": "示例场馆0001",
        "category": "library",
        "street": "杨家坪街道",
        "address": "重庆市九龙坡区示例路1号",
        "department": "区文化旅游委",
        "verified_on": "2026-05-01",
        "lat": "29.5085",
        "lon": "106.5110",
    }
    return base | overrides


def csv_bytes(*rows: dict[str, str], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    header = header or [c.key for c in columns()]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(key, "") for key in header])
    return out.getvalue().encode(encoding)


@pytest.fixture(autouse=True)
def csv_field_limit():
    """frictionless (test_exports) raises the csv module's process-wide field limit, which
    the loader's csv.huge_cell relies on: each test starts from Python's own."""
    limit = csv.field_size_limit()
    yield
    csv.field_size_limit(limit)


@pytest.fixture
def settings() -> Settings:
    return Settings(today=TODAY)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for all browser tests."""
    from .browser import chromium

    with chromium() as b:
        yield b
