"""The Frictionless Table Schema of resources.csv, generated from :class:`atlas.schema.Resource`.

Names, Chinese titles, help texts, examples and which columns are required come from the
model's fields; types, enums and patterns from the cell type each field is declared with,
so a new column or a new category reaches the open data's schema without anyone editing it.
Multi-valued cells (``;``-separated) are strings whose pattern allows only the known values.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from . import schema
from .schema import Resource
from .taxonomy import taxonomy


def _enum(values) -> dict:
    return {"type": "string", "constraints": {"enum": list(values)}}


def _list_of(values) -> dict:
    one = "|".join(re.escape(v) for v in values)
    return {"type": "string", "constraints": {"pattern": f"({one})(;({one}))*"}}


def _types() -> dict[Any, dict]:
    """Each cell type of atlas.schema -> its Table Schema type and constraints."""
    t = taxonomy()
    return {
        schema.Slug: {"type": "string", "constraints": {"pattern": schema.SLUG_PATTERN, "maxLength": 64}},
        schema.Text: {"type": "string"},
        schema.Line: {"type": "string"},
        schema.Category: _enum(c.code for c in t.categories),
        schema.Street: _enum(s.name for s in t.streets),
        schema.Department: _enum(t.departments),
        schema.Stages: _list_of(s.label for s in t.stages),
        schema.FiveEducation: _list_of(t.five_education),
        schema.HolidayServices: _list_of(t.holiday_services),
        schema.Tags: {"type": "string", "constraints": {"pattern": r"[^;；]+(;[^;；]+)*"}},
        schema.Phones: {"type": "string"},
        schema.Latitude: {"type": "number", "constraints": {"minimum": -90, "maximum": 90}},
        schema.Longitude: {"type": "number", "constraints": {"minimum": -180, "maximum": 180}},
        schema.CoordSystem: _enum(schema.COORD_SYSTEMS),
        schema.HttpsUrl: {"type": "string", "format": "uri", "constraints": {"pattern": r"https://\S+"}},
        schema.WebUrl: {"type": "string", "format": "uri", "constraints": {"pattern": r"https?://\S+"}},
        schema.Hours: {"type": "string"},
        schema.Fee: _enum(schema.FEES),
        schema.Count: {"type": "integer", "constraints": {"minimum": 1, "maximum": 100_000}},
        schema.YesNo: _enum(schema.YES_NO),
        schema.Date: {"type": "date", "format": "default"},
        schema.Status: _enum(schema.STATUSES),
    }


def _unoptional(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        return next(a for a in args if a is not type(None))
    return annotation


def table_schema() -> dict:
    """The Table Schema of resources.csv, in contract order (as atlas.schema.columns())."""
    by_type = _types()
    hints = typing.get_type_hints(Resource, include_extras=True)
    fields = []
    for name, info in Resource.model_fields.items():
        annotation = _unoptional(hints[name])
        if annotation not in by_type:
            raise KeyError(f"column {name}: its cell type has no Table Schema type in atlas/tableschema.py")
        kind = by_type[annotation]
        constraints = dict(kind.get("constraints", {}))
        if kind["type"] == "string" and "enum" not in constraints:
            constraints["maxLength"] = min(constraints.get("maxLength", 10**9), schema.max_chars(info))
        if info.is_required():
            constraints["required"] = True
        if name == "id":
            constraints["unique"] = True
        field = {"name": name, "title": info.title, "description": info.description, "type": kind["type"]}
        if "format" in kind:
            field["format"] = kind["format"]
        if info.examples and info.examples[0]:
            field["example"] = info.examples[0]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
