"""Fuzzing `atlas validate`: whatever bytes an editor commits, it reports and exits 0 or 1.

It never crashes, never exits 2 (click's usage error) and never prints a traceback. Inputs
are random bytes, random text after a valid header, random edits of a valid file, and
random values in one cell of a valid row.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.cli import main
from atlas.schema import columns

KEYS = [c.key for c in columns()]
LABELS = [c.label for c in columns()]
VALID = {
    "id": "sample-0001", "name": "示例图书馆0001", "category": "library", "street": "杨家坪街道",
    "address": "重庆市九龙坡区示例路1号", "lat": "29.5085", "lon": "106.5110", "phone": "023-68781234;12345",
    "booking_url": "https://www.example.gov.cn/yuyue", "opening_hours": "Tu-Su 09:00-17:00; PH off",
    "stages": "小学高段;初中", "capacity": "50", "description": "示例图书馆是一处虚构的示例。",
    "department": "区文化旅游委", "verified_on": "2026-05-01",
}
OPTIONS = ["--today", "2026-11-29", "--routes", "/nonexistent", "--geocache", "/nonexistent"]

FUZZ = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# What breaks CSV and the cell parsers: separators, quotes, line breaks (also U+2028 and
# U+0085), BOMs, full-width punctuation, control characters, digits and Chinese words.
SPECIAL = list(',,,"""\n\r\r\n;；，“”\t \u3000\ufeff\u2028\u0085\x00\x0b') + [
    "示例", "图书馆", "杨家坪街道", "区文化旅游委", "library", "图书馆·阅读空间",
    "023-68781234", "2368781234",
    "2.36878E+09", "11010519491231002X", "13800138000", "https://", "http://", "<script>", "Tu-Su 09:00-17:00",
    "29.5085", "106.5110", "1e999", "nan", "-", "#", "转", "2026-05-01", "2030-01-01", "0", "99999999999999999999",
]
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
FRAGMENTS = st.one_of(st.sampled_from(SPECIAL), TEXT)
JUNK = st.lists(FRAGMENTS, max_size=40).map("".join)


def table(header: list[str], *rows: dict[str, str]) -> str:
    out = io.StringIO()
    # CRLF, as Excel writes it; with "\n" the csv module would leave a lone "\r" unquoted.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in KEYS])
    return out.getvalue()


VALID_FILE = table(KEYS, VALID, VALID | {"id": "sample-0002", "name": "示例场馆0002", "stages": "初中"}).encode("utf-8")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def validate(path: Path, data: bytes, output: str) -> dict | None:
    """Run the CLI on ``data``; check it neither crashed nor printed a traceback."""
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["validate", str(path), "--format", output, *OPTIONS])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if output == "json":
        report = json.loads(result.output)
        assert report["ok"] == (result.exit_code == 0)
        return report
    assert "共 " in result.output  # the summary line is always printed
    return None


def test_the_valid_file_is_valid(workdir):
    report = validate(workdir / "valid.csv", VALID_FILE, "json")
    assert report["errors"] == 0, report


@FUZZ
@given(data=st.binary(max_size=2000), output=st.sampled_from(["json", "text"]))
def test_random_bytes(workdir, data, output):
    validate(workdir / "bytes.csv", data, output)


@FUZZ
@given(
    header=st.sampled_from([KEYS, LABELS]),
    junk=JUNK,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    output=st.sampled_from(["json", "text"]),
)
def test_random_text_after_a_valid_header(workdir, header, junk, encoding, output):
    data = (",".join(header) + "\n" + junk).encode(encoding, "replace")
    validate(workdir / "text.csv", data, output)


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "insert"]),
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=1, max_value=8),
        st.sampled_from([s.encode("utf-8") for s in SPECIAL] + [b"\xff", b"\xe7", b"\x81\x30"]),
    ),
    min_size=1,
    max_size=8,
)


@FUZZ
@given(edits=EDITS, output=st.sampled_from(["json", "text"]))
def test_random_edits_of_a_valid_file(workdir, edits, output):
    data = bytearray(VALID_FILE)
    for operation, position, length, insert in edits:
        at = position % (len(data) + 1)
        if operation == "delete":
            del data[at : at + length]
        elif operation == "duplicate":
            data[at:at] = data[at : at + length]
        else:
            data[at:at] = insert
    validate(workdir / "edited.csv", bytes(data), output)


@FUZZ
@given(column=st.sampled_from(KEYS), value=JUNK, output=st.sampled_from(["json", "text"]))
def test_any_value_in_one_cell_is_reported_on_that_row(workdir, column, value, output):
    data = table(KEYS, VALID, VALID | {"id": "sample-0002", "name": "示例场馆0002", column: value}).encode("utf-8")
    report = validate(workdir / "cell.csv", data, output)
    if report is not None:
        # The file is well-formed CSV and only row 3 changed: every error belongs to row 3.
        misplaced = [f for f in report["findings"] if f["severity"] == "error" and f["row"] != 3]
        assert not misplaced, misplaced
