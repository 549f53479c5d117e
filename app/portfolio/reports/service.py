"""The monthly status report of a portfolio, built in a fixed number of queries.

The rows of the report are the projects the person may see, narrowed by the usual project
filters (`PROJECT_FILTERS`). Each figure comes from one grouped query over the selected ids
(see `metrics.project_figures`), so a portfolio of 10 or 10,000 projects costs the same
number of statements. The figures are those of the moment the report is generated; the
month names the report and selects the gate decisions listed with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app.auth.models import User
from app.extensions import db
from app.labels import decision_label
from app.portfolio.metrics import ProjectFigures, project_figures, rag_statuses
from app.portfolio.reports.model import (
    MONTH_PATTERN,
    DecisionLine,
    ProgrammeSection,
    ProjectStatusRow,
    StatusReport,
)
from app.projects.definitions import get_definition
from app.projects.models import ActionItem, ActionStatus, GateReview, Project
from app.projects.programmes import Programme
from app.projects.queries import PROJECT_FILTERS, filter_projects
from app.projects.schemas import STATUSES
from app.projects.services import visible_projects
from app.refusals import Malformed, NotFound
from app.timeutil import utcnow
from workflows import Decision, WorkflowDefinition

#: The last month a report can cover: its end, the first day of the next month, is a date.
LAST_MONTH = date(9999, 11, 1)


def parse_month(text: str | None, today: date) -> date:
    """The first day of the month written `YYYY-MM` (this month when not given); else 400."""
    if not text:
        return today.replace(day=1)
    if not re.fullmatch(MONTH_PATTERN, text):
        raise Malformed(
            _("Give the month as YYYY-MM."),
            code="bad_month",
            details={"month": ["YYYY-MM"]},
        )
    first = date(*map(int, text.split("-")), 1)
    if first > LAST_MONTH:
        raise Malformed(
            _("The month must be %(last)s at the latest.", last=f"{LAST_MONTH:%Y-%m}"),
            code="bad_month",
            details={"month": [f"{LAST_MONTH:%Y-%m}"]},
        )
    return first


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def report_filters(values: Mapping[str, Any]) -> dict[str, Any]:
    """The project filters present in `values` (query arguments); others and unknown
    statuses are dropped, as on the project list."""
    filters = {name: values.get(name) for name in PROJECT_FILTERS if values.get(name)}
    if filters.get("status") not in (None, *STATUSES):
        del filters["status"]
    return filters


def report_project_ids(user: User, filters: Mapping[str, Any]) -> Select[Any]:
    """The ids of the projects `user` may see that match `filters`, as a statement."""
    return filter_projects(visible_projects(user), dict(filters)).with_only_columns(Project.id)


def file_name(report: StatusReport, portfolio: str | None, extension: str) -> str:
    """`status-report-<portfolio>-2026-11.xlsx`, ASCII only (`all` without a portfolio)."""
    ascii_name = (
        unicodedata.normalize("NFKD", portfolio or "").encode("ascii", "ignore").decode().lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60] or "all"
    return f"status-report-{slug}-{report.month:%Y-%m}.{extension}"


class _Definitions:
    """Workflow definitions by (key, version), read once per report."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], WorkflowDefinition | None] = {}

    def get(self, key: str, version: int) -> WorkflowDefinition | None:
        if (key, version) not in self._cache:
            try:
                self._cache[key, version] = get_definition(key, version)
            except NotFound:
                self._cache[key, version] = None
        return self._cache[key, version]

    def stage_name(self, key: str, version: int, stage: str, language: str) -> str:
        definition = self.get(key, version)
        found = definition.stage(stage) if definition else None
        return found.name.text(language) if found else stage

    def gate_name(self, key: str, version: int, gate: str, language: str) -> str:
        definition = self.get(key, version)
        found = definition.gate(gate) if definition else None
        return found.name.text(language) if found else gate

    def workflow_name(self, key: str, version: int, language: str) -> str:
        definition = self.get(key, version)
        return definition.name.text(language) if definition else key


