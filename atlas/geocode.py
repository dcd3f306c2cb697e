"""Geocoding: the addresses of rows without coordinates -> WGS-84 points in the cache.

Only `atlas geocode` calls this module; the build never does. Three providers, all through
geopy: Nominatim (OpenStreetMap, answers in WGS-84), 百度 (``BaiduV3``, answers in BD-09)
and 高德 (:class:`Amap` below, answers in GCJ-02). Every answer is converted to WGS-84 with
:mod:`atlas.coords` and checked before it is accepted: a point outside the district, in
another street/town than the row says, only as precise as a town or district, or one of
several far-apart candidates is kept as ``needs_review`` with a note for the editor.

A run is planned (:func:`plan`) without any network, so ``--dry-run`` shows exactly what
:func:`run` would ask.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from urllib.parse import urlencode

from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import BaiduV3, Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from . import coords
from .district import Bounds, looks_like_other_street
from .geocache import ACCEPTED, NEEDS_REVIEW, accepted, normalise_address
from .redact import redact

PROVIDERS = ("nominatim", "baidu", "amap")
LABELS = {"nominatim": "Nominatim（OpenStreetMap）", "baidu": "百度地图", "amap": "高德地图"}
DATUMS = {"nominatim": coords.WGS84, "baidu": coords.BD09, "amap": coords.GCJ02}
KEYS = {"baidu": "BAIDU_AK", "amap": "AMAP_KEY"}  # environment variables, never files in the repository
DEFAULT_DELAY = {"nominatim": 1.0, "baidu": 0.5, "amap": 0.5}  # seconds between requests
NOMINATIM_MIN_DELAY = 1.0  # the OSM Foundation's usage policy: at most one request per second
TIMEOUT = 10  # seconds; geopy's default of 1 s is too short from mainland China
AMBIGUOUS_SPREAD_M = 200  # candidates further apart than this make a result ambiguous
CONTACT_ENV = "ATLAS_GEOCODE_CONTACT"
USER_AGENT = "jlp-atlas/0.1 (Jiulongpo education resource atlas; contact: {contact})"

# Result levels that name an area, not a place: the point is the area's centre.
AMAP_AREA_LEVELS = {"国家", "省", "市", "区县", "开发区", "乡镇", "村庄", "热点商圈", "未知"}
BAIDU_AREA_LEVELS = {"UNKNOWN", "国家", "省", "城市", "区县", "乡镇", "村庄", "商圈"}
NOMINATIM_MIN_PLACE_RANK = 26  # below this an OSM result is an area (town, suburb, village…)
OSM_AREA_NAMES = {
    "country": "国家", "state": "省", "province": "省", "region": "地区", "city": "城市", "county": "区县",
    "municipality": "城市", "district": "区县", "city_district": "区县", "town": "镇", "township": "乡镇",
    "suburb": "街道或片区", "quarter": "片区", "neighbourhood": "社区", "village": "村", "hamlet": "村",
}


class ConfigError(Exception):
    """The run cannot start (a missing key, a bad delay); the message is for the editor."""


# --- 高德 -------------------------------------------------------------------------------------


class Amap(Geocoder):
    """高德开放平台 Web 服务 geocoder (REST v3, ``/v3/geocode/geo``); answers in GCJ-02.

    Documentation: https://lbs.amap.com/api/webservice/guide/api/georegeo
    """

    api_path = "/v3/geocode/geo"

    def __init__(
        self,
        api_key: str,
        *,
        city: str = "重庆",
        scheme=None,
        timeout=DEFAULT_SENTINEL,
        proxies=DEFAULT_SENTINEL,
        user_agent=None,
        ssl_context=DEFAULT_SENTINEL,
        adapter_factory=None,
    ):
        super().__init__(
            scheme=scheme, timeout=timeout, proxies=proxies, user_agent=user_agent,
            ssl_context=ssl_context, adapter_factory=adapter_factory,
        )
        self.api_key = api_key
        self.city = city
        self.api = f"{self.scheme}://restapi.amap.com{self.api_path}"

    def geocode(self, query: str, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL):
        params = {"address": query, "city": self.city, "key": self.api_key, "output": "JSON"}
        url = f"{self.api}?{urlencode(params)}"
        callback = partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)

    def _parse_json(self, page, exactly_one: bool = True):
        if not isinstance(page, dict):
            raise GeocoderParseError("高德的回答不是 JSON 对象")
        if str(page.get("status")) != "1":
            self._raise_for_info(str(page.get("info", "")), str(page.get("infocode", "")))
        places = [place for place in page.get("geocodes") or [] if isinstance(place.get("location"), str)]
        if not places:
            return None
        locations = [self._parse_place(place) for place in places]
        return locations[0] if exactly_one else locations

    @staticmethod
    def _parse_place(place: dict) -> Location:
        lon, lat = (float(part) for part in place["location"].split(","))
        address = place.get("formatted_address")
        return Location(address if isinstance(address, str) else "", (lat, lon), place)

    @staticmethod
    def _raise_for_info(info: str, code: str):
        """高德 reports errors as status "0" with an ``info`` word and an ``infocode``."""
        message = f"{info} ({code})" if code else info
        if info in ("ACCESS_TOO_FREQUENT",) or info.endswith("QPS_HAS_EXCEEDED_THE_LIMIT"):
            raise GeocoderRateLimited(message)
        if "OVER_LIMIT" in info or "EXCEEDED" in info or "RUN_OUT" in info:
            raise GeocoderQuotaExceeded(message)
        if info.startswith("INVALID_USER") or info in ("USERKEY_PLAT_NOMATCH", "USER_KEY_RECYCLED"):
            raise GeocoderAuthenticationFailure(message)
        if info == "INSUFFICIENT_PRIVILEGES":
            raise GeocoderInsufficientPrivileges(message)
        if info in ("INVALID_PARAMS", "MISSING_REQUIRED_PARAMS", "ILLEGAL_REQUEST"):
            raise GeocoderQueryError(message)
        raise GeocoderServiceError(message or "高德返回了未知错误")


# --- 百度 -------------------------------------------------------------------------------------


class Baidu(BaiduV3):
    """geopy's BaiduV3 (BD-09 answers), except that "无相关结果" is no result, not a server error."""

    def _parse_json(self, page, exactly_one=True):
        if not page.get("result") and "无相关结果" in str(page.get("msg", "")):
            return None
        return super()._parse_json(page, exactly_one=exactly_one)


