"""The status report files: XLSX checked cell by cell, PDF text extracted."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from app.portfolio.reports.files import status_report_pdf, status_report_xlsx
from app.portfolio.reports.model import ProgrammeSection, ProjectStatusRow, StatusReport


def _row(name: str, **overrides) -> ProjectStatusRow:
    values = {
        "project_id": 1,
        "name": name,
        "manager": "Marc Durand",
        "workflow": "stage-gate",
        "stage": "scoping",
        "status": "active",
        "rag": "red",
        "rag_reasons": ("Forecast is 25% over the planned budget (red beyond 20%).",),
        "last_decision": "go",
        "last_decision_on": date(2026, 10, 3),
        "planned": Decimal("100000"),
        "actual": Decimal("60000"),
        "forecast": Decimal("125000"),
        "open_action_items": 2,
        "overdue_action_items": 1,
    }
    values.update(overrides)
    return ProjectStatusRow(**values)


REPORT = StatusReport(
    portfolio="Transformation",
    month=date(2026, 11, 1),
    generated_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
    sections=(
        ProgrammeSection("ERP roll-out", (_row("Atlas"), _row("Borealis", rag="green"))),
        ProgrammeSection("Data/AI: [pilot]", (_row("Cygnus", planned=None),)),
    ),
)


def test_xlsx_has_one_sheet_per_programme_with_typed_cells_and_a_frozen_header():
    workbook = load_workbook(io.BytesIO(status_report_xlsx(REPORT, str)))
    assert workbook.sheetnames == ["ERP roll-out", "Data AI   pilot"]
    sheet = workbook["ERP roll-out"]
    assert sheet.freeze_panes == "B2"
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Project", "Manager", "Workflow"]
    assert sheet["A2"].value == "Atlas"
    decided = sheet.cell(row=2, column=headers.index("Decided on") + 1)
    assert decided.value.date() == date(2026, 10, 3)
    assert decided.number_format == "yyyy-mm-dd"
    planned = sheet.cell(row=2, column=headers.index("Planned") + 1)
    assert planned.value == 100000
    assert "€" in planned.number_format
    variance = sheet.cell(row=2, column=headers.index("Variance") + 1)
    assert variance.value == 25.0
    rag = sheet.cell(row=2, column=headers.index("RAG") + 1)
    assert rag.value == "Red"  # the colour in words, not its code
    assert rag.fill.fgColor.rgb.endswith("F4C7C3")
    cygnus = workbook["Data AI   pilot"]
    assert cygnus.cell(row=2, column=headers.index("Variance") + 1).value is None


def test_pdf_text_carries_the_projects_and_the_reasons():
    pdf = status_report_pdf(REPORT, str, "Status report — Transformation", "November 2026")
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Status report" in text
    assert "ERP roll-out" in text
    assert "Atlas" in text
    assert "Borealis" in text
    assert "+25.0%" in text  # outside a request: English, in euros
    assert "€100,000" in text
    assert "red beyond 20%" in text
