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

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from .findings import ERROR, Finding

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
    """Read data/synonyms.yml; a file with problems raises them all at once (``check_synonyms``)."""
    synonyms, found = check_synonyms(path)
    if found:
        raise SynonymsError("\n".join(f"{Path(path).name} {f.message}（{f.hint}）" for f in found))
    return synonyms


SHAPE = "synonyms: 一个列表，每条 {typed: [人们输入的词, …], atlas: 图谱里的叫法}；questions: 提问用语的列表"


def check_synonyms(path: Path, raw: bytes | None = None) -> tuple[Synonyms, list[Finding]]:
    """data/synonyms.yml (or ``raw`` bytes, as if they were that file), folded, and its problems as
    findings naming the line, the entry and the field (``atlas validate`` prints them; the
    build stops with the same words)."""
    name = str(path)
    try:
        text = (Path(path).read_bytes() if raw is None else raw).decode("utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return Synonyms(), [Finding(ERROR, "synonyms.yaml", f"{'第 %d 行：' % line if line else ''}不是有效的 YAML：{getattr(error, 'problem', None) or error}",
                                    "检查缩进（用空格，不用 Tab）、冒号和括号是否成对", file=name, line=line)]
    except UnicodeDecodeError as error:
        return Synonyms(), [Finding(ERROR, "synonyms.read", f"不是 UTF-8 编码（第 {error.start + 1} 个字节起），无法读取",
                                    "用记事本、WPS 或 GitHub 网页编辑器另存为 UTF-8 编码", file=name)]
    except OSError as error:
        return Synonyms(), [Finding(ERROR, "synonyms.read", f"无法读取：{error.strerror or error}", "同义词表应是 UTF-8 编码的 YAML 文件", file=name)]
    if not isinstance(data, dict) or set(data) - {"synonyms", "questions"}:
        return Synonyms(), [Finding(ERROR, "synonyms.shape", "应只有两项：synonyms（同义词列表）和 questions（提问用语列表）", SHAPE, file=name, line=1)]
    nodes = {key.value: value for key, value in root.value} if root is not None else {}
    found: list[Finding] = []

    def at(node, label: str) -> tuple[str, int | None]:
        line = node.start_mark.line + 1 if node is not None else None
        return (f"第 {line} 行 " if line else "") + label, line

    pairs: dict[str, str] = {}
    items = data.get("synonyms") or []
    item_nodes = nodes["synonyms"].value if isinstance(items, list) and "synonyms" in nodes else []
    for n, (item, node) in enumerate(zip(items if isinstance(items, list) else [], item_nodes), start=1):
        where, line = at(node, f"synonyms 第 {n} 条")
        if not isinstance(item, dict) or set(item) != {"typed", "atlas"}:
            found.append(Finding(ERROR, "synonyms.entry", f"{where}：应写成 {{typed: [人们输入的词, …], atlas: 图谱里的叫法}}，实际是 {json.dumps(item, ensure_ascii=False, default=str)}", SHAPE, file=name, line=line))
            continue
        fields = {key.value: value for key, value in node.value}
        atlas = fold(str(item["atlas"] or "")).strip()
        typed = item["typed"] if isinstance(item["typed"], list) else [item["typed"]]
        if not atlas:
            where, line = at(fields.get("atlas", node), f"synonyms 第 {n} 条")
            found.append(Finding(ERROR, "synonyms.atlas_empty", f"{where}：atlas 为空", "atlas 填图谱里的叫法，如“图书馆”", file=name, line=line))
        typed_nodes = fields["typed"].value if isinstance(item["typed"], list) else [fields["typed"]]
        for word, word_node in zip(typed, typed_nodes):
            word = fold(str(word or "")).strip()
            where, line = at(word_node, f"synonyms 第 {n} 条")  # the word's own line in a long list
            if not word:
                found.append(Finding(ERROR, "synonyms.typed_empty", f"{where}：typed 中有空词", "删掉多余的逗号或空引号", file=name, line=line))
            elif word == atlas:
                found.append(Finding(ERROR, "synonyms.same", f"{where}：typed 里的“{word}”与 atlas 相同，不必列出", "从 typed 里删掉它：图谱本来就这样叫", file=name, line=line))
            elif word in pairs and pairs[word] != atlas:
                found.append(Finding(ERROR, "synonyms.conflict", f"{where}：typed 里的“{word}”已在前面对应“{pairs[word]}”，同一个词只能对应一种叫法",
                                     "只保留一条，或把两种叫法用空格隔开写进同一个 atlas", file=name, line=line))
            elif atlas:
                pairs[word] = atlas
    questions = []
    asked = data.get("questions") or []
    asked_nodes = nodes["questions"].value if isinstance(asked, list) and "questions" in nodes else []
    for n, (word, node) in enumerate(zip(asked if isinstance(asked, list) else [], asked_nodes), start=1):
        word = fold(str(word or "")).strip()
        where, line = at(node, f"questions 第 {n} 条")
        if not word:
            found.append(Finding(ERROR, "synonyms.question_empty", f"{where}：空词", "删掉多余的逗号或空引号", file=name, line=line))
        elif word in pairs:
            found.append(Finding(ERROR, "synonyms.question_synonym", f"{where}：“{word}”也是 synonyms 里的词，只能是其中一种",
                                 "要找的东西留在 synonyms，只是提问的词留在 questions", file=name, line=line))
        else:
            questions.append(word)
    for key in ("synonyms", "questions"):
        if key in data and data[key] is not None and not isinstance(data[key], list):
            where, line = at(nodes.get(key), key)
            found.append(Finding(ERROR, "synonyms.shape", f"{where}：应是一个列表", SHAPE, file=name, line=line))
    return Synonyms(tuple(sorted(pairs.items())), tuple(sorted(set(questions)))), found
