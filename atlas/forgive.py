"""What search forgives: traditional characters, look-alike characters in place names,
synonyms and question words. The same folding runs on the index (atlas/search.py) and on
the query (atlas-search-core.js `fold`, `forgive`), so 體育館 and 体育馆, 黄角坪 and 黄桷坪
meet in the middle.

- ``fold``: NFKC (full-width -> half-width), lower case, then one character at a time
  traditional -> simplified (OpenCC's t2s data, character by character so the browser can do
  exactly the same with a table) and the district's variant characters
  (atlas/data/variants.yml, next to the streets list).
- ``forgive``: for a query that had words the index does not know, drop question words and
  replace what people type with what the atlas calls it (data/synonyms.yml, kept by editors).
- ``sounds``: homophones by pinyin (游泳管 for 游泳馆, from pinyin input methods): a query
  bigram no index has may match the index's bigrams that sound the same, as a weaker match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

CJK_RANGE = range(0x4E00, 0xA000)


class SynonymsError(ValueError):
    """data/synonyms.yml is not as documented; the message names the entry and the value."""


@cache
def variants() -> dict[str, str]:
    """Look-alike or sound-alike characters people write for the district's place names."""
    data = yaml.safe_load(files("atlas.data").joinpath("variants.yml").read_text("utf-8"))
    return {str(k): str(v) for k, v in data.items()}


@cache
def t2s() -> dict[str, str]:
    """Traditional -> simplified, one character to one character, from OpenCC's data."""
    import opencc

    converter = opencc.OpenCC("t2s")
    table = {}
    for code in CJK_RANGE:
        char = chr(code)
        simple = converter.convert(char)
        if simple != char and len(simple) == 1:
            table[char] = simple
    return table


@cache
def table() -> dict[str, str]:
    """Every character mapping of ``fold``: traditional -> simplified, then the variants,
    followed to the end so folding twice changes nothing."""
    merged = {**t2s(), **variants()}
    for char in merged:
        seen = {char}
        while merged[char] in merged and merged[char] not in seen:
            seen.add(merged[char])
            merged[char] = merged[merged[char]]
    return merged


def fold(text: str, mapping: dict[str, str] | None = None) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    mapping = table() if mapping is None else mapping
    return "".join(mapping.get(c, c) for c in text)


def browser_table(index_text: str) -> dict[str, str]:
    """The part of ``table`` the browser needs: characters that fold into one the index has
    (a traditional character whose simplified form is nowhere in the atlas cannot match anyway)."""
    present = set(index_text)
    return {char: simple for char, simple in sorted(table().items()) if simple in present}


def _level_one() -> list[str]:
    """GB2312's 3,755 most common characters: what a pinyin input method offers first."""
    return [bytes([high, low]).decode("gb2312") for high in range(0xB0, 0xD8) for low in range(0xA1, 0xFF) if (high, low) <= (0xD7, 0xF9)]


def _reading(text: str) -> list[str]:
    """Toneless pinyin, one syllable per character (pypinyin reads a word's polyphones in context)."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [""] * len(chars))


def sound_key(bigram: str, readings: dict[str, str]) -> str | None:
    """What two characters sound like, 泳管 -> yong'guan; None when a character has no reading."""
    syllables = [readings.get(c) for c in bigram]
    return "'".join(syllables) if all(syllables) else None


def sounds(bigrams: set[str]) -> dict:
    """Homophones by pinyin, for a query bigram no index has (泳管 in 游泳管, where 托管 keeps 管
    a word of the atlas): ``homophones`` -- each sound -> the index's bigrams read that way, in
    context (重庆 is chongqing); ``pinyin`` -- each syllable -> the characters read that way
    (alone), limited to the syllables of those bigrams and to the common characters (GB2312
    level 1) and the index's own: the browser's whole pinyin dictionary, made at build time."""
    homophones: dict[str, list[str]] = {}
    for bigram in sorted(bigrams):
        syllables = _reading(bigram)
        if len(syllables) == 2 and all(syllables):
            homophones.setdefault("'".join(syllables), []).append(bigram)
    heard = {s for key in homophones for s in key.split("'")}
    pinyin: dict[str, str] = {}
    for char in sorted(set(_level_one()) | {c for b in bigrams for c in b}):
        syllable = _reading(char)[0]
        if syllable in heard:
            pinyin[syllable] = pinyin.get(syllable, "") + char
    return {"homophones": homophones, "pinyin": pinyin}


