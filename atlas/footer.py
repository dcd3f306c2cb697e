"""What the site's footer says besides the publisher: the basemap and its 审图号, and the
date of the data.

The date is the data's, not the build's: the last commit that touched the data files, or,
outside a git checkout, the latest 核实日期 in the resource table. The same input then gives
the same bytes, whenever it is built (SOURCE_DATE_EPOCH, the reproducible-builds convention,
wins when set).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from .schema import Resource

NO_REVIEW_NUMBER = "待补充（发布单位尚未填写底图服务商公布的审图号）"  # the build log says where (plugin.py)


def data_date(project: Path, data_files: list[Path], resources: list[Resource]) -> str:
    """YYYY-MM-DD of the data, or "" when nothing says."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", *map(str, data_files)], cwd=project,
                             capture_output=True, text=True, timeout=20)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass  # no git here (a tarball, a test project): fall back on the rows themselves
    dates = [r.verified_on for r in resources if r.verified_on]
    return max(dates).isoformat() if dates else ""


def footer(basemap_name: str, review_number: str, date: str) -> dict[str, str]:
    """The template's view: every value is plain text (escaped in the template)."""
    return {"basemap": basemap_name, "review_number": review_number or NO_REVIEW_NUMBER, "date": date}
