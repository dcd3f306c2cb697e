"""Keep the one 待核实 reminder issue up to date with `atlas stale` (the stale.yml workflow).

    python scripts/stale_issue.py stale.json stale.md

Stale rows and no open reminder: open one. Stale rows and an open one: replace its body.
Nothing stale: close it with a comment. The reminder is the open issue labelled 待核实 whose
body starts with atlas.stale.MARKER; everything goes through the `gh` CLI (GH_TOKEN, GH_REPO).
"""

from __future__ import annotations

import json
import subprocess
import sys

from atlas.stale import MARKER

LABEL = "待核实"
TITLE = "待核实的资源（每月自动更新）"


def gh(*args: str) -> str:
    return subprocess.run(["gh", *args], check=True, capture_output=True, text=True).stdout


def reminders() -> list[int]:
    issues = json.loads(gh("issue", "list", "--state", "open", "--label", LABEL, "--limit", "100", "--json", "number,body") or "[]")
    return sorted(issue["number"] for issue in issues if issue.get("body", "").lstrip().startswith(MARKER))


def main(json_path: str, markdown_path: str) -> str:
    stale = json.loads(open(json_path, encoding="utf-8").read())
    found = reminders()
    if stale["stale"] == 0:
        for number in found:
            gh("issue", "close", str(number), "--comment", f"截至 {stale['today']}，所有资源都在 {stale['stale_days']} 天内核实过：自动关闭。")
        return f"没有待核实的资源；关闭了 {len(found)} 个提醒" if found else "没有待核实的资源"
    if found:
        gh("issue", "edit", str(found[0]), "--body-file", markdown_path)
        return f"更新了提醒 #{found[0]}：{stale['stale']} 条待核实"
    gh("label", "create", LABEL, "--color", "FBCA04", "--description", "责任单位需要重新核实的资源", "--force")
    gh("issue", "create", "--title", TITLE, "--label", LABEL, "--body-file", markdown_path)
    return f"新建了提醒：{stale['stale']} 条待核实"


if __name__ == "__main__":
    try:
        print(main(*sys.argv[1:3]))
    except subprocess.CalledProcessError as error:  # gh's own message, no traceback
        sys.exit(f"gh {' '.join(error.cmd[1:3])} 失败：{(error.stderr or '').strip()}")
