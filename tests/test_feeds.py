"""Atom feeds dated by git history and verified_on: parsed by feedparser, the same on every rebuild."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import feedparser
import pytest

from atlas import feeds, history
from atlas.history import ADDED, CHANGED, VERIFIED

from .conftest import csv_bytes, row
from .sites import ROWS
from .test_exports import entries_of

A = row(id="example-a", name="示例场馆0001", verified_on="")
B = row(id="example-b", name="示例场馆0002", verified_on="2026-01-05")
C = row(id="example-c", name="示例场馆0003", category="museum", verified_on="")


def git(repo: Path, *args: str, when: str = "2026-03-01T10:00:00+08:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "示例编辑", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "示例编辑", "GIT_COMMITTER_EMAIL": "editor@example.org", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, rows, when: str) -> None:
    (repo / "data").mkdir(exist_ok=True)
    (repo / "data" / "resources.csv").write_bytes(csv_bytes(*rows))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rows", when=when)


@pytest.fixture
def repo(tmp_path):
    """Three commits: A and B added; A's name changed and C added; B re-verified."""
    repo = tmp_path / "atlas"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, [A, B], "2026-01-10T09:00:00+08:00")
    commit(repo, [A | {"name": "示例场馆0001（新馆）"}, B, C], "2026-02-20T15:30:00+08:00")
    commit(repo, [A | {"name": "示例场馆0001（新馆）"}, B | {"verified_on": "2026-03-01", "source": "2026-03-01 电话核实"}, C], "2026-03-02T08:00:00+08:00")
    return repo


def kinds(found: history.History) -> dict[str, list[tuple[str, str]]]:
    return {rid: [(e.kind, e.when.isoformat()) for e in events] for rid, events in found.events.items()}


def test_events_come_from_the_commits_that_made_them(repo):
    found = history.csv_history(repo / "data" / "resources.csv")
    assert kinds(found) == {
        "example-a": [(ADDED, "2026-01-10T09:00:00+08:00"), (CHANGED, "2026-02-20T15:30:00+08:00")],
        "example-b": [(ADDED, "2026-01-10T09:00:00+08:00"), (VERIFIED, "2026-03-02T08:00:00+08:00")],
        "example-c": [(ADDED, "2026-02-20T15:30:00+08:00")],
    }
    assert found.last_commit.isoformat() == "2026-03-02T08:00:00+08:00"


def test_a_shallow_clone_dates_only_what_it_can_see(repo, tmp_path):
    # CI's default checkout: the oldest commit it has is a baseline, not "everything added today".
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True, capture_output=True)
    assert kinds(history.csv_history(clone / "data" / "resources.csv")) == {"example-b": [(VERIFIED, "2026-03-02T08:00:00+08:00")]}
    single = tmp_path / "single"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(single)], check=True, capture_output=True)
    found = history.csv_history(single / "data" / "resources.csv")
    assert found.events == {} and found.last_commit.isoformat() == "2026-03-02T08:00:00+08:00"


def test_outside_git_there_is_no_history(tmp_path):
    (tmp_path / "resources.csv").write_bytes(csv_bytes(A))
    assert history.csv_history(tmp_path / "resources.csv") == history.History({})


def parse(data: bytes):
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_feed_entries_follow_the_history(repo, tmp_path):
    found = history.csv_history(repo / "data" / "resources.csv")
    entries = entries_of([A | {"name": "示例场馆0001（新馆）"}, B | {"verified_on": "2026-03-01"}, C], tmp_path)
    parsed = parse(feeds.feed("示例", "data/feeds/all.atom", entries, found, "https://atlas.example.org/"))
    assert [e.title for e in parsed.entries] == ["重新核实：示例场馆0002", "信息更新：示例场馆0001（新馆）", "新增：示例场馆0003"]
    assert parsed.entries[0].updated == "2026-03-02T08:00:00+08:00" and parsed.entries[0].published == "2026-01-10T09:00:00+08:00"
    assert parsed.entries[0].link == "https://atlas.example.org/r/example-b/"
    assert parsed.feed.updated == "2026-03-02T08:00:00+08:00"


def test_without_history_entries_are_dated_by_verified_on_and_undated_rows_stay_out(tmp_path):
    entries = entries_of(ROWS, tmp_path)  # only example-museum (row default) and example-closed are verified
    parsed = parse(feeds.feed("示例", "data/feeds/all.atom", entries, None, ""))
    assert [(e.title, e.updated) for e in parsed.entries] == [
        ("重新核实：示例博物馆0001", "2026-05-01T00:00:00+08:00"),
        ('重新核实：示例图书馆0003 "A&B" \'x\'', "2024-01-01T00:00:00+08:00"),
    ]


def test_every_feed_parses_and_a_rebuild_gives_the_same_bytes(tmp_path):
    entries = entries_of(ROWS, tmp_path)
    first = feeds.files(entries, None, "https://atlas.example.org/")
    assert first == feeds.files(entries, None, "https://atlas.example.org/")
    by_name = {name: parse(data) for name, data, _ in first}
    assert len(by_name) == 1 + 15
    assert [e.title for e in by_name["museum.atom"].entries] == ["重新核实：示例博物馆0001"]
    assert by_name["family.atom"].entries == [] and by_name["family.atom"].feed.updated == feeds.NO_DATE.isoformat()


def test_category_pages_name_their_feed():
    assert feeds.page_feed("c/museum.md")["atom_feed"] == "data/feeds/museum.atom"
    assert feeds.page_feed("c/museum/2.md")["atom_feed"] == "data/feeds/museum.atom"
    assert feeds.page_feed("c/index.md") == feeds.page_feed("r/example-museum.md") == {}
