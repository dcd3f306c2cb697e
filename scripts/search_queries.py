"""Graded query sets over the fictional atlas of scripts/bench.py (``bench.generate``: names are
示例 + a word of KINDS + a number): PLAIN, what the atlas calls things, typed as it does (and
its pinyin); HARD, what people type that the plain queries do not cover.

Each query names something the atlas has, so the right answer is never "nothing"; what counts
as relevant is a rule on the generated row (its name contains a word, its category or street;
a tuple of rules: all of them). Used by tests/test_search.py (targets) and
scripts/bench_search.py (the tables beside Material and Pagefind).
"""

from __future__ import annotations

# (query, kind, rule), as HARD below
PLAIN = [
    ("少年宫", "名称", ("name", "少年宫")),
    ("青少年宫", "名称", ("name", "青少年宫")),
    ("纪念馆", "名称", ("name", "纪念馆")),
    ("图书馆", "名称", ("name", "图书馆")),
    ("博物馆", "名称", ("name", "博物馆")),
    ("科技馆", "名称", ("name", "科技馆")),
    ("游泳馆", "名称", ("name", "游泳馆")),
    ("体育中心", "名称", ("name", "体育中心")),
    ("植物园", "名称", ("name", "植物园")),
    ("湿地公园", "名称", ("name", "湿地公园")),
    ("家长学校", "名称", ("name", "家长学校")),
    ("托管", "名称", ("category", "holiday_care")),
    ("消防", "名称", ("name", "消防")),
    ("心理健康", "类别", ("category", "mental_health")),
    ("劳动实践", "类别", ("category", "labor")),
    ("杨家坪", "镇街", ("street", "杨家坪街道")),
    ("黄桷坪", "镇街", ("street", "黄桷坪街道")),
    ("谢家湾", "镇街", ("street", "谢家湾街道")),
    ("走马", "镇街", ("street", "走马镇")),
    ("谢家湾 图书馆", "组合", (("name", "图书馆"), ("street", "谢家湾街道"))),
    ("tsg", "拼音", ("name", "图书馆")),
    ("tushuguan", "拼音", ("name", "图书馆")),
    ("bwg", "拼音", ("name", "博物馆")),
    ("kjg", "拼音", ("name", "科技馆")),
    ("谢家湾 tsg", "拼音", (("name", "图书馆"), ("street", "谢家湾街道"))),
]

# (query, kind, rule): rule is ("name", word in the name) | ("category", code) | ("street", name)
HARD = [
    # traditional characters
    ("體育中心", "繁体", ("name", "体育中心")),
    ("紀念館", "繁体", ("name", "纪念馆")),
    ("圖書館", "繁体", ("name", "图书馆")),
    ("博物館", "繁体", ("name", "博物馆")),
    ("少年宮", "繁体", ("name", "少年宫")),
    ("濕地公園", "繁体", ("name", "湿地公园")),
    ("科技館", "繁体", ("name", "科技馆")),
    ("遊泳館", "繁体", ("name", "游泳馆")),
    ("家長學校", "繁体", ("name", "家长学校")),
    ("楊家坪", "繁体", ("street", "杨家坪街道")),
    ("謝家灣", "繁体", ("street", "谢家湾街道")),
    ("黃桷坪", "繁体", ("street", "黄桷坪街道")),
    # miswritten place names
    ("黄角坪", "地名误写", ("street", "黄桷坪街道")),
    ("谢家弯", "地名误写", ("street", "谢家湾街道")),
    ("杨家平", "地名误写", ("street", "杨家坪街道")),
    ("白市译", "地名误写", ("street", "白市驿镇")),
    ("西澎", "地名误写", ("street", "西彭镇")),
    ("石平桥", "地名误写", ("street", "石坪桥街道")),
    ("铜罐译", "地名误写", ("street", "铜罐驿镇")),
    ("黄角坪图书馆", "地名误写", ("category", "library")),
    # homophones from pinyin input
    ("图书管", "同音字", ("name", "图书馆")),
    ("博物管", "同音字", ("name", "博物馆")),
    ("科技官", "同音字", ("name", "科技馆")),
    ("游泳管", "同音字", ("name", "游泳馆")),
    ("文化官", "同音字", ("name", "文化馆")),
    ("植物圆", "同音字", ("name", "植物园")),
    ("湿地公圆", "同音字", ("name", "湿地公园")),
    ("森林公圆", "同音字", ("name", "森林公园")),
    ("科技管", "同音字", ("name", "科技馆")),  # 管 is a word of the atlas (托管): only its sound can mend it
    ("青少年公", "同音字", ("name", "青少年宫")),
    ("体育中新", "同音字", ("name", "体育中心")),
    # questions and longer phrases
    ("附近有没有能打篮球的地方", "提问", ("category", "sports")),
    ("周末带孩子去哪里看展览", "提问", ("category", "museum")),
    ("哪里可以游泳", "提问", ("category", "sports")),
    ("带孩子去哪里看书", "提问", ("category", "library")),
    ("暑假有没有托管的地方", "提问", ("category", "holiday_care")),
    ("哪里有心理咨询", "提问", ("category", "mental_health")),
    ("想带孩子去植物园玩", "提问", ("name", "植物园")),
    ("有没有消防安全教育的地方", "提问", ("name", "消防")),
    # synonyms and short forms
    ("图书室", "同义词", ("category", "library")),
    ("红色教育", "同义词", ("category", "patriotic")),
    ("科学", "同义词", ("category", "science")),
    ("看展", "同义词", ("category", "museum")),
    ("暑托班", "同义词", ("category", "holiday_care")),
    ("心理辅导", "同义词", ("category", "mental_health")),
    ("家教指导", "同义词", ("category", "family")),
    ("普法", "同义词", ("category", "safety")),
    ("学农", "同义词", ("category", "labor")),
    ("少年之家", "同义词", ("category", "youth")),
    # full width and case
    ("ＴＳＧ", "全角", ("name", "图书馆")),
    ("ＢＷＧ", "全角", ("name", "博物馆")),
]


def relevant(rule: tuple, row: dict[str, str]) -> bool:
    if isinstance(rule[0], tuple):
        return all(relevant(part, row) for part in rule)
    field, value = rule
    return value in row["name"] if field == "name" else row[field] == value


def grade(answers: dict[str, list[str]], rows: list[dict[str, str]], queries=HARD) -> dict:
    """hits@5 (a relevant resource in the first five), MRR (1 / rank of the first relevant one),
    the zero-result rate, and the queries that missed; ``answers``: query -> ids in rank order."""
    by_id = {r["id"]: r for r in rows}
    hits, reciprocal, zero, misses = 0, 0.0, 0, []
    for query, _, rule in queries:
        ids = answers[query]
        ranks = [n for n, i in enumerate(ids, start=1) if i in by_id and relevant(rule, by_id[i])]
        hits += bool(ranks and ranks[0] <= 5)
        reciprocal += 1 / ranks[0] if ranks else 0
        zero += not ids
        if not (ranks and ranks[0] <= 5):
            misses.append(query)
    n = len(queries)
    return {"hits5": hits / n, "mrr": reciprocal / n, "zero": zero / n, "misses": misses, "n": n}
