"""Secrets out of messages: API keys and request signatures never reach a terminal or a CI log.

geopy and requests put the whole request URL in their errors, and with it 高德's ``key=``,
百度's ``ak=`` and its ``sn=`` signature. Every message that may hold one passes through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote, quote_plus

SECRET_ENV = ("AMAP_KEY", "BAIDU_AK", "BAIDU_SK")  # where `atlas geocode` reads keys from
HIDDEN = "***"
# Query parameters that carry a key or a signature, in any URL a message quotes.
_PARAMS = re.compile(r"(?i)((?:^|[?&;\s])(?:key|ak|sk|sn|tk|token|secret|signature)=)[^&#\s'\"<>)]+")
_MIN_LENGTH = 4  # a shorter "secret" would blank ordinary words


def secrets_of(env: Mapping[str, str]) -> tuple[str, ...]:
    """The secret values set in ``env`` (the keys `atlas geocode` may use)."""
    return tuple(value.strip() for name in SECRET_ENV if (value := env.get(name, "")).strip())


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret (as typed or percent-encoded) and every key parameter hidden."""
    for secret in sorted({s for s in secrets if s and len(s) >= _MIN_LENGTH}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, HIDDEN)
    return _PARAMS.sub(lambda m: m.group(1) + HIDDEN, text)
