"""Spreadsheet formulas: a cell Excel or WPS would run instead of show (CSV/formula injection).

A cell is a formula when it starts with ``= + - @``, also after leading spaces, tabs or
line breaks (OWASP's rule). The validator refuses such cells in text columns; anything that
writes a spreadsheet or a CSV for download checks its cells with :func:`formula_start` and
neutralises them with :func:`defuse` — or, in XLSX, writes them as text cells.
"""

from __future__ import annotations

TRIGGERS = "=+-@"
_LEADING = " \t\r\n\u3000\u00a0\ufeff"


def formula_start(text: str) -> str | None:
    """The character that makes ``text`` a formula in Excel or WPS, or None."""
    first = text.lstrip(_LEADING)[:1]
    return first if first and first in TRIGGERS else None


def defuse(text: str) -> str:
    """``text`` as a spreadsheet shows it instead of running it: a leading ``'`` (Excel and
    WPS hide it and keep the cell as text) when it would be a formula, else unchanged."""
    return "'" + text if formula_start(text) else text
