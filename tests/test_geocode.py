"""`atlas geocode` without network: geopy's adapter is replaced by one that answers canned JSON.

The canned answers in tests/data/geocode/ have the shape each provider really returns; the
fake adapter picks one by the address in the request URL, and fails the test on any query
it was not told about.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import geopy.geocoders
import pytest
from click.testing import CliRunner
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable

from atlas import coords, geocache
from atlas import geocode as geocoding
from atlas.cli import main
from atlas.district import load_bounds
from atlas.redact import redact
from atlas.validate import Settings, validate_csv

from .conftest import TODAY, csv_bytes, row

CANNED = Path(__file__).parent / "data" / "geocode"
ADDRESS = "重庆市九龙坡区示例路{}号"
KEYS = {"AMAP_KEY": "test-amap-key", "BAIDU_AK": "test-baidu-ak", "ATLAS_GEOCODE_CONTACT": "atlas@example.org", "CI": "1"}


def place(n: int, **cells: str) -> dict[str, str]:
    """A fictional row without coordinates at 重庆市九龙坡区示例路<n>号."""
    return row(id=f"example-{n:04d}", name=f"示例场馆{n:04d}", address=ADDRESS.format(n), lat="", lon="", verified_on="") | cells


class Service:
    """What the fake adapter answers (query -> canned file name or exception) and what it was asked."""

    def __init__(self):
        self.answers: dict[str, str | BaseException] = {}
        self.calls: list[tuple[str, dict, dict]] = []  # (query, all parameters, headers)

    def queries(self) -> list[str]:
        return [query for query, _, _ in self.calls]


class CannedAdapter(BaseSyncAdapter):
    def __init__(self, service: Service, *, proxies, ssl_context):
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.service = service

    def get_json(self, url, *, timeout, headers):
        params = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
        query = params.get("q") or params.get("address")
        self.service.calls.append((query, params, headers))
        if query not in self.service.answers:
            raise AssertionError(f"unexpected query: {query}")
        answer = self.service.answers[query]
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):  # an error that quotes the request, as geopy's adapters do
            raise answer(url)
        return json.loads((CANNED / answer).read_text("utf-8"))

    def get_text(self, url, *, timeout, headers):
        raise AssertionError("the geocoders ask for JSON only")


@pytest.fixture
def service(monkeypatch) -> Service:
    """Every geopy geocoder made during the test talks to the canned service, never the network."""
    fake = Service()
    monkeypatch.setattr(geopy.geocoders.options, "default_adapter_factory", partial(CannedAdapter, fake))
    return fake


class Clock:
    """A clock that moves only when something sleeps: rate limiting without waiting."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def project(tmp_path):
    """A CSV and a cache path; ``run`` invokes `atlas geocode` on them."""

    class Project:
        csv = tmp_path / "resources.csv"
        cache = tmp_path / "geocache.json"

        def write(self, *rows):
            self.csv.write_bytes(csv_bytes(*rows))

        def run(self, *args, env=KEYS, provider="amap"):
            options = ["geocode", str(self.csv), "--cache", str(self.cache), "--provider", provider]
            if provider != "nominatim" and "--delay" not in args:
                options += ["--delay", "0"]
            return CliRunner().invoke(main, [*options, *args], env=env)

        def entries(self) -> dict:
            return json.loads(self.cache.read_text("utf-8"))["entries"]

    return Project()


def key(n: int) -> str:
    return geocache.normalise_address(ADDRESS.format(n))


def entry(**fields) -> dict:
    base = {"lat": 29.5085, "lon": 106.511, "provider": "amap", "datum": "gcj02", "query": ADDRESS.format(1),
            "date": "2026-11-01", "status": "accepted", "note": "", "candidates": 1}
    return base | fields


# --- each provider's answer, in WGS-84 ---------------------------------------------------------


