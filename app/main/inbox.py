"""A person's inbox: what waits for them, gathered from every domain, and only theirs.

Each list is read with the owning domain's own rules (the gatekeepers' open reviews, the
action items' owner, the training status of `app.training.status`, the library's review
dates), narrowed to the signed-in person: nobody else's items can appear, whatever their roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, lazyload

from app.auth.models import Role, User
from app.extensions import db
from app.library.lifecycle import due_for_review_query
from app.library.models import Document
from app.projects.definitions import get_definition
from app.projects.models import ActionItem, ActionStatus, GateReview, Project
from app.projects.queries import awaiting_vote
from app.training.services import my_training
from app.training.status import Status
from workflows import Gate

#: How many items of each kind the inbox reads at most (the full lists have pages of their own).
LIMIT = 50
#: Training statuses that ask something of the person: a course to take or to renew.
TRAINING_DUE = (Status.OVERDUE, Status.EXPIRED, Status.MISSING, Status.EXPIRING)


@dataclass(frozen=True)
class VoteAwaiting:
    """An open gate review the person may vote on and has not."""

    review_id: int
    project_id: int
    project: str
    gate: str
    gate_name: str
    submitted_on: date
    days_waiting: int
    vote_by: date | None


@dataclass(frozen=True)
class ActionItemDue:
    """An open action item the person owns."""

    id: int
    description: str
    project_id: int
    project: str
    due_date: date | None
    overdue: bool


@dataclass(frozen=True)
class TrainingDue:
    """A course required of the person that is not (or soon no longer) valid."""

    course: str
    title: str
    status: Status
    due_date: date | None
    valid_until: date | None


@dataclass(frozen=True)
class DocumentToReview:
    """A library document the person owns whose review date has passed."""

    id: int
    title: str
    review_date: date
    days_overdue: int


@dataclass(frozen=True)
class Inbox:
    """The five lists of `GET /api/v1/me/inbox` and of the home page, the most urgent first."""

    votes_awaiting: list[VoteAwaiting]
    action_items: list[ActionItemDue]
    training_due: list[TrainingDue]
    acknowledgements_due: list[Any]
    documents_to_review: list[DocumentToReview]


def inbox_for(user: User, today: date, language: str = "en") -> Inbox:
    """Everything waiting for `user` on `today`; gate names in `language`."""
    return Inbox(
        votes_awaiting=votes_awaiting(user, today, language),
        action_items=action_items_due(user, today),
        training_due=training_due(user, today),
        acknowledgements_due=acknowledgements_due(user),
        documents_to_review=documents_to_review(user, today),
    )


def _gate_approved_by(user: User, review: GateReview) -> Gate | None:
    """The review's gate when `user` was granted its approver role, else None.

    The rule of the notifications (`app.notifications.recipients`): admins, who may vote
    anywhere, see only the gates whose role they were granted themselves.
    """
    project = review.project
    gate = get_definition(project.workflow, project.workflow_version).gate(review.gate)
    if gate is None or Role(gate.approvers.role) not in user.roles:
        return None
    return gate


def votes_awaiting(user: User, today: date, language: str = "en") -> list[VoteAwaiting]:
    """Open reviews of a gate `user` approves, not submitted by them, without their vote;
    the longest waiting first."""
    reviews = db.session.scalars(
        awaiting_vote(user)
        .join(Project, Project.id == GateReview.project_id)
        .options(contains_eager(GateReview.project).lazyload("*"), lazyload("*"))
        .limit(LIMIT)
    ).all()
    result = []
    for review in reviews:
        gate = _gate_approved_by(user, review)
        if gate is None:
            continue
        submitted_on = review.submitted_at.date()
        result.append(
            VoteAwaiting(
                review_id=review.id,
                project_id=review.project.id,
                project=review.project.name,
                gate=review.gate,
                gate_name=gate.name.text(language),
                submitted_on=submitted_on,
                days_waiting=max((today - submitted_on).days, 0),
                vote_by=review.vote_by,
            )
        )
    return result


def action_items_due(user: User, today: date) -> list[ActionItemDue]:
    """Open action items owned by `user`: overdue first, then by due date, undated last."""
    rows = db.session.execute(
        select(ActionItem, Project.name)
        .join(Project, Project.id == ActionItem.project_id)
        .where(ActionItem.owner_id == user.id, ActionItem.status == ActionStatus.OPEN)
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)
        .limit(LIMIT)
    ).all()
    return [
        ActionItemDue(
            id=item.id,
            description=item.description,
            project_id=item.project_id,
            project=project_name,
            due_date=item.due_date,
            overdue=item.due_date is not None and item.due_date < today,
        )
        for item, project_name in rows
    ]


def training_due(user: User, today: date) -> list[TrainingDue]:
    """Courses required of `user` that are overdue, expired, still to take or expiring,
    in that order, each by due date."""
    record = my_training(user, today)
    due = [
        TrainingDue(
            course=row["course"],
            title=row["title"],
            status=row["status"],
            due_date=row["due_date"],
            valid_until=row["valid_until"],
        )
        for row in record["courses"]
        if row["required"] and row["status"] in TRAINING_DUE
    ]
    return sorted(
        due, key=lambda item: (TRAINING_DUE.index(item.status), item.due_date or date.max)
    )


def acknowledgements_due(user: User) -> list[Any]:
    """Published documents `user` must acknowledge as read and understood.

    The library has no acknowledgements yet (issue 27 adds them): always empty until then.
    """
    return []


def documents_to_review(user: User, today: date) -> list[DocumentToReview]:
    """Documents `user` owns whose periodic review date has passed (the PMO's own too, not
    every document the PMO curates), the most overdue first."""
    documents = db.session.scalars(
        due_for_review_query(user, today).where(Document.owner_id == user.id).limit(LIMIT)
    ).all()
    return [
        DocumentToReview(
            id=document.id,
            title=document.title,
            review_date=document.review_date,
            days_overdue=(today - document.review_date).days,
        )
        for document in documents
        if document.review_date is not None
    ]
