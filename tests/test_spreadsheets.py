"""Spreadsheet helpers: names people typed never break an export nor run as formulas."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook, load_workbook

from app.spreadsheets import csv_value, excel_row, excel_value, sheet_title
from tests.formulas import PAYLOADS


def test_sheet_titles_are_valid_unique_and_short():
    used: set[str] = set()
    assert sheet_title("R&D: [lab]/x", used) == "R&D   lab  x"
    assert sheet_title("r&d: [LAB]/x", used) == "r&d   LAB  x (2)"
    assert len(sheet_title("A" * 40, used)) == 31
    assert sheet_title("\x01\x07", used) == "Sheet"
    assert sheet_title("'quoted'", used) == "quoted"


def test_control_characters_leave_cell_text():
    assert excel_value("bad\x01team\x07") == "badteam"
    assert excel_value(3) == 3


def test_csv_quotes_every_start_a_spreadsheet_reads_as_a_formula():
    for payload in PAYLOADS:
        expected = payload if payload == "#N/A" else "'" + payload
        assert csv_value(payload) == expected
    assert csv_value(-1.5) == -1.5  # numbers stay numbers
    assert csv_value(date(2026, 11, 1)) == "2026-11-01"
    assert csv_value(None) == ""


def test_xlsx_text_is_a_string_cell_and_numbers_and_dates_keep_their_type():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append(excel_row(sheet, [*PAYLOADS, "plain", 3, 2.5, date(2026, 11, 1), None]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = next(load_workbook(buffer).active.iter_rows())
    assert [(cell.value, cell.data_type) for cell in cells] == [
        *[(payload, "s") for payload in PAYLOADS],
        ("plain", "s"),
        (3, "n"),
        (2.5, "n"),
        (datetime(2026, 11, 1), "d"),
    ]
