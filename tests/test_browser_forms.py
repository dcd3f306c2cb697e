"""信息有误？ and 学校需求: the markup Netlify Forms needs, a submission without JavaScript to a
local stand-in for Netlify (which records the POST), and axe-core at 390×844."""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from . import netlify_server as netlify
from .browser import PHONE, axe, serve
from .test_quality import built_site

RULES = netlify.rules()
FORMS = {"correction": "r/example-museum/index.html", "need": "needs/index.html"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory)


class Forms(HTMLParser):
    """Each <form>'s attributes and its fields: [(tag, attributes)]."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[tuple[dict, list[tuple[str, dict]]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs, []))
        elif tag in ("input", "select", "textarea") and self.forms:
            self.forms[-1][1].append((tag, attrs))


def netlify_form(built: Path, name: str):
    forms = Forms((built / FORMS[name]).read_text("utf-8")).forms
    (form,) = [(attrs, fields) for attrs, fields in forms if attrs.get("name") == name]
    return form


@pytest.mark.parametrize("name", FORMS)
def test_forms_have_the_markup_netlify_needs(built, name):
    attrs, fields = netlify_form(built, name)
    assert attrs["method"] == "POST" and attrs["data-netlify"] == "true"
    assert attrs["action"] == "/thanks/" and (built / "thanks" / "index.html").is_file()
    honeypot = attrs["netlify-honeypot"]
    names = [f.get("name") for _, f in fields]
    assert ("input", {"type": "hidden", "name": "form-name", "value": name}) in fields
    assert honeypot in names
    # No field asks about a person: no pupil, parent, or name of anyone.
    personal = [n for n in names if n != "form-name" and re.search(r"student|pupil|parent|child|person|name|phone|mobile|email|class", n or "")]
    assert personal == [], names
    # The CSP lets the form post to the site itself.
    assert "'self'" in netlify.csp(RULES)["form-action"]


def test_every_resource_page_has_the_correction_form_with_its_id(built):
    for page in (built / "r").glob("*/index.html"):
        forms = [f for a, f in Forms(page.read_text("utf-8")).forms if a.get("name") == "correction"]
        assert len(forms) == 1, page
        assert ("input", {"type": "hidden", "name": "resource_id", "value": page.parent.name}) in forms[0]
        # Netlify records a form's fields from the deployed HTML: the same on every page.
        assert [f.get("name") for _, f in forms[0] if f.get("name") != "resource_id"] == [f.get("name") for _, f in netlify_form(built, "correction")[1] if f.get("name") != "resource_id"]


@pytest.fixture(scope="module")
def stand_in(built):
    """netlify.toml's headers, and Netlify's form handling: a POST is recorded (unless the
    honeypot is filled) and answered with a redirect to the form's thank-you page."""
    posts: list[tuple[str, dict[str, list[str]]]] = []
    lock = threading.Lock()

    class Handler(netlify.handler(RULES)):
        def do_POST(self):
            data = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"), keep_blank_values=True)
            if not data.get("bot-field", [""])[0]:
                with lock:
                    posts.append((self.path, data))
            self.send_response(303)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with serve(built, Handler) as url:
        yield url, posts


@pytest.fixture(scope="module")
def no_js(browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context
    context.close()


def at_centre_is(locator) -> bool:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    handle = locator.element_handle()
    return locator.page.evaluate("([x, y, el]) => { const hit = document.elementFromPoint(x, y); return hit === el || el.contains(hit); }", [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, handle])


@pytest.mark.browser
def test_a_correction_is_sent_without_javascript(stand_in, no_js):
    url, posts = stand_in
    page = no_js.new_page()
    page.goto(url + "r/example-museum/")
    form = page.locator("form[name=correction]")
    assert not form.is_visible()
    page.get_by_text("信息有误？告诉我们").click()
    assert form.is_visible()
    page.get_by_label("哪一项有误？").select_option("开放时间")
    page.get_by_label("正确的信息是什么？").fill("周一闭馆，周二至周日 9:00-17:00")
    page.get_by_label("信息来源（选填）").fill("场馆公告 https://museum.example.gov.cn/notice")
    submit = page.get_by_role("button", name="提交更正")
    assert at_centre_is(submit)
    before = len(posts)
    submit.click()
    page.wait_for_url(url + "thanks/")
    assert page.get_by_text("谢谢！我们已经收到你提交的内容。").is_visible()
    path, data = posts[before]
    assert path == "/thanks/"
    assert data == {
        "form-name": ["correction"], "resource_id": ["example-museum"], "bot-field": [""], "field": ["开放时间"],
        "correct": ["周一闭馆，周二至周日 9:00-17:00"], "source": ["场馆公告 https://museum.example.gov.cn/notice"],
    }
    page.close()


@pytest.mark.browser
def test_a_school_need_is_sent_without_javascript(stand_in, no_js):
    url, posts = stand_in
    page = no_js.new_page()
    page.goto(url + "needs/")
    page.get_by_label("学校名称").fill("示例小学")
    page.get_by_label("主题").fill("科普场馆")
    page.get_by_label("小学高段").check()
    page.get_by_label("初中").check()
    page.get_by_label("每批人数").fill("45")
    page.get_by_label("希望的时间").fill("2027 年 3 月下旬")
    page.get_by_label("希望在哪个镇街（选填）").select_option("西彭镇")
    before = len(posts)
    page.get_by_role("button", name="提交需求").click()
    page.wait_for_url(url + "thanks/")
    path, data = posts[before]
    assert data["form-name"] == ["need"] and data["stage"] == ["小学高段", "初中"] and data["group_size"] == ["45"]
    assert data["street"] == ["西彭镇"] and data["office_contact"] == [""]
    # Beside the form, what exists: the finder with the same facets, and the stage pages.
    page.go_back()
    page.get_by_label("学段", exact=True).select_option("初中")
    page.get_by_role("button", name="在查找页筛选").click()
    page.wait_for_url(re.compile(r"/find/\?category=&stage=%E5%88%9D%E4%B8%AD&street="))
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("path, open_form", [("r/example-museum/", True), ("needs/", False), ("thanks/", False)])
def test_no_axe_violations_at_390x844(stand_in, browser, path, open_form):
    url, _ = stand_in
    context = browser.new_context(**PHONE, bypass_csp=True)  # to inject axe-core; the pages run under the CSP above
    page = context.new_page()
    page.goto(url + path)
    if open_form:
        page.get_by_text("信息有误？告诉我们").click()
        page.get_by_label("正确的信息是什么？").fill("示例")
    result = axe(page, {"resultTypes": ["violations"]})
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    context.close()
