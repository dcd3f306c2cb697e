"""Material's search of the hand-written pages, downloaded when someone searches.

Material's bundle fetches search/search_index.json and starts its search worker on every page
load: ~34 KB + ~12 KB gzip on the shipped site, nearly half of what a phone downloads for a
resource page, for a search box most visitors never open. After Material's search plugin has
written the index, the build moves it to search/pages.json and leaves Material an index with
the same config and no documents. overrides/main.html points Material at our worker
(overrides/assets/javascripts/workers/atlas-pages.js), which answers "ready" at once and, at
the first query, fetches search/pages.json and hands it to Material's own worker.
"""

from __future__ import annotations

import json
from pathlib import Path

MATERIAL = "search/search_index.json"
PAGES = "search/pages.json"


def defer(site: Path) -> None:
    """Move Material's page index aside, leaving it an empty one. Safe to run twice."""
    index, pages = site / MATERIAL, site / PAGES
    if not index.is_file():
        return  # the search plugin is off
    data = json.loads(index.read_text("utf-8"))
    if not data.get("docs") and pages.is_file():
        return  # already done (a second on_post_build of the same build)
    index.replace(pages)
    index.write_text(json.dumps({"config": data.get("config", {}), "docs": []}, ensure_ascii=False, separators=(",", ":")), "utf-8")
