"""The plugin's own wiring: options, and `mkdocs serve` watching the data files."""

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
