"""The committed geocode cache (data/geocache.json): normalised address -> WGS-84 point.

`atlas geocode` writes it; the build and the validator only read it, so a build never
touches the network. The file::

    {"version": 1, "entries": {"<normalised address>": {"lat": 29.5, "lon": 106.5,
      "provider": "amap", "datum": "gcj02", "query": "…", "date": "2026-11-29",
      "status": "accepted", "note": "", "candidates": 1}}}

Only ``accepted`` entries place a point; an entry that ``needs_review`` waits for an editor.
An entry without ``status`` (written by hand) counts as accepted.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from .coords import WGS84, Point, convert
from .files import write_atomic
from .findings import ERROR, WARNING, Finding

VERSION = 1
ACCEPTED = "accepted"
NEEDS_REVIEW = "needs_review"


def normalise_address(address: str) -> str:
    """The cache key: NFKC (full-width digits and letters to ASCII), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", address))


def read_cache(path: str | Path | None) -> dict[str, dict]:
    """The cache's usable entries, or {} when there is no cache file yet; ValueError when the
    file has any error (:func:`load_cache` says which, entry by entry)."""
    entries, findings = load_cache(path)
    problem = first_error(findings)
    if problem:
        raise ValueError(problem)
    return entries


def first_error(findings: list[Finding]) -> str | None:
    """The first error of a cache as one line (and how many more), or None when it has none."""
    errors = [f for f in findings if f.severity == ERROR]
    if not errors:
        return None
    where = f"第 {errors[0].line} 行 " if errors[0].line else ""
    more = f"（另有 {len(errors) - 1} 处错误，运行 atlas validate 查看）" if len(errors) > 1 else ""
    return f"{where}{errors[0].message}{'：' + errors[0].hint if errors[0].hint else ''}{more}"


def load_cache(path: str | Path | None) -> tuple[dict[str, dict], list[Finding]]:
    """The entries that may place a point, and a finding for every fault of a hand edit:
    which entry, which field, and what would be right. Faulty entries are left out."""
    if path is None or not Path(path).exists():
        return {}, []
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")  # Notepad may add a BOM
    except UnicodeDecodeError:
        return {}, [Finding(ERROR, "geocache.encoding", "不是 UTF-8 编码", "用 UTF-8 编码保存（编辑器“另存为”里可选）", file=name)]
    repeated: list[str] = []  # keys written twice in one object: json keeps only the last

    def pairs(items: list) -> dict:
        seen: dict = {}
        for key, value in items:
            if key in seen:
                repeated.append(key)
            seen[key] = value
        return seen

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except ValueError as error:
        at = getattr(error, "lineno", None)
        return {}, [Finding(ERROR, "geocache.json", f"不是有效的 JSON：{getattr(error, 'msg', error)}", "检查逗号、引号和括号；可以用 git diff 找到最近的改动", file=name, row=at, line=at)]
    shape = '应为 {"version": 1, "entries": {"<地址>": {"lat": 纬度, "lon": 经度}}}'
    if not isinstance(data, dict) or not isinstance(data.get("entries", {}), dict):
        return {}, [Finding(ERROR, "geocache.shape", "不是地理编码缓存的格式", shape, file=name)]
    if data.get("version", VERSION) != VERSION:
        return {}, [Finding(ERROR, "geocache.version", f"缓存版本 {data.get('version')!r} 不受支持", f"本程序读写版本 {VERSION}", file=name)]
    findings = [
        _at(Finding(ERROR, "geocache.duplicate", f"{'条目' if key in data.get('entries', {}) else '键'}“{key}”写了不止一次，读取时只会保留最后一个", "删掉多余的一个，或把它们合并"), name, text, key)
        for key in dict.fromkeys(repeated)
    ]
    entries: dict[str, dict] = {}
    for key, entry in data.get("entries", {}).items():
        problems = _entry_problems(key, entry)
        findings += [_at(replace(f, message=f"条目“{key}”：{f.message}"), name, text, key) for f in problems]
        if not any(f.severity == ERROR for f in problems):
            entries[key] = entry
    return entries, findings


def _entry_problems(key: str, entry) -> list[Finding]:
    if not isinstance(entry, dict):
        return [Finding(ERROR, "geocache.entry", "应为一个对象", '写成 {"lat": 29.5085, "lon": 106.511, "status": "accepted"}', value=json.dumps(entry, ensure_ascii=False)[:80])]
    found = []
    for field, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        value = entry.get(field)
        if field not in entry or value is None:
            found.append(Finding(ERROR, f"geocache.{field}", f"缺少 {field}", f"填写 WGS-84 十进制度数字，如 {29.5085 if field == 'lat' else 106.511}", column=field))
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or not low <= value <= high:
            hint = f"写成数字、不加引号，如 {value}" if isinstance(value, str) and _is_number(value) else f"{low} 到 {high} 之间的数字，如 {29.5085 if field == 'lat' else 106.511}"
            found.append(Finding(ERROR, f"geocache.{field}", f"{field} 应为数字", hint, column=field, value=json.dumps(value, ensure_ascii=False)))
    if entry.get("status", ACCEPTED) not in (ACCEPTED, NEEDS_REVIEW):
        found.append(Finding(ERROR, "geocache.status", f"status 只能是 {ACCEPTED} 或 {NEEDS_REVIEW}", f"{ACCEPTED}：上图；{NEEDS_REVIEW}：待确认，不上图", column="status", value=json.dumps(entry["status"], ensure_ascii=False)))
    if key != normalise_address(key) or not key:
        found.append(Finding(WARNING, "geocache.key", "地址键里有空格或全角字母数字，不会与任何行匹配", f"写成“{normalise_address(key)}”" if key else "填写地址"))
    return found


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _at(finding: Finding, name: str, text: str, key: str) -> Finding:
    """The finding located in the file: the line where the entry's key is written."""
    spelled = re.search(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text) or re.search(re.escape(json.dumps(key)) + r"\s*:", text)
    line = text.count("\n", 0, spelled.start()) + 1 if spelled else None
    return replace(finding, file=name, row=line, line=line)


def accepted(entry: dict | None) -> bool:
    """Whether a cache entry may place a point (needs_review entries may not)."""
    return bool(entry) and entry.get("status", ACCEPTED) == ACCEPTED


def cached_point(cache: dict[str, dict], address: str) -> Point | None:
    entry = cache.get(normalise_address(address))
    return (entry["lat"], entry["lon"]) if accepted(entry) else None


def locate(resource, cache: dict[str, dict]) -> Point | None:
    """A resource's WGS-84 point: its own coordinates win over the cache."""
    if resource.lat is not None and resource.lon is not None:
        return convert(resource.lat, resource.lon, resource.coord_system, WGS84)
    return cached_point(cache, resource.address)


def dumps(entries: dict[str, dict], kept: dict | None = None) -> str:
    """The cache file's text: stable (sorted keys, two-space indent, UTF-8 text, final newline).
    ``kept``: top-level keys this program does not own (a maintainer's notes), kept as they are."""
    document = (kept or {}) | {"version": VERSION, "entries": entries}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_cache(path: str | Path, entries: dict[str, dict]) -> None:
    """Replace the cache atomically (see :func:`atlas.files.write_atomic`: whole or not at
    all, through a symlink, keeping the file's permissions); top-level keys other than
    ``version`` and ``entries`` are kept.
    """
    write_atomic(path, dumps(entries, _not_ours(Path(path))))


def _not_ours(path: Path) -> dict:
    """The existing file's top-level keys other than version and entries."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if k not in ("version", "entries")} if isinstance(data, dict) else {}
