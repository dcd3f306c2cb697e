"""GitHub's job summary ($GITHUB_STEP_SUMMARY): Markdown appended by a step, at most 1 MiB a step.

A report longer than that would make GitHub drop the whole summary, so it is cut at a line
and says where the rest is (the step's log, which always has everything).
"""

from __future__ import annotations

import re
from pathlib import Path

LIMIT = 1024 * 1024  # bytes GitHub accepts from one step
CUT = "\n> ……摘要太长，后面的部分没有显示：完整内容见这一步的日志。\n"


def code_block(text: str, info: str = "text") -> str:
    """``text`` verbatim in a fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}\n"


def fit(markdown: str, room: int) -> str:
    """``markdown`` if it fits in ``room`` bytes of UTF-8; else its first whole lines and a note."""
    data = markdown.encode("utf-8")
    if len(data) <= room:
        return markdown
    budget = max(0, room - len(CUT.encode("utf-8")) - 64)  # 64: a closing fence
    head = data[:budget].decode("utf-8", errors="ignore")
    head = head[: head.rfind("\n") + 1] if "\n" in head else ""
    fence = _open_fence(head)
    return head + (fence + "\n" if fence else "") + CUT


def _open_fence(markdown: str) -> str:
    """The fence of a code block ``markdown`` leaves open ('' when none is open)."""
    open_fence = ""
    for line in markdown.splitlines():
        run = re.match(r"`{3,}", line)
        if run and not open_fence:
            open_fence = run.group()
        elif run and line.strip() == open_fence:
            open_fence = ""
    return open_fence


def append(path: str | Path, markdown: str) -> None:
    """Add ``markdown`` to the summary file, within what is left of this step's 1 MiB."""
    target = Path(path)
    used = target.stat().st_size if target.exists() else 0
    with target.open("a", encoding="utf-8", newline="\n") as out:
        out.write(fit(markdown if markdown.endswith("\n") else markdown + "\n", max(0, LIMIT - used)))
