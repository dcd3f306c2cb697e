"""schema.org JSON-LD and Open Graph tags for a resource page's <head>."""

from __future__ import annotations

import json

from markupsafe import Markup, escape

from . import hours
from .pages import Entry


def script_safe_json(data: dict) -> str:
    """JSON that no string can break out of a <script> element with (</script>, <!--)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def place(entry: Entry, url: str) -> dict:
    r = entry.r
    data: dict = {
        "@context": "https://schema.org",
        "@type": entry.category.schema_type,
        "@id": url,
        "url": url,
        "name": r.name,
        "address": {"@type": "PostalAddress", "streetAddress": r.address, "addressLocality": "九龙坡区", "addressRegion": "重庆市", "addressCountry": "CN"},
    }
    if r.description:
        data["description"] = r.description
    if entry.point:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": round(entry.point[0], 6), "longitude": round(entry.point[1], 6)}
    if r.phone:
        data["telephone"] = r.phone[0].tel
        data["contactPoint"] = [{"@type": "ContactPoint", "telephone": p.tel, "contactType": "customer service", "areaServed": "CN"} for p in r.phone]
    if r.website:
        data["sameAs"] = r.website
    if r.opening_hours:
        specs = hours.schema_org(r.opening_hours)
        if specs:
            data["openingHoursSpecification"] = specs
    if r.fee in ("free", "paid"):
        data["isAccessibleForFree"] = r.fee == "free"
    if r.booking_url:
        data["potentialAction"] = {"@type": "ReserveAction", "target": {"@type": "EntryPoint", "urlTemplate": r.booking_url}}
    return data


def head(entry: Entry, url: str, site_name: str, description: str) -> str:
    """Open Graph tags (what WeChat and chat apps show for a pasted link) and the JSON-LD."""
    og = {
        "og:type": "place" if entry.point else "website",
        "og:site_name": site_name,
        "og:title": f"{entry.r.name}｜{entry.category.label}",
        "og:description": description,
        "og:url": url,
        "og:locale": "zh_CN",
    }
    tags = [f'<meta property="{key}" content="{escape(value)}">' for key, value in og.items()]
    if entry.point:
        tags += [
            f'<meta property="place:location:latitude" content="{entry.point[0]:.6f}">',
            f'<meta property="place:location:longitude" content="{entry.point[1]:.6f}">',
        ]
    tags.append(f'<script type="application/ld+json">{script_safe_json(place(entry, url))}</script>')
    return "\n".join(tags)


def head_meta(meta: dict) -> dict:
    """Front matter Material can print as it is: it puts ``title`` and ``description`` into
    <title>, <meta content="…"> and the header unescaped (MkDocs templates don't autoescape),
    so they go in HTML-escaped, as the Markup MkDocs' own titles from headings are."""
    return meta | {key: escape(meta[key]) for key in ("title", "description") if isinstance(meta.get(key), str) and not isinstance(meta[key], Markup)}