# --- providers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """How fast to ask: the delay between requests, and the clock and sleep (tests inject fakes)."""

    delay: float | None = None  # None: the provider's default
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


class Limiter(RateLimiter):
    """geopy's RateLimiter on an injectable clock, without its retries: geopy logs each retry
    with a full traceback (~95 lines, the request URL and its key included)."""

    def __init__(self, func, pace: Pace, delay: float):
        super().__init__(func, min_delay_seconds=delay, max_retries=0, swallow_exceptions=False)
        self.pace = pace

    def _clock(self):
        return self.pace.clock()

    def _sleep(self, seconds):
        self.pace.sleep(seconds)


RETRY = (GeocoderTimedOut, GeocoderUnavailable)  # may pass: asked once more after a pause


@dataclass(frozen=True)
class Candidate:
    point: coords.Point  # WGS-84
    label: str  # the address as the provider wrote it
    area: str | None = None  # the level when the result is only an area ("区县", "乡镇"…)


@dataclass
class Provider:
    name: str
    geocoder: Geocoder
    delay: float
    pace: Pace = field(default_factory=Pace)

    def __post_init__(self):
        self.limited = Limiter(self._ask, self.pace, self.delay)

    @property
    def datum(self) -> str:
        return DATUMS[self.name]

    @property
    def secrets(self) -> tuple[str, ...]:
        """The key and signing key this provider sends: never shown in a message."""
        return tuple(s for s in (getattr(self.geocoder, "api_key", None), getattr(self.geocoder, "security_key", None)) if s)

    def candidates(self, query: str) -> list[Candidate]:
        """Every candidate for ``query`` in WGS-84, best first; [] when there is none."""
        try:
            return self.limited(query)
        except RETRY:
            self.pace.sleep(2 * self.delay)
            return self.limited(query)

    def _ask(self, query: str) -> list[Candidate]:
        if self.name == "nominatim":
            found = self.geocoder.geocode(query, exactly_one=False, limit=5, country_codes="cn", language="zh")
        elif self.name == "amap":
            found = self.geocoder.geocode(query, exactly_one=False)
        else:  # 百度 answers with one result at most
            found = self.geocoder.geocode(query, exactly_one=True)
        if found is None:
            return []
        return [self._candidate(location) for location in (found if isinstance(found, list) else [found])]

    def _candidate(self, location: Location) -> Candidate:
        point = coords.convert(location.latitude, location.longitude, self.datum, coords.WGS84)
        raw = location.raw
        if self.name == "nominatim":
            rank = raw.get("place_rank")
            coarse = rank is not None and int(rank) < NOMINATIM_MIN_PLACE_RANK
            level = raw.get("addresstype") or raw.get("type") or ""
            area = OSM_AREA_NAMES.get(level, level or "区域") if coarse else None
        else:
            levels = AMAP_AREA_LEVELS if self.name == "amap" else BAIDU_AREA_LEVELS
            area = raw.get("level") if raw.get("level") in levels else None
        return Candidate(point, location.address or "", area)