def build_status_report(
    user: User,
    filters: Mapping[str, Any],
    month: date,
    language: str = "en",
    now: datetime | None = None,
) -> StatusReport:
    """The report of the projects `user` may see matching `filters`, one section per programme.

    Eight queries whatever the number of projects: the projects, the four figure queries,
    the last decisions, the open action items and the month's decisions.
    """
    now = now or utcnow()
    ids = report_project_ids(user, filters)
    projects = db.session.execute(
        select(
            Project.id,
            Project.name,
            Project.workflow,
            Project.workflow_version,
            Project.stage,
            Project.status,
            User.display_name,
            Programme.name.label("programme"),
        )
        .join(User, User.id == Project.manager_id)
        .outerjoin(Programme, Programme.id == Project.programme_id)
        .where(Project.id.in_(ids))
    ).all()
    figures = project_figures(ids, now)
    rag = rag_statuses(figures, [p.id for p in projects], language)
    decisions = _last_decisions(ids)
    open_items = _open_action_items(ids)
    definitions = _Definitions()
    empty = ProjectFigures()
    by_programme: dict[str | None, list[ProjectStatusRow]] = {}
    for project in projects:
        figure = figures.get(project.id, empty)
        decision, decided_at = decisions.get(project.id, (None, None))
        by_programme.setdefault(project.programme, []).append(
            ProjectStatusRow(
                project_id=project.id,
                name=project.name,
                manager=project.display_name,
                workflow=definitions.workflow_name(
                    project.workflow, project.workflow_version, language
                ),
                stage=definitions.stage_name(
                    project.workflow, project.workflow_version, project.stage, language
                ),
                status=project.status.value,
                rag=rag[project.id].status.value,
                rag_reasons=tuple(reason.message for reason in rag[project.id].reasons),
                last_decision=decision_label(decision) if decision else None,
                last_decision_on=decided_at.date() if decided_at else None,
                planned=figure.planned,
                actual=figure.actual,
                forecast=figure.forecast,
                open_action_items=open_items.get(project.id, 0),
                overdue_action_items=figure.overdue_action_items,
            )
        )
    return StatusReport(
        portfolio=filters.get("portfolio") or _("All portfolios"),
        month=month,
        generated_at=now,
        sections=_sections(by_programme),
        decisions=_month_decisions(ids, month, definitions, language),
    )


def _sections(
    by_programme: dict[str | None, list[ProjectStatusRow]],
) -> tuple[ProgrammeSection, ...]:
    """Programmes by name, then the projects of no programme; projects by name."""
    named = sorted((name for name in by_programme if name is not None), key=str.casefold)
    sections = [(name, by_programme[name]) for name in named]
    if None in by_programme:
        sections.append((_("No programme"), by_programme[None]))
    return tuple(
        ProgrammeSection(
            name, tuple(sorted(rows, key=lambda row: (row.name.casefold(), row.project_id)))
        )
        for name, rows in sections
    )


def _last_decisions(ids: Select[Any]) -> dict[int, tuple[Decision, datetime]]:
    """Project id -> (decision, when) of its latest decided review (the highest id: one
    review is open at a time, so reviews are decided in the order they were submitted)."""
    latest = (
        select(func.max(GateReview.id))
        .where(GateReview.project_id.in_(ids), GateReview.decision.is_not(None))
        .group_by(GateReview.project_id)
    )
    rows = db.session.execute(
        select(GateReview.project_id, GateReview.decision, GateReview.decided_at).where(
            GateReview.id.in_(latest)
        )
    )
    return {project_id: (decision, decided_at) for project_id, decision, decided_at in rows}


def _open_action_items(ids: Select[Any]) -> dict[int, int]:
    rows = db.session.execute(
        select(ActionItem.project_id, func.count())
        .where(ActionItem.project_id.in_(ids), ActionItem.status == ActionStatus.OPEN)
        .group_by(ActionItem.project_id)
    )
    return dict(rows.all())


def _month_decisions(
    ids: Select[Any], month: date, definitions: _Definitions, language: str
) -> tuple[DecisionLine, ...]:
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    end = datetime.combine(next_month(month), datetime.min.time(), tzinfo=UTC)
    rows = db.session.execute(
        select(
            GateReview.id,
            Project.name,
            Project.workflow,
            Project.workflow_version,
            GateReview.gate,
            GateReview.decision,
            GateReview.decided_at,
        )
        .join(Project, Project.id == GateReview.project_id)
        .where(
            GateReview.project_id.in_(ids),
            GateReview.decided_at >= start,
            GateReview.decided_at < end,
        )
        .order_by(GateReview.decided_at, GateReview.id)
    )
    return tuple(
        DecisionLine(
            review_id=row.id,
            project=row.name,
            gate=definitions.gate_name(row.workflow, row.workflow_version, row.gate, language),
            decision=decision_label(row.decision),
            decided_at=row.decided_at,
        )
        for row in rows
    )
