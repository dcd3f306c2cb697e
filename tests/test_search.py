"""Search quality on the shipped data, and lunr.js in Node answering as lunr.py does."""

from __future__ import annotations

import csv
import json
import subprocess
from functools import cache
from pathlib import Path


from atlas import forgive, pages, search
from atlas.geocache import locate, read_cache
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes, row
from .sites import script

ROOT = Path(__file__).parent.parent

# (query, ids of which at least one must be in the top five; the first listed is the best answer)
QUERIES = [
    ("少年宫", ["xipeng-shiyan-shaoniangong"]),  # sub-word: the name is …乡村学校少年宫
    ("纪念馆", None),  # nothing is called 纪念馆 here: an empty or weak result is fine, no crash
    ("陈列馆", ["jiulong-yinglian-chenlieguan"]),
    ("博物馆", ["cq-jianchuan-museum", "jianchuan-bingqi-fazhan", "huangjueping-gangqin-bowuguan"]),
    ("抗战", ["jianchuan-kangzhan-wenwu", "bgs-diyi-bingongchang-shengchandong"]),
    ("抗日战争", None),
    ("图书馆", ["jlp-library"]),
    ("动物园", ["chongqing-zoo"]),
    ("熊猫", ["chongqing-zoo"]),
    ("湿地", ["caiyunhu-wetland"]),
    ("彩云湖", ["caiyunhu-wetland"]),
    ("攀岩", ["huayan-panyan-gongyuan"]),
    ("钢琴", ["huangjueping-gangqin-bowuguan"]),
    ("涂鸦", ["huangjueping-tuya-jie"]),
    ("美术学院", ["scfai-huangjueping"]),
    ("川美", None),
    ("铝", ["xinan-lv"]),
    ("托管", ["zhongliangshan-jiaqi-tuoguan", "zouma-shuqi-tuoguan", "songling-shequ-shuqi-tuoguan"]),
    ("暑期托管", ["zouma-shuqi-tuoguan", "songling-shequ-shuqi-tuoguan"]),
    ("黄桷坪", ["scfai-huangjueping", "huangjueping-tuya-jie", "huangjueping-gangqin-bowuguan"]),
    ("谢家湾", ["cq-jianchuan-museum", "egongyan-gongyuan", "chongqing-aoti"]),
    ("走马", ["zouma-guzhen", "zouma-shuqi-tuoguan"]),
    ("陶家", ["taojia-jiulongqiao", "taojia-guanyintanqiao", "daxihe-budao"]),
    ("体育", ["chongqing-aoti", "caiyungu-tiyu-gongyuan", "huayan-panyan-gongyuan"]),
    ("红色资源", ["liubocheng-liudian-jiuju", "zhougongzhi-guju", "yandengshan-gongyuan"]),
    ("刘伯承", ["liubocheng-liudian-jiuju"]),
    ("古桥", ["taojia-jiulongqiao", "taojia-guanyintanqiao"]),
    ("非遗", ["zouma-guzhen", "jlp-wenhuaguan"]),
    # pinyin, full and initials
    ("tsg", ["jlp-library"]),
    ("tushuguan", ["jlp-library"]),
    ("cqdwy", ["chongqing-zoo"]),
    ("chongqingdongwuyuan", ["chongqing-zoo"]),
    ("dongwuyuan", ["chongqing-zoo"]),
    ("sng", ["xipeng-shiyan-shaoniangong"]),
    ("shaoniangong", ["xipeng-shiyan-shaoniangong"]),
    ("hjp", ["scfai-huangjueping", "huangjueping-tuya-jie", "huangjueping-gangqin-bowuguan"]),
    ("yjp", ["jlp-library", "chongqing-zoo", "jlp-wenhuaguan"]),
    ("bwg", ["cq-jianchuan-museum", "jianchuan-bingqi-fazhan", "huangjueping-gangqin-bowuguan"]),
    ("zmgz", ["zouma-guzhen"]),
    ("cyh", ["caiyunhu-wetland"]),
    # mixed Chinese and pinyin
    ("jlp 图书馆", ["jlp-library"]),
    ("九龙坡 tsg", ["jlp-library"]),
    ("黄桷坪 gq", ["huangjueping-gangqin-bowuguan"]),
    # typos in pinyin
    ("chongqingdongwuyan", ["chongqing-zoo"]),
    ("tushugan", ["jlp-library"]),
    ("dongwuyuang", ["chongqing-zoo"]),
    # full-width and case
    ("ＴＳＧ", ["jlp-library"]),
    ("501", ["art-501"]),
]
NO_MATCH = "量子计算"
# Homophone typos from pinyin input over the shipped names: (query, the venue meant). 管 is a word
# of this atlas (托管班), so only the sound of 书管/化管 leads to 图书馆/文化馆.
HOMOPHONES = [("动物圆", "chongqing-zoo"), ("重庆动物圆", "chongqing-zoo"), ("图书管", "jlp-library"), ("文化管", "jlp-wenhuaguan"),
              ("黄桷坪钢琴博物管", "huangjueping-gangqin-bowuguan")]


