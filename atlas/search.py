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
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from lunr.builder import Builder
from lunr.index import Index
from lunr.query import Query

from . import forgive
from .collate import name_ranks
from .pages import FEES, Entry, Page, render
from .taxonomy import taxonomy

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ASCII = re.compile(r"[a-z0-9]+")
FIELDS = (("n", 10), ("p", 6), ("m", 3), ("t", 1))  # name, pinyin, meta, text: short keys repeat in every posting
DOCS_PER_SHARD = 50  # about 13 KB gzip of index per shard: a query loads only a few (at 300, 杨家坪 tsg loaded the whole index)
CARDS_PER_SHARD = 25  # result cards come in small files: a page of results loads only its own
MAX_TOKEN_SHARDS = 1024
SHARDS_PER_PASS = 64  # index shards built in one pass over the tokens (memory, see _index_shards)
STOP_SHARE = 0.5  # a token in more than half of all resources tells nothing apart
DISTRICT_PREFIX = re.compile(r"^(重庆市)?九龙坡区")


def normalise(text: str) -> str:
    """Index side: full-width -> half-width, lower case, traditional -> simplified, variants."""
    return forgive.fold(text)


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
def lead(description: str | None, limit: int = 60) -> str:
    """The description's first sentence (at most ``limit`` characters): what it is about,
    without the long tail that would triple the index a phone downloads."""
    if not description:
        return ""
    first = re.split(r"(?<=[。！？；!?;])", description.strip(), maxsplit=1)[0]
    return first[:limit]


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
    """One resource as the index, the result cards and the facets see it."""

    id: str
    fields: dict[str, str]  # field -> space-separated tokens
    card: dict  # what a result shows
    facets: list  # [category, street, stages, 五育, fee, holidays, accessible, has hours] as small numbers (+ name rank in facets.json)
    point: list | None  # [lat, lon] in WGS-84, for 离我最近 on /find/


def document(entry: Entry) -> Document:
    r = entry.r
    category = entry.category.label
    meta_text = " ".join([category, r.street, *r.tags])
    fields = {
        "n": " ".join(cjk_tokens(r.name) + ascii_tokens(r.name)),
        "p": " ".join(pinyin_tokens(r.name)),
        "m": " ".join(cjk_tokens(meta_text) + ascii_tokens(meta_text) + pinyin_tokens(r.street) + [r.category]),
        "t": " ".join(cjk_tokens(" ".join(filter(None, [DISTRICT_PREFIX.sub("", r.address), lead(r.description)])), unigrams=False)),
    }
    card = {
        "id": r.id,
        "n": r.name,
        "c": r.category,
        "s": r.street,
        "a": r.address,
        "f": r.fee or "",
        "oh": r.opening_hours or "",
        "h": entry.hours,  # the hours table atlas-hours.js looks up (null: no hours)
        "t": entry.tel if r.phone else "",
    }
    if entry.point:  # the browser builds the 高德 link from the point (atlasLinks.route): a third of a card's bytes
        card["p"] = [round(entry.point[0], 6), round(entry.point[1], 6)]
    else:
        card["nav"] = entry.nav["amap"]
    if r.phone:
        card["pd"] = _phone_label(r.phone[0])
    if r.status != "open":
        card["st"] = r.status
    point = [round(entry.point[0], 6), round(entry.point[1], 6)] if entry.point else None
    return Document(r.id, fields, card, _facets(r), point)


def _phone_label(phone) -> str:
    return phone.display + (f" 转 {phone.extension}" if phone.extension else "")


def _mask(values: tuple[str, ...], options: tuple[str, ...]) -> int:
    return sum(1 << options.index(v) for v in values)


def _facets(r) -> list:
    """One row of facets.json: everything /find/ counts and filters on, as numbers, so the
    facets of 30,000 resources stay small and cards are fetched only for what is shown."""
    t = taxonomy()
    return [
        [c.code for c in t.categories].index(r.category),
        [s.name for s in t.streets].index(r.street),
        _mask(r.stages, tuple(s.label for s in t.stages)),
        _mask(r.five_education, t.five_education),
        ["", "free", "paid", "partly_free"].index(r.fee or ""),
        _mask(r.holiday_service, t.holiday_services),
        1 if r.accessible == "yes" else 0,
        1 if r.opening_hours else 0,
    ]


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