def make_provider(name: str, env: Mapping[str, str], *, adapter_factory=None, pace: Pace | None = None) -> Provider:
    """A provider configured from the environment; :class:`ConfigError` says what is missing."""
    pace = pace or Pace()
    delay = DEFAULT_DELAY[name] if pace.delay is None else pace.delay
    common = {"timeout": TIMEOUT, "adapter_factory": adapter_factory}
    if name == "nominatim":
        if delay < NOMINATIM_MIN_DELAY:
            raise ConfigError(f"Nominatim 的使用政策要求每秒最多 1 次请求：--delay 不能小于 {NOMINATIM_MIN_DELAY:g}")
        contact = env.get(CONTACT_ENV, "").strip()
        if not contact:
            raise ConfigError(f"使用 Nominatim 要在请求里写明联系方式：请设置环境变量 {CONTACT_ENV}（如单位邮箱）")
        if not contact.isascii():
            raise ConfigError(f"环境变量 {CONTACT_ENV} 只能用英文字符（它会写进 HTTP 请求头），如邮箱地址")
        geocoder = Nominatim(user_agent=USER_AGENT.format(contact=contact), **common)
    else:
        key = env.get(KEYS[name], "").strip()
        if not key:
            raise ConfigError(f"使用{LABELS[name]}需要 API key：请设置环境变量 {KEYS[name]}（不要把 key 写进仓库里的任何文件）")
        if name == "amap":
            geocoder = Amap(key, **common)
        else:
            geocoder = Baidu(key, security_key=env.get("BAIDU_SK", "").strip() or None, **common)
    return Provider(name, geocoder, delay, pace)


def missing_setting(name: str, env: Mapping[str, str]) -> str | None:
    """The environment variable a real run of ``name`` would miss (for --dry-run's notice)."""
    variable = CONTACT_ENV if name == "nominatim" else KEYS[name]
    return None if env.get(variable, "").strip() else variable


# --- planning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One address to ask about, and the rows that use it."""

    key: str  # normalised address: the cache key
    query: str  # what is sent to the provider
    street: str  # the street/town the (first) row says
    ids: tuple[str, ...]
    note: str = ""  # for an address whose cached entry still needs review: why


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    has_coordinates: list[str] = field(default_factory=list)  # ids: the row's own lat/lon wins
    cached: list[str] = field(default_factory=list)  # ids whose address has an accepted entry
    pending: list[Job] = field(default_factory=list)  # addresses whose entry still needs review


def plan(resources: Iterable, entries: Mapping[str, dict], only: set[str] | None = None) -> Plan:
    """What a run would do, without any network: which addresses to ask, which rows to skip."""
    result = Plan()
    jobs: dict[str, Job] = {}
    pending: dict[str, Job] = {}
    for resource in resources:
        if only is not None and resource.id not in only:
            continue
        if resource.lat is not None and resource.lon is not None:
            result.has_coordinates.append(resource.id)
            continue
        key = normalise_address(resource.address)
        entry = entries.get(key)
        if accepted(entry):
            result.cached.append(resource.id)
            continue
        group = pending if entry else jobs
        known = group.get(key) or Job(key, resource.address.strip(), resource.street, (), entry.get("note", "") if entry else "")
        group[key] = replace(known, ids=known.ids + (resource.id,))
    result.jobs = list(jobs.values())
    result.pending = list(pending.values())
    return result


