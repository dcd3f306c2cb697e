"""Take the README's phone screenshot of a resource page (fictional example data).

    .venv/bin/python scripts/screenshot.py   # writes docs/images/resource-phone.png
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import PHONE, chromium, serve  # noqa: E402
from tests.sites import build, make_project  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        result = build(make_project(project), project / "site")
        if result.returncode:
            sys.exit(result.stderr)
        with serve(project / "site") as url, chromium() as browser:
            page = browser.new_context(**PHONE).new_page()
            page.clock.set_fixed_time("2026-12-01T10:00:00")
            page.goto(url + "r/example-museum/")
            page.wait_for_function("document.querySelector('.atlas-open-status').textContent.length > 0")
            page.screenshot(path=str(ROOT / "docs" / "images" / "resource-phone.png"))


if __name__ == "__main__":
    main()
