"""The MkDocs plugin: a thin layer that hands MkDocs events to plain functions."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from . import reference

from .district import load_bounds
from .findings import to_text
from .geocache import read_cache
from .validate import Atlas, Settings, validate_csv, validate_routes

log = logging.getLogger("mkdocs.plugins.atlas")


class AtlasConfig(base.Config):
    data = c.Type(str, default="data/resources.csv")
    routes = c.Type(str, default="data/routes.yml")
    geocache = c.Type(str, default="data/geocache.json")
    bounds = c.Optional(c.Type((str, list)))  # GeoJSON path or [south, west, north, east]
    stale_days = c.Type(int, default=365)


class AtlasPlugin(BasePlugin[AtlasConfig]):
    atlas: Atlas | None = None

    def _path(self, config, name: str) -> Path:
        return Path(config.config_file_path).parent / getattr(self.config, name)

    def on_config(self, config):
        bounds = self.config.bounds
        if isinstance(bounds, str):
            bounds = self._path(config, "bounds")
        settings = Settings(
            bounds=load_bounds(bounds),
            stale_days=self.config.stale_days,
            today=dt.date.today(),
            geocache=read_cache(self._path(config, "geocache")),
        )
        atlas = validate_csv(self._path(config, "data"), settings)
        routes = self._path(config, "routes")
        if routes.is_file():
            validate_routes(routes, atlas)
        if not atlas.report.ok:
            raise PluginError("资源表有错误，不能发布：\n" + to_text(atlas.report))
        if atlas.report.warnings:
            log.info("资源表有 %d 个提醒（运行 atlas validate 查看）", len(atlas.report.warnings))
        self.atlas = atlas
        return config

    def on_files(self, files, config):
        files.append(File.generated(config, "downloads/template.csv", content=reference.csv_template()))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # The editor guide's column reference is generated from the schema, never copied.
        return markdown.replace(reference.COLUMNS_MARKER, reference.columns_markdown())

    def on_serve(self, server, config, builder):
        for name in ("data", "routes", "geocache"):
            path = self._path(config, name)
            if path.exists():
                server.watch(str(path))
        return server
