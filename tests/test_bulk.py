"""The search index and QR codes written beside the pages, by child processes for large atlases."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas import bulk

from .test_search import _entries
from .conftest import row


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _job(site: Path, entries, background: bool, monkeypatch):
    monkeypatch.setattr(bulk, "BACKGROUND_FROM", 0 if background else 10**9)
    qr = [(f"r/{e.r.id}/qr.svg", f"https://example.org/r/{e.r.id}/", e.r.name) for e in entries]
    jobs = [bulk.Job("search", str(site), entries), bulk.Job("qr", str(site), qr)]
    assert all((job.process is not None) == background for job in jobs)
    for job in jobs:
        job.wait()
    return _files(site)


def test_a_child_process_writes_the_same_bytes(tmp_path, monkeypatch):
    entries = _entries(row(id="example-a", name="示例图书馆0001"), row(id="example-b", name="示例科技馆0002", category="science"))
    here = _job(tmp_path / "here", entries, background=False, monkeypatch=monkeypatch)
    there = _job(tmp_path / "there", entries, background=True, monkeypatch=monkeypatch)
    assert there == here
    assert {"search/manifest.json", "r/example-a/qr.svg", "r/example-b/qr.svg"} <= set(here)
    assert "示例图书馆0001" in here["r/example-a/qr.svg"].decode("utf-8")  # the SVG's title


def test_a_failing_writer_fails_the_build_with_its_reason(tmp_path, monkeypatch):
    blocked = tmp_path / "site"
    blocked.write_text("a file where the site folder should be")
    monkeypatch.setattr(bulk, "BACKGROUND_FROM", 0)
    job = bulk.Job("search", str(blocked), _entries(row(id="example-a", name="示例图书馆0001")))
    with pytest.raises(RuntimeError, match=r"(NotADirectory|FileExists)Error"):
        job.wait()
