"""Take-away contact files for a resource: a vCard for the phone book, a QR code for posters."""

from __future__ import annotations

import io

import segno

from .coords import Point
from .schema import Resource


def _text(text: str) -> str:
    # RFC 2426 §5 (vCard 3.0) text values: backslash, comma, semicolon and newline are escaped.
    # URIs (URL) are not text and are written as they are.
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r", "").replace("\n", "\\n")


def _fold(line: str, limit: int = 75) -> str:
    """RFC 2425 §5.8.1: lines of at most 75 octets, continued after CRLF and a space; a
    UTF-8 character is never split (Chinese text is 3 octets a character)."""
    parts, part, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit - (1 if parts else 0):  # a continuation line starts with a space
            parts.append(part)
            part, size = "", 0
        part += char
        size += octets
    return "\r\n ".join(parts + [part])


def vcard(resource: Resource, page_url: str, point: Point | None) -> str:
    """A vCard 3.0 (RFC 2426): what phones' contact apps import best. KIND exists only in 4.0;
    X-ABShowAs marks the card as an organisation for Apple's Contacts."""
    name = _text(resource.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{name}",
        f"N:{name};;;;",
        f"ORG:{name}",
        "X-ABShowAs:COMPANY",
        f"ADR;TYPE=work:;;{_text(resource.address)};;;;中国",
    ]
    lines += [f"TEL;TYPE=work,voice:{p.tel}" + (f",{p.extension}" if p.extension else "") for p in resource.phone]
    if point:
        lines.append(f"GEO:{point[0]:.6f};{point[1]:.6f}")
    if resource.website:
        lines.append(f"URL:{resource.website}")
    lines.append(f"NOTE:{_text('九龙坡区协同育人资源图谱 ' + page_url)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def qr_svg(url: str, title: str) -> str:
    """An SVG QR code of ``url``; deterministic, so builds stay byte-identical."""
    out = io.BytesIO()
    # A fixed mask: choosing the best of eight is 5x slower (it was the build's largest
    # cost at 3,000 resources) and every mask is valid and scans.
    segno.make(url, error="m", micro=False, mask=0).save(out, kind="svg", scale=8, border=2, title=title, xmldecl=True, svgns=True)
    return out.getvalue().decode("utf-8")