def test_amap_answer_in_gcj02_is_stored_in_wgs84(project, service):
    project.write(place(1))
    service.answers[ADDRESS.format(1)] = "amap-one.json"
    before = project.csv.read_bytes()
    result = project.run()
    assert result.exit_code == 0, result.output
    stored = project.entries()[key(1)]
    assert (stored["lat"], stored["lon"]) == tuple(round(v, 6) for v in coords.gcj02_to_wgs84(29.505734, 106.514814))
    assert coords.distance_m((stored["lat"], stored["lon"]), (29.5085, 106.5110)) < 1
    assert stored | {"lat": 0, "lon": 0} == {
        "lat": 0, "lon": 0, "provider": "amap", "datum": "gcj02", "query": ADDRESS.format(1),
        "date": dt.date.today().isoformat(), "status": "accepted", "note": "", "candidates": 1,
    }
    _, params, _ = service.calls[0]
    assert params["key"] == "test-amap-key" and params["city"] == "重庆"
    assert "√ 已采用" in result.output and "已采用 1，待确认 0" in result.output
    assert project.csv.read_bytes() == before  # the CSV is never rewritten
    assert "test-amap-key" not in project.cache.read_text("utf-8")


def test_baidu_answer_in_bd09_is_stored_in_wgs84(project, service):
    project.write(place(1))
    service.answers[ADDRESS.format(1)] = "baidu-one.json"
    result = project.run(provider="baidu")
    assert result.exit_code == 0, result.output
    stored = project.entries()[key(1)]
    assert (stored["lat"], stored["lon"]) == tuple(round(v, 6) for v in coords.bd09_to_wgs84(29.511503, 106.521364))
    assert coords.distance_m((stored["lat"], stored["lon"]), (29.5085, 106.5110)) < 1
    assert (stored["provider"], stored["datum"], stored["status"]) == ("baidu", "bd09", "accepted")
    _, params, _ = service.calls[0]
    assert params["ak"] == "test-baidu-ak" and "sn" not in params


def test_baidu_security_key_signs_the_request(service):
    service.answers[ADDRESS.format(1)] = "baidu-one.json"
    provider = geocoding.make_provider("baidu", {"BAIDU_AK": "ak", "BAIDU_SK": "sk"}, pace=geocoding.Pace(0))
    provider.candidates(ADDRESS.format(1))
    _, params, _ = service.calls[0]
    assert len(params["sn"]) == 32


def test_nominatim_answer_is_wgs84_and_the_request_names_the_project_and_a_contact(project, service):
    project.write(place(1))
    service.answers[ADDRESS.format(1)] = "nominatim-one.json"
    result = project.run(provider="nominatim")
    assert result.exit_code == 0, result.output
    stored = project.entries()[key(1)]
    assert (stored["lat"], stored["lon"], stored["datum"], stored["provider"]) == (29.5085, 106.511, "wgs84", "nominatim")
    _, params, headers = service.calls[0]
    assert params["countrycodes"] == "cn" and params["format"] == "json"
    assert "jlp-atlas" in headers["User-Agent"] and "atlas@example.org" in headers["User-Agent"]


def test_the_provider_can_come_from_configuration(project, service):
    project.write(place(1))
    service.answers[ADDRESS.format(1)] = "baidu-one.json"
    options = ["geocode", str(project.csv), "--cache", str(project.cache), "--delay", "0"]
    result = CliRunner().invoke(main, options, env=KEYS | {"ATLAS_GEOCODE_PROVIDER": "baidu"})
    assert result.exit_code == 0, result.output
    assert project.entries()[key(1)]["provider"] == "baidu"


