"""Forms for people without a GitHub account: 信息有误？ on every resource page, the 学校需求
page, and the thank-you page both lead to. They are Netlify Forms: static HTML with
``data-netlify``, a honeypot and the hidden ``form-name``, posted without JavaScript;
Netlify keeps the submissions and notifies the editors (docs/editors.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .pages import Page, render
from .taxonomy import taxonomy

# What the correction form offers for 哪一项有误？ (the card's facts, in its order).
FIELDS = ("电话", "地址或位置", "开放时间", "预约方式", "费用", "名称", "已关闭或暂停开放", "其他")
PRIVACY = (
    "提交的内容和提交时间保存在网站托管服务 Netlify 的表单记录里，只有本站编辑能看到；"
    "Netlify 同时记录提交者的 IP 地址和浏览器信息，用于过滤垃圾信息。"
    "编辑把内容转成对资源表的修改（或答复）后，会删除这条记录。"
)


def thanks_url(site_url: str) -> str:
    """Netlify wants the form's action as a path from the site root."""
    return (urlsplit(site_url).path or "/").rstrip("/") + "/thanks/"


def correction_context(site_url: str) -> dict:
    """What resource.html's 信息有误？ form (_correction.html) needs besides the resource."""
    return {"thanks": thanks_url(site_url), "fields": FIELDS, "privacy": PRIVACY}


def needs_page(entries: list, site_url: str) -> Page:
    t = taxonomy()
    stage_counts = [{"label": s.label, "slug": s.slug, "count": sum(1 for e in entries if s.label in e.r.stages)} for s in t.stages]
    category_counts = [{"label": c.label, "code": c.code, "count": sum(1 for e in entries if e.r.category == c.code)} for c in t.categories]
    body = render(
        "needs.html", root="../", thanks=thanks_url(site_url), privacy=PRIVACY, categories=t.categories, stages=t.stages,
        streets=t.streets, stage_counts=stage_counts, category_counts=[c for c in category_counts if c["count"]],
    )
    return Page("needs/index.md", "学校需求", body, "学校提出研学、实践资源需求：主题、学段、人数、时间、镇街", hide=("toc",))


def thanks_page() -> Page:
    return Page("thanks/index.md", "提交成功", render("thanks.html", root="../"), "已收到你提交的内容", hide=("navigation", "toc"), search=False)
