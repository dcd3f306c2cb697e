"""When each row was added, changed or re-verified, from the resource table's git history.

The feeds must not change when the site is merely rebuilt, so no date here comes from the
clock: each event is dated by the commit that made it. Every version of the CSV in history
is read as the validator reads it and compared by id with the version before.

Degrades without failing: outside git (a tarball, a test's temporary folder) there is no
history and the feeds fall back to ``verified_on``. In a shallow clone (CI checks out one
commit by default) the oldest commit available is only a baseline — what it holds might be
years old — so it yields no events; a full clone gives the full history.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .load import read_table

ADDED, CHANGED, VERIFIED = "added", "changed", "verified"
CHINA = dt.timezone(dt.timedelta(hours=8))
# Cells that change when a liaison confirms a row without changing its facts.
_VERIFICATION = {"verified_on", "source"}


@dataclass(frozen=True)
class Event:
    kind: str  # ADDED, CHANGED or VERIFIED
    when: dt.datetime  # the commit's time, in China's time zone


@dataclass(frozen=True)
class History:
    events: dict[str, tuple[Event, ...]]  # resource id -> its events, oldest first
    last_commit: dt.datetime | None = None  # the last commit that changed the file


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=False)
    except OSError:  # no git on this machine
        return None
    return done.stdout if done.returncode == 0 else None


def csv_history(path: str | Path) -> History:
    """The events of every row of the CSV at ``path`` from git, or none when there is no usable history."""
    path = Path(path).resolve()
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if top is None:
        return History({})
    root = Path(top.decode().strip())
    relative = path.relative_to(root).as_posix()
    log = _git(root, "log", "--format=%H %ct", "--reverse", "--", relative)
    if not log:
        return History({})
    commits = [line.split() for line in log.decode().splitlines() if line.strip()]
    versions = _blobs(root, [f"{sha}:{relative}" for sha, *_ in commits])
    shallow = _shallow_commits(root)
    events: dict[str, list[Event]] = {}
    before: dict[str, dict[str, str]] | None = None
    for (sha, stamp), data in zip(commits, versions):
        rows = {} if data is None else {row.cells.get("id", ""): row.cells for row in read_table(relative, data)[0].rows}
        when = dt.datetime.fromtimestamp(int(stamp), CHINA)
        # A shallow clone's boundary commit shows the file as new: a baseline, not news.
        if before is None and sha in shallow:
            before = rows
            continue
        for rid, cells in rows.items():
            old = (before or {}).get(rid)
            if old is None:
                events.setdefault(rid, []).append(Event(ADDED, when))
            elif old != cells:
                changed = {key for key in cells.keys() | old.keys() if cells.get(key, "") != old.get(key, "")}
                events.setdefault(rid, []).append(Event(VERIFIED if changed <= _VERIFICATION else CHANGED, when))
        before = rows
    last = dt.datetime.fromtimestamp(int(commits[-1][1]), CHINA)
    return History({rid: tuple(items) for rid, items in events.items()}, last)


def _blobs(root: Path, names: list[str]) -> list[bytes | None]:
    """The contents of ``sha:path`` objects through one `git cat-file --batch` (None where missing)."""
    out = _git(root, "cat-file", "--batch", data="".join(f"{name}\n" for name in names).encode())
    if out is None:
        return [None] * len(names)
    blobs: list[bytes | None] = []
    at = 0
    for _ in names:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if header[-1] == b"missing":
            blobs.append(None)
            at = end + 1
            continue
        size = int(header[2])
        blobs.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return blobs


def _shallow_commits(root: Path) -> set[str]:
    name = _git(root, "rev-parse", "--git-path", "shallow")
    if name is None:
        return set()
    shallow = Path(name.decode().strip())
    shallow = shallow if shallow.is_absolute() else root / shallow
    return set(shallow.read_text().split()) if shallow.is_file() else set()