def unused(entries: Mapping[str, dict], rows: Iterable[Mapping[str, str]]) -> list[str]:
    """Cache keys no row uses: no row without its own coordinates has that address."""
    used = {normalise_address(cells.get("address", "")) for cells in rows if not (cells.get("lat") and cells.get("lon"))}
    return sorted(key for key in entries if key not in used)


# --- running ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    job: Job
    entry: dict | None = None  # the new cache entry (accepted or needs_review)
    failure: str | None = None  # why there is none, in Chinese

    @property
    def status(self) -> str:
        return self.entry["status"] if self.entry else "failed"


# Errors after which every further request would fail the same way: stop asking.
FATAL = (GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges, GeocoderQuotaExceeded)

_WHY = (  # most specific first
    (GeocoderRateLimited, "请求太频繁，被服务限流"),
    (GeocoderQuotaExceeded, "配额已用完（如当日查询次数已达上限）"),
    (GeocoderAuthenticationFailure, "API key 无效或未授权"),
    (GeocoderInsufficientPrivileges, "API key 没有地理编码权限"),
    (GeocoderTimedOut, "超时：服务没有及时回答"),
    (GeocoderUnavailable, "无法连接服务（网络或服务故障）"),
    (GeocoderQueryError, "查询被服务拒绝"),
    (GeocoderParseError, "服务的回答无法解析"),
    (GeopyError, "服务出错"),
)


def _why(error: Exception) -> str:
    return next((text for kind, text in _WHY if isinstance(error, kind)), "服务的回答格式不对")


def explain(error: Exception) -> str:
    detail = str(error).strip()
    return f"{_why(error)}（{detail}）" if detail else _why(error)


def run(jobs: Iterable[Job], provider: Provider, bounds: Bounds, today: dt.date) -> Iterator[Outcome]:
    """Ask about each job in turn; yield one outcome per job. Never raises for a provider's error."""
    stopped: str | None = None
    for job in jobs:
        if stopped:
            yield Outcome(job, failure=f"未查询：前面出现“{stopped}”，已停止查询")
            continue
        try:
            found = provider.candidates(job.query)
        except (GeopyError, KeyError, ValueError, TypeError, AttributeError) as error:
            # geopy's own errors, or a response of an unexpected shape: reported, never skipped silently
            yield Outcome(job, failure=redact(explain(error), provider.secrets))
            if isinstance(error, FATAL):
                stopped = _why(error)
            continue
        if not found:
            yield Outcome(job, failure="没有结果：服务找不到这个地址（核对地址，或用地图拾取器填写坐标）")
            continue
        yield Outcome(job, entry=make_entry(job, provider, found, bounds, today))


def make_entry(job: Job, provider: Provider, found: list[Candidate], bounds: Bounds, today: dt.date) -> dict:
    notes = review_notes(job, found, bounds)
    lat, lon = found[0].point
    return {
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "provider": provider.name,
        "datum": provider.datum,
        "query": job.query,
        "date": today.isoformat(),
        "status": NEEDS_REVIEW if notes else ACCEPTED,
        "note": "；".join(notes),
        "candidates": len(found),
    }


def review_notes(job: Job, found: list[Candidate], bounds: Bounds) -> list[str]:
    """Why the best candidate must not be accepted silently; [] when it may."""
    best = found[0]
    said = f"（服务给出的地址：{best.label}）" if best.label else ""
    notes = []
    if not bounds.contains(best.point):
        notes.append(f"结果不在九龙坡区范围内{said}")
    else:
        other = looks_like_other_street(best.point, job.street)
        if other:
            notes.append(f"结果看起来在{other}，而本行的镇街是{job.street}{said}")
    if best.area:
        notes.append(f"结果只精确到“{best.area}”一级，点位可能是区域中心而不是资源所在地")
    spread = max(coords.distance_m(best.point, other.point) for other in found)
    if spread > AMBIGUOUS_SPREAD_M:
        notes.append(f"有 {len(found)} 个候选结果，最远的相距约 {spread / 1000:.1f} 公里；采用了第一个，请核对")
    return notes


