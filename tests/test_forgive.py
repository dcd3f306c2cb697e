"""What search forgives (atlas/forgive.py), the same in Python and in the browser's core."""

from __future__ import annotations

import json
import subprocess

import pytest

from atlas import forgive
from atlas.taxonomy import taxonomy

from .sites import ROOT

SYNONYMS = ROOT / "data" / "synonyms.yml"
TEXTS = ["體育館", "ＴＳＧ 圖書館", "黄角坪", "黄桷坪", "謝家灣", "附近有没有能打篮球的地方", "周末带孩子去哪里看展览",
         "图书管", "植物圆", "川美", "暑托班 西彭", "Ａｂｃ１２３", "红色教育基地", "看展览"]


def test_fold_meets_in_the_middle():
    assert forgive.fold("體育館") == forgive.fold("体育馆") == "体育馆"
    assert forgive.fold("ＴＳＧ　５０１") == "tsg 501"  # full width and case
    assert forgive.fold("黄桷坪") == forgive.fold("黄角坪") == forgive.fold("黃桷坪")
    assert forgive.fold("谢家湾") == forgive.fold("谢家弯") == forgive.fold("謝家灣")


def test_folding_twice_changes_nothing():
    table = forgive.table()
    sample = "".join(table) + "".join(table.values())
    assert forgive.fold(forgive.fold(sample)) == forgive.fold(sample)


def test_every_variant_pair_belongs_to_a_place_name():
    places = "".join(s.name for s in taxonomy().streets) + (ROOT / "data" / "resources.csv").read_text("utf-8")
    assert [pair for pair in forgive.variants().items() if not set(pair) & set(places)] == []


def test_forgive_drops_questions_and_speaks_the_atlas_words():
    synonyms = forgive.load_synonyms(SYNONYMS)
    pairs, questions = dict(synonyms.pairs), list(synonyms.questions)
    assert forgive.forgive("附近有没有能打篮球的地方", pairs, questions) == "体育"
    assert forgive.forgive("川美", pairs, questions) == "四川美术学院"
    assert forgive.forgive("图书管", pairs, questions) == "图书管"  # sounds are the index's business (search.sound_terms)
    assert forgive.forgive("看展", pairs, questions) == "博物馆 美术馆"  # the synonym before the question word 看


def test_sounds_group_the_index_bigrams_by_pinyin_and_read_common_characters():
    sounds = forgive.sounds({"书馆", "托管", "物园", "重庆", "示例"})
    assert sounds["homophones"] == {"chong'qing": ["重庆"], "shi'li": ["示例"], "shu'guan": ["书馆"], "tuo'guan": ["托管"], "wu'yuan": ["物园"]}
    readings = forgive.readings(sounds["pinyin"])
    assert readings["管"] == readings["官"] == readings["馆"] == "guan" and readings["圆"] == "yuan"  # typos, common characters
    assert forgive.sound_key("书管", readings) == forgive.sound_key("书官", readings) == "shu'guan"
    assert forgive.sound_key("动物", readings) is None  # 动 (dong) is no syllable of this index: nothing to find
    assert "dong" not in sounds["pinyin"] and "㐀" not in readings  # rare characters are not shipped
    assert all(len(chars) == len(set(chars)) for chars in sounds["pinyin"].values())


def test_a_homophone_typo_finds_the_venue_as_a_weaker_match_and_exact_matches_rank_above(tmp_path):
    from atlas import search

    from .conftest import row
    from .test_search import _entries, _node

    files = search.build(_entries(
        row(id="example-pool", name="示例游泳馆", category="sports"),
        row(id="example-care", name="示例托管班", category="holiday_care"),  # 管 is a word here: no 管 -> 馆 table
        row(id="example-kj", name="示例科技馆", category="science"),
        row(id="example-kjgl", name="示例科技管理站", category="science"),
    ))
    assert search.answer(files, "游泳管") == (["example-pool"], False)  # found, complete: no "部分匹配"
    assert search.answer(files, "游泳馆") == (["example-pool"], False)
    assert search.search(files, "托管") == ["example-care"]  # the real word is untouched
    assert search.search(files, "科技管")[:2] == ["example-kjgl", "example-kj"]  # the exact match above the homophone
    kind = json.loads(files["sounds.json"])
    readings = forgive.readings(kind["pinyin"])
    unknown = [{"term": "泳管", "wildcard": False, "edit": 0, "boost": 1, "unit": "泳管"}]
    assert search.sound_terms(unknown, set(), kind, frozenset()) == [{"term": "泳馆", "wildcard": False, "edit": 0, "boost": search.SOUND_BOOST, "unit": "泳管"}]
    assert search.SOUND_BOOST < 1 and readings["管"] == "guan"
    assert search.sound_terms(unknown, {"泳管"}, kind, frozenset()) == []  # a bigram the index has is only itself
    assert search.answer(files, "游泳㐀") == (["example-pool"], True)  # 㐀 has no reading here: a partial answer, no error
    assert "sounds.json" in search.trace(files, "游泳管")[2]  # fetched only when a bigram is in no index after forgiving
    assert "sounds.json" not in search.trace(files, "游泳馆")[2] and "sounds.json" not in search.trace(files, "遊泳館")[2]
    queries = ["游泳管", "游泳馆", "托管", "科技管", "科技官", "游泳㐀", "遊泳館"]
    assert _node(files, tmp_path, queries) == {q: list(search.answer(files, q)) for q in queries}  # lunr.js in Node alike


