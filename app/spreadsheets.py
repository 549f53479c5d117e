"""What every spreadsheet export (XLSX and CSV) needs, in one place: cells that stay text.

Names typed by people (teams, programmes, projects, courses) reach the exports. Two things
must never happen to them:

- a text run as a formula. openpyxl stores any string starting with ``=`` as a formula
  (``=WEBSERVICE(...)`` would call out when the file is opened), so every XLSX text cell is
  written with the string type ``s``, whatever its first character; the text stays exactly as
  typed. CSV has no types: a text starting with ``= + - @``, a tab or a carriage return gets a
  leading ``'`` so that spreadsheet software reads it as text;
- an export that fails: characters a sheet title or a cell cannot hold are cleaned here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.styles import Font

# openpyxl (and reportlab for PDFs) is imported by the functions that write a file, not at
# start: a server worker that never exports does not carry its memory.

SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]\*\?/\\:]")
SHEET_TITLE_LENGTH = 31
#: First characters that make spreadsheet software read a CSV field as a formula.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def excel_value(value: Any) -> Any:
    """``value`` with the control characters removed when it is text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def excel_cell(
    sheet: Any, value: Any, number_format: str | None = None, font: Font | None = None
) -> Any:
    """What to append to ``sheet`` for ``value``: text always as a string cell (type ``s``).

    openpyxl types a plain text as a string itself, except a text starting with ``=`` (a
    formula) or spelt like an error code (``#N/A``): only those, and values that need a format
    or a font, become cells of their own, so that write-only sheets stay fast. Works for
    normal and write-only sheets.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    if isinstance(value, str):
        value = excel_value(value)
        if font is None and not value.startswith("=") and value not in ERROR_CODES:
            return value
    elif font is None and (number_format is None or value is None):
        return value
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # after the value, which made it "f" or "e"
    if number_format and value is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def excel_row(
    sheet: Any,
    values: Iterable[Any],
    number_formats: Sequence[str | None] | None = None,
    font: Font | None = None,
) -> list[Any]:
    """A row for ``sheet.append``, each value through ``excel_cell``."""
    values = list(values)
    formats = number_formats or [None] * len(values)
    return [
        excel_cell(sheet, value, number_format, font)
        for value, number_format in zip(values, formats, strict=True)
    ]


def sheet_title(name: str, used: set[str]) -> str:
    """A valid sheet title for ``name``, unique among ``used`` (updated), case-insensitively."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub(" ", excel_value(name)).strip().strip("'").strip()
    base = cleaned[:SHEET_TITLE_LENGTH] or "Sheet"
    title, number = base, 2
    while title.lower() in used:
        suffix = f" ({number})"
        title, number = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix, number + 1
    used.add(title.lower())
    return title


def csv_value(value: Any) -> Any:
    """A CSV field: dates in ISO form, blanks empty, text that could run as a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[Any], lines: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a BOM (so that Excel opens accents correctly), comma separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_value(value) for value in header])
    for line in lines:
        writer.writerow([csv_value(value) for value in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
