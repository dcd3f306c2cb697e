"""Documentation that cannot fall behind: every command, option, column and check message is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas import messages
from atlas.cli import main
from atlas.reference import COLUMNS_MARKER, columns_markdown
from atlas.schema import columns

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text("utf-8")
# The guide and its pages (坐标, 列说明, 检查提示一览) in docs/editors/.
GUIDE = "\n".join(p.read_text("utf-8") for p in [ROOT / "docs" / "editors.md", *sorted((ROOT / "docs" / "editors").glob("*.md"))])
COLUMNS_PAGE = (ROOT / "docs" / "editors" / "columns.md").read_text("utf-8")  # the guide's two reference pages
MESSAGES_PAGE = (ROOT / "docs" / "editors" / "messages.md").read_text("utf-8")
FINDING = re.compile(r'Finding\(\s*(?:ERROR|WARNING),\s*"([a-z_]+\.[a-z_0-9]+)"')
CHECKED_BY_MESSAGES = ("load.py", "validate.py", "sheet.py", "merge.py")  # what validate and merge report


def readme_row(command: str) -> str:
    rows = [line for line in README.splitlines() if re.match(rf"\| `atlas {re.escape(command)}[ `]", line)]
    assert len(rows) == 1, f"README's command table needs one row for atlas {command}"
    return rows[0]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_and_option_is_in_the_readme_table_and_the_guide(name):
    row = readme_row(name)
    for param in main.commands[name].params:
        flags = [o for o in param.opts if o.startswith("-") and o not in ("-h", "--help")]
        if flags:  # an option: its long name (or short one) is in the command's row
            assert any(flag in row for flag in flags), f"atlas {name}: {flags[0]} is not in README's command table"
    assert f"atlas {name}" in GUIDE, f"the editor guide does not mention atlas {name}"


def test_every_column_is_in_the_guide():
    assert COLUMNS_MARKER in COLUMNS_PAGE and "editors/columns.md" in GUIDE
    table = columns_markdown()
    for c in columns():
        assert f"| `{c.key}` | {c.label} |" in table


def test_every_check_message_has_an_example_in_the_guide():
    codes = set()
    for module in CHECKED_BY_MESSAGES:
        codes |= set(FINDING.findall((ROOT / "atlas" / module).read_text("utf-8")))
    codes = {code for code in codes if not code.startswith("routes.")}  # routes.yml has its own section
    assert len(codes) > 40  # the pattern still finds the codes
    synonyms = set(re.findall(r'Finding\(\s*ERROR,\s*"(synonyms\.[a-z_]+)"', (ROOT / "atlas" / "forgive.py").read_text("utf-8")))
    assert len(synonyms) >= 8  # data/synonyms.yml, checked by atlas validate too
    codes |= synonyms
    documented = set(messages.CSV_EXAMPLES) | set(messages.SHEET_EXAMPLES) | set(messages.SYNONYMS_EXAMPLES)
    assert codes - documented == set(), "add an example to atlas/messages.py"
    assert messages.MESSAGES_MARKER in MESSAGES_PAGE and "editors/messages.md" in GUIDE
    table = messages.messages_markdown()  # raises if an example no longer produces its code
    for code in documented:
        assert f" | `{code}` |\n" in table


def test_the_message_table_shows_what_the_checks_print():
    table = messages.messages_markdown()
    assert "| 电话 6878123 | **错误**：电话“6878123”固定电话缺少区号 | " in table
    assert "| 预约方式里输入 =HYPERLINK(…) | **错误**：是公式 =HYPERLINK(" in table
    assert "&#60;b&#62;" in table and "<b>" not in table  # an example's markup is shown, not rendered