# --- sanity: what is not accepted silently -----------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "canned", "note"),
    [
        ("amap", "amap-two-far.json", "有 2 个候选结果"),
        ("amap", "amap-district.json", "只精确到“区县”一级"),
        ("nominatim", "nominatim-outside.json", "不在九龙坡区范围内"),
        ("nominatim", "nominatim-other-street.json", "看起来在西彭镇，而本行的镇街是杨家坪街道"),
        ("nominatim", "nominatim-town.json", "只精确到“镇”一级"),
    ],
)
def test_doubtful_results_are_kept_for_review_and_reported(project, service, provider, canned, note):
    project.write(place(1))
    service.answers[ADDRESS.format(1)] = canned
    result = project.run(provider=provider)
    assert result.exit_code == 1
    stored = project.entries()[key(1)]
    assert stored["status"] == "needs_review" and note in stored["note"]
    assert "? 待确认" in result.output and note in result.output
    assert "待确认 1（本次 1，之前留下 0）" in result.output


def test_ambiguity_counts_candidates_and_only_far_apart_ones_need_review(project, service):
    project.write(place(3))
    service.answers[ADDRESS.format(3)] = "nominatim-two-near.json"
    result = project.run(provider="nominatim")
    assert result.exit_code == 0, result.output
    assert project.entries()[key(3)] | {"date": ""} == entry(
        lat=29.5085, lon=106.511, provider="nominatim", datum="wgs84", query=ADDRESS.format(3), date="", candidates=2
    )


def test_an_entry_needing_review_places_no_point_and_the_validator_still_warns():
    rows = csv_bytes(place(1))
    review = {key(1): entry(status="needs_review", note="结果不在九龙坡区范围内")}
    atlas = validate_csv("t.csv", Settings(today=TODAY, geocache=review), data=rows)
    assert "coords.missing" in {f.code for f in atlas.report.findings}
    assert geocache.locate(atlas.resources[0], review) is None
    atlas = validate_csv("t.csv", Settings(today=TODAY, geocache={key(1): entry()}), data=rows)
    assert "coords.missing" not in {f.code for f in atlas.report.findings}
    assert geocache.locate(atlas.resources[0], {key(1): entry()}) == (29.5085, 106.511)


def test_results_needing_review_are_not_asked_again_but_still_reported(project, service):
    project.write(place(1))
    project.cache.write_text(geocache.dumps({key(1): entry(status="needs_review", note="结果看起来在西彭镇")}), "utf-8")
    result = project.run()
    assert service.calls == []
    assert result.exit_code == 1
    assert "之前的结果仍待确认（不再查询）1 个地址" in result.output and "结果看起来在西彭镇" in result.output


# --- failures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "answer", "message"),
    [
        ("amap", "amap-empty.json", "没有结果"),
        ("nominatim", "nominatim-empty.json", "没有结果"),
        ("baidu", "baidu-no-result.json", "没有结果"),
        ("amap", "amap-invalid-key.json", "API key 无效或未授权（INVALID_USER_KEY (10001)）"),
        ("amap", "amap-over-limit.json", "配额已用完"),
        ("baidu", "baidu-quota.json", "配额已用完"),
        ("amap", GeocoderTimedOut("Service timed out"), "超时"),
    ],
)
def test_failures_are_listed_at_the_end_and_exit_non_zero(project, service, provider, answer, message):
    project.write(place(1))
    service.answers[ADDRESS.format(1)] = answer
    result = project.run(provider=provider)
    assert result.exit_code == 1
    assert not project.cache.exists()  # nothing to write: a failure is not an entry
    tail = result.output[result.output.index("失败 1 个地址"):]
    assert "× 失败" in tail and message in tail and "example-0001" in tail
    assert "Traceback" not in result.output


def test_failures_never_erase_earlier_entries(project, service):
    project.write(place(1), place(2), place(3))
    earlier = {key(1): entry(), "重庆市九龙坡区示例路99号": entry(query=ADDRESS.format(99))}
    project.cache.write_text(geocache.dumps(earlier), "utf-8")
    service.answers[ADDRESS.format(2)] = GeocoderTimedOut("timed out")
    service.answers[ADDRESS.format(3)] = "amap-one.json"
    result = project.run()
    assert result.exit_code == 1
    entries = project.entries()
    assert entries[key(1)] == earlier[key(1)] and entries["重庆市九龙坡区示例路99号"] == earlier["重庆市九龙坡区示例路99号"]
    assert key(2) not in entries and entries[key(3)]["status"] == "accepted"
    assert geocoding.merge(earlier, [geocoding.Outcome(geocoding.Job(key(1), "q", "杨家坪街道", ("x",)), failure="超时")]) == earlier


