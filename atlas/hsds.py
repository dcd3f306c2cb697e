"""An Open Referral HSDS 3.0 export: the atlas as other service directories read it.

The mapping: each 责任单位 is an ``organization`` (the body that keeps its rows current);
each resource is a ``service`` of it with one ``service_at_location`` whose ``location`` holds
the address and WGS-84 point; phones and ``schedules`` (from the OSM opening hours) hang off
the service. HSDS wants UUIDs: they are derived from the resource id (uuid5), so they stay
the same from build to build. The files have the shape of HSDS API list responses
(``/services``, ``/organizations``): one page holding every item.

What the atlas does not know stays out or empty: HSDS requires ``postal_code`` on an
address, and the rows have none, so it is "" (unknown) rather than a guess.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Iterable

from . import compact_json, hours
from .schema import FEES

if TYPE_CHECKING:
    from .pages import Entry

VERSION = "3.0"
_NAMESPACE = uuid.UUID("6f1d2c3e-8b7a-5d4c-9e0f-1a2b3c4d5e6f")  # this atlas's HSDS ids
STATUSES = {"open": "active", "temporarily_closed": "temporarily closed", "closed": "defunct"}
_ICAL_DAYS = dict(zip(hours.DAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU")))


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def organization(department: str, count: int) -> dict:
    return {
        "id": _id("organization", department),
        "name": department,
        "description": f"负责核实并更新九龙坡区协同育人资源图谱中 {count} 处资源信息的责任单位",
    }


def schedules(entry: Entry, service_id: str) -> list[dict]:
    """Weekly HSDS schedules from the row's OSM opening hours; what they cannot say goes into the description."""
    r = entry.r
    if not r.opening_hours:
        return []
    said = hours.describe(r.opening_hours)
    description = (f"{said}（" if said else "") + f"OpenStreetMap opening_hours: {r.opening_hours}" + ("）" if said else "")
    base = {"service_id": service_id, "timezone": 8, "description": description}
    if r.hours_note:
        base["notes"] = r.hours_note
    rules = hours.parse(r.opening_hours)
    if rules is None:
        return [{"id": _id("schedule", r.id, "0"), **base}]
    open_by_day: dict[str, tuple] = {}
    for rule in rules:
        for day in rule.days:  # later rules override earlier ones, as in OSM
            open_by_day[day] = rule.spans
    spans = sorted({span for day_spans in open_by_day.values() for span in day_spans})
    out = []
    for opens, closes in spans:
        days = [day for day in hours.DAYS if (opens, closes) in open_by_day.get(day, ())]
        out.append({
            "id": _id("schedule", r.id, opens, closes),
            **base,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(_ICAL_DAYS[d] for d in days),
            "opens_at": f"{opens}+08:00",
            "closes_at": f"{closes}+08:00",
        })
    return out or [{"id": _id("schedule", r.id, "0"), **base}]


def service(entry: Entry, org: dict) -> dict:
    r = entry.r
    sid = _id("service", r.id)
    location_id = _id("location", r.id)
    location: dict = {
        "id": location_id,
        "location_type": "physical",
        "name": r.name,
        "addresses": [{
            "id": _id("address", r.id),
            "location_id": location_id,
            "address_1": r.address,
            "city": "重庆市",
            "region": f"九龙坡区{r.street}",
            "state_province": "重庆市",
            "postal_code": "",
            "country": "CN",
            "address_type": "physical",
        }],
    }
    if entry.point:
        location["latitude"], location["longitude"] = round(entry.point[0], 6), round(entry.point[1], 6)
    item: dict = {
        "id": sid,
        "organization_id": org["id"],
        "name": r.name,
        "status": STATUSES[r.status],
        "organization": org,
    }
    optional = {
        "description": r.description,
        "url": r.website,
        "application_process": "；".join(filter(None, (r.booking, r.booking_url))),
        "fees_description": "；".join(filter(None, (FEES.get(r.fee or ""), r.fee_note))),
        "eligibility_description": "适合：" + "、".join(r.stages) if r.stages else "",
        "assured_date": r.verified_on.isoformat() if r.verified_on else "",
    }
    item.update({key: value for key, value in optional.items() if value})
    item["phones"] = [
        {"id": _id("phone", r.id, str(i)), "service_id": sid, "number": p.display, "type": "voice", **({"extension": int(p.extension)} if p.extension else {})}
        for i, p in enumerate(r.phone)
    ]
    item["schedules"] = schedules(entry, sid)
    item["service_at_locations"] = [{"id": _id("service_at_location", r.id), "service_id": sid, "location_id": location_id, "location": location}]
    return item


def _page(items: Iterable[dict], count: int) -> bytes:
    head = {"total_items": count, "total_pages": 1, "page_number": 1, "size": count, "first_page": True, "last_page": True, "empty": not count}
    return compact_json.encode(items, head, "contents")


def files(entries: list[Entry]) -> list[tuple[str, bytes, str, str]]:
    """(name, bytes, title, note) of the HSDS files under data/hsds/."""
    departments = sorted({e.r.department for e in entries})
    orgs = {d: organization(d, sum(1 for e in entries if e.r.department == d)) for d in departments}
    services = (service(e, orgs[e.r.department]) for e in entries)
    return [
        ("services.json", _page(services, len(entries)), f"HSDS {VERSION} 服务（services）", "Open Referral 人类服务数据规范；含地点、电话和开放时间"),
        ("organizations.json", _page(orgs.values(), len(orgs)), f"HSDS {VERSION} 机构（organizations）", "各责任单位"),
    ]
