"""Build a site from fixture rows, the way `mkdocs build` does it in production."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import yaml

from .conftest import csv_bytes, row

ROOT = Path(__file__).parent.parent


@contextmanager
def script(name: str):
    """scripts/<name>.py as a module (the scripts are not part of the package), while in use."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    try:
        yield module
    finally:
        del sys.modules[name]

# Representative, obviously fictional rows: every card feature appears at least once.
ROWS = [
    row(
        id="example-museum", name="示例博物馆0001", category="museum", tags="红岩思政;非遗", phone="023-68781234;12345",
        booking="提前 3 天电话预约，团体需提交名单", booking_url="https://booking.example.gov.cn/a?b=1&c=2",
        website="https://museum.example.gov.cn/", wechat="示例博物馆", opening_hours="Tu-Su 09:00-17:00; PH off",
        hours_note="16:30 停止入馆", fee="free", fee_note="学生凭证免费", stages="小学高段;初中", five_education="德;智",
        capacity="50", visit_minutes="90", accessible="yes", description="第一段简介。\n第二段 & “引号” <不是标签",
        source="示例来源", lat="29.505734", lon="106.514814", coord_system="gcj02",
    ),
    row(id="example-care", name="示例托管点0002", category="holiday_care", street="华岩镇", address="重庆市九龙坡区示例镇示例路2号",
        lat="29.4780", lon="106.4450", holiday_service="暑假;寒假", stages="小学低段;小学高段", fee="free",
        opening_hours="Mo-Fr 08:30-12:00,14:00-17:30", department="华岩镇", verified_on=""),
    row(id="example-closed", name="示例图书馆0003 \"A&B\" 'x'", category="library", street="谢家湾街道", address="重庆市九龙坡区示例路3号",
        lat="", lon="", status="temporarily_closed", verified_on="2024-01-01", department="区文化旅游委"),
    row(id="example-draft", name="示例草稿0004", status="draft"),
]

ROUTES = [
    {"id": "example-route", "name": "示例路线", "theme": "示例主题", "stages": ["初中"], "description": "示例路线说明",
     "stops": [{"id": "example-museum", "minutes": 60, "note": "参观"}, {"id": "example-care", "minutes": 30, "note": "休息"}]},
]


def make_project(tmp: Path, rows=ROWS, routes=ROUTES, site_url="https://atlas.example.org/", programs: bytes | None = None, calendar: str | None = None) -> Path:
    """A project folder whose mkdocs.yml is the real one, pointed at fixture data (a 场馆课表 and
    a school calendar only when given)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    plugin = next(p["atlas"] for p in config["plugins"] if isinstance(p, dict) and "atlas" in p)
    (tmp / "data").mkdir(parents=True, exist_ok=True)
    (tmp / "data" / "resources.csv").write_bytes(csv_bytes(*rows))
    (tmp / "data" / "routes.yml").write_text(yaml.safe_dump(routes, allow_unicode=True), "utf-8")
    if programs is not None:
        (tmp / "data" / "programs.csv").write_bytes(programs)
    if calendar is not None:
        (tmp / "data" / "calendar.yml").write_text(calendar, "utf-8")
    plugin.update(resources="data/resources.csv", routes="data/routes.yml", geocache="data/geocache.json", node_modules=str(ROOT / "node_modules"),
                  synonyms=str(ROOT / "data" / "synonyms.yml"))
    config.update(docs_dir=str(ROOT / "docs"), site_url=site_url)
    if config["theme"].get("custom_dir"):
        config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    (tmp / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return tmp / "mkdocs.yml"


def build(config: Path, site: Path, strict: bool = True) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)] + (["--strict"] if strict else [])
    return subprocess.run(args, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(config.parent)})