def test_a_timeout_is_retried_once_after_a_pause(service):
    clock = Clock()
    service.answers[ADDRESS.format(1)] = GeocoderTimedOut("timed out")
    provider = geocoding.make_provider("amap", {"AMAP_KEY": "k"}, pace=geocoding.Pace(0.5, clock.clock, clock.sleep))
    with pytest.raises(GeocoderTimedOut):
        provider.candidates(ADDRESS.format(1))
    assert service.queries() == [ADDRESS.format(1)] * 2
    assert clock.sleeps == [1.0]  # twice the delay between the two tries


def test_after_a_quota_or_key_error_the_run_stops_asking(project, service):
    project.write(place(1), place(2), place(3))
    service.answers[ADDRESS.format(1)] = "amap-one.json"
    service.answers[ADDRESS.format(2)] = "amap-over-limit.json"
    service.answers[ADDRESS.format(3)] = "amap-one.json"
    result = project.run()
    assert service.queries() == [ADDRESS.format(1), ADDRESS.format(2)]
    assert result.exit_code == 1
    assert "未查询：前面出现“配额已用完（如当日查询次数已达上限）”，已停止查询" in result.output
    assert set(project.entries()) == {key(1)}


# --- rate limiting -------------------------------------------------------------------------------


def test_nominatim_asks_at_most_once_a_second(service):
    clock = Clock()
    for n in (1, 2, 3):
        service.answers[ADDRESS.format(n)] = "nominatim-one.json"
    provider = geocoding.make_provider("nominatim", KEYS, pace=geocoding.Pace(None, clock.clock, clock.sleep))
    assert provider.limited.min_delay_seconds == 1.0
    for n in (1, 2, 3):
        provider.candidates(ADDRESS.format(n))
    assert clock.sleeps == [1.0, 1.0]


def test_the_delay_is_configurable_but_not_below_nominatims_policy(project, service):
    clock = Clock()
    provider = geocoding.make_provider("amap", KEYS, pace=geocoding.Pace(None, clock.clock, clock.sleep))
    assert provider.limited.min_delay_seconds == 0.5
    provider = geocoding.make_provider("baidu", KEYS, pace=geocoding.Pace(2.5, clock.clock, clock.sleep))
    assert provider.limited.min_delay_seconds == 2.5
    project.write(place(1))
    result = project.run("--delay", "0.2", provider="nominatim")
    assert result.exit_code == 1 and "每秒最多 1 次请求" in result.output
    assert service.calls == []


# --- cache semantics ----------------------------------------------------------------------------


def test_a_rows_own_coordinates_win_and_are_never_asked_about(project, service):
    project.write(place(1, lat="29.5085", lon="106.5110"), place(2))
    project.cache.write_text(geocache.dumps({key(1): entry(lat=29.4, lon=106.4)}), "utf-8")
    service.answers[ADDRESS.format(2)] = "amap-one.json"
    result = project.run()
    assert result.exit_code == 0, result.output
    assert service.queries() == [ADDRESS.format(2)]
    assert "行内已有坐标而跳过 1 行" in result.output
    atlas = validate_csv(project.csv, Settings(today=TODAY))
    assert geocache.locate(atlas.resources[0], project.entries()) == (29.5085, 106.511)


