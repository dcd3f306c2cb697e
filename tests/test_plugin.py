"""The plugin's own wiring: options, and `mkdocs serve` watching the data files."""

import datetime as dt
from pathlib import Path

from mkdocs.config import load_config

from .sites import make_project


class FakeServer:
    def __init__(self):
        self.watched = []

    def watch(self, path, *args, **kwargs):
        self.watched.append(Path(path))


def test_serve_watches_the_csv_routes_geocode_cache_and_synonyms(tmp_path):
    config_path = make_project(tmp_path)
    (tmp_path / "data" / "geocache.json").write_text('{"version": 1, "entries": {}}', "utf-8")
    config = load_config(str(config_path))
    plugin = config.plugins["atlas"]
    plugin.on_config(config)
    server = FakeServer()
    plugin.on_serve(server, config, builder=None)
    assert {p.name for p in server.watched} == {"resources.csv", "routes.yml", "geocache.json", "synonyms.yml"}
    assert all(p.is_file() for p in server.watched)


def test_the_build_says_when_the_holiday_data_runs_out(tmp_path, monkeypatch, caplog):
    from atlas import holidays

    config = load_config(str(make_project(tmp_path)))
    plugin = config.plugins["atlas"]
    last = holidays.china().last
    for day, warned in ((last.replace(year=last.year - 1, month=6, day=1), False), (last.replace(month=1, day=2), True)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str((day - dt.date(1970, 1, 1)).days * 86400))
        caplog.clear()
        with caplog.at_level("INFO", logger="mkdocs.plugins.atlas"):
            plugin.on_config(config)
        assert any("节假日数据只到" in r.getMessage() for r in caplog.records) == warned, day
        assert all(e.calendar is holidays.china() for e in plugin.entries)
