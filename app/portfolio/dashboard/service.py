"""The portfolio dashboard's figures, for the visible projects narrowed by the project filters.

Every figure comes from a grouped query or a bounded list, so the number of SQL statements is
the same for ten projects or ten thousand: counts by stage and status, decisions per gate,
budgets per programme and the overdue/awaiting lists are aggregated by the database; RAG
colours are counted and ranked by the database from the rules compiled to SQL
(``rag.severity_sql``), and only the few projects listed are explained by ``rag.evaluate``;
days per stage are read as one number per closed stage period and their median and 90th
percentile computed here, which works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select

from app.auth.models import User
from app.extensions import db
from app.portfolio.dashboard.figures import (
    QUANTILES,
    BudgetLine,
    budget_lines,
    quantile,
    training_by_team,
)
from app.portfolio.dashboard.lists import (
    OverdueItem,
    WaitingReview,
    overdue_items,
    waiting_reviews,
)
from app.portfolio.dashboard.lists import project_names as project_names_of
from app.portfolio.metrics import (
    BUDGET,
    BUDGET_VARIANCE_PCT,
    RUNNING,
    ProjectFigures,
    budget_of_project,
    days_between,
    figure_rows,
    rag_rules,
    within,
)
from app.portfolio.rag import Rag, RagResult, evaluate, severity_sql
from app.projects.definitions import all_current
from app.projects.models import (
    GateReview,
    Project,
    ReviewStatus,
    StagePeriod,
)
from app.projects.queries import filter_projects
from app.projects.services import visible_projects
from app.timeutil import utcnow
from workflows import Decision, Status

#: Length of the bounded lists (oldest reviews, overdue items, RAG and variance tops).
LIST_LENGTH = 10


class _Named:
    """A stage or a gate of a workflow: tables show `name` (both), per-workflow charts `label`."""

    workflow_name: str
    label: str

    @property
    def name(self) -> str:
        return f"{self.workflow_name} · {self.label}"


@dataclass(frozen=True)
class StageCount(_Named):
    workflow: str
    stage: str
    workflow_name: str
    label: str
    count: int
    by_status: dict[str, int]


@dataclass(frozen=True)
class GateDecisions(_Named):
    workflow: str
    gate: str
    workflow_name: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class StageDuration(_Named):
    """Days spent in a stage by the projects that left it (closed periods only)."""

    workflow: str
    stage: str
    workflow_name: str
    label: str
    periods: int
    median_days: float
    p90_days: float


@dataclass(frozen=True)
class RagProject:
    project_id: int
    project: str
    status: str
    reason: str


@dataclass(frozen=True)
class VarianceProject:
    project_id: int
    project: str
    planned: Decimal
    forecast: Decimal
    variance: Decimal
    variance_pct: float


@dataclass
class Summary:
    """Everything the dashboard and ``GET /api/v1/portfolio/summary`` show."""

    generated_at: datetime
    filters: dict[str, str]
    total_projects: int
    by_status: dict[str, int]
    by_stage: list[StageCount]
    decisions: list[GateDecisions]
    days_per_stage: list[StageDuration]
    reviews_awaiting: int
    oldest_reviews: list[WaitingReview]
    overdue_action_items: int
    oldest_overdue: list[OverdueItem]
    budget: BudgetLine
    budget_by_programme: list[BudgetLine]
    top_variance: list[VarianceProject]
    rag_counts: dict[str, int]
    rag_projects: list[RagProject]
    training: list[Any]


def project_scope(user: User, args: Mapping[str, Any]) -> Select[Any]:
    """The ids of the projects `user` sees, narrowed by the project filters in `args`."""
    return filter_projects(visible_projects(user), dict(args)).with_only_columns(Project.id)


def portfolio_summary(
    user: User,
    args: Mapping[str, Any],
    language: str = "en",
    limit: int = LIST_LENGTH,
    now: datetime | None = None,
) -> Summary:
    """The dashboard's figures, in a fixed number of queries whatever the number of projects."""
    now = now or utcnow()
    today = now.date()
    scope = project_scope(user, args)
    names = _Names(language)
    by_stage, by_status, total = _stage_counts(user, args, names)
    rag_counts, attention = _rag(scope, now, language, limit)
    variance = _top_variance(scope, limit)
    project_names = project_names_of([pid for pid, _ in attention] + [v[0] for v in variance])
    total_budget, programmes = budget_lines(scope)
    reviews_count, reviews = waiting_reviews(scope, now, limit)
    overdue_count, overdue = overdue_items(scope, today, limit)
    return Summary(
        generated_at=now,
        filters={key: value for key, value in args.items() if value},
        total_projects=total,
        by_status=by_status,
        by_stage=by_stage,
        decisions=_decisions(scope, names),
        days_per_stage=_days_per_stage(scope, names),
        reviews_awaiting=reviews_count,
        oldest_reviews=reviews,
        overdue_action_items=overdue_count,
        oldest_overdue=overdue,
        budget=total_budget,
        budget_by_programme=programmes,
        top_variance=[
            VarianceProject(
                pid,
                project_names.get(pid, ""),
                planned or Decimal(0),
                forecast or Decimal(0),
                (forecast or Decimal(0)) - (planned or Decimal(0)),
                round(pct, 1),
            )
            for pid, planned, forecast, pct in variance
        ],
        rag_counts=rag_counts,
        rag_projects=[
            RagProject(
                pid,
                project_names.get(pid, ""),
                result.status.value,
                result.reasons[0].message if result.reasons else "",
            )
            for pid, result in attention
        ],
        training=training_by_team(today),
    )


