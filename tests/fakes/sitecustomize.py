"""A fake geocoder for `atlas geocode` run as a subprocess (tests/test_workflows.py): Python
imports this module at start-up when its folder is on PYTHONPATH. Every geopy geocoder then
answers from tests/data/geocode: the query named in $ATLAS_FAKE_ANSWERS (JSON: query -> file)
gets that file, any other query amap-one.json. Queries are logged to $ATLAS_FAKE_LOG."""

import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

if os.environ.get("ATLAS_FAKE_ANSWERS"):
    import geopy.geocoders
    from geopy.adapters import BaseSyncAdapter

    CANNED = Path(__file__).parent.parent / "data" / "geocode"
    ANSWERS = json.loads(Path(os.environ["ATLAS_FAKE_ANSWERS"]).read_text("utf-8"))

    class CannedAdapter(BaseSyncAdapter):
        def get_json(self, url, *, timeout, headers):
            params = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
            query = params.get("address") or params.get("q")
            with open(os.environ["ATLAS_FAKE_LOG"], "a", encoding="utf-8") as log:
                log.write(query + "\n")
            return json.loads((CANNED / ANSWERS.get(query, "amap-one.json")).read_text("utf-8"))

        def get_text(self, url, *, timeout, headers):
            raise AssertionError("the geocoders ask for JSON only")

    geopy.geocoders.options.default_adapter_factory = CannedAdapter