def test_cached_addresses_are_not_asked_again_and_a_changed_address_is(project, service):
    project.write(place(1), place(2, address=ADDRESS.format(22)))
    project.cache.write_text(geocache.dumps({key(1): entry(), key(2): entry(query=ADDRESS.format(2))}), "utf-8")
    service.answers[ADDRESS.format(22)] = "amap-one.json"
    result = project.run()
    assert result.exit_code == 0, result.output
    assert service.queries() == [ADDRESS.format(22)]
    assert "地址已在缓存中 1 行" in result.output
    entries = project.entries()
    assert key(22) in entries and key(2) in entries  # the old address's entry is only dropped by --prune
    assert "缓存中有 1 条没有任何行使用（加 --prune 删除" in result.output


def test_addresses_differing_only_in_width_and_spaces_share_an_entry(project, service):
    project.write(place(1), place(2, address="重庆市九龙坡区 示例路１号"))
    service.answers[ADDRESS.format(1)] = "amap-one.json"
    result = project.run()
    assert result.exit_code == 0, result.output
    assert service.queries() == [ADDRESS.format(1)] and "example-0001、example-0002" in result.output


def test_prune_drops_unused_entries_and_lists_them(project, service):
    project.write(place(1), place(2, lat="29.5085", lon="106.5110"))
    unused = ["重庆市九龙坡区示例路77号", key(2)]  # no row; a row that has its own coordinates
    project.cache.write_text(geocache.dumps({key(1): entry()} | {k: entry(query=k) for k in unused}), "utf-8")
    result = project.run("--prune", env={"CI": "1"})  # nothing to ask: no key needed
    assert result.exit_code == 0, result.output
    assert set(project.entries()) == {key(1)} and service.calls == []
    assert "已删除 2 条没有任何行使用的缓存" in result.output
    assert all(f"  - {k}" in result.output for k in unused)


def test_dry_run_asks_nothing_and_writes_nothing(project, service):
    project.write(place(1), place(2, lat="29.5085", lon="106.5110"), place(3))
    result = project.run("--dry-run", env={"CI": "1"})
    assert result.exit_code == 0, result.output
    assert service.calls == [] and not project.cache.exists()
    assert "将用高德地图查询 2 个地址" in result.output
    assert f"  {ADDRESS.format(1)}（编号：example-0001）" in result.output and ADDRESS.format(2) not in result.output
    assert "正式运行前请设置环境变量 AMAP_KEY" in result.output
    project.cache.write_text(geocache.dumps({"重庆市九龙坡区示例路77号": entry()}), "utf-8")
    before = project.cache.read_bytes()
    result = project.run("--dry-run", "--prune")
    assert "将删除 1 条没有任何行使用的缓存" in result.output and project.cache.read_bytes() == before


def test_only_limits_the_run(project, service):
    project.write(place(1), place(2), place(3))
    service.answers[ADDRESS.format(2)] = "amap-one.json"
    service.answers[ADDRESS.format(3)] = "amap-one.json"
    result = project.run("--only", "example-0002", "--only", "example-0003")
    assert result.exit_code == 0, result.output
    assert service.queries() == [ADDRESS.format(2), ADDRESS.format(3)]
    result = project.run("--only", "example-0001,example-0404", "--dry-run")
    assert result.exit_code == 1 and "example-0404" in result.output and "Traceback" not in result.output


# --- the file -------------------------------------------------------------------------------------


def test_the_cache_file_is_stable_readable_json(project, service):
    project.write(place(2), place(1))
    for n in (1, 2):
        service.answers[ADDRESS.format(n)] = "amap-one.json"
    project.run()
    text = project.cache.read_text("utf-8")
    data = json.loads(text)
    assert data["version"] == 1 and list(data["entries"]) == sorted(data["entries"])
    assert text == geocache.dumps(data["entries"]) and text.endswith("}\n") and "示例路" in text
    assert '\n  "entries": {\n    "重庆市九龙坡区示例路1号": {\n      "candidates": 1,' in text
    assert geocache.read_cache(project.cache) == data["entries"]