def merge(entries: Mapping[str, dict], outcomes: Iterable[Outcome], prune: Iterable[str] = ()) -> dict[str, dict]:
    """The new entries: earlier ones kept (a failure never erases one), new ones added, pruned ones dropped."""
    merged = {key: entry for key, entry in entries.items() if key not in set(prune)}
    for outcome in outcomes:
        if outcome.entry is not None:
            merged[outcome.job.key] = outcome.entry
    return merged


# --- what the editor reads --------------------------------------------------------------------


def _ids(job: Job) -> str:
    return "编号：" + "、".join(job.ids)


def describe(outcome: Outcome) -> str:
    job, entry = outcome.job, outcome.entry
    if entry is None:
        return f"  × 失败    {job.query}（{_ids(job)}）：{outcome.failure}"
    where = f"{entry['lat']:.6f}, {entry['lon']:.6f}"
    if entry["status"] == ACCEPTED:
        return f"  √ 已采用  {job.query} → {where}（{_ids(job)}）"
    return f"  ? 待确认  {job.query} → {where}（{_ids(job)}）：{entry['note']}"


def dry_run_text(provider: str, the_plan: Plan, stale: list[str], prune: bool, env: Mapping[str, str]) -> str:
    lines = [f"试运行：不联网，也不写缓存。将用{LABELS[provider]}查询 {len(the_plan.jobs)} 个地址："]
    lines += [f"  {job.query}（{_ids(job)}）" for job in the_plan.jobs]
    lines += _pending_lines(the_plan)
    lines += _stale_lines(stale, prune, "将删除")
    missing = missing_setting(provider, env)
    if missing and the_plan.jobs:
        lines.append(f"注意：正式运行前请设置环境变量 {missing}。")
    lines.append(f"行内已有坐标而跳过 {len(the_plan.has_coordinates)} 行，地址已在缓存中 {len(the_plan.cached)} 行。")
    return "\n".join(lines)


def report_text(the_plan: Plan, outcomes: list[Outcome], stale: list[str], prune: bool) -> str:
    counts = {status: sum(o.status == status for o in outcomes) for status in (ACCEPTED, NEEDS_REVIEW, "failed")}
    lines = [describe(o) for o in outcomes if o.status != "failed"]
    lines += _pending_lines(the_plan)
    lines += _stale_lines(stale, prune, "已删除")
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        lines.append(f"失败 {len(failed)} 个地址（缓存里原有的条目都保留；再次运行会重试这些地址）：")
        lines += [describe(o) for o in failed]
    reviews = counts[NEEDS_REVIEW] + len(the_plan.pending)
    lines.append(
        f"已采用 {counts[ACCEPTED]}，待确认 {reviews}（本次 {counts[NEEDS_REVIEW]}，之前留下 {len(the_plan.pending)}），"
        f"失败 {counts['failed']}；行内已有坐标而跳过 {len(the_plan.has_coordinates)} 行，地址已在缓存中 {len(the_plan.cached)} 行。"
    )
    if reviews:
        lines.append(
            "待确认的结果已写入缓存，但不会出现在地图上：核对后在资源表里填写坐标和坐标系，"
            "或把缓存里该条的 status 改为 accepted（见编辑指南“坐标”一节）。"
        )
    return "\n".join(lines)


def _pending_lines(the_plan: Plan) -> list[str]:
    if not the_plan.pending:
        return []
    lines = [f"之前的结果仍待确认（不再查询）{len(the_plan.pending)} 个地址："]
    return lines + [f"  ? {job.query}（{_ids(job)}）：{job.note}" for job in the_plan.pending]


def _stale_lines(stale: list[str], prune: bool, verb: str) -> list[str]:
    if not stale:
        return []
    if not prune:
        return [f"缓存中有 {len(stale)} 条没有任何行使用（加 --prune 删除，会逐条列出）。"]
    return [f"{verb} {len(stale)} 条没有任何行使用的缓存："] + [f"  - {key}" for key in stale]