@cache
def shipped_files() -> dict[str, str]:
    atlas = validate_csv(ROOT / "data" / "resources.csv", Settings(geocache=read_cache(ROOT / "data" / "geocache.json")))
    return search.build([pages.Entry(r, locate(r, {})) for r in atlas.resources], forgive.load_synonyms(ROOT / "data" / "synonyms.yml"))


def test_query_table_recall_and_mrr(capsys):
    files = shipped_files()
    graded = [(q, ids) for q, ids in QUERIES if ids]
    assert len(QUERIES) >= 40
    hits, reciprocal, misses = 0, 0.0, []
    for query, expected in graded:
        results = search.search(files, query)
        top5 = results[:5]
        if set(expected) & set(top5):
            hits += 1
        else:
            misses.append(query)
        ranks = [results.index(i) + 1 for i in expected if i in results]
        reciprocal += 1 / min(ranks) if ranks else 0
    recall, mrr = hits / len(graded), reciprocal / len(graded)
    with capsys.disabled():
        print(f"\nsearch quality on the shipped data: {len(graded)} graded queries, recall@5 = {recall:.3f}, MRR = {mrr:.3f}")
    assert misses == [], misses
    assert mrr >= 0.9


def test_a_query_with_no_match_returns_nothing():
    assert search.search(shipped_files(), NO_MATCH) == []


def test_ungraded_queries_do_not_crash():
    for query, ids in QUERIES:
        if ids is None:
            search.search(shipped_files(), query)


def test_name_matches_rank_above_description_matches():
    files = search.build(_entries(
        row(id="example-a", name="示例场馆A", description="这里可以看到熊猫。"),
        row(id="example-b", name="示例熊猫馆", description="示例。"),
    ))
    assert search.search(files, "熊猫") == ["example-b", "example-a"]


def test_adjacent_characters_rank_above_scattered_ones():
    files = search.build(_entries(
        row(id="example-a", name="示例少儿年度宫殿", description=""),
        row(id="example-b", name="示例少年宫", description=""),
    ))
    assert search.search(files, "少年宫")[0] == "example-b"


def test_polyphones_are_read_in_context():
    assert "chongqing" in search.pinyin_tokens("重庆")  # not zhongqing
    assert "yinhang" in search.pinyin_tokens("银行")  # not yinxing


def _entries(*rows):
    atlas = validate_csv("x.csv", Settings(today=TODAY), data=csv_bytes(*rows))
    assert atlas.report.ok, atlas.report.errors
    return [pages.Entry(r, locate(r, {})) for r in atlas.resources]


