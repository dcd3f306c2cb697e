"""The resource search index: lunr.py builds it, lunr.js 2.3.9 loads it in the browser.

Chinese is indexed as character unigrams and bigrams, on both sides, so the browser needs
no dictionary and 少年宫 finds 青少年宫 (jieba would keep 青少年宫 as one token, and lunr
only matches token prefixes). Names also get pinyin, full and initials, per word and for
the whole name (jieba finds the words at build time; pypinyin reads polyphones in
context): tsg, tushuguan, cqdwy, chongqingdongwuyuan all find their resource.

The query side is mirrored in docs/assets/atlas-search-core.js; ``query_terms`` and
``rank`` below are its reference, and a test checks lunr.js answers as this module does.

Large atlases are sharded: the token space is split by the token's first character, so a
query (even a prefix query) downloads only the shards of its own first characters, and the
result cards' data is split by resource id.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from lunr.builder import Builder
from lunr.index import Index
from lunr.query import Query

from .pages import FEES, Entry, Page, render
from .taxonomy import taxonomy

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ASCII = re.compile(r"[a-z0-9]+")
FIELDS = (("name", 10), ("pinyin", 6), ("meta", 3), ("text", 1))
DOCS_PER_SHARD = 50  # about 20 KB gzip of index per shard: a query loads only a few
MAX_TOKEN_SHARDS = 1024
STOP_SHARE = 0.5  # a token in more than half of all resources tells nothing apart
DISTRICT_PREFIX = re.compile(r"^(重庆市)?九龙坡区")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def cjk_tokens(text: str, unigrams: bool = True) -> list[str]:
    """Bigrams of every run of Chinese characters, and its single characters if asked for
    (a query of one character looks only at names, categories and streets)."""
    tokens: list[str] = []
    for run in CJK.findall(normalise(text)):
        if unigrams or len(run) == 1:
            tokens += list(run)
        tokens += [run[i : i + 2] for i in range(len(run) - 1)]
    return tokens


def ascii_tokens(text: str) -> list[str]:
    return ASCII.findall(normalise(text))


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
    return jieba


def pinyin_tokens(text: str) -> list[str]:
    """Full pinyin and initials, per word and for the whole text: 图书馆 -> tushuguan, tsg."""
    from pypinyin import Style, lazy_pinyin

    tokens: list[str] = []
    for run in CJK.findall(text):
        syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")  # whole run: polyphones in context
        if len(syllables) != len(run):
            continue
        # Search-mode words overlap (青少年宫: 少年, 青少年, 青少年宫), so 少年宫 in pinyin finds it too.
        words = [syllables[start:end] for _, start, end in _jieba().tokenize(run, mode="search", HMM=False)]
        for group in words + [syllables]:
            tokens += ["".join(group), "".join(s[0] for s in group)]
    return list(dict.fromkeys(t for t in tokens if t))


@dataclass(frozen=True)
class Document:
    """One resource as the index and the result cards see it."""

    id: str
    fields: dict[str, str]  # field -> space-separated tokens
    card: dict  # what a result shows and what the facets filter on


def document(entry: Entry) -> Document:
    r = entry.r
    category = entry.category.label
    meta_text = " ".join([category, r.street, *r.tags])
    fields = {
        "name": " ".join(cjk_tokens(r.name) + ascii_tokens(r.name)),
        "pinyin": " ".join(pinyin_tokens(r.name)),
        "meta": " ".join(cjk_tokens(meta_text) + ascii_tokens(meta_text) + pinyin_tokens(r.street) + [r.category]),
        "text": " ".join(cjk_tokens(" ".join(filter(None, [DISTRICT_PREFIX.sub("", r.address), r.description, r.booking, r.hours_note])), unigrams=False)),
    }
    card = {
        "id": r.id,
        "n": r.name,
        "c": r.category,
        "s": r.street,
        "a": r.address,
        "st": list(r.stages),
        "fe": list(r.five_education),
        "f": r.fee or "",
        "h": list(r.holiday_service),
        "ac": r.accessible or "",
        "oh": r.opening_hours or "",
        "t": entry.tel if r.phone else "",
        "nav": entry.nav["amap"],
    }
    return Document(r.id, fields, card)


def _builder() -> Builder:
    builder = Builder()
    # No stemmer, stop words or trimmer: the tokens are already what both sides search for
    # (lunr.js's trimmer would strip Chinese characters, which its \W does not know).
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.metadata_whitelist = []  # no positions: a third of the size
    builder.ref("id")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    return builder


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-8: the shard function, mirrored in atlas-search-core.js."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_count(documents: int) -> int:
    return min(MAX_TOKEN_SHARDS, max(1, math.ceil(documents / DOCS_PER_SHARD)))


def stop_tokens(documents: list[Document]) -> set[str]:
    """Tokens in more than STOP_SHARE of the resources: they only make shards heavy."""
    if len(documents) < 20:
        return set()
    frequency: dict[str, int] = {}
    for doc in documents:
        for token in set(" ".join(doc.fields.values()).split()):
            frequency[token] = frequency.get(token, 0) + 1
    return {token for token, n in frequency.items() if n > STOP_SHARE * len(documents)}


def token_shard(token: str, shards: int) -> int:
    return fnv1a(token[0]) % shards if shards > 1 else 0


def card_shard(ref: str, shards: int) -> int:
    return fnv1a(ref) % shards if shards > 1 else 0


def build(entries: list[Entry]) -> dict[str, str]:
    """Every file of the search index, by path under search/: manifest, index shards, cards."""
    documents = [document(e) for e in sorted(entries, key=lambda e: e.r.id)]
    shards = shard_count(len(documents))
    stop = stop_tokens(documents)
    files: dict[str, str] = {}
    # Refs are positions, not ids: every posting repeats its ref, and ids are long. A shard
    # holds only the resources with tokens in it: the others cannot match there.
    for shard in range(shards):
        builder = _builder()
        for ref, doc in enumerate(documents):
            fields = {name: " ".join(t for t in value.split() if t not in stop and token_shard(t, shards) == shard) for name, value in doc.fields.items()}
            if any(fields.values()):
                builder.add({"id": str(ref), **fields})
        # A shard no token falls into is written as null (lunr cannot build an empty index).
        files[f"index-{shard}.json"] = _dump(builder.build().serialize() if builder.document_count else None)
    for shard in range(shards):
        cards = {str(ref): d.card for ref, d in enumerate(documents) if card_shard(str(ref), shards) == shard}
        files[f"cards-{shard}.json"] = _dump(cards)
    t = taxonomy()
    files["manifest.json"] = _dump({
        "version": 1,
        "count": len(documents),
        "shards": shards,
        "stop": sorted(stop),
        "fields": [name for name, _ in FIELDS],
        "categories": [{"code": c.code, "label": c.label, "color": c.color} for c in t.categories],
        "streets": [s.name for s in t.streets],
        "stages": [s.label for s in t.stages],
        "five": list(t.five_education),
        "holiday": list(t.holiday_services),
    })
    return files


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def finder_page() -> Page:
    """/find/: a search box, facets with counts and result cards; the state lives in the URL."""
    t = taxonomy()
    body = render("find.html", root="../", categories=t.categories, streets=t.streets, stages=t.stages, five=t.five_education,
                  holidays=t.holiday_services, fees=list(FEES.items()))
    return Page("find/index.md", "查找", body, "查找九龙坡区的场馆、托管点和活动场所：支持拼音首字母，可按类别、镇街、学段筛选", hide=("navigation", "toc"))


# --- the query side (reference for atlas-search-core.js) ------------------------------------------


def query_terms(text: str, stop: frozenset[str] = frozenset()) -> list[dict]:
    """The lunr clauses for what someone typed: bigrams (or a lone character) for Chinese,
    prefix matches for pinyin and other words, and a one-letter typo allowance for longer ones.
    Stop tokens are dropped (unless nothing else is left), as they are from the index."""
    q = normalise(text)
    terms: list[dict] = []
    for run in CJK.findall(q):
        grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        terms += [{"term": g, "wildcard": False, "edit": 0, "boost": 1, "unit": g} for g in grams]
    for word in ASCII.findall(q):
        terms.append({"term": word, "wildcard": True, "edit": 0, "boost": 1, "unit": word})
        if len(word) >= 5:
            terms.append({"term": word, "wildcard": False, "edit": 1, "boost": 0.5, "unit": word})
    kept = [t for t in terms if t["term"] not in stop]
    return kept or terms


def _levenshtein_within_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] or a[i:] == b[i + 1 :] or a[i + 1 :] == b[i:]


def _matches(term: dict, token: str) -> bool:
    if term["wildcard"]:
        return token.startswith(term["term"])
    if term["edit"]:
        return _levenshtein_within_one(term["term"], token)
    return token == term["term"]


def enough(terms: list[dict], tokens: list[str]) -> bool:
    """A resource must match at least half of what was typed (each bigram or word is one
    unit): 火星探测基地 should not list every 教育基地."""
    units = {t["unit"] for t in terms}
    matched = {t["unit"] for t in terms if any(_matches(t, token) for token in tokens)}
    return 2 * len(matched) >= len(units)


def query_index(index: Index, terms: list[dict]) -> dict[str, tuple[float, list[str]]]:
    """ref -> (score, the index tokens it matched)."""
    if not terms:
        return {}
    q = index.create_query()
    for t in terms:
        q.term(t["term"], use_pipeline=False, boost=t["boost"], edit_distance=t["edit"], wildcard=Query.WILDCARD_TRAILING if t["wildcard"] else Query.WILDCARD_NONE)
    return {r["ref"]: (r["score"], sorted(r["match_data"].metadata)) for r in index.query(q)}


def rank(scores: dict[str, float], cards: dict[str, dict], text: str) -> list[str]:
    """Order by lunr's score, lifted when the query's Chinese appears contiguous in the name
    (or, less, in the street, category or address): adjacent and in order beats scattered."""
    phrase = "".join(CJK.findall(normalise(text)))

    def score(ref: str) -> float:
        card = cards[ref]
        lift = 1.0
        if phrase and phrase in normalise(card["n"]):
            lift = 3.0
        elif phrase and phrase in normalise(card["s"] + card["a"]):
            lift = 1.5
        return round(scores[ref] * lift, 6)

    return sorted(scores, key=lambda ref: (-score(ref), ref))


def search(files: dict[str, str], text: str) -> list[str]:
    """Search the built files the way the browser does (for tests and the benchmark);
    returns resource ids in rank order."""
    manifest = json.loads(files["manifest.json"])
    terms = query_terms(text, frozenset(manifest["stop"]))
    scores: dict[str, float] = {}
    tokens: dict[str, list[str]] = {}
    for shard in sorted({token_shard(t["term"], manifest["shards"]) for t in terms}):
        data = json.loads(files[f"index-{shard}.json"])
        if data is None:
            continue
        index = Index.load(data)
        shard_terms = [t for t in terms if token_shard(t["term"], manifest["shards"]) == shard]
        for ref, (value, matched) in query_index(index, shard_terms).items():
            scores[ref] = scores.get(ref, 0.0) + value
            tokens.setdefault(ref, []).extend(matched)
    scores = {ref: value for ref, value in scores.items() if enough(terms, tokens[ref])}
    cards = {ref: card for name, body in files.items() if name.startswith("cards-") for ref, card in json.loads(body).items()}
    return [cards[ref]["id"] for ref in rank(scores, cards, text)]
