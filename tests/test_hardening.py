"""Hostile and odd inputs to the `atlas` command line (issue 12): one clear line, never a
traceback, never a secret, never a raw control character."""

from __future__ import annotations

from click.testing import CliRunner

from atlas import cli
from atlas.cli import main

from .conftest import csv_bytes, row

OPTIONS = ["--today", "2026-11-29", "--routes", "/nonexistent", "--geocache", "/nonexistent"]


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_an_unexpected_error_is_one_line_without_secrets(tmp_path, monkeypatch):
    path = tmp_path / "resources.csv"
    path.write_bytes(csv_bytes(row()))

    def broken(*args, **kwargs):
        raise RuntimeError("boom at https://restapi.amap.com/v3/geocode/geo?key=sekrit-value-1&output=JSON")

    monkeypatch.setattr(cli, "validate_csv", broken)
    result = run("validate", str(path), *OPTIONS, env={"AMAP_KEY": "sekrit-value-1", "ATLAS_DEBUG": ""})
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "sekrit" not in result.output
    assert "意外错误：RuntimeError: boom" in result.output and "key=***" in result.output
    assert len(result.output.strip().splitlines()) == 1