def test_the_shipped_synonyms_are_valid_and_each_leads_to_resources():
    from atlas import search

    from .test_search import fictional, shipped_files

    synonyms = forgive.load_synonyms(SYNONYMS)
    assert len(synonyms.pairs) >= 40 and "哪里" in synonyms.questions
    atlases = [shipped_files(), fictional()[0]]  # the shipped rows, and the fictional atlas with every category
    lost = [target for target in sorted({atlas for _, atlas in synonyms.pairs})
            if not any(search.answer(files, target)[0] and not search.answer(files, target)[1] for files in atlases)]
    assert lost == []


# (file text, finding code, the message the build and atlas validate print: line, entry, field)
BAD_SYNONYMS = [
    ("synonyms:\n  - {typed: [图书室], atlas: ''}\n", "synonyms.atlas_empty", "第 2 行 synonyms 第 1 条：atlas 为空"),
    ("synonyms:\n  - typed: [图书馆]\n    atlas: 图书馆\n", "synonyms.same", "第 2 行 synonyms 第 1 条：typed 里的“图书馆”与 atlas 相同"),
    ("synonyms:\n  - {typed: [书屋], atlas: 图书馆}\n  - {typed: [书屋], atlas: 阅读空间}\n", "synonyms.conflict", "第 3 行 synonyms 第 2 条：typed 里的“书屋”已在前面对应“图书馆”"),
    ("synonyms:\n  - {typed: [图书室, ''], atlas: 图书馆}\n", "synonyms.typed_empty", "第 2 行 synonyms 第 1 条：typed 中有空词"),
    ("synonyms:\n  - typed:\n      - 书屋\n      - ''\n    atlas: 图书馆\n", "synonyms.typed_empty", "第 4 行 synonyms 第 1 条：typed 中有空词"),  # the word's own line
    ("synonyms:\n  - 图书室\n", "synonyms.entry", "第 2 行 synonyms 第 1 条：应写成"),
    ("synonyms: []\nquestions:\n  - 哪里\n  - ''\n", "synonyms.question_empty", "第 4 行 questions 第 2 条：空词"),
    ("synonyms:\n  - {typed: [附近], atlas: 周边}\nquestions: [附近]\n", "synonyms.question_synonym", "第 3 行 questions 第 1 条：“附近”也是 synonyms 里的词"),
    ("synonyms: 图书馆\n", "synonyms.shape", "第 1 行 synonyms：应是一个列表"),
    ("words: []\n", "synonyms.shape", "应只有两项"),
    ("synonyms:\n  - {typed: [图书室], atlas: 图书馆\n", "synonyms.yaml", "第 3 行：不是有效的 YAML"),
]


@pytest.mark.parametrize("text,code,message", BAD_SYNONYMS, ids=[code + str(n) for n, (_, code, _) in enumerate(BAD_SYNONYMS)])
def test_bad_synonyms_are_reported_by_line_entry_and_field(tmp_path, text, code, message):
    path = tmp_path / "synonyms.yml"
    path.write_text(text, "utf-8")
    _, found = forgive.check_synonyms(path)
    assert [f.code for f in found] == [code] and found[0].message.startswith(message), found
    assert found[0].file == str(path) and found[0].hint and found[0].severity == "error"
    with pytest.raises(forgive.SynonymsError, match="^synonyms.yml " + message):
        forgive.load_synonyms(path)


def test_every_problem_of_a_synonyms_file_is_reported_at_once(tmp_path):
    path = tmp_path / "synonyms.yml"
    path.write_text("synonyms:\n  - {typed: [图书室], atlas: ''}\n  - 书屋\nquestions: ['']\n", "utf-8")
    synonyms, found = forgive.check_synonyms(path)
    assert [(f.code, f.line) for f in found] == [("synonyms.atlas_empty", 2), ("synonyms.entry", 3), ("synonyms.question_empty", 4)]
    assert forgive.check_synonyms(SYNONYMS)[1] == [] and forgive.check_synonyms(SYNONYMS)[0] == forgive.load_synonyms(SYNONYMS)


