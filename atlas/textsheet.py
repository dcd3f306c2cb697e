"""Spreadsheets whose every cell is text: rows of strings to an .xlsx, byte for byte the same each time.

Text cells keep what spreadsheet users lose otherwise: leading zeros of 023… phone numbers,
dates as typed, and no formulas — a cell such as ``=HYPERLINK(…)`` or ``+86…`` stays the
text it is instead of being evaluated when the file is opened (CSV/formula injection).
openpyxl would store a string starting with ``=`` as a formula; ``write_rows`` never lets it.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

# Fixed document dates and zip entry times: the same rows give the same bytes.
EPOCH = dt.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"


def write_rows(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write the header (bold, frozen) into row 1 of an empty sheet and the rows below, every cell text."""
    for number, values in enumerate([header, *rows], start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=str(value))
            cell.data_type = TYPE_STRING  # openpyxl makes "=…" a formula: it stays text
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def workbook_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A one-sheet workbook of text cells, as reproducible .xlsx bytes. Written as it streams
    (openpyxl's write-only mode): 30,000 rows never sit in memory as cell objects."""
    rows = list(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(column_widths(header, rows[:200]), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    for number, values in enumerate([header, *rows]):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.data_type = TYPE_STRING
            if number == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    return save(book)


def column_widths(header: Sequence[str], sample: Sequence[Sequence[str]], low: int = 8, high: int = 40) -> list[int]:
    """Column widths (in characters, a Chinese character counting two) that fit the header and a sample of rows."""
    def width(text: str) -> int:
        return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in str(text).splitlines()), default=0)

    return [min(high, max(low, width(label) + 2, *(width(row[i]) + 2 for row in sample if i < len(row)))) for i, label in enumerate(header)]


def save(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes with fixed document dates and zip times."""
    book.properties.created = book.properties.modified = EPOCH
    book.properties.creator = book.properties.lastModifiedBy = None
    raw = io.BytesIO()
    book.save(raw)
    book.properties.modified = EPOCH  # save() stamps the clock's time into docProps/core.xml
    core = tostring(book.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(fixed, core if info.filename == _CORE else source.read(info.filename))
    return out.getvalue()