def test_an_interrupted_write_leaves_the_old_cache_whole(tmp_path, monkeypatch):
    path = tmp_path / "geocache.json"
    geocache.write_cache(path, {key(1): entry()})
    before = path.read_bytes()

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        geocache.write_cache(path, {key(2): entry()})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["geocache.json"]  # no temporary file left


def test_ctrl_c_keeps_what_was_answered(project, service):
    project.write(place(1), place(2), place(3))
    service.answers[ADDRESS.format(1)] = "amap-one.json"
    service.answers[ADDRESS.format(2)] = KeyboardInterrupt()
    before = project.csv.read_bytes()
    result = project.run()
    assert result.exit_code == 1 and "Aborted" in result.output
    assert set(project.entries()) == {key(1)} and service.queries() == [ADDRESS.format(1), ADDRESS.format(2)]
    assert project.csv.read_bytes() == before


def test_an_unreadable_cache_is_never_overwritten(project, service):
    project.write(place(1))
    project.cache.write_text('{"version": 1, "entries": {', "utf-8")
    result = project.run()
    assert result.exit_code == 1 and "无法读取地理编码缓存" in result.output and "Traceback" not in result.output
    assert project.cache.read_text("utf-8") == '{"version": 1, "entries": {'
    project.cache.write_text('{"version": 2, "entries": {}}', "utf-8")
    assert "版本 2 不受支持" in project.run().output


# --- configuration and refusal ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "variable"), [("amap", "AMAP_KEY"), ("baidu", "BAIDU_AK"), ("nominatim", "ATLAS_GEOCODE_CONTACT")]
)
def test_a_missing_key_is_one_clear_line(project, service, provider, variable):
    project.write(place(1))
    result = project.run(provider=provider, env={"CI": "1", "AMAP_KEY": "", "BAIDU_AK": "", "ATLAS_GEOCODE_CONTACT": ""})
    assert result.exit_code == 1
    assert f"环境变量 {variable}" in result.output and "Traceback" not in result.output
    assert service.calls == [] and not project.cache.exists()


def test_a_csv_with_errors_is_refused(project, service):
    project.write(place(1), place(2, category="不存在的类别"))
    result = project.run()
    assert result.exit_code == 1
    assert "有 1 个错误，先运行 atlas validate" in result.output
    assert service.calls == [] and not project.cache.exists()


def test_the_progress_bar_is_quiet_in_ci_and_when_not_a_terminal(monkeypatch):
    from atlas.cli import _progress

    monkeypatch.setenv("CI", "true")
    assert _progress(list(range(50))).disable
    monkeypatch.delenv("CI")
    assert _progress(list(range(50))).disable  # pytest's stderr is not a terminal


def test_amap_geocoder_parses_the_documented_shape(service):
    service.answers[ADDRESS.format(2)] = "amap-two-far.json"
    locations = geocoding.Amap("k").geocode(ADDRESS.format(2), exactly_one=False)
    assert [(round(loc.latitude, 6), round(loc.longitude, 6)) for loc in locations] == [(29.505734, 106.514814), (29.475397, 106.448985)]
    assert locations[0].address == "重庆市九龙坡区示例路2号" and locations[0].raw["level"] == "门牌号"
    assert load_bounds(None).contains(coords.gcj02_to_wgs84(locations[1].latitude, locations[1].longitude))


# --- secrets and tracebacks (issue 12) -----------------------------------------------------------


def unreachable(url: str) -> GeocoderUnavailable:
    """What geopy's RequestsAdapter raises without a network: the whole request URL, key included."""
    parts = urlsplit(url)
    return GeocoderUnavailable(
        f"HTTPSConnectionPool(host='{parts.hostname}', port=443): Max retries exceeded with url: "
        f"{parts.path}?{parts.query} (Caused by NameResolutionError(\"Failed to resolve '{parts.hostname}'\"))"
    )


