"""Formula payloads, and the checks that an export kept them as plain text.

Every export test puts these where people type names (display names, project, programme and
portfolio names, course titles) and reads the file back as a spreadsheet program would.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import load_workbook

#: Texts a spreadsheet program would run as formulas (or, for ``#N/A``, read as an error).
PAYLOADS = (
    '=HYPERLINK("http://evil.example","x")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "#N/A",
)
#: The payloads a CSV export must prefix with a quote (an error code is harmless text there).
CSV_FORMULAS = tuple(payload for payload in PAYLOADS if payload != "#N/A")


def xlsx_cells(content: bytes) -> list:
    """Every cell of every sheet of an XLSX file, formulas left unevaluated."""
    workbook = load_workbook(io.BytesIO(content), data_only=False)
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_xlsx_keeps_text(content: bytes, payloads: Iterable[str] = PAYLOADS) -> None:
    """Each payload is in the file as a string cell, exactly as typed; no cell is a formula."""
    cells = xlsx_cells(content)
    assert not [cell.coordinate for cell in cells if cell.data_type in ("f", "e")]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert set(payloads) <= texts, set(payloads) - texts


def assert_csv_neutralised(content: bytes, payloads: Iterable[str] = CSV_FORMULAS) -> None:
    """Each payload is in the file behind a quote, and no field starts like a formula."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    fields = {field for row in rows for field in row}
    assert {"'" + payload for payload in payloads} <= fields
    assert not [field for field in fields if field.startswith(("=", "+", "-", "@", "\t", "\r"))]
