"""Fuzzing `atlas validate` and `atlas geocode`: whatever an editor commits, they report and
exit 0 or 1.

They never crash, never exit 2 (click's usage error), never print a traceback, a raw control
or bidi character, or a secret. Inputs are random bytes, random text after a valid header,
random edits of a valid file, random values in one cell of a valid row (controls, bidi,
spreadsheet formulas and long cells among them), and random or hand-broken geocode caches.
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

from atlas import geocache
from atlas.cli import main
from atlas.formulas import formula_start
from atlas.plaintext import hidden
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
    # controls, bidi and invisible characters; spreadsheet formulas; tags and a lone "<"
    "\x1b[8m", "\x1b]0;x\x07", "\u202e", "\u2066", "\u2069", "\u2029", "\u200b", "\u200d", "\x85", "\x9b", "\x7f", "\xad",
    "=HYPERLINK(\"https://evil.example\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "=DDE(\"cmd\")", "\t=", "\r+",
    "<b>", "</p>", "<!--", "PM2.5<35", "<<红岩>>", " < ",
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
    assert "Traceback" not in result.output and "意外错误" not in result.output
    assert not hidden(result.output, "\n"), "a raw control or bidi character reached the terminal"
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


# --- the classes issue 12 added: formulas, long cells, broken caches, secrets ---------------------

TEXT_COLUMNS = ["name", "tags", "address", "booking", "wechat", "hours_note", "fee_note", "description", "source"]
FORMULA = st.tuples(st.sampled_from(["", " ", "\t", "\r", "\u3000"]), st.sampled_from("=+-@"), JUNK).map("".join)


def errors_in(report: dict, row: int) -> list[dict]:
    return [f for f in report["findings"] if f["severity"] == "error" and f["row"] == row]


@FUZZ
@given(column=st.sampled_from(TEXT_COLUMNS), value=FORMULA)
def test_a_formula_in_any_text_column_is_an_error_on_its_row_and_column(workdir, column, value):
    data = table(KEYS, VALID, VALID | {"id": "sample-0002", "name": "示例场馆0002", column: value}).encode("utf-8")
    report = validate(workdir / "formula.csv", data, "json")
    assert formula_start(value) and any(f["column"] == column for f in errors_in(report, 3)), report


@FUZZ
@given(column=st.sampled_from(KEYS), length=st.integers(min_value=1, max_value=140_000), fill=st.sampled_from(["示", "a", "1", ";", "<"]))
def test_a_cell_longer_than_its_column_allows_is_an_error_on_its_row(workdir, column, length, fill):
    limit = next(c.max_chars for c in columns() if c.key == column)
    value = "示例" + fill * length
    data = table(KEYS, VALID, VALID | {"id": "sample-0002", "name": "示例场馆0002", column: value}).encode("utf-8")
    report = validate(workdir / "long.csv", data, "json")
    if len(value) > limit:
        assert errors_in(report, 3), report


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["lat", "lon", "status", "note", "x"]) | st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)
ENTRY_KEY = geocache.normalise_address(VALID["address"])
CACHES = st.one_of(
    JSON.map(lambda v: json.dumps(v, allow_nan=True)),  # anything at all
    JSON.map(lambda v: json.dumps({"version": 1, "entries": {ENTRY_KEY: v}}, allow_nan=True)),  # one odd entry
    st.dictionaries(st.text(max_size=6), JSON, max_size=3).map(lambda e: json.dumps({"version": 1, "entries": e, "note": "x"})),
    st.tuples(st.integers(min_value=0, max_value=200), st.sampled_from(['"', ",", "}", "{", "\\", ":", "null", "\ufeff", "\x1b"])).map(
        lambda edit: (lambda text: text[: edit[0]] + edit[1] + text[edit[0] :])(geocache.dumps({ENTRY_KEY: {"lat": 29.5, "lon": 106.5}}))
    ),
)
NO_COORDINATES = table(KEYS, VALID | {"lat": "", "lon": ""}).encode("utf-8")


@FUZZ
@given(cache=CACHES, output=st.sampled_from(["json", "text"]))
def test_any_geocode_cache_is_reported_never_crashes(workdir, cache, output):
    (workdir / "geocache.json").write_text(cache, "utf-8")
    path = workdir / "nocoords.csv"
    path.write_bytes(NO_COORDINATES)
    for args in (
        ["validate", str(path), "--format", output, "--today", "2026-11-29", "--routes", "/nonexistent", "--geocache", str(workdir / "geocache.json")],
        ["geocode", str(path), "--cache", str(workdir / "geocache.json"), "--dry-run", "--prune"],
    ):
        result = CliRunner().invoke(main, args, env={"CI": "1"})
        assert result.exit_code in (0, 1) and result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output and "意外错误" not in result.output, result.output
        assert not hidden(result.output, "\n")
    assert (workdir / "geocache.json").read_text("utf-8") == cache  # a dry run writes nothing


SECRET = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/+=", min_size=8, max_size=32).filter(lambda s: s.strip("-_/+="))


@FUZZ
@given(key=SECRET, words=st.lists(st.sampled_from(["url:", "key=", "ak=", "sn=", "&", "?", " ", "(", ")", "'", '"', "\n", "Caused by"]), max_size=6))
def test_no_failure_message_prints_the_key(workdir, key, words):
    """Whatever geopy or the HTTP library says, with the key in it as typed or percent-encoded."""
    from urllib.parse import quote

    import geopy.adapters
    import geopy.geocoders
    from geopy.exc import GeocoderServiceError

    def adapter(*, proxies, ssl_context):
        class Failing(geopy.adapters.BaseSyncAdapter):
            def get_json(self, url, *, timeout, headers):
                raise GeocoderServiceError(" ".join(words) + f" {url} key={key} {quote(key, safe='')} " + " ".join(reversed(words)))

            def get_text(self, url, *, timeout, headers):
                raise AssertionError

        return Failing(proxies=proxies, ssl_context=ssl_context)

    path = workdir / "nocoords.csv"
    path.write_bytes(NO_COORDINATES)
    before = geopy.geocoders.options.default_adapter_factory
    geopy.geocoders.options.default_adapter_factory = adapter
    try:
        for provider, variable in (("amap", "AMAP_KEY"), ("baidu", "BAIDU_AK")):
            args = ["geocode", str(path), "--cache", str(workdir / "secret-cache.json"), "--provider", provider, "--delay", "0"]
            result = CliRunner().invoke(main, args, env={"CI": "1", variable: key, "BAIDU_SK": key[::-1]})
            assert result.exit_code == 1 and "× 失败" in result.output, result.output
            for secret in (key, quote(key, safe=""), key[::-1] if provider == "baidu" else key):
                assert secret not in result.output, result.output
            assert "Traceback" not in result.output
    finally:
        geopy.geocoders.options.default_adapter_factory = before
