"""Every broken CSV in tests/data/broken is reported with the right row and column, never a crash.

The files are what editors really produce (Excel/WPS encodings, ragged rows, bad quotes,
phone numbers mangled by a spreadsheet …); ``expected.yml`` says, per file, the exit code
and the findings an editor must be told. Entries marked ``bug:`` describe what is right but
not yet done: those checks xfail strictly until the bug is fixed.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from atlas.cli import main
from atlas.findings import label

BROKEN = Path(__file__).parent / "data" / "broken"
EXPECTED: dict[str, dict] = yaml.safe_load((BROKEN / "expected.yml").read_text("utf-8"))
FILES = sorted(path.name for path in BROKEN.glob("*.csv"))
OPTIONS = ["--today", "2026-11-29", "--routes", "/nonexistent", "--geocache", "/nonexistent"]
WHOLE_FILE = {"encoding.utf16", "encoding.unknown", "encoding.gb18030", "csv.empty"}
KEYS = ("code", "row", "column")


@functools.cache
def run(name: str, output: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(main, ["validate", str(BROKEN / name), "--format", output, *OPTIONS])
    return result.exit_code, result.output, result.exception


def findings(name: str) -> list[dict]:
    return json.loads(run(name, "json")[1])["findings"]


def matches(finding: dict, expected: dict) -> bool:
    return all(finding.get(key) == expected[key] for key in KEYS if key in expected)


def show(expected: dict) -> str:
    return "{" + ", ".join(f"{key}: {expected[key]}" for key in KEYS if key in expected) + "}"


def with_rows_xfail(names: list[str]) -> list:
    params = []
    for name in names:
        reason = (EXPECTED.get(name) or {}).get("xfail", {}).get("rows")
        params.append(pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason)) if reason else name)
    return params


def test_the_folder_has_enough_files_and_each_has_an_expectation():
    assert len(FILES) >= 30
    assert sorted(set(FILES) - set(EXPECTED)) == [], "files without an expectation in expected.yml"
    assert sorted(set(EXPECTED) - set(FILES)) == [], "expectations for files that do not exist"
    for name, expected in EXPECTED.items():
        assert expected["exit"] in (0, 1), name
        for entry in expected.get("findings", []) + expected.get("absent", []):
            assert "code" in entry and set(entry) <= {*KEYS, "bug"}, (name, entry)


@pytest.mark.parametrize("name", FILES)
def test_exit_code_and_json(name):
    code, output, exception = run(name, "json")
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert "Traceback" not in output
    report = json.loads(output)
    assert code == EXPECTED[name]["exit"], output
    assert report["ok"] == (code == 0)
    assert report["errors"] == sum(f["severity"] == "error" for f in report["findings"])


@pytest.mark.parametrize("name", FILES)
def test_expected_findings(name):
    expected = EXPECTED[name]
    found = findings(name)
    listing = "\n".join(f"  {f['severity']} {f['code']} row={f['row']} column={f['column']}: {f['message']}" for f in found)

    wanted = [e for e in expected.get("findings", []) if "bug" not in e]
    missing = [show(e) for e in wanted if not any(matches(f, e) for f in found)]
    assert not missing, f"missing {missing}; the validator reported:\n{listing}"

    forbidden = [e for e in expected.get("absent", []) if "bug" not in e]
    present = [show(e) for e in forbidden if any(matches(f, e) for f in found)]
    assert not present, f"must not be reported: {present}; the validator reported:\n{listing}"

    # A file shows one fault (or a listed set of them): no other errors may appear.
    known = expected.get("findings", []) + [e for e in expected.get("absent", []) if "bug" in e]
    stray = [
        f"{f['code']} row={f['row']} column={f['column']}"
        for f in found
        if f["severity"] == "error" and not any(matches(f, e) for e in known)
    ]
    assert not stray, f"unexpected errors {stray}; the validator reported:\n{listing}"

    bugs = [e for e in expected.get("findings", []) if "bug" in e and not any(matches(f, e) for f in found)]
    bugs += [e for e in expected.get("absent", []) if "bug" in e and any(matches(f, e) for f in found)]
    if bugs:
        pytest.xfail("; ".join(dict.fromkeys(" ".join(e["bug"].split()) for e in bugs)))
    fixed = [show(e) for e in expected.get("findings", []) + expected.get("absent", []) if "bug" in e]
    assert not fixed, f"fixed (XPASS): remove the `bug:` key of {fixed} in expected.yml"


@pytest.mark.parametrize("name", with_rows_xfail(FILES))
def test_every_error_has_a_row_unless_it_is_about_the_whole_file(name):
    unlocated = [
        f"{f['code']}: {f['message']}"
        for f in findings(name)
        if f["severity"] == "error" and f["row"] is None and f["code"] not in WHOLE_FILE
    ]
    assert not unlocated


@pytest.mark.parametrize("name", FILES)
def test_text_report_names_the_rows_and_columns(name):
    code, text, exception = run(name, "text")
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert "Traceback" not in text
    assert code == EXPECTED[name]["exit"]
    for expected in EXPECTED[name].get("findings", []):
        if "bug" in expected:
            continue
        if expected.get("row"):
            assert f"第 {expected['row']} 行" in text, (show(expected), text)
        elif "row" in expected:
            assert "整个文件" in text, (show(expected), text)
        if expected.get("column"):
            assert f"【{label(expected['column'])}】" in text, (show(expected), text)


def atlas_process(name: str, *, encoding: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONIOENCODING": encoding}
    command = [sys.executable, "-c", "from atlas.cli import main; main()", "validate", str(BROKEN / name), *OPTIONS]
    return subprocess.run(command, capture_output=True, env=env, timeout=60, check=False)


@pytest.mark.parametrize(("name", "row"), [("enc_gb18030.csv", None), ("csv_unclosed_quote.csv", 3)])
def test_a_real_process_prints_no_traceback(name, row):
    done = atlas_process(name, encoding="utf-8")
    stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in stdout + stderr
    assert stderr == ""
    assert done.returncode == EXPECTED[name]["exit"]
    assert "共 " in stdout
    if row:
        assert f"第 {row} 行" in stdout


def test_the_text_report_survives_a_gbk_console():
    done = atlas_process("phone_garbage.csv", encoding="gbk")
    assert "Traceback" not in done.stderr.decode("gbk", "replace")
    assert "第 2 行" in done.stdout.decode("gbk")
    assert done.returncode == 1
