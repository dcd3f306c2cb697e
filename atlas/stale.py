"""Rows that need their department's attention: never verified, or verified longer ago than
``stale_days``. Grouped per department (the taxonomy's order), each row with its page and the
link that opens its CSV line for editing — what the monthly reminder issue lists.

``today`` is a parameter, so a test (and a reminder about a given day) is reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import links
from .diff import _md as _cell  # plain text in Markdown: no markup, links or @mentions
from .pages import SiteInfo  # where pages and the CSV live, as the build sees it
from .taxonomy import taxonomy
from .validate import Atlas

MARKER = "<!-- atlas:stale -->"  # how the reminder workflow finds its own issue


@dataclass(frozen=True)
class StaleRow:
    id: str
    name: str
    department: str
    verified_on: dt.date | None
    days: int | None  # since verified_on; None: never verified
    page: str
    edit: str


def read_site(mkdocs_yml: str | Path) -> SiteInfo:
    """The settings of mkdocs.yml that say where things are; defaults when there is none."""
    path = Path(mkdocs_yml)
    if not path.is_file():
        return SiteInfo()
    config = yaml.load(path.read_text("utf-8"), Loader=_Loader) or {}
    plugin = next((p["atlas"] for p in config.get("plugins", []) if isinstance(p, dict) and "atlas" in p), None) or {}
    return SiteInfo(
        site_url=str(config.get("site_url") or ""),
        repo_url=str(plugin.get("repo") or ""),
        branch=str(plugin.get("branch") or "main"),
        data_path=str(plugin.get("resources") or "data/resources.csv"),
        stale_days=int(plugin.get("stale_days") or 365),
    )


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' tags (!ENV, !relative): read them as plain values."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None)


def stale_rows(atlas: Atlas, site: SiteInfo, today: dt.date) -> dict[str, list[StaleRow]]:
    """Department -> its stale rows, never-verified first, then the oldest; departments with none left out."""
    order = {name: index for index, name in enumerate(taxonomy().departments)}
    found: dict[str, list[StaleRow]] = {}
    for r in atlas.resources:
        days = (today - r.verified_on).days if r.verified_on else None
        if days is not None and days <= site.stale_days:
            continue
        row = atlas.rows[r.id]
        page = f"{site.site_url.rstrip('/')}/r/{r.id}/" if site.site_url else f"/r/{r.id}/"
        edit = links.edit_row(site.repo_url, site.branch, site.data_path, row.line) if site.repo_url else ""
        found.setdefault(r.department, []).append(StaleRow(r.id, r.name, r.department, r.verified_on, days, page, edit))
    for rows in found.values():
        rows.sort(key=lambda s: (s.days is not None, -(s.days or 0), s.id))
    return dict(sorted(found.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))


def _age(row: StaleRow) -> str:
    return "从未核实" if row.days is None else f"{row.verified_on.isoformat()}（{row.days} 天前）"


def to_text(stale: dict[str, list[StaleRow]], site: SiteInfo, today: dt.date) -> str:
    if not stale:
        return f"截至 {today.isoformat()}，所有资源都在 {site.stale_days} 天内核实过。"
    lines = [f"截至 {today.isoformat()}，{_count(stale)} 条资源待核实（从未核实，或超过 {site.stale_days} 天）："]
    for department, rows in stale.items():
        lines.append(f"\n{department}（{len(rows)} 条）")
        for row in rows:
            lines.append(f"  {row.id}  {row.name}  {_age(row)}")
            lines.append(f"      页面 {row.page}" + (f"  编辑 {row.edit}" if row.edit else ""))
    return "\n".join(lines)


ISSUE_LIMIT = 60_000  # GitHub refuses an issue body over 65,536 characters


def to_markdown(stale: dict[str, list[StaleRow]], site: SiteInfo, today: dt.date, limit: int = ISSUE_LIMIT) -> str:
    """The reminder issue's body: a section per department, a table row per resource; when
    that is longer than ``limit`` characters, fewer rows per department and a link to the rest."""
    for shown in (None, 100, 30, 10, 3, 0):
        text = _markdown(stale, site, today, shown)
        if len(text) <= limit:
            break
    return text


def _site_link(site: SiteInfo, path: str) -> str:
    return f"{site.site_url.rstrip('/')}/{path}" if site.site_url else f"/{path}"


def _markdown(stale: dict[str, list[StaleRow]], site: SiteInfo, today: dt.date, shown: int | None) -> str:
    lines = [MARKER, ""]
    if not stale:
        lines.append(f"截至 {today.isoformat()}，所有资源都在 {site.stale_days} 天内核实过。")
        return "\n".join(lines) + "\n"
    lines += [
        f"截至 {today.isoformat()}，**{_count(stale)} 条**资源待核实：从未核实，或核实日期超过 {site.stale_days} 天。",
        "",
        "请各责任单位核对这些条目（电话、开放时间、预约方式、费用……），把核实日期改为核对的那一天，"
        f"改过的地方写明信息来源（做法见[数据编辑指南]({_site_link(site, 'editors/')})）。",
        "本清单每月自动更新；没有待核实的条目时，本 issue 会自动关闭。",
    ]
    for department, rows in stale.items():
        lines += ["", f"### {_cell(department)}（{len(rows)} 条）", "", "| 资源 | 编号 | 核实日期 | 编辑 |", "| --- | --- | --- | --- |"]
        for row in rows[:shown]:
            edit = f"[编辑这一行]({row.edit})" if row.edit else "—"
            lines.append(f"| [{_cell(row.name)}]({row.page}) | `{row.id}` | {_age(row)} | {edit} |")
        if shown is not None and len(rows) > shown:
            lines += ["", f"另有 {len(rows) - shown} 条没有列出：全部见[各单位数据更新情况]({_site_link(site, 'freshness/')})，或运行 `atlas stale`。"]
    return "\n".join(lines) + "\n"


def to_json(stale: dict[str, list[StaleRow]], site: SiteInfo, today: dt.date) -> str:
    data = {
        "today": today.isoformat(),
        "stale_days": site.stale_days,
        "stale": _count(stale),
        "departments": [
            {"department": department, "rows": [{"id": r.id, "name": r.name, "verified_on": r.verified_on.isoformat() if r.verified_on else None, "days": r.days, "page": r.page, "edit": r.edit} for r in rows]}
            for department, rows in stale.items()
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _count(stale: dict[str, list[StaleRow]]) -> int:
    return sum(len(rows) for rows in stale.values())

