"""The controlled vocabularies (categories, streets/towns, stages, 五育, departments…).

They live as YAML data files in ``atlas/data/`` so that a liaison can read them and a
reviewer can diff them; this module only loads them, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    description: str
    icon: str
    color: str
    mark: str  # one character on the map marker, beside the colour
    schema_type: str


@dataclass(frozen=True)
class Street:
    name: str
    slug: str
    code: str
    seat: tuple[float, float]
    managed_by: str | None = None


@dataclass(frozen=True)
class Stage:
    label: str
    slug: str
    ages: tuple[int, int] | None


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    streets: tuple[Street, ...]
    stages: tuple[Stage, ...]
    five_education: tuple[str, ...]
    holiday_services: tuple[str, ...]
    departments: tuple[str, ...]

    def category(self, code: str) -> Category:
        return next(c for c in self.categories if c.code == code)

    def street(self, name: str) -> Street:
        return next(s for s in self.streets if s.name == name)


def _read(name: str):
    return yaml.safe_load(resources.files("atlas.data").joinpath(name).read_text("utf-8"))


@cache
def taxonomy() -> Taxonomy:
    streets = tuple(
        Street(s["name"], s["slug"], s["code"], tuple(s["seat"]), s.get("managed_by")) for s in _read("streets.yml")
    )
    return Taxonomy(
        categories=tuple(Category(**c) for c in _read("categories.yml")),
        streets=streets,
        stages=tuple(Stage(s["label"], s["slug"], tuple(s["ages"]) if s["ages"] else None) for s in _read("stages.yml")),
        five_education=tuple(f["label"] for f in _read("five_education.yml")),
        holiday_services=tuple(_read("holiday_services.yml")),
        departments=tuple(_read("departments.yml")) + tuple(s.name for s in streets),
    )