def _slim(index: dict) -> dict:
    """Drop empty field vectors: lunr reads a vector only for a field a term matched in."""
    index["fieldVectors"] = [vector for vector in index["fieldVectors"] if vector[1]]
    return index


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-8: the shard function, mirrored in atlas-search-core.js."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_count(documents: int, per_shard: int = DOCS_PER_SHARD) -> int:
    return min(MAX_TOKEN_SHARDS, max(1, math.ceil(documents / per_shard)))


def stop_tokens(documents: list[Document]) -> set[str]:
    """Tokens in more than STOP_SHARE of the resources: they only make shards heavy. (A single
    character among them still answers a query of that one character: see ``single_lists``.)"""
    if len(documents) < 20:
        return set()
    frequency: dict[str, int] = {}
    for doc in documents:
        for token in set(" ".join(doc.fields.values()).split()):
            frequency[token] = frequency.get(token, 0) + 1
    return {token for token, n in frequency.items() if n > STOP_SHARE * len(documents)}


def single_lists(documents: list[Document], stop: set[str]) -> dict[str, list[str]]:
    """For each single character dropped as a stop token (馆 in most names), the ranked refs a
    query of just that character gets: a file of its own, fetched only for that query, so 馆
    is answered without weighing every shard down. In the name before only in the category or
    street, then shorter names (more nearly that thing), then ref order."""
    lists: dict[str, list[str]] = {}
    for char in sorted(t for t in stop if len(t) == 1 and CJK.fullmatch(t)):
        found = [(char not in doc.fields["n"].split(), len(doc.card["n"]), ref) for ref, doc in enumerate(documents)
                 if char in doc.fields["n"].split() or char in doc.fields["m"].split()]
        lists[char] = [str(ref) for *_, ref in sorted(found)]
    return lists


def single_file(char: str) -> str:
    return f"single-{ord(char):x}.json"


def token_shard(token: str, shards: int) -> int:
    return fnv1a(token[0]) % shards if shards > 1 else 0


def card_shard(ref: str, shards: int) -> int:
    return fnv1a(ref) % shards if shards > 1 else 0


def build(entries: list[Entry], synonyms: forgive.Synonyms = forgive.Synonyms()) -> dict[str, str]:
    """Every file of the search index, by path under search/: manifest, index shards, cards."""
    return dict(files(entries, synonyms))


def files(entries: list[Entry], synonyms: forgive.Synonyms = forgive.Synonyms()) -> Iterator[tuple[str, str]]:
    """The files of ``build`` one at a time, so a large index is written as it is made."""
    entries = sorted(entries, key=lambda e: e.r.id)
    documents = [document(e) for e in entries]
    shards = shard_count(len(documents))
    stop = stop_tokens(documents)
    for shard, index in _index_shards(documents, shards, stop):
        # A shard no token falls into is written as null (lunr cannot build an empty index).
        yield f"index-{shard}.json", _dump(index)
    card_shards = shard_count(len(documents), CARDS_PER_SHARD)
    cards: list[dict] = [{} for _ in range(card_shards)]
    for ref, doc in enumerate(documents):
        cards[card_shard(str(ref), card_shards)][str(ref)] = doc.card
    for shard, bucket in enumerate(cards):
        yield f"cards-{shard}.json", _dump(bucket)
    # Name order (pinyin, atlas/collate.py, as the browse pages sort) as a rank per resource:
    # the browser sorts by a number and needs no pinyin table.
    ranks = name_ranks([d.card["n"] for d in documents])
    # Then, only for resources with programmes, their days by month (atlas/program_months.py).
    yield "facets.json", _dump([d.facets + [ranks[d.card["n"]]] + ([list(e.program_months)] if e.program_months else []) for d, e in zip(documents, entries)])
    singles = single_lists(documents, stop)
    for char, refs in singles.items():
        yield single_file(char), _dump(refs)
    # Fetched only when a query matched nothing completely (see ``answer``).
    chars = "".join({c for d in documents for value in d.fields.values() for c in value})
    # Homophones sound out the bigrams of names, categories, streets and tags (where 馆/管/官 and 园/圆 typos land).
    bigrams = {t for d in documents for name in ("n", "m") for t in d.fields[name].split() if len(t) == 2 and CJK.fullmatch(t) and t not in stop}
    yield "forgive.json", _dump({"table": forgive.browser_table(chars), "synonyms": dict(synonyms.pairs), "questions": list(synonyms.questions)})
    yield "sounds.json", _dump(forgive.sounds(bigrams))  # fetched only when a bigram of the forgiven query is in no index
    # Points are fetched only when someone asks for 离我最近 (0 = no coordinates yet).
    yield "points.json", _dump([d.point or 0 for d in documents])
    t = taxonomy()
    yield "manifest.json", _dump({
        "version": 2,
        "count": len(documents),
        "shards": shards,
        "cardShards": card_shards,
        "stop": sorted(stop),
        "single": sorted(singles),
        "variants": forgive.variants(),
        "fields": [name for name, _ in FIELDS],
        "categories": [{"code": c.code, "label": c.label, "color": c.color} for c in t.categories],
        "streets": [s.name for s in t.streets],
        "stages": [s.label for s in t.stages],
        "five": list(t.five_education),
        "holiday": list(t.holiday_services),
        "fees": ["", "free", "paid", "partly_free"],
    })


