"""The bounded lists of the dashboard: the oldest reviews awaiting votes, the most late items.

Each list is one query that also counts every matching row (``count(*) OVER ()``), so the
dashboard knows how many there are without a second query and without loading them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select

from app.auth.models import User
from app.extensions import db
from app.portfolio.metrics import within
from app.projects.definitions import get_definition
from app.projects.models import (
    OPEN_STATUSES,
    ActionItem,
    ActionStatus,
    GateReview,
    Project,
    Vote,
)
from app.projects.naming import workflow_gate_name
from app.refusals import NotFound


@dataclass(frozen=True)
class WaitingReview:
    review_id: int
    project_id: int
    project: str
    gate: str
    submitted_at: datetime
    days_waiting: float
    votes_cast: int
    min_votes: int | None
    #: The gate's name in the reader's language (`gate` is its key).
    gate_name: str = ""


@dataclass(frozen=True)
class OverdueItem:
    id: int
    project_id: int
    project: str
    description: str
    owner: str
    due_date: date
    days_late: int


def waiting_reviews(
    scope: Select[Any], now: datetime, limit: int
) -> tuple[int, list[WaitingReview]]:
    """How many reviews await their decision, and the `limit` oldest with their votes."""
    votes = (
        select(func.count(Vote.id))
        .where(Vote.review_id == GateReview.id)
        .correlate(GateReview)
        .scalar_subquery()
    )
    statement = (
        select(
            GateReview.id,
            GateReview.project_id,
            Project.name,
            Project.workflow,
            Project.workflow_version,
            GateReview.gate,
            GateReview.submitted_at,
            votes,
            func.count().over(),
        )
        .join(Project, Project.id == GateReview.project_id)
        .where(GateReview.status.in_(OPEN_STATUSES), within(GateReview.project_id, scope))
        .order_by(GateReview.submitted_at, GateReview.id)
        .limit(limit)
    )
    rows = db.session.execute(statement).all()
    reviews = []
    for review_id, project_id, name, workflow, version, gate, submitted_at, cast, _n in rows:
        reviews.append(
            WaitingReview(
                review_id,
                project_id,
                name,
                gate,
                submitted_at,
                round((now - submitted_at).total_seconds() / 86400, 1),
                cast,
                _min_votes(workflow, version, gate),
                workflow_gate_name(workflow, version, gate),
            )
        )
    return (rows[0][-1] if rows else 0), reviews


def _min_votes(workflow: str, version: int, gate_key: str) -> int | None:
    """The gate's quorum in the version the project is pinned to (parsed once per process);
    None when that version is not stored (a figure missing beats a dashboard failing)."""
    try:
        gate = get_definition(workflow, version).gate(gate_key)
    except NotFound:
        return None
    return gate.approvers.min_votes if gate else None


def overdue_items(scope: Select[Any], today: date, limit: int) -> tuple[int, list[OverdueItem]]:
    """Open action items past their due date (as in the RAG figures), the oldest first."""
    statement = (
        select(
            ActionItem.id,
            ActionItem.project_id,
            Project.name,
            ActionItem.description,
            User.display_name,
            ActionItem.due_date,
            func.count().over(),
        )
        .join(Project, Project.id == ActionItem.project_id)
        .join(User, User.id == ActionItem.owner_id)
        .where(
            ActionItem.status == ActionStatus.OPEN,
            ActionItem.due_date < today,
            within(ActionItem.project_id, scope),
        )
        .order_by(ActionItem.due_date, ActionItem.id)
        .limit(limit)
    )
    rows = db.session.execute(statement).all()
    items = [
        OverdueItem(item_id, pid, name, text, owner, due, (today - due).days)
        for item_id, pid, name, text, owner, due, _n in rows
    ]
    return (rows[0][-1] if rows else 0), items


def project_names(project_ids: Sequence[int]) -> dict[int, str]:
    """Names of a bounded list of projects (the tops), one query."""
    if not project_ids:
        return {}
    statement = select(Project.id, Project.name).where(Project.id.in_(set(project_ids)))
    return dict(db.session.execute(statement).all())