@pytest.mark.parametrize(
    "provider, env, secrets",
    [
        ("amap", {"AMAP_KEY": "dummy-amap-key-42"}, ["dummy-amap-key-42", "key=d"]),
        ("baidu", {"BAIDU_AK": "dummy-baidu-ak", "BAIDU_SK": "dummy-baidu-sk"}, ["dummy-baidu-ak", "dummy-baidu-sk", "ak=d"]),
    ],
)
def test_a_failed_request_never_prints_a_key_or_a_signature(project, service, provider, env, secrets):
    project.write(place(1), place(2))
    for n in (1, 2):
        service.answers[ADDRESS.format(n)] = unreachable
    result = project.run(env=env | {"CI": "1"}, provider=provider)
    assert result.exit_code == 1
    assert "无法连接服务" in result.output and "Max retries exceeded" in result.output  # the cause is still said
    _, params, _ = service.calls[0]
    assert params.get("key") == "dummy-amap-key-42" or params.get("ak") == "dummy-baidu-ak"  # the key was sent …
    signatures = [sent["sn"] for _, sent, _ in service.calls if "sn" in sent]
    assert len(signatures) == (4 if provider == "baidu" else 0)  # two addresses, each retried once
    for secret in secrets + signatures:
        assert secret not in result.output  # … but never shown
    assert "***" in result.output


def test_a_retried_failure_prints_no_traceback(project, service):
    project.write(*(place(n) for n in range(1, 4)))
    for n in range(1, 4):
        service.answers[ADDRESS.format(n)] = GeocoderTimedOut("Service timed out")
    result = project.run()
    assert result.exit_code == 1
    assert service.queries().count(ADDRESS.format(1)) == 2  # still retried once
    assert "Traceback" not in result.output and "caught an error" not in result.output
    assert len(result.output.splitlines()) <= 6  # three failures, their heading and the summary


def test_redact_hides_keys_in_any_form():
    text = "url: /v3/geocode/geo?address=x&key=abcd1234&output=JSON; sk=s%2Fk!; ak=zz sn=0f0f token: abcd1234 abcd%2F1"
    hidden = redact(text, ["abcd1234", "abcd/1"])
    assert "abcd1234" not in hidden and "abcd%2F1" not in hidden and "0f0f" not in hidden and "zz" not in hidden
    assert "address=x" in hidden and "output=JSON" in hidden
    assert redact("keyboard=1 monkey=2", []) == "keyboard=1 monkey=2"


# --- hand-edited caches (issue 12) ----------------------------------------------------------------

BROKEN_ENTRIES = [
    ({"lon": 106.511}, "lat", "缺少 lat"),
    ([29.5085, 106.511], None, "应为一个对象"),
    ({"lat": "29.5", "lon": 106.511}, "lat", "lat 应为数字"),
    ({"lat": None, "lon": 106.511}, "lat", "缺少 lat"),
    ({"lat": 29.5085, "lon": True}, "lon", "lon 应为数字"),
    ({"lat": 129.5, "lon": 106.511}, "lat", "lat 应为数字"),
    ({"lat": 29.5085, "lon": 106.511, "status": "ok"}, "status", "status 只能是 accepted 或 needs_review"),
    ("29.5,106.5", None, "应为一个对象"),
]