def _index_shards(documents: list[Document], shards: int, stop: set[str]) -> Iterator[tuple[int, dict | None]]:
    """Each shard's serialized lunr index, SHARDS_PER_PASS shards a pass over the tokens: the
    buckets of all 300 shards at once held ~1 GB at 30,000 resources."""
    # Tokens split once and interned: the same few thousand strings, not millions of copies.
    tokens = [{name: [sys.intern(t) for t in value.split() if t not in stop] for name, value in doc.fields.items()} for doc in documents]
    shard_of: dict[str, int] = {}  # first character -> shard: the hash once per character, not per token
    for first in range(0, shards, SHARDS_PER_PASS):
        # Refs are positions, not ids: every posting repeats its ref, and ids are long. A shard
        # holds only the resources with tokens in it: the others cannot match there.
        buckets: dict[int, dict[str, dict[str, list[str]]]] = {s: {} for s in range(first, min(first + SHARDS_PER_PASS, shards))}
        for ref, fields in enumerate(tokens):
            for name, values in fields.items():
                for token in values:
                    shard = shard_of.get(token[0])
                    if shard is None:
                        shard = shard_of[token[0]] = token_shard(token, shards)
                    if shard in buckets:
                        buckets[shard].setdefault(str(ref), {}).setdefault(name, []).append(token)
        for shard, bucket in buckets.items():
            builder = _builder()
            for ref, fields in bucket.items():
                # Token lists, not strings: lunr.py splits strings a character at a time in Python.
                builder.add({"id": ref, **{name: fields.get(name, []) for name, _ in FIELDS}})
            yield shard, _slim(builder.build().serialize()) if bucket else None
            bucket.clear()


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def finder_page() -> Page:
    """/find/: a search box, facets with counts and result cards; the state lives in the URL."""
    t = taxonomy()
    body = render("find.html", root="../", categories=t.categories, streets=t.streets, stages=t.stages, five=t.five_education,
                  holidays=t.holiday_services, fees=list(FEES.items()))
    return Page("find/index.md", "查找", body, "查找九龙坡区的场馆、托管点和活动场所：支持拼音首字母，可按类别、镇街、学段筛选", hide=("navigation", "toc"))


# --- the query side (reference for atlas-search-core.js) ------------------------------------------


def query_terms(text: str, stop: frozenset[str] = frozenset(), mapping: dict[str, str] | None = None) -> list[dict]:
    """The lunr clauses for what someone typed: bigrams (or a lone character) for Chinese,
    prefix matches for pinyin and other words, and a one-letter typo allowance for longer ones.
    Stop tokens are dropped (unless nothing else is left), as they are from the index.
    ``mapping``: the characters folded on the way (the manifest's variants, or forgive.json's table)."""
    q = forgive.fold(text, {} if mapping is None else mapping)
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