def _rag(
    scope: Select[Any], now: datetime, language: str, limit: int
) -> tuple[dict[str, int], list[tuple[int, RagResult]]]:
    """How many running projects are green, amber and red, and the `limit` worst with their
    reasons: the database counts and ranks (two queries), `evaluate` explains the few shown."""
    figures = figure_rows(scope, now).where(Project.status.in_(RUNNING)).subquery()
    severity = severity_sql(rag_rules(), figures.c).label("severity")
    connection = db.session.connection()
    counts = dict(
        connection.execute(
            select(severity, func.count()).select_from(figures).group_by(severity)
        ).all()
    )
    worst = connection.execute(
        select(figures)
        .where(severity > Rag.GREEN.severity)
        .order_by(severity.desc(), figures.c.project_id)
        .limit(limit)
    ).all()
    rules = rag_rules()
    attention = [
        (project_id, evaluate(ProjectFigures(*values).rag_metrics(), rules, language))
        for project_id, _status, *values in worst
    ]
    return {colour.value: counts.get(colour.severity, 0) for colour in Rag}, attention


def _top_variance(scope: Select[Any], limit: int) -> list[tuple[int, Any, Any, float]]:
    """(project id, planned, forecast, variance %) of the `limit` projects whose forecast
    strays furthest from their planned budget, either way: one query."""
    statement = (
        select(Project.id, BUDGET.budget_planned, BUDGET.budget_forecast, BUDGET_VARIANCE_PCT)
        .select_from(Project)
        .join(BUDGET, budget_of_project())
        .where(within(Project.id, scope), BUDGET_VARIANCE_PCT.is_not(None))
        .order_by(func.abs(BUDGET_VARIANCE_PCT).desc(), Project.id)
        .limit(limit)
    )
    return [tuple(row) for row in db.session.connection().execute(statement)]


class _Names:
    """Workflow, stage and gate names and orders from the current definitions (no query)."""

    def __init__(self, language: str) -> None:
        self.workflows: dict[str, str] = {}
        self.items: dict[tuple[str, str], tuple[int, str]] = {}
        for definition in all_current():
            self.workflows[definition.key] = definition.name.text(language)
            for index, stage in enumerate(definition.stages):
                self.items[definition.key, stage.key] = (index, stage.name.text(language))
            for index, gate in enumerate(definition.gates):
                self.items[definition.key, gate.key] = (index, gate.name.text(language))

    def of(self, workflow: str, key: str) -> tuple[tuple[str, int, str], str, str]:
        """(sort key, workflow name, own name) of a stage or gate; unknown ones sort last."""
        index, name = self.items.get((workflow, key), (999, key))
        return (workflow, index, key), self.workflows.get(workflow, workflow), name


def _stage_counts(
    user: User, args: Mapping[str, Any], names: _Names
) -> tuple[list[StageCount], dict[str, int], int]:
    """Projects per (workflow, stage) split by status, and per status: one GROUP BY."""
    statement = (
        filter_projects(visible_projects(user), dict(args))
        .with_only_columns(Project.workflow, Project.stage, Project.status, func.count())
        .group_by(Project.workflow, Project.stage, Project.status)
    )
    by_status = {status.value: 0 for status in Status}
    stages: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for workflow, stage, status, count in db.session.execute(statement):
        by_status[Status(status).value] += count
        stages[workflow, stage][Status(status).value] = count
    rows = []
    for (workflow, stage), counts in stages.items():
        order, workflow_name, label = names.of(workflow, stage)
        full = {status.value: counts.get(status.value, 0) for status in Status}
        count = sum(full.values())
        rows.append((order, StageCount(workflow, stage, workflow_name, label, count, full)))
    rows.sort(key=lambda row: row[0])
    return [row for _order, row in rows], by_status, sum(by_status.values())


def _decisions(scope: Select[Any], names: _Names) -> list[GateDecisions]:
    """Decided reviews per (workflow, gate) and decision: one GROUP BY."""
    statement = (
        select(Project.workflow, GateReview.gate, GateReview.decision, func.count())
        .join(Project, Project.id == GateReview.project_id)
        .where(GateReview.status == ReviewStatus.DECIDED, within(GateReview.project_id, scope))
        .group_by(Project.workflow, GateReview.gate, GateReview.decision)
    )
    gates: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for workflow, gate, decision, count in db.session.execute(statement):
        gates[workflow, gate][Decision(decision).value] = count
    rows = []
    for (workflow, gate), counts in gates.items():
        order, workflow_name, label = names.of(workflow, gate)
        full = {decision.value: counts.get(decision.value, 0) for decision in Decision}
        rows.append((order, GateDecisions(workflow, gate, workflow_name, label, full)))
    rows.sort(key=lambda row: row[0])
    return [row for _order, row in rows]


def _days_per_stage(scope: Select[Any], names: _Names) -> list[StageDuration]:
    """Median and 90th percentile of the closed periods per (workflow, stage).

    One row per closed period, one number each, and the quantiles computed here: SQLite
    has no percentile function.
    """
    statement = (
        select(
            Project.workflow,
            StagePeriod.stage,
            days_between(StagePeriod.entered_at, StagePeriod.left_at),
        )
        .join(Project, Project.id == StagePeriod.project_id)
        .where(StagePeriod.left_at.is_not(None), within(StagePeriod.project_id, scope))
    )
    days: dict[tuple[str, str], list[float]] = defaultdict(list)
    for workflow, stage, value in db.session.connection().execute(statement).all():
        days[workflow, stage].append(value)
    rows = []
    for (workflow, stage), values in days.items():
        values.sort()
        order, workflow_name, label = names.of(workflow, stage)
        median, p90 = (round(quantile(values, part, whole), 1) for part, whole in QUANTILES)
        duration = StageDuration(workflow, stage, workflow_name, label, len(values), median, p90)
        rows.append((order, duration))
    rows.sort(key=lambda row: row[0])
    return [row for _order, row in rows]
