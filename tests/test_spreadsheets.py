"""XLSX helpers: names people typed never break an export."""

from __future__ import annotations

from app.spreadsheets import excel_value, sheet_title


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