def _hits(terms: list[dict], matched: list[str]) -> tuple[int, int]:
    """(units of the query this resource matched, units in the query); each bigram or word is one unit."""
    tokens = [pair.split(":", 1)[1] for pair in matched]
    units = {t["unit"] for t in terms}
    hit = {t["unit"] for t in terms if any(_matches(t, token) for token in tokens)}
    return len(hit), len(units)


def query_index(index: Index, terms: list[dict]) -> dict[str, tuple[float, list[str]]]:
    """ref -> (score, the "field:token" pairs it matched)."""
    if not terms:
        return {}
    q = index.create_query()
    for t in terms:
        q.term(t["term"], use_pipeline=False, boost=t["boost"], edit_distance=t["edit"], wildcard=Query.WILDCARD_TRAILING if t["wildcard"] else Query.WILDCARD_NONE)
    return {
        r["ref"]: (r["score"], sorted(f"{field}:{token}" for token, fields in r["match_data"].metadata.items() for field in fields))
        for r in index.query(q)
    }


def lift(terms: list[dict], matched: list[str]) -> float:
    """Adjacent and in order beats scattered: when every Chinese bigram of the query (or one
    that sounds the same, see ``sound_terms``) is in the name, the query stands there as a
    phrase (x3); in the categories, street or address, less so (x1.5)."""
    units = {t["unit"] for t in terms if CJK.fullmatch(t["unit"])}
    if not units:
        return 1.0
    by_field: dict[str, set[str]] = {}
    for pair in matched:
        field, token = pair.split(":", 1)
        by_field.setdefault(field, set()).add(token)

    def covered(tokens: set[str]) -> set[str]:
        return {t["unit"] for t in terms if t["term"] in tokens}

    if units <= covered(by_field.get("n", set())):
        return 3.0
    if units <= covered(by_field.get("m", set()) | by_field.get("t", set())):
        return 1.5
    return 1.0


def rank(found: dict[str, tuple[float, list[str]]], terms: list[dict]) -> tuple[list[str], bool]:
    """(refs, partial). When some resource matches every unit: those matching enough, by score
    (lunr's, lifted for phrases), ties by ref. When none does, never a blank page: everything that
    matched something, most units first, then by score — and ``partial`` says so."""
    # Rounded as JavaScript's Math.round does, so both sides break ties alike.
    scores = {ref: math.floor(score * lift(terms, matched) * 1e6 + 0.5) / 1e6 for ref, (score, matched) in found.items()}
    hits = {ref: _hits(terms, matched) for ref, (_, matched) in found.items()}
    if any(hit == units for hit, units in hits.values()):
        kept = [ref for ref in scores if 2 * hits[ref][0] >= hits[ref][1]]
        return sorted(kept, key=lambda ref: (-scores[ref], int(ref))), False
    return sorted(scores, key=lambda ref: (-hits[ref][0], -scores[ref], int(ref))), bool(scores)


@lru_cache(maxsize=64)
def _index(text: str) -> Index | None:
    """A shard's lunr index, loaded once for the tests' and the benchmark's many queries."""
    data = json.loads(text)
    return Index.load(data) if data is not None else None


SOUND_BOOST = 0.5  # a bigram that only sounds like the query's is a weaker match than the query's own


def unheard(terms: list[dict], known: set[str]) -> list[dict]:
    """The query's Chinese bigrams that no index has: the ones asked again by their sound."""
    return [t for t in terms if len(t["term"]) == 2 and CJK.fullmatch(t["term"]) and t["term"] not in known]


