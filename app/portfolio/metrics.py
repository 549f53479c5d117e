"""The figures a project's RAG status is computed from, for many projects in a few queries.

The dashboard, the status report and the project page all need the same four figures per
project; reading them here, one grouped query each over a set of project ids, keeps the
number of SQL statements fixed however many projects are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import ColumnElement, Float, Select, cast, extract, func, literal, select, true
from sqlalchemy.orm import aliased

from app.extensions import db
from app.portfolio.rag import GREEN, RagResult, RagRule, evaluate
from app.projects.models import (
    OPEN_STATUSES,
    ActionItem,
    ActionStatus,
    GateReview,
    Project,
    StagePeriod,
)
from app.timeutil import UTCDateTime
from workflows import Status

#: Statuses whose projects get a RAG status: ended projects are history, not risk.
RUNNING = (Status.ACTIVE, Status.ON_HOLD)


class ProjectFigures(NamedTuple):
    """What the latest gate review and the open items say about one project.

    A named tuple rather than a frozen dataclass: the dashboard builds ten thousand of them
    per request, and a tuple is built ten times faster. Day counts arrive computed by the
    database, so no timestamp is parsed per project.
    """

    planned: Decimal | None = None
    actual: Decimal | None = None
    forecast: Decimal | None = None
    #: (forecast - planned) / planned in percent; None without both figures.
    variance_pct: float | None = None
    #: Days the open gate review has waited for its decision; None without one.
    review_waiting_days: float | None = None
    overdue_action_items: int = 0
    days_in_stage: float | None = None

    @property
    def variance(self) -> Decimal | None:
        """Forecast minus planned, in money; None without both figures."""
        if self.planned is None or self.forecast is None:
            return None
        return self.forecast - self.planned

    def rag_metrics(self) -> dict[str, float | None]:
        """The metrics the RAG rules are written against (see rag_rules.yaml)."""
        return {
            "budget_variance_pct": self.variance_pct,
            "review_waiting_days": self.review_waiting_days,
            "overdue_action_items": float(self.overdue_action_items),
            "days_in_stage": self.days_in_stage,
        }


def days_between(start: Any, end: Any) -> ColumnElement[float]:
    """Days from `start` to `end` (timestamp columns or aware datetimes) as a float, in SQL.

    SQLite has no interval type: julianday() counts days; PostgreSQL subtracts timestamps.
    """
    start, end = (
        literal(value, UTCDateTime()) if isinstance(value, datetime) else value
        for value in (start, end)
    )
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return cast(extract("epoch", end - start) / 86400, Float)


def within(column: ColumnElement[int], scope: Select[Any]) -> ColumnElement[bool]:
    """`column IN (scope)`; nothing when the scope is every project (no WHERE clause), which
    spares the database a lookup per row on the unfiltered dashboard."""
    return true() if scope.whereclause is None else column.in_(scope)


#: The gate review a project's budget figures come from (see `budget_of_project`).
BUDGET = aliased(GateReview, name="budget")

#: (forecast - planned) / planned in percent, multiplied before it is divided so that whole
#: percentages stay exact in floating point, where the RAG rules compare them.
BUDGET_VARIANCE_PCT = cast(
    (BUDGET.budget_forecast - BUDGET.budget_planned) * 100 / func.nullif(BUDGET.budget_planned, 0),
    Float,
)


def budget_of_project() -> ColumnElement[bool]:
    """Join condition of `BUDGET` to `Project`: the project's latest gate review stating a
    planned or forecast budget.

    A correlated MAX per project, answered from the (project_id) index in both databases;
    a join to a grouped subquery instead made SQLite rescan it for every project.
    """
    latest = (
        select(func.max(GateReview.id))
        .where(GateReview.project_id == Project.id)
        .where((GateReview.budget_planned.is_not(None)) | (GateReview.budget_forecast.is_not(None)))
        .correlate(Project)
        .scalar_subquery()
    )
    return BUDGET.id == latest


def figure_rows(scope: Select[Any], now: datetime) -> Select[Any]:
    """One row per project of `scope`: its id, status and figures, labelled as the
    `ProjectFigures` fields and the RAG metrics, for the database to sort, count and filter.

    Budget comes from the latest gate review that states a planned or forecast figure; an
    action item is overdue when it is still open after its due date (closed but not yet
    verified by the PMO is the PMO's wait, not the project's lateness). A project has at
    most one open review and one open stage period, so each join adds at most one row.
    """
    waiting = (
        select(GateReview.project_id, GateReview.submitted_at)
        .where(GateReview.status.in_(OPEN_STATUSES), within(GateReview.project_id, scope))
        .subquery("waiting")
    )
    overdue = (
        select(ActionItem.project_id, func.count().label("late"))
        .where(
            ActionItem.status == ActionStatus.OPEN,
            ActionItem.due_date < now.date(),
            within(ActionItem.project_id, scope),
        )
        .group_by(ActionItem.project_id)
        .subquery("overdue")
    )
    period = (
        select(StagePeriod.project_id, StagePeriod.entered_at)
        .where(StagePeriod.left_at.is_(None), within(StagePeriod.project_id, scope))
        .subquery("period")
    )
    return (
        select(
            Project.id.label("project_id"),
            Project.status.label("status"),
            BUDGET.budget_planned.label("planned"),
            BUDGET.budget_actual.label("actual"),
            BUDGET.budget_forecast.label("forecast"),
            BUDGET_VARIANCE_PCT.label("budget_variance_pct"),
            days_between(waiting.c.submitted_at, now).label("review_waiting_days"),
            func.coalesce(overdue.c.late, 0).label("overdue_action_items"),
            days_between(period.c.entered_at, now).label("days_in_stage"),
        )
        .select_from(Project)
        .outerjoin(BUDGET, budget_of_project())
        .outerjoin(waiting, waiting.c.project_id == Project.id)
        .outerjoin(overdue, overdue.c.project_id == Project.id)
        .outerjoin(period, period.c.project_id == Project.id)
        .where(within(Project.id, scope))
    )


def project_figures(scope: Select[Any], now: datetime) -> dict[int, ProjectFigures]:
    """Figures of every project whose id `scope` selects, in one query.

    The rows are read through the connection, not the ORM session: thousands of plain
    tuples, none of the ORM's per-row bookkeeping.
    """
    rows = db.session.connection().execute(figure_rows(scope, now)).all()
    return {row[0]: ProjectFigures(*row[2:]) for row in rows}


def rag_rules() -> tuple[RagRule, ...]:
    """The configured rules, read at start-up by the portfolio blueprint."""
    return current_app.extensions["jalon_rag_rules"]


def rag_statuses(
    figures: Mapping[int, ProjectFigures], project_ids: list[int], language: str
) -> dict[int, RagResult]:
    """Each project's RAG status and reasons (a project without figures is green)."""
    rules = rag_rules()
    return {
        project_id: evaluate(one.rag_metrics(), rules, language=language)
        if (one := figures.get(project_id)) is not None
        else GREEN
        for project_id in project_ids
    }
