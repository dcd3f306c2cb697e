"""One collation for every Chinese list: pinyin order (pypinyin), the way people look names up.

Sorting by character code puts 重庆 after 长江 for no reason a reader can see; sorting by the
English id is worse. Every list the site shows — browse pages, the finder's 按名称, the map's
lists, departments — sorts with `name_key`, so they agree.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def name_key(text: str) -> tuple[str, str]:
    """Pinyin with tone numbers (phrase-aware, so 重庆 is chong2 qing4), then the text itself
    so names with the same reading still sort the same way on every build."""
    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="default")
    return (" ".join(s.lower() for s in syllables), text)


def name_ranks(names: list[str]) -> dict[str, int]:
    """Each distinct name's place in pinyin order: what the browser sorts by, so it needs no
    pinyin table of its own."""
    return {name: i for i, name in enumerate(sorted(set(names), key=name_key))}
