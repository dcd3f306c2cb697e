"""netlify.toml's header rules, applied the way Netlify applies them, by a local test server.

Netlify matches a rule's `for` against the request path: `*` matches any run of characters
(slashes too), `:name` one path segment, everything else literally. Every matching rule adds
its headers; what no rule sets keeps Netlify's default (Cache-Control below). A path with no
file gets site/404.html with status 404.
"""

from __future__ import annotations

import http.server
import io
import re
import tomllib
from functools import cache
from pathlib import Path

import yaml

from atlas import maps

ROOT = Path(__file__).parent.parent
NETLIFY_TOML = ROOT / "netlify.toml"
DEFAULT_CACHE = "public, max-age=0, must-revalidate"  # what Netlify sends when no rule says


def tile_hosts() -> set[str]:
    """The hosts of the basemap mkdocs.yml configures (the CSP's img-src must allow them)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    plugin = next(p["atlas"] for p in config["plugins"] if isinstance(p, dict) and "atlas" in p)
    tiles = plugin.get("tiles", {})
    return maps.basemap(tiles.get("provider", "amap"), "placeholder-key").hosts


def config(path: Path = NETLIFY_TOML) -> dict:
    return tomllib.loads(path.read_text("utf-8"))


def rules(path: Path = NETLIFY_TOML) -> list[tuple[str, dict[str, str]]]:
    return [(rule["for"], dict(rule.get("values", {}))) for rule in config(path).get("headers", [])]


@cache
def _regex(pattern: str) -> re.Pattern:
    parts = re.split(r"(\*|:[A-Za-z_][A-Za-z0-9_]*)", pattern)
    body = "".join(".*" if p == "*" else "[^/]+" if p.startswith(":") else re.escape(p) for p in parts)
    return re.compile(body + r"\Z")


def matches(pattern: str, path: str) -> bool:
    return bool(_regex(pattern).match(path))


def matching(path: str, header_rules) -> list[tuple[str, dict[str, str]]]:
    return [(pattern, values) for pattern, values in header_rules if matches(pattern, path)]


def headers_for(path: str, header_rules) -> dict[str, str]:
    """The headers Netlify would add to a response for ``path`` (a URL path, e.g. /r/x/)."""
    out: dict[str, str] = {}
    for _, values in matching(path, header_rules):
        for name, value in values.items():
            out[name] = f"{out[name]}, {value}" if name in out else value  # tests forbid this case
    out.setdefault("Cache-Control", DEFAULT_CACHE)
    return out


def csp(header_rules) -> dict[str, list[str]]:
    """The Content-Security-Policy of every page, as {directive: [sources]}."""
    value = headers_for("/", header_rules)["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in value.split(";")) if d}


def handler(header_rules):
    """A SimpleHTTPRequestHandler class (for tests/browser.serve) that sends Netlify's headers."""

    class Netlify(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".vcf": "text/x-vcard"}

        def log_message(self, *args):
            pass

        def send_head(self):
            local = Path(self.translate_path(self.path))
            if not local.exists() or (local.is_dir() and not (local / "index.html").exists()):
                return self._not_found()
            return super().send_head()

        def _not_found(self):
            page = Path(self.directory) / "404.html"
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

        def send_header(self, keyword, value):
            ours = headers_for(self.path.split("?", 1)[0], header_rules)
            if keyword.lower() in {k.lower() for k in ours}:
                return  # ours win (e.g. Content-Type of *.vcf), sent in end_headers
            super().send_header(keyword, value)

        def end_headers(self):
            for name, value in headers_for(self.path.split("?", 1)[0], header_rules).items():
                super().send_header(name, value)
            super().end_headers()

    return Netlify