def sound_terms(terms: list[dict], known: set[str], sounds: dict, stop: frozenset[str]) -> list[dict]:
    """For each Chinese bigram of the query that no index has (泳管), the index's bigrams that
    read the same in pinyin (泳馆), as weaker clauses of the same unit: 游泳管 finds 游泳馆 although
    管 is a word of the atlas (托管). ``sounds``: sounds.json. A character without a reading adds nothing."""
    readings = forgive.readings(sounds.get("pinyin", {}))
    extra = []
    for t in unheard(terms, known):
        key = forgive.sound_key(t["term"], readings)
        for bigram in sounds.get("homophones", {}).get(key, []) if key else []:
            if bigram != t["term"] and bigram not in stop:
                extra.append({"term": bigram, "wildcard": False, "edit": 0, "boost": SOUND_BOOST, "unit": t["unit"]})
    return extra


def _run(read, manifest: dict, text: str, sounding: bool = False) -> tuple[list[str], bool, bool]:
    """(refs, partial, whether some Chinese term of the query is in no index at all). When
    ``sounding``, bigrams in no index are also asked by their sound (sounds.json)."""
    terms = query_terms(text, frozenset(manifest["stop"]), {})
    if not terms:
        return [], False, False
    if len(terms) == 1 and terms[0]["term"] in manifest["single"]:
        return read(single_file(terms[0]["term"])), False, False

    def indexes(chosen):
        for shard in sorted({token_shard(t["term"], manifest["shards"]) for t in chosen}):
            index = _index(read(f"index-{shard}.json", parse=False))
            if index is not None:
                yield [t for t in chosen if token_shard(t["term"], manifest["shards"]) == shard], index

    known = {t["term"] for shard_terms, index in indexes(terms) for t in shard_terms if t["term"] in index.inverted_index}
    unknown = any(CJK.fullmatch(t["term"]) and t["term"] not in known for t in terms)
    if sounding and unheard(terms, known):
        terms = terms + sound_terms(terms, known, read("sounds.json"), frozenset(manifest["stop"]))
    found: dict[str, tuple[float, list[str]]] = {}
    for shard_terms, index in indexes(terms):
        for ref, (score, matched) in query_index(index, shard_terms).items():
            total, pairs = found.get(ref, (0.0, []))
            found[ref] = (total + score, pairs + matched)
    return (*rank(found, terms), unknown)


def trace(files: dict[str, str], text: str) -> tuple[list[str], bool, list[str]]:
    """Search the built files the way the browser does (atlas-search-core.js ``search``):
    (refs in rank order, whether they only match in part, the files read after the manifest).

    Asked as typed first (with the district's variant characters). Only if nothing matches it
    all, and some Chinese word of it is in no index, is forgive.json fetched and the query asked again: folded (traditional -> simplified),
    then forgiven (synonyms, question words dropped, and bigrams in no index also asked by
    their sound: ``sound_terms``, sounds.json fetched only then). The first complete answer wins; failing that, the last
    partial one (the most forgiven)."""
    fetched: list[str] = []

    def read(name: str, parse: bool = True):
        if name not in fetched:
            fetched.append(name)
        return json.loads(files[name]) if parse else files[name]

    manifest = json.loads(files["manifest.json"])
    asked = [(forgive.fold(text, manifest["variants"]), False)]  # (text, with sounds)
    refs, partial, unknown = _run(read, manifest, asked[0][0])
    if (refs and not partial) or not unknown:  # folding, synonyms and sounds only change words the index lacks
        return refs, partial, fetched
    kind = read("forgive.json")
    for again, sounding in ((forgive.fold(text, kind["table"]), False), (forgive.forgive(text, kind["synonyms"], kind["questions"], kind["table"]), True)):
        if (again, sounding) in asked:
            continue
        asked.append((again, sounding))
        got = _run(read, manifest, again, sounding)
        if got[0] and not got[1]:
            return got[0], False, fetched
        if got[0]:
            refs, partial = got[0], got[1]
    return refs, partial, fetched


def answer(files: dict[str, str], text: str) -> tuple[list[str], bool]:
    """(resource ids in rank order, whether they only match in part): see ``trace``."""
    refs, partial, _ = trace(files, text)
    cards = {ref: card for name, body in files.items() if name.startswith("cards-") for ref, card in json.loads(body).items()}
    return [cards[ref]["id"] for ref in refs], partial


def search(files: dict[str, str], text: str) -> list[str]:
    """Resource ids in rank order (see ``answer``)."""
    return answer(files, text)[0]
