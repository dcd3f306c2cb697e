"""The coordinate picker at /editors/picker/: tap or drag a point, copy the CSV cells.

The page carries everything it needs (the basemap, the district's outline and the streets'
seats) and computes in the browser: no point is ever sent anywhere. It reads the site's own
``map/markers.json`` only to put an existing resource's marker (``?id=…``) on the map.
"""

from __future__ import annotations

import json

from .district import Bounds
from .maps import CENTER, LEAFLET_CSS, LEAFLET_JS, LEAFLET_ZH, Basemap
from .pages import Page, render
from .taxonomy import taxonomy

PATH = "editors/picker/index.md"


def picker_page(base: Basemap, bounds: Bounds) -> Page:
    streets = taxonomy().streets
    data = {
        "basemap": base.options(),
        "center": list(CENTER),
        "bounds": [list(point) for point in bounds.polygon],
        "seats": [[s.name, *s.seat] for s in streets],
    }
    body = render(
        "picker.html", base=base, streets=streets, data=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        leaflet_js=LEAFLET_JS, leaflet_zh=LEAFLET_ZH, leaflet_css=LEAFLET_CSS, root="../../",
    )
    return Page(PATH, "坐标拾取器", body, "在地图上点选或拖动位置，得到可以粘贴进资源表的纬度、经度和坐标系", hide=("navigation", "toc"), search=False)
