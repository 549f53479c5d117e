"""The dashboard's project table: one page of it for the page, all of it for CSV and XLSX."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import Select, select

from app.downloads import download
from app.extensions import db
from app.labels import PROJECT_STATUS_LABELS, RAG_LABELS, words
from app.portfolio.metrics import RUNNING, ProjectFigures, figure_rows, rag_rules
from app.portfolio.rag import evaluate
from app.projects.models import Project
from app.projects.naming import workflow_label, workflow_stage_name
from app.projects.programmes import Portfolio, Programme
from app.spreadsheets import csv_bytes, excel_row

PER_PAGE = 50


@dataclass(frozen=True)
class ProjectRow:
    id: int
    name: str
    programme: str | None
    portfolio: str | None
    #: Workflow and stage names, in the reader's language.
    workflow: str
    stage: str
    status: str
    #: green/amber/red for running projects, None for ended ones.
    rag: str | None
    variance_pct: float | None
    review_waiting_days: float | None
    overdue_action_items: int


def project_rows(
    scope: Select[Any],
    now: datetime,
    language: str,
    page: int | None = None,
    per_page: int = PER_PAGE,
) -> list[ProjectRow]:
    """The projects of `scope` by name (one page of them, or all) with their figures and the
    RAG status of the running ones: one query."""
    if page is not None:  # only this page's projects get their figures computed
        listed = (
            scope.order_by(Project.name, Project.id).limit(per_page).offset((page - 1) * per_page)
        )
        scope = select(Project.id).where(Project.id.in_(listed))
    figures = figure_rows(scope, now).subquery()
    statement = (
        select(
            Project.name,
            Programme.name,
            Portfolio.name,
            Project.workflow,
            Project.workflow_version,
            Project.stage,
            *figures.c,
        )
        .join(figures, figures.c.project_id == Project.id)
        .outerjoin(Programme, Programme.id == Project.programme_id)
        .outerjoin(Portfolio, Portfolio.id == Programme.portfolio_id)
        .order_by(Project.name, Project.id)
    )
    rules = rag_rules()
    rows = []
    for name, programme, portfolio, workflow, version, stage, project_id, status, *values in (
        db.session.connection().execute(statement).all()
    ):
        one = ProjectFigures(*values)
        running = status in RUNNING
        rows.append(
            ProjectRow(
                project_id,
                name,
                programme,
                portfolio,
                workflow_label(workflow, version),
                workflow_stage_name(workflow, version, stage),
                status.value,
                evaluate(one.rag_metrics(), rules, language).status.value if running else None,
                None if one.variance_pct is None else round(one.variance_pct, 1),
                None if one.review_waiting_days is None else round(one.review_waiting_days, 1),
                one.overdue_action_items,
            )
        )
    return rows


Column = tuple[str, Callable[[ProjectRow], Any], str | None]


def export_columns() -> list[Column]:
    """(header, value, XLSX number format) of each exported column, in the reader's language."""
    statuses, rags = words(PROJECT_STATUS_LABELS), words(RAG_LABELS)
    return [
        (_("Project"), lambda row: row.name, None),
        (_("Programme"), lambda row: row.programme, None),
        (_("Portfolio"), lambda row: row.portfolio, None),
        (_("Workflow"), lambda row: row.workflow, None),
        (_("Stage"), lambda row: row.stage, None),
        (_("Status"), lambda row: statuses[row.status], None),
        (_("RAG"), lambda row: rags.get(row.rag), None),  # none when not running
        (_("Budget variance (%)"), lambda row: row.variance_pct, "0.0"),
        (_("Review waiting (days)"), lambda row: row.review_waiting_days, "0.0"),
        (_("Overdue action items"), lambda row: row.overdue_action_items, "0"),
    ]


def projects_csv(rows: Sequence[ProjectRow]) -> bytes:
    columns = export_columns()
    return csv_bytes(
        [header for header, _v, _f in columns],
        ([value(row) for _h, value, _f in columns] for row in rows),
    )


def projects_xlsx(rows: Sequence[ProjectRow]) -> bytes:
    """One sheet, bold frozen header, numbers as numbers (blank when there is no figure).

    Written in openpyxl's write-only mode, row after row, with the number formats set on
    the cells as they are written: 10,000 projects take a second, not several.
    """
    from openpyxl import Workbook  # when a file is asked for: see app.spreadsheets
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Projects")[:31])
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    columns = export_columns()
    sheet.append(excel_row(sheet, [header for header, _v, _f in columns], font=bold))
    formats = [number_format for _h, _v, number_format in columns]
    for row in rows:
        sheet.append(excel_row(sheet, [value(row) for _h, value, _f in columns], formats))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORTS = {"csv": projects_csv, "xlsx": projects_xlsx}


def export_response(rows: Sequence[ProjectRow], fmt: str, on: datetime) -> Response:
    return download(EXPORTS[fmt](rows), f"portfolio-projects-{on.date().isoformat()}.{fmt}")
