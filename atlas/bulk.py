"""The search index and the QR codes: thousands of files no page needs while it is rendered.

At 30,000 resources they took 200 s of CPU (search ~130 s, QR codes ~70 s) beside MkDocs'
~160 s for the pages. Each is written by its own child process while MkDocs renders the
pages, so a machine with two cores builds in about half the time. Below BACKGROUND_FROM
they are written in-process: starting a Python costs more than it saves.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pages import Entry

BACKGROUND_FROM = 200  # items; fewer are written in the build's own process


# Each task imports what it needs itself: the QR child need not load jieba and lunr.
def write_search(site_dir: str, entries: list[Entry], *synonyms) -> None:
    from . import search

    for name, content in search.files(entries, *synonyms):
        _write(site_dir, f"search/{name}", content)


def write_qr_codes(site_dir: str, qr_codes: list[tuple[str, str, str]]) -> None:
    """Each ``(path, url, title)``: an SVG QR code of the URL for posters."""
    from . import contact

    for path, url, title in qr_codes:
        _write(site_dir, path, contact.qr_svg(url, title))


TASKS = {"search": write_search, "qr": write_qr_codes}


def _write(site_dir: str, path: str, content: str) -> None:
    target = Path(site_dir, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content.encode("utf-8"))  # bytes: no newline translation, as MkDocs writes them


class Job:
    """One task of TASKS writing under ``site_dir``; ``wait()`` raises its error, if any."""

    def __init__(self, task: str, site_dir: str, items: list, *extra):
        self.process = None
        if len(items) < BACKGROUND_FROM:
            TASKS[task](site_dir, items, *extra)
            return
        # A plain child (`python -m atlas.bulk`), not multiprocessing: spawn and forkserver
        # re-import the parent's __main__, which re-runs any script that builds without a
        # main guard, and fork can inherit a lock held by one of `mkdocs serve`'s threads.
        # Input through a file: a pipe would block the build until the child had imported.
        with tempfile.NamedTemporaryFile(prefix="atlas-bulk-", suffix=".pickle", delete=False) as job:
            pickle.dump((task, site_dir, items, extra), job, protocol=pickle.HIGHEST_PROTOCOL)
        self.input, self.log = job.name, tempfile.TemporaryFile()
        package_root = str(Path(__file__).resolve().parent.parent)  # this very atlas, wherever it was imported from
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", "atlas.bulk", self.input], stdout=subprocess.DEVNULL, stderr=self.log, env=env)

    def wait(self) -> None:
        if self.process is None:
            return
        code = self.process.wait()
        Path(self.input).unlink(missing_ok=True)  # the child removes it once read, unless it failed first
        self.log.seek(0)
        lines = self.log.read().decode("utf-8", "replace").strip().splitlines()
        if code != 0:
            raise RuntimeError(lines[-1] if lines else f"exit status {code}")


if __name__ == "__main__":  # the child of Job
    with open(sys.argv[1], "rb") as job:
        task, site, items, extra = pickle.load(job)
    os.unlink(sys.argv[1])  # nothing left in /tmp even if the build that started us has stopped
    TASKS[task](site, items, *extra)
