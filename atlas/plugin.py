"""The MkDocs plugin: a thin layer that hands MkDocs events to plain functions.

on_config validates the data (errors stop the build), on_files adds every generated page
and file as a virtual file (nothing is written into docs/; a generated page is only a
marker) and starts bulk.py's children, on_page_markdown gives generated pages their meta,
fills the markers of hand-written pages and points "edit" at the CSV row, on_page_content
puts the generated HTML in after Markdown (which it would only slow down) — or, for pages
Material's search skips, on_post_page does, with the <head> tags of resource pages —
on_post_build waits for the search index and QR codes and defers Material's page search, and on_serve watches the data files.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from . import bulk, contact, exports, feeds, footer, forgive, forms, history, holidays, home, jsonld, maps, pages, program_months, program_pages, programs, reference, routes, school_terms, search, timeline
from . import messages, page_search, picker  # the editor guide's message table, the coordinate picker (issue 13)
from .district import load_bounds
from .findings import to_text
from .geocache import load_cache, locate
from .validate import Atlas, Settings, validate_csv, validate_routes

log = logging.getLogger("mkdocs.plugins.atlas")

# Front-end files from the npm registry (pinned in package-lock.json), served by the site.
VENDOR = {
    "assets/vendor/lunr.min.js": "lunr/lunr.min.js",
    "assets/vendor/leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "assets/vendor/leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    **{f"assets/vendor/leaflet/images/{name}": f"leaflet/dist/images/{name}" for name in ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")},
    "assets/vendor/leaflet.markercluster/leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "assets/vendor/leaflet.markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "assets/vendor/leaflet.markercluster/MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "assets/vendor/qrcode-generator/qrcode.js": "qrcode-generator/dist/qrcode.js",  # the printed plan's QR code
}
# What a page's content holds until on_post_page puts its HTML in, when that HTML has an <h1>.
LATER_WITH_H1 = "<!-- atlas:body, with its own <h1> -->"


class TilesConfig(base.Config):
    provider = c.Choice(("amap", "tianditu", "osm"), default="amap")
    key = c.Type(str, default="")  # 天地图 tk; use !ENV TIANDITU_KEY, never commit it
    review_number = c.Type(str, default="")  # the basemap's 审图号, shown with every map


class PaceConfig(base.Config):
    detour = c.Type(float, default=1.4)  # road distance / straight line
    speed_kmh = c.Type(float, default=25.0)  # a coach in town
    day_end = c.Type(str, default="17:30")  # a planned day later than this gets a warning


class AtlasConfig(base.Config):
    resources = c.Type(str, default="data/resources.csv")
    routes = c.Type(str, default="data/routes.yml")
    programs = c.Type(str, default="data/programs.csv")  # 场馆课表; skipped when absent
    calendar = c.Type(str, default="data/calendar.yml")  # 寒暑假 (SH); skipped when absent
    synonyms = c.Type(str, default="data/synonyms.yml")  # what people type -> what the atlas calls it
    geocache = c.Type(str, default="data/geocache.json")
    bounds = c.Optional(c.Type((str, list)))  # GeoJSON path or [south, west, north, east]
    stale_days = c.Type(int, default=365)
    repo = c.Type(str, default="")  # GitHub repository URL, for correction and edit links
    branch = c.Type(str, default="main")
    node_modules = c.Type(str, default="node_modules")
    tiles = c.SubConfig(TilesConfig)
    pace = c.SubConfig(PaceConfig)  # 研学 routes' travel estimate (timeline.py)


class AtlasPlugin(BasePlugin[AtlasConfig]):
    def _path(self, config, name: str) -> Path:
        return Path(config.config_file_path).parent / getattr(self.config, name)

    def _data_files(self, config) -> list[Path]:
        """The files whose last commit dates the data (footer.data_date)."""
        return [self._path(config, name) for name in ("resources", "routes", "geocache")]

    def on_config(self, config):
        bounds = self.config.bounds
        if isinstance(bounds, str):
            bounds = self._path(config, "bounds")
        try:
            cache, cache_findings = load_cache(self._path(config, "geocache"))
        except (OSError, ValueError) as error:
            raise PluginError(f"无法读取地理编码缓存：{error}") from None
        self.settings = Settings(
            bounds=load_bounds(bounds),
            stale_days=self.config.stale_days,
            today=dt.date.today(),
            geocache=cache,
        )
        atlas = validate_csv(self._path(config, "resources"), self.settings)
        atlas.report.add(*cache_findings)
        routes = self._path(config, "routes")
        if routes.is_file():
            validate_routes(routes, atlas)
        calendar, self._terms = self._calendar(config, atlas)
        terms = self._terms
        if not atlas.report.ok:
            raise PluginError("资源表有错误，不能发布：\n" + to_text(atlas.report))
        if atlas.report.warnings:
            log.info("资源表有 %d 个提醒（运行 atlas validate 查看）", len(atlas.report.warnings))
        self.atlas: Atlas = atlas
        synonyms = self._path(config, "synonyms")
        try:
            self.synonyms = forgive.load_synonyms(synonyms) if synonyms.is_file() else forgive.Synonyms()
        except forgive.SynonymsError as error:
            raise PluginError(f"搜索同义词表有错误，不能发布：\n{error}") from None
        try:
            self.basemap = maps.basemap(self.config.tiles.provider, self.config.tiles.key, self.config.tiles.review_number)
        except ValueError as error:
            raise PluginError(str(error)) from None
        if not self.config.tiles.review_number and self.basemap.datum != "wgs84":
            log.info("底图没有配置审图号（tiles.review_number）：在中国公开发布的地图须标注审图号")
        self.site = pages.SiteInfo(
            site_url=config.site_url or "",
            repo_url=self.config.repo,
            branch=self.config.branch,
            data_path=self.config.resources,
            stale_days=self.config.stale_days,
            data_date=footer.data_date(Path(config.config_file_path).parent, self._data_files(config), atlas.resources),
            basemap=self.basemap.options(),
            school_holidays="重庆市中小学" + "；".join(program_pages.term_lines(terms)) + "。",
        )
        if warning := holidays.coverage_warning(calendar, holidays.build_date()):
            log.info(warning)  # info, not warning: strict mode would stop the build
        pace = self.config.pace
        try:
            self.pace = timeline.Pace(pace.detour, pace.speed_kmh, timeline.parse_clock(pace.day_end))
        except ValueError as error:
            raise PluginError(f"atlas 插件 pace.day_end：{error}") from None
        self.entries = [
            pages.Entry(r, locate(r, self.settings.geocache), atlas.rows[r.id].number, atlas.rows[r.id].line, calendar=calendar)
            for r in atlas.resources
        ]
        mine = program_pages.by_resource(self.programs)
        for entry in self.entries:
            if entry.r.id in mine:
                entry.programs = program_pages.resource_block(mine[entry.r.id], entry)
                entry.sessions = program_pages.sessions(mine[entry.r.id], entry)
                entry.program_months = tuple(program_months.facet(mine[entry.r.id]))
        self.data_info = exports.data_info(self.site.site_url, self.entries, history.csv_history(self._path(config, "resources")))
        return config

    def _calendar(self, config, atlas: Atlas):
        """China's holidays with the school holidays (SH) of calendar.yml; then the 场馆课表."""
        calendar, terms = holidays.china(), None
        path = self._path(config, "calendar")
        if path.is_file():
            terms, found = school_terms.load(path, calendar)
            atlas.report.add(*found)
            calendar = school_terms.with_school_holidays(calendar, terms)
        path = self._path(config, "programs")
        known = {r.id for r in atlas.resources}
        self.programs = programs.validate_programs(path, known, calendar, atlas.report) if path.is_file() else []
        if not atlas.report.ok:
            raise PluginError("资源表、课表或校历有错误，不能发布：\n" + to_text(atlas.report))
        return calendar, terms

    def on_files(self, files, config):
        # The search index is written beside the pages from the start (see bulk.py).
        self.jobs = [bulk.Job("search", config.site_dir, self.entries, self.synonyms)]
        self.heads, self.bodies = _Stash(), _Stash()  # generated page -> its <head> tags, its HTML
        self.metas: dict[str, dict] = {}  # generated page -> its front matter, given after reading
        self.with_h1: set[str] = set()  # generated pages whose HTML has its own <h1>
        self.edit_urls: dict[str, str] = {}

        def add(page: pages.Page) -> None:
            files.append(File.generated(config, page.path, content=pages.BODY_MARKER))
            self.metas[page.path] = page.meta | feeds.page_feed(page.path)
            self.bodies.put(page.path, page.body)
            if "<h1" in page.body:
                self.with_h1.add(page.path)

        script, map_name, cluster_name = maps.atlas_map(self.basemap)
        for page in pages.browse_pages(self.entries, self.site):
            add(page)
        route_pages, qr_codes = routes.pages(self.atlas.routes, self.entries, self.site, self.pace)
        for page in route_pages:
            add(page)
        files.append(File.generated(config, "routes/plan/stops.json", content=routes.plan_stops(self.entries)))
        add(maps.map_page(self.basemap, map_name, cluster_name, unplaced=sum(1 for e in self.entries if e.point is None)))
        add(search.finder_page())
        by_id = {entry.r.id: entry for entry in self.entries}
        add(program_pages.programs_page(self.programs, by_id, self._terms))
        for path, data in program_pages.ics_files(self.programs, by_id, config.site_url or "").items():
            files.append(File.generated(config, path, content=data))
        files.append(File.generated(config, "downloads/programs-template.csv", content=reference.csv_template(programs.Program)))
        add(forms.needs_page(self.entries, self.site.site_url))
        add(forms.thanks_page())
        add(picker.picker_page(self.basemap, self.settings.bounds))
        files.append(File.generated(config, "map/map.js", content=script))
        files.append(File.generated(config, "map/markers.json", content=maps.markers(self.entries, self.basemap)))
        files.append(File.generated(config, "holiday/sites.json", content=pages.holiday_sites(self.entries)))
        for entry in self.entries:
            page = pages.resource_page(entry, self.site)
            add(page)
            url = pages.page_url(self.site, f"r/{entry.r.id}/")
            self.heads.put(page.path, jsonld.head(entry, url, config.site_name, page.description))
            if self.site.repo_url:
                self.edit_urls[page.path] = pages.links.edit_row(self.site.repo_url, self.site.branch, self.site.data_path, entry.line)
            files.append(File.generated(config, f"r/{entry.r.id}/contact.vcf", content=contact.vcard(entry.r, url, entry.point)))
            if self.site.site_url:
                qr_codes.append((f"r/{entry.r.id}/qr.svg", url, entry.r.name))
        self.jobs.append(bulk.Job("qr", config.site_dir, qr_codes))
        files.append(File.generated(config, "downloads/template.csv", content=reference.csv_template()))
        data_files = exports.files(self.entries, self.data_info)
        for export in data_files:
            files.append(File.generated(config, export.path, content=export.content))
        add(exports.data_page(self.entries, data_files, self.data_info))
        modules = self._path(config, "node_modules")
        for target, source in VENDOR.items():
            path = modules / source
            if not path.is_file():
                raise PluginError(f"缺少前端依赖 {path}：请先运行 scripts/setup（npm ci）")
            files.append(File.generated(config, target, abs_src_path=str(path)))
        return files

    def on_env(self, env, config, files):
        env.globals["atlas_once"] = _Once()  # overrides/main.html: shared sidebars, rendered once a build
        env.globals["atlas_footer"] = footer.footer(self.basemap.name, self.config.tiles.review_number, self.site.data_date)  # overrides/partials/copyright.html
        return env

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri in self.metas:
            page.meta = self.metas.pop(page.file.src_uri)
        page.meta = jsonld.head_meta(page.meta)  # every page: hand-written front matter too
        if page.file.src_uri in self.edit_urls:
            page.edit_url = self.edit_urls[page.file.src_uri]
        # Markers are filled only where they stand: building the home sections for every
        # page made the build quadratic (334 s at 3,000 resources).
        if reference.PROGRAM_COLUMNS_MARKER in markdown:
            markdown = markdown.replace(reference.PROGRAM_COLUMNS_MARKER, reference.program_columns_markdown())
        if reference.COLUMNS_MARKER in markdown:
            markdown = markdown.replace(reference.COLUMNS_MARKER, reference.columns_markdown())
        if messages.MESSAGES_MARKER in markdown:
            markdown = markdown.replace(messages.MESSAGES_MARKER, messages.messages_markdown())
        if home.HOME_MARKER in markdown:
            markdown = markdown.replace(home.HOME_MARKER, home.home_sections(self.entries, self.atlas.routes))
        return markdown

    def on_page_content(self, html, page, config, files):
        # MkDocs holds every page's content until the build ends: a page Material's search
        # skips gets its HTML only in on_post_page, so 30,000 bodies are never all in memory.
        # Material adds the title as <h1> to content without one: the marker says if the body has one.
        if page.meta.get("search", {}).get("exclude"):
            return html.replace(pages.BODY_MARKER, LATER_WITH_H1, 1) if page.file.src_uri in self.with_h1 else html
        body = self.bodies.take(page.file.src_uri)
        return html.replace(pages.BODY_MARKER, body, 1) if body is not None else html

    def on_post_page(self, output, page, config):
        body = self.bodies.take(page.file.src_uri)
        if body is not None:
            marker = LATER_WITH_H1 if page.file.src_uri in self.with_h1 else pages.BODY_MARKER
            output = output.replace(marker, body, 1)
        head = self.heads.take(page.file.src_uri)
        return output.replace("</head>", head + "\n</head>", 1) if head else output

    def on_post_build(self, config):
        for job in self.jobs:
            try:
                job.wait()
            except Exception as error:
                raise PluginError(f"搜索索引或二维码没有生成：{error!r}") from error
        page_search.defer(Path(config["site_dir"]))

    def on_serve(self, server, config, builder):
        for name in ("resources", "routes", "geocache", "programs", "calendar", "synonyms"):
            path = self._path(config, name)
            if path.exists():
                server.watch(str(path))
        return server


class _Stash:
    """Texts kept as UTF-8 until their one use: the HTML of 30,000 resource pages is ~320 MB
    as Python strings (two bytes a character once there is Chinese in it), ~190 MB as UTF-8."""

    def __init__(self):
        self._texts: dict[str, bytes] = {}

    def put(self, key: str, text: str) -> None:
        self._texts[key] = text.encode("utf-8")

    def take(self, key: str) -> str | None:
        data = self._texts.pop(key, None)
        return None if data is None else data.decode("utf-8")


class _Once(dict):
    """A Jinja call block rendered once per key: ``{% call atlas_once(key) %}…{% endcall %}``."""

    def __call__(self, key: str, caller):
        if key not in self:
            self[key] = caller()
        return self[key]