@pytest.mark.parametrize(("broken", "column", "message"), BROKEN_ENTRIES)
def test_a_broken_cache_entry_is_named_by_entry_and_field(project, service, broken, column, message):
    project.write(place(1), place(2))
    text = geocache.dumps({key(1): entry(), key(2): broken})
    project.cache.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["validate", str(project.csv), "--geocache", str(project.cache), "--routes", "/nonexistent", "--format", "json"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    found = [f for f in json.loads(result.output)["findings"] if f["file"] == str(project.cache)]
    assert [(f["severity"], f["column"], f["message"]) for f in found] == [("error", column, f"条目“{key(2)}”：{message}")]
    assert text.splitlines()[found[0]["line"] - 1].startswith(f'    "{key(2)}": ')  # the line to fix
    result = project.run()  # geocode: one clear line, and the cache is left as it is
    assert result.exit_code == 1 and "无法读取地理编码缓存" in result.output and message in result.output
    assert "Traceback" not in result.output and project.cache.read_text("utf-8") == text and service.calls == []


def test_a_broken_cache_entry_stops_the_build_with_a_clear_message(tmp_path):
    from .sites import build, make_project

    config = make_project(tmp_path, rows=[row(lat="", lon="")], routes=[])
    (tmp_path / "data" / "geocache.json").write_text(geocache.dumps({geocache.normalise_address(row()["address"]): {"lat": "29.5", "lon": 106.511}}), "utf-8")
    result = build(config, tmp_path / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "lat 应为数字" in result.stderr and "写成数字、不加引号，如 29.5" in result.stderr


def test_a_duplicate_entry_is_reported_and_the_cache_not_rewritten(project, service):
    project.write(place(1), place(2))
    first = geocache.dumps({key(1): entry(lat=29.1)})
    text = first.replace(f'"{key(1)}": {{', f'"{key(1)}": {{"lat": 29.2, "lon": 106.5}},\n    "{key(1)}": {{', 1)
    assert text.count(f"\"{key(1)}\": {{") == 2
    project.cache.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["validate", str(project.csv), "--geocache", str(project.cache), "--routes", "/nonexistent"])
    assert result.exit_code == 1 and f"条目“{key(1)}”写了不止一次，读取时只会保留最后一个" in result.output
    service.answers[ADDRESS.format(2)] = "amap-one.json"
    result = project.run()
    assert result.exit_code == 1 and "写了不止一次" in result.output and project.cache.read_text("utf-8") == text


def test_a_rewrite_keeps_notes_mode_and_the_symlink(project, service, tmp_path):
    project.write(place(1), place(2))
    real = tmp_path / "shared" / "geocache.json"
    real.parent.mkdir()
    document = json.loads(geocache.dumps({key(1): entry(), "重庆市九龙坡区示例路77号": entry()}))
    document["_comment"] = "维护说明：手改后请运行 atlas validate"
    document["entries"][key(1)]["checked_by"] = "示例维护人"
    real.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    real.chmod(0o600)
    project.cache.symlink_to(real)
    service.answers[ADDRESS.format(2)] = "amap-one.json"
    result = project.run("--prune")
    assert result.exit_code == 0, result.output
    assert project.cache.is_symlink() and os.readlink(project.cache) == str(real)  # written through the link
    assert (real.stat().st_mode & 0o777) == 0o600
    written = json.loads(real.read_text("utf-8"))
    assert written["_comment"] == document["_comment"] and written["entries"][key(1)]["checked_by"] == "示例维护人"
    assert set(written["entries"]) == {key(1), key(2)}
    assert [p.name for p in real.parent.iterdir()] == ["geocache.json"]


def test_a_key_that_no_row_can_match_warns(project):
    project.write(place(1))
    project.cache.write_text(geocache.dumps({"重庆市九龙坡区 示例路１号": entry()}), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(project.csv), "--geocache", str(project.cache), "--routes", "/nonexistent"])
    assert "不会与任何行匹配" in result.output and f"写成“{key(1)}”" in result.output


def test_a_cache_saved_with_a_bom_is_read_and_one_in_another_encoding_is_named(project):
    project.write(place(1))
    project.cache.write_bytes(b"\xef\xbb\xbf" + geocache.dumps({key(1): entry()}).encode("utf-8"))
    assert geocache.read_cache(project.cache) == {key(1): entry()}
    project.cache.write_bytes(geocache.dumps({key(1): entry()}).encode("utf-16"))
    result = CliRunner().invoke(main, ["validate", str(project.csv), "--geocache", str(project.cache), "--routes", "/nonexistent"])
    assert result.exit_code == 1 and "不是 UTF-8 编码" in result.output and "Traceback" not in result.output