def test_a_bad_synonyms_file_stops_the_build_with_its_message(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    from .sites import make_project

    config_path = make_project(tmp_path)
    bad = tmp_path / "data" / "synonyms.yml"
    bad.write_text("synonyms:\n  - {typed: [图书室], atlas: ''}\n", "utf-8")
    text = config_path.read_text("utf-8").replace(str(SYNONYMS), str(bad))
    config_path.write_text(text, "utf-8")
    config = load_config(str(config_path))
    with pytest.raises(PluginError, match="(?s)搜索同义词表有错误.*synonyms.yml 第 2 行 synonyms 第 1 条：atlas 为空"):
        config.plugins["atlas"].on_config(config)


def test_the_browser_folds_and_forgives_as_python():
    synonyms = forgive.load_synonyms(SYNONYMS)
    pairs, questions, table = dict(synonyms.pairs), list(synonyms.questions), forgive.table()
    pinyin = forgive.sounds({"书馆", "物园", "技馆", "重庆"})["pinyin"]
    script = """
const core = require(process.argv[1]), [texts, pairs, questions, table, pinyin, variants] = JSON.parse(process.argv[2]);
const read = core.readings(pinyin);
process.stdout.write(JSON.stringify(texts.map((t) => [core.fold(t, variants), core.fold(t, table), core.forgive(t, pairs, questions, table),
  Array.from(t).slice(0, -1).map((c, i) => core.soundKey(c + Array.from(t)[i + 1], read))])));
"""
    args = json.dumps([TEXTS, pairs, questions, table, pinyin, forgive.variants()], ensure_ascii=False)
    done = subprocess.run(["node", "-e", script, str(ROOT / "docs/assets/atlas-search-core.js"), args], capture_output=True, text=True, check=True)
    readings = forgive.readings(pinyin)
    for text, (plain, folded, forgiven, keys) in zip(TEXTS, json.loads(done.stdout)):
        assert plain == forgive.fold(text, forgive.variants()), text
        assert folded == forgive.fold(text, table), text
        assert forgiven == forgive.forgive(text, pairs, questions, table), text
        assert keys == [forgive.sound_key(text[i : i + 2], readings) for i in range(len(text) - 1)], text
    assert any(key for *_, keys in json.loads(done.stdout) for key in keys)  # some pairs do sound out


def test_atlas_validate_checks_the_synonyms_as_the_build_does(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from atlas.cli import main

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "resources.csv").write_bytes((ROOT / "data" / "resources.csv").read_bytes())
    bad = "synonyms:\n  - {typed: [图书室], atlas: 图书馆}\n  - typed: [书屋, 图书室]\n    atlas: 阅读空间\nquestions: [哪里]\n"
    (tmp_path / "data" / "synonyms.yml").write_text(bad, "utf-8")
    monkeypatch.chdir(tmp_path)
    shipped = CliRunner().invoke(main, ["validate", "--today", "2026-06-01"])  # data/resources.csv: data/synonyms.yml is checked too
    assert shipped.exit_code == 1
    assert "data/synonyms.yml 整个文件\n  × 错误 第 3 行 synonyms 第 2 条：typed 里的“图书室”已在前面对应“图书馆”" in shipped.output
    with pytest.raises(forgive.SynonymsError) as build:
        forgive.load_synonyms(tmp_path / "data" / "synonyms.yml")
    assert str(build.value).startswith("synonyms.yml 第 3 行 synonyms 第 2 条：typed 里的“图书室”已在前面对应“图书馆”")  # the same words
    as_json = json.loads(CliRunner().invoke(main, ["validate", "--format", "json", "--today", "2026-06-01"]).output)
    assert [(f["file"], f["line"], f["code"]) for f in as_json["findings"] if f["file"].endswith("synonyms.yml")] == [("data/synonyms.yml", 3, "synonyms.conflict")]
    github = CliRunner().invoke(main, ["validate", "--format", "github", "--today", "2026-06-01"]).output
    assert "::error file=data/synonyms.yml,line=3," in github
    (tmp_path / "data" / "synonyms.yml").write_text(bad.replace("书屋, 图书室", "书屋"), "utf-8")
    assert CliRunner().invoke(main, ["validate", "--today", "2026-06-01"]).exit_code == 0
    other = CliRunner().invoke(main, ["validate", "data/resources.csv", "--synonyms", str(tmp_path / "none.yml"), "--today", "2026-06-01"])
    assert other.exit_code == 0  # a synonyms file that does not exist is skipped, as the build does
