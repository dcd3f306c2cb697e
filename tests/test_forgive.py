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
    assert forgive.forgive("图书管", pairs, questions, sounds={"管": "馆"}) == "图书馆"
    assert forgive.forgive("看展", pairs, questions) == "博物馆 美术馆"  # the synonym before the question word 看


def test_homophones_mend_only_characters_the_atlas_lacks():
    sounds = forgive.homophones(["示例图书馆0001", "示例植物园0002", "示例托管班0003"], "示例图书馆植物园托管班")
    assert sounds["官"] == "馆" and sounds["圆"] == "园"
    assert "管" not in sounds  # 托管 is a word of this atlas


def test_the_shipped_synonyms_are_valid_and_each_leads_to_resources():
    from atlas import search

    from .test_search import fictional, shipped_files

    synonyms = forgive.load_synonyms(SYNONYMS)
    assert len(synonyms.pairs) >= 40 and "哪里" in synonyms.questions
    atlases = [shipped_files(), fictional()[0]]  # the shipped rows, and the fictional atlas with every category
    lost = [target for target in sorted({atlas for _, atlas in synonyms.pairs})
            if not any(search.answer(files, target)[0] and not search.answer(files, target)[1] for files in atlases)]
    assert lost == []


@pytest.mark.parametrize("text,message", [
    ("synonyms:\n  - {typed: [图书室], atlas: ''}\n", "synonyms 第 1 条：atlas 为空"),
    ("synonyms:\n  - {typed: [图书馆], atlas: 图书馆}\n", "“图书馆”与 atlas 相同"),
    ("synonyms:\n  - {typed: [书屋], atlas: 图书馆}\n  - {typed: [书屋], atlas: 阅读空间}\n", "synonyms 第 2 条：“书屋”已在前面对应“图书馆”"),
    ("synonyms:\n  - 图书室\n", "synonyms 第 1 条：应写成"),
    ("synonyms: []\nquestions: [哪里, '']\n", "questions 第 2 条：空词"),
    ("synonyms:\n  - {typed: [附近], atlas: 周边}\nquestions: [附近]\n", "“附近”也是 synonyms 里的词"),
    ("words: []\n", "应只有两项"),
    ("synonyms: [\n", "不是有效的 YAML"),
])
def test_bad_synonyms_are_reported_by_entry(tmp_path, text, message):
    path = tmp_path / "synonyms.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(forgive.SynonymsError, match=message):
        forgive.load_synonyms(path)


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
    with pytest.raises(PluginError, match="(?s)搜索同义词表有错误.*synonyms.yml synonyms 第 1 条：atlas 为空"):
        config.plugins["atlas"].on_config(config)


def test_the_browser_folds_and_forgives_as_python():
    synonyms = forgive.load_synonyms(SYNONYMS)
    pairs, questions, table = dict(synonyms.pairs), list(synonyms.questions), forgive.table()
    sounds = {"管": "馆", "圆": "园", "官": "馆"}
    script = """
const core = require(process.argv[1]), [texts, pairs, questions, table, sounds, variants] = JSON.parse(process.argv[2]);
process.stdout.write(JSON.stringify(texts.map((t) => [core.fold(t, variants), core.fold(t, table), core.forgive(t, pairs, questions, table, sounds)])));
"""
    args = json.dumps([TEXTS, pairs, questions, table, sounds, forgive.variants()], ensure_ascii=False)
    done = subprocess.run(["node", "-e", script, str(ROOT / "docs/assets/atlas-search-core.js"), args], capture_output=True, text=True, check=True)
    for text, (plain, folded, forgiven) in zip(TEXTS, json.loads(done.stdout)):
        assert plain == forgive.fold(text, forgive.variants()), text
        assert folded == forgive.fold(text, table), text
        assert forgiven == forgive.forgive(text, pairs, questions, table, sounds), text
