"""Take-away contact files for a resource: a vCard for the phone book, a QR code for posters."""

from __future__ import annotations

import io

import segno

from .coords import Point
from .schema import Resource


def _escape(text: str) -> str:
    # RFC 6350 §3.4: backslash, comma, semicolon and newline are escaped in text values.
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r", "").replace("\n", "\\n")


def vcard(resource: Resource, page_url: str, point: Point | None) -> str:
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{_escape(resource.name)}",
        f"ORG:{_escape(resource.name)}",
        "KIND:org",
        f"ADR;TYPE=work:;;{_escape(resource.address)};;;;中国",
    ]
    lines += [f"TEL;TYPE=work,voice:{p.tel}" + (f",{p.extension}" if p.extension else "") for p in resource.phone]
    if point:
        lines.append(f"GEO:{point[0]:.6f};{point[1]:.6f}")
    if resource.website:
        lines.append(f"URL:{_escape(resource.website)}")
    lines.append(f"NOTE:{_escape('九龙坡区协同育人资源图谱 ' + page_url)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def qr_svg(url: str, title: str) -> str:
    """An SVG QR code of ``url``; deterministic, so builds stay byte-identical."""
    out = io.BytesIO()
    # A fixed mask: choosing the best of eight is 5x slower (it was the build's largest
    # cost at 3,000 resources) and every mask is valid and scans.
    segno.make(url, error="m", micro=False, mask=0).save(out, kind="svg", scale=8, border=2, title=title, xmldecl=True, svgns=True)
    return out.getvalue().decode("utf-8")
