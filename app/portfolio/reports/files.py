"""The status report written as XLSX (one sheet per programme) and as PDF.

XLSX: frozen header row, real dates and money cells (formats, not text) so a PMO can
sort and sum in Excel. PDF: reportlab (pure Python, maintained, on PyPI and Debian),
one table per programme with the RAG reasons spelled out.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from app.downloads import pdf_plain
from app.formats import date, money, number, signed_percent
from app.labels import PROJECT_STATUS_LABELS, RAG_LABELS, words
from app.pdf import grid, paragraph
from app.portfolio.reports.model import ProjectStatusRow, StatusReport
from app.spreadsheets import excel_row, sheet_title

MONEY_FORMAT = '#,##0.00 "€"'
PERCENT_FORMAT = '0.0"%"'
DATE_FORMAT = "yyyy-mm-dd"
# Widths of the PDF columns (the report's columns less "Workflow"), 277 mm of landscape A4.
PDF_COLUMN_WIDTHS_MM = (28, 23, 19, 16, 14, 42, 18, 17, 19, 19, 19, 13, 15, 15)
RAG_FILLS = {"red": "F4C7C3", "amber": "FCE8B2", "green": "B7E1CD"}

# (header, value getter, number format)
Column = tuple[str, Callable[[ProjectStatusRow], Any], str | None]


def report_columns(gettext: Callable[[str], str]) -> list[Column]:
    """The columns of the report, headers in the reader's language."""
    _ = gettext
    statuses, rags = words(PROJECT_STATUS_LABELS), words(RAG_LABELS)
    return [
        (_("Project"), lambda row: row.name, None),
        (_("Manager"), lambda row: row.manager, None),
        (_("Workflow"), lambda row: row.workflow, None),
        (_("Stage"), lambda row: row.stage, None),
        (_("Status"), lambda row: statuses[row.status], None),
        (_("RAG"), lambda row: rags[row.rag], None),
        (_("Why"), lambda row: " ".join(row.rag_reasons), None),
        (_("Last decision"), lambda row: row.last_decision or "", None),
        (_("Decided on"), lambda row: row.last_decision_on, DATE_FORMAT),
        (_("Planned"), lambda row: row.planned, MONEY_FORMAT),
        (_("Actual"), lambda row: row.actual, MONEY_FORMAT),
        (_("Forecast"), lambda row: row.forecast, MONEY_FORMAT),
        (_("Variance"), lambda row: row.variance_pct, PERCENT_FORMAT),
        (_("Open actions"), lambda row: row.open_action_items, None),
        (_("Overdue actions"), lambda row: row.overdue_action_items, None),
    ]


def _rag_index(columns: list[Column], gettext: Callable[[str], str]) -> int:
    return [header for header, _getter, _format in columns].index(gettext("RAG"))


def status_report_xlsx(report: StatusReport, gettext: Callable[[str], str]) -> bytes:
    columns = report_columns(gettext)
    rag_column = _rag_index(columns, gettext)
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for section in report.sections:
        sheet = workbook.create_sheet(sheet_title(section.name, taken))
        sheet.append(excel_row(sheet, [header for header, _g, _f in columns], font=Font(bold=True)))
        for row in section.rows:
            values = [getter(row) for _header, getter, _format in columns]
            sheet.append(
                excel_row(sheet, [float(v) if isinstance(v, Decimal) else v for v in values])
            )
            rag_cell = sheet.cell(row=sheet.max_row, column=rag_column + 1)
            if row.rag in RAG_FILLS:
                rag_cell.fill = PatternFill("solid", fgColor=RAG_FILLS[row.rag])
        for index, (header, _getter, number_format) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 4))
            if number_format:
                for cell in sheet[letter][1:]:
                    cell.number_format = number_format
        sheet.freeze_panes = "B2"
    if not report.sections:
        sheet = workbook.create_sheet(gettext("Projects"))
        sheet.append(excel_row(sheet, [h for h, _g, _f in columns], font=Font(bold=True)))
    if report.decisions:
        _decisions_sheet(
            workbook.create_sheet(sheet_title(gettext("Decisions"), taken)), report, gettext
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def decision_columns(gettext: Callable[[str], str]) -> list[str]:
    _ = gettext
    return [_("Decided on"), _("Project"), _("Gate"), _("Decision")]


def _decisions_sheet(sheet: Any, report: StatusReport, gettext: Callable[[str], str]) -> None:
    """The gate decisions of the month, oldest first."""
    sheet.append(excel_row(sheet, decision_columns(gettext), font=Font(bold=True)))
    for line in report.decisions:
        values = [line.decided_at.replace(tzinfo=None), line.project, line.gate, line.decision]
        sheet.append(excel_row(sheet, values, [DATE_FORMAT, None, None, None]))
    for letter, width in zip("ABCD", (14, 40, 30, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _cell_text(value: Any, number_format: str | None) -> str:
    """A PDF cell in the reader's formats (the XLSX keeps numbers and dates as such)."""
    if value is None:
        return ""
    if number_format == MONEY_FORMAT:
        return money(value, whole=True)
    if number_format == PERCENT_FORMAT:
        return signed_percent(value)
    if hasattr(value, "isoformat"):
        return date(value)
    if isinstance(value, int):
        return number(value)
    return str(value)


def status_report_pdf(
    report: StatusReport, gettext: Callable[[str], str], title: str, subtitle: str
) -> bytes:
    columns = [c for c in report_columns(gettext) if c[0] != gettext("Workflow")]
    rag_column = _rag_index(columns, gettext)
    headers = [header for header, _getter, _format in columns]
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=pdf_plain(title),
    )
    story: list[Any] = [paragraph(title, styles["Title"]), paragraph(subtitle, styles["Normal"])]
    for section in report.sections:
        story += [Spacer(1, 6 * mm), paragraph(section.name, styles["Heading2"])]
        rows = [
            [_cell_text(getter(row), number_format) for _header, getter, number_format in columns]
            for row in section.rows
        ]
        fills = {
            (index, rag_column): colors.HexColor("#" + RAG_FILLS[row.rag])
            for index, row in enumerate(section.rows)
            if row.rag in RAG_FILLS
        }
        story += grid(headers, rows, PDF_COLUMN_WIDTHS_MM, small, fills)
    if report.decisions:
        story += [
            Spacer(1, 6 * mm),
            paragraph(gettext("Decisions of the month"), styles["Heading2"]),
        ]
        rows = [
            [date(line.decided_at), line.project, line.gate, line.decision]
            for line in report.decisions
        ]
        story += grid(decision_columns(gettext), rows, (25, 80, 60, 30), small)
    if not report.sections:
        story += [Spacer(1, 6 * mm), paragraph(gettext("No project matches."), styles["Normal"])]
    document.build(story)
    return buffer.getvalue()