def readings(pinyin: dict[str, str]) -> dict[str, str]:
    """Character -> syllable, from ``sounds``' table (as atlas-search-core.js ``readings``)."""
    return {char: syllable for syllable, chars in sorted(pinyin.items()) for char in chars}


@dataclass(frozen=True)
class Synonyms:
    pairs: tuple[tuple[str, str], ...] = ()  # (what people type, what the atlas calls it), folded
    questions: tuple[str, ...] = ()  # words that ask rather than name: dropped from the query



def _alternation(words) -> re.Pattern | None:
    """One pattern for many literal words, longest first (so 有没有 wins over 没有); Python's
    re and JavaScript's RegExp pick the same alternative at each place."""
    words = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def forgive(text: str, pairs: dict[str, str], questions: list[str], mapping: dict[str, str] | None = None) -> str:
    """The query again, folded, in the atlas's own words (synonyms); outside them without
    question words. Mirrored by atlas-search-core.js ``forgive``."""
    text = fold(text, mapping)
    typed, asks = _alternation(pairs), _alternation(questions)

    def mend(part: str) -> str:
        return asks.sub(" ", part) if asks else part

    out, last = [], 0
    for match in typed.finditer(text) if typed else []:
        out += [mend(text[last : match.start()]), " ", pairs[match.group(0)], " "]
        last = match.end()
    out.append(mend(text[last:]))
    return " ".join("".join(out).split())


def load_synonyms(path: Path) -> Synonyms:
    """Read and check data/synonyms.yml; every problem is reported at once, by entry."""
    where = Path(path).name
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    except yaml.YAMLError as error:
        raise SynonymsError(f"{where} 不是有效的 YAML：{error}") from None
    if not isinstance(data, dict) or set(data) - {"synonyms", "questions"}:
        raise SynonymsError(f"{where} 应只有两项：synonyms（同义词列表）和 questions（提问用语列表）")
    problems: list[str] = []
    pairs: dict[str, str] = {}
    for n, item in enumerate(data.get("synonyms") or [], start=1):
        label = f"{where} synonyms 第 {n} 条"
        if not isinstance(item, dict) or set(item) != {"typed", "atlas"}:
            problems.append(f"{label}：应写成 {{typed: [人们输入的词, …], atlas: 图谱里的叫法}}，实际是 {item!r}")
            continue
        atlas = fold(str(item["atlas"] or "")).strip()
        typed = item["typed"] if isinstance(item["typed"], list) else [item["typed"]]
        if not atlas:
            problems.append(f"{label}：atlas 为空（应填图谱里的叫法，如“图书馆”）")
        for word in typed:
            word = fold(str(word or "")).strip()
            if not word:
                problems.append(f"{label}：typed 中有空词")
            elif word == atlas:
                problems.append(f"{label}：“{word}”与 atlas 相同，不必列出")
            elif word in pairs and pairs[word] != atlas:
                problems.append(f"{label}：“{word}”已在前面对应“{pairs[word]}”，同一个词只能对应一种叫法")
            elif atlas:
                pairs[word] = atlas
    questions = []
    for n, word in enumerate(data.get("questions") or [], start=1):
        word = fold(str(word or "")).strip()
        if not word:
            problems.append(f"{where} questions 第 {n} 条：空词")
        elif word in pairs:
            problems.append(f"{where} questions 第 {n} 条：“{word}”也是 synonyms 里的词，只能是其中一种")
        else:
            questions.append(word)
    if problems:
        raise SynonymsError("\n".join(problems))
    return Synonyms(tuple(sorted(pairs.items())), tuple(sorted(set(questions))))
