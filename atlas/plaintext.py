"""What a plain-text cell may hold, and how a report shows what it may not.

Cells are plain text: the pages escape every value, so these rules keep data clean, not
pages safe. A real HTML tag is refused, a ``<`` that starts no tag is text (``PM2.5<35``,
``<<红岩>>``, ``分数 < A``). Control characters, bidi overrides, zero-width and line-separator
characters are invisible or reorder what is shown; :func:`hidden` finds them and
:func:`visible` spells them out (``\\x1b``, ``\\u202e``) so a terminal never obeys one.
"""

from __future__ import annotations

import re
import unicodedata

# The element names of the HTML Living Standard (plus SVG/MathML roots and obsolete ones
# still parsed): "<" followed by one of these and, later, ">" is a tag; by anything else, text.
ELEMENTS = frozenset("""
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink blockquote
body br button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div
dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header
hgroup hr html i iframe image img input ins isindex kbd keygen label legend li link listing main map mark
marquee math menu menuitem meta meter multicol nav nextid nobr noembed noframes noscript object ol optgroup
option output p param picture plaintext portal pre progress q rb rp rt rtc ruby s samp script search section
select slot small source spacer span strike strong style sub summary sup svg table tbody td template textarea
tfoot th thead time title tr track tt u ul var video wbr xmp
""".split())
_TAG = re.compile(
    r"<!--|<!\[CDATA\[|<!doctype|<\?[^<>]*>"  # comments, CDATA, doctype, processing instructions
    r"|</?(?P<name>[a-z][a-z0-9]*(?P<custom>-[a-z0-9-]*)?)(?=[\s/>])[^<>]*>",  # start and end tags
    re.IGNORECASE,
)


def html_tag(text: str) -> str | None:
    """The first HTML tag in ``text`` (an element's or a custom element's), or None."""
    for match in _TAG.finditer(text):
        name = match.group("name")
        if name is None or match.group("custom") or name.lower() in ELEMENTS:
            return match.group()
    return None


def _is_hidden(char: str, allowed: str) -> bool:
    # Cc: C0 and C1 controls and DEL; Cf: bidi embeddings, overrides and isolates, zero-width
    # (U+200B-U+200D, U+2060, U+FEFF), soft hyphen; Zl/Zp: U+2028, U+2029.
    return char not in allowed and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def hidden(text: str, allowed: str = "") -> list[str]:
    """The distinct invisible or reordering characters in ``text``, in order of appearance."""
    return list(dict.fromkeys(ch for ch in text if _is_hidden(ch, allowed)))


def describe(chars: list[str]) -> str:
    """``U+202E（RIGHT-TO-LEFT OVERRIDE）``, … for a message."""
    return "、".join(f"U+{ord(ch):04X}（{unicodedata.name(ch, 'control')}）" for ch in chars[:3]) + ("等" if len(chars) > 3 else "")


def visible(text: str, keep: str = "\n") -> str:
    """``text`` with every invisible or reordering character written out as an escape."""
    return "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") if _is_hidden(ch, keep) else ch
        for ch in text
    )