def _node(files: dict[str, str], tmp_path: Path, queries: list[str]) -> dict[str, list[str]]:
    for name, body in files.items():
        (tmp_path / name).write_text(body, "utf-8")
    script = """
const lunr = require(process.argv[1]), core = require(process.argv[2]), fs = require("fs");
const dir = process.argv[3], queries = JSON.parse(process.argv[4]);
const read = (path) => JSON.parse(fs.readFileSync(dir + "/" + path));
const manifest = read("manifest.json");
const cards = {};
for (let s = 0; s < manifest.cardShards; s++) Object.assign(cards, read("cards-" + s + ".json"));
const io = {lunr, manifest: async () => manifest, json: async (path) => read(path),
            index: async (s) => { const data = read("index-" + s + ".json"); return data && lunr.Index.load(data); }};
(async () => {
  const out = {};
  for (const q of queries) {
    const got = await core.search(q, io);
    out[q] = [got.refs.map(ref => cards[ref].id), got.partial];
  }
  process.stdout.write(JSON.stringify(out));
})();
"""
    done = subprocess.run(
        ["node", "-e", script, str(ROOT / "node_modules/lunr/lunr.js"), str(ROOT / "docs/assets/atlas-search-core.js"), str(tmp_path), json.dumps(queries, ensure_ascii=False)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def test_homophone_typos_find_the_venue_first_and_completely():
    files = shipped_files()
    for query, meant in HOMOPHONES:
        ids, partial = search.answer(files, query)
        assert ids[:1] == [meant] and not partial, query
    with (ROOT / "data" / "resources.csv").open(encoding="utf-8") as f:
        care = {r["id"] for r in csv.DictReader(f) if "托管" in r["name"]}
    assert care and set(search.search(files, "托管")) == care  # the real word 托管 finds only itself, no 馆


def test_the_hard_homophones_are_complete_answers():
    files, _ = fictional()
    with script("search_queries") as queries:
        sounds = [q for q, kind, _ in queries.HARD if kind == "同音字"]
    assert len(sounds) >= 10 and "游泳管" in sounds and "图书管" in sounds
    assert [q for q in sounds if search.answer(files, q)[1]] == []  # none is only a partial match ("没有完全匹配")


def test_lunr_js_in_node_answers_as_python(tmp_path):
    files = shipped_files()
    queries = [q for q, _ in QUERIES] + [NO_MATCH] + [q for q, _ in HOMOPHONES]
    answers = _node(files, tmp_path, queries)
    for query in queries:
        assert answers[query] == list(search.answer(files, query)), query


def test_sharded_index_answers_the_same_in_node(tmp_path):
    many = [row(id=f"example-{n:04d}", name=f"示例{('图书馆', '少年宫', '博物馆', '体育馆')[n % 4]}{n:04d}",
                description=f"示例描述{n}，适合周末参观。", lat="", lon="") for n in range(260)]
    files = search.build(_entries(*many))
    manifest = json.loads(files["manifest.json"])
    assert manifest["shards"] > 1 and len([f for f in files if f.startswith("index-")]) == manifest["shards"]
    assert "示例" in manifest["stop"]  # in every name: dropped, it would only weigh every shard down
    queries = ["少年宫", "tsg", "博物馆 0007", "体育", "示例", "zhoumo"]
    answers = _node(files, tmp_path, queries)
    for query in queries:
        assert answers[query] == list(search.answer(files, query)), query
    assert search.search(files, "少年宫")[:3] and all(int(i[-4:]) % 4 == 1 for i in search.search(files, "少年宫")[:40])


def test_a_query_loads_only_its_shards():
    many = [row(id=f"example-{n:04d}", name=f"示例{n:04d}号{('图书馆', '少年宫')[n % 2]}", lat="", lon="") for n in range(400)]
    files = search.build(_entries(*many))
    manifest = json.loads(files["manifest.json"])
    terms = search.query_terms("少年宫", frozenset(manifest["stop"]))
    needed = {search.token_shard(t["term"], manifest["shards"]) for t in terms}
    assert len(needed) <= 2 < manifest["shards"]


def test_building_the_shards_in_passes_changes_no_byte(monkeypatch):
    entries = _entries(*[row(id=f"example-{n:04d}", name=f"示例场馆{n:04d}", address=f"九龙坡区示例路{n}号", lat="", lon="") for n in range(260)])
    whole = search.build(entries)
    shards = json.loads(whole["manifest.json"])["shards"]
    monkeypatch.setattr(search, "SHARDS_PER_PASS", 1)  # one pass over the tokens per shard
    assert shards == 6
    assert search.build(entries) == whole


def test_a_single_character_that_is_a_stop_token_still_finds_its_resources(tmp_path):
    # 馆 is in most names: as a stop token it weighs no shard down, and has a list of its own.
    rows = [row(id=f"example-{n:04d}", name=f"示例{n:04d}号" + ("博物馆" if n % 4 else "宫"), category="nature", lat="", lon="") for n in range(40)]
    rows.append(row(id="example-zz", name="示例馆", category="nature"))
    files = search.build(_entries(*rows))
    manifest = json.loads(files["manifest.json"])
    assert "馆" in manifest["stop"] and "馆" in manifest["single"] and "宫" not in manifest["stop"]
    found = search.search(files, "馆")
    assert found[0] == "example-zz" and len(found) == 31  # the shortest name first; every 博物馆
    assert len(search.search(files, "宫")) == 10
    answers = _node(files, tmp_path, ["馆", "宫", "示", "博物馆"])
    for query, got in answers.items():
        assert got == list(search.answer(files, query)), query


def test_facets_carry_the_pinyin_name_rank_and_points_come_apart():
    from atlas.collate import name_key

    rows = [row(id="example-a", name="示例中心", lat="29.5", lon="106.5"), row(id="example-b", name="示例艾草园", lat="", lon=""),
            row(id="example-c", name="示例博物馆", lat="29.51", lon="106.51", coord_system="gcj02", phone="023-68781234")]
    files = search.build(_entries(*rows))
    facets, points = json.loads(files["facets.json"]), json.loads(files["points.json"])
    ids = sorted(r["id"] for r in rows)  # refs are positions in id order
    ranks = {i: facets[n][-1] for n, i in enumerate(ids)}
    assert sorted(ids, key=ranks.get) == [r["id"] for r in sorted(rows, key=lambda r: name_key(r["name"]))]
    assert points[1] == 0  # no coordinates yet: still listed, after the others
    assert points[0] == [29.5, 106.5] and points[2] != [29.51, 106.51]  # WGS-84, as the phone reports
    cards = {c["id"]: c for name, body in files.items() if name.startswith("cards-") for c in json.loads(body).values()}
    assert cards["example-c"]["pd"] == "023-68781234" and cards["example-c"]["t"] == "tel:+862368781234"
    assert "pd" not in cards["example-a"] and "st" not in cards["example-a"]  # only what a card shows


@cache
def fictional() -> tuple[dict[str, str], list[dict[str, str]]]:
    """The benchmark's fictional atlas of 300 (scripts/bench.py), indexed with the shipped synonyms."""
    with script("bench_search") as bench_search:
        data, _, rows = bench_search.bench.generate(300, today=TODAY)
        entries = bench_search.entries_from_csv(data, TODAY)
    return search.build(entries, forgive.load_synonyms(ROOT / "data" / "synonyms.yml")), rows


def test_the_hard_query_set_finds_what_people_mean(capsys):
    files, rows = fictional()
    with script("search_queries") as queries:
        assert len(queries.HARD) >= 40
        figures = queries.grade({q: search.search(files, q) for q, _, _ in queries.HARD}, rows)
    with capsys.disabled():
        print(f"\nhard queries on fictional data: {figures['n']} queries, hits@5 = {figures['hits5']:.3f}, "
              f"MRR = {figures['mrr']:.3f}, zero-result rate = {figures['zero']:.3f}, missed: {figures['misses']}")
    assert figures["hits5"] >= 0.95 and figures["zero"] == 0


def test_the_plain_query_set_finds_everything_first(capsys):
    files, rows = fictional()
    with script("search_queries") as queries:
        figures = queries.grade({q: search.search(files, q) for q, _, _ in queries.PLAIN}, rows, queries.PLAIN)
    with capsys.disabled():
        print(f"\nplain queries on fictional data: {figures['n']} queries, hits@5 = {figures['hits5']:.3f}, MRR = {figures['mrr']:.3f}")
    assert figures["n"] >= 20 and figures["hits5"] == 1.0 and figures["zero"] == 0


def test_lunr_js_in_node_answers_the_hard_set_as_python(tmp_path):
    files, _ = fictional()
    with script("search_queries") as queries:
        texts = [q for q, _, _ in queries.HARD + queries.PLAIN]
    answers = _node(files, tmp_path, texts)
    for query in texts:
        ids, partial = search.answer(files, query)
        assert answers[query][0][:5] == ids[:5] and answers[query][1] == partial, query


def test_partial_matches_are_ranked_by_how_much_matched_and_flagged():
    files = shipped_files()
    ids, partial = search.answer(files, "火星探测基地")
    assert partial and ids  # never a blank page
    assert search.answer(files, "九龙坡区图书馆") == (search.search(files, "九龙坡区图书馆"), False)
    assert search.answer(files, NO_MATCH) == ([], False)
