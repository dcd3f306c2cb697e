"""The geocode cache entries an editor must look at: results that were not accepted
automatically (outside the district, in another street/town, only an area, far-apart
candidates). The scheduled geocoding workflow puts this list in its pull request's body.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import geocode as geocoding
from . import links
from .diff import _md as _cell  # plain text in Markdown: no markup, links or @mentions
from .geocache import accepted


@dataclass(frozen=True)
class Review:
    address: str
    ids: tuple[str, ...]
    note: str
    lat: float
    lon: float
    provider: str


def pending(resources: list, entries: dict[str, dict]) -> list[Review]:
    """Every address a published row uses whose cache entry still needs review, in row order."""
    the_plan = geocoding.plan(resources, entries)
    return [
        Review(job.query, job.ids, job.note, entries[job.key]["lat"], entries[job.key]["lon"], entries[job.key].get("provider", ""))
        for job in the_plan.pending
    ]


def summary_counts(entries: dict[str, dict]) -> tuple[int, int]:
    """(accepted, needs review) entries in the cache."""
    ok = sum(1 for entry in entries.values() if accepted(entry))
    return ok, len(entries) - ok


def to_markdown(reviews: list[Review], entries: dict[str, dict], site_url: str = "") -> str:
    ok, waiting = summary_counts(entries)
    lines = [f"地理编码缓存现有 {ok} 条已采用、{waiting} 条待确认的坐标。", ""]
    if not reviews:
        return "\n".join(lines + ["没有待确认的坐标：资源表用到的地址，查询结果都已自动采用（仍请抽查几条）。"]) + "\n"
    lines += [
        f"### 待确认的坐标（{len(reviews)} 个地址）",
        "",
        "这些结果没有自动采用，不会上图。请在地图上逐个核对：",
        "",
        "| 地址 | 资源 | 为什么待确认 | 在地图上看 |",
        "| --- | --- | --- | --- |",
    ]
    for review in reviews:
        page = site_url.rstrip("/") + "/r/" if site_url else "/r/"
        ids = "、".join(f"[`{rid}`]({page}{rid}/)" for rid in review.ids)
        nav = links.markers((review.lat, review.lon), review.address)
        lines.append(f"| {_cell(review.address)} | {ids} | {_cell(review.note)} | [高德]({nav['amap']}) · [百度]({nav['baidu']}) |")
    lines += [
        "",
        "核对后：点位正确，就在 `data/geocache.json` 里把这一条的 `status` 改为 `accepted`；"
        "点位不对，就用地图拾取器把坐标填进资源表这一行的纬度、经度和坐标系（行内坐标总是优先）。",
    ]
    return "\n".join(lines) + "\n"


def to_text(reviews: list[Review], entries: dict[str, dict]) -> str:
    ok, waiting = summary_counts(entries)
    lines = [f"地理编码缓存：{ok} 条已采用，{waiting} 条待确认。"]
    if reviews:
        lines.append(f"资源表用到的待确认地址 {len(reviews)} 个：")
        lines += [f"  ? {r.address}（{'、'.join(r.ids)}）{r.lat:.6f},{r.lon:.6f}：{r.note}" for r in reviews]
    return "\n".join(lines)

