"""Governance events become outbox rows in the transaction that made them.

The projects domain queues its events in the session (`app.projects.services.after_commit`).
A `before_commit` listener reads that queue and writes one notification per recipient, so the
rows commit with the submission or the decision, or vanish with them when the request rolls
back (a refused vote, a 422 submission, an exception): no message about something that did
not happen, and none lost for something that did. The queue itself is emptied by the
projects domain after the commit.

Delivery is NOT done here nor right after the commit: `jalon notifications send`, run every
minute or so by cron or a systemd timer, sends the outbox. Sending in the request would put an
SMTP round trip (or its 10 s timeout) on the vote and submission path; a message a minute late
costs nothing in gate governance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session, lazyload

from app.auth.models import User
from app.extensions import db
from app.notifications.messages import decision_taken, no_consensus_reached, review_submitted
from app.notifications.recipients import approvers_to_vote, gate_of, holders_of
from app.notifications.services import notify, notify_each
from app.projects.models import ActionItem, GateReview, Project
from workflows import Decision


def _review(review_id: int, person: Any) -> tuple[GateReview, Project, User]:
    """The review, its project and one person (`person`: a users.id column) in one query.

    Messages need names, languages and addresses only: the people's roles and teams are left
    unloaded, which keeps the commit of a vote a few queries longer, not ten. The caller holds
    the three rows, so `review.project` and the like are found in the session, not queried.
    """
    review, project, user = db.session.execute(
        select(GateReview, Project, User)
        .join(Project, Project.id == GateReview.project_id)
        .join(User, User.id == person)
        .where(GateReview.id == review_id)
        .options(lazyload("*"))
    ).one()
    return review, project, user


def _submission(data: dict[str, Any]) -> None:
    """Each approver of the gate (never the submitter) is asked for their vote."""
    review, _project, _submitter = _review(data["review_id"], GateReview.submitted_by_id)
    gate = gate_of(review)
    messages = []
    for approver in approvers_to_vote(review):
        message = review_submitted(approver, review, gate)
        messages.append((approver, message.subject, message.body))
    notify_each("review_submitted", f"review-{review.id}:submitted", messages)


def _decision(data: dict[str, Any]) -> None:
    """The project's manager learns the decision and, for a conditional go, its conditions."""
    review, _project, manager = _review(data["review_id"], Project.manager_id)
    if not manager.active:
        return
    conditions: list[ActionItem] = []
    if review.decision is Decision.CONDITIONAL_GO:
        conditions = list(
            db.session.scalars(
                select(ActionItem)
                .where(ActionItem.review_id == review.id)
                .order_by(ActionItem.id)
                .options(lazyload("*"))
            )
        )
    message = decision_taken(manager, review, gate_of(review), conditions)
    key = f"review-{review.id}:decision"
    notify(manager, "decision", key, message.subject, message.body)


def _no_consensus(data: dict[str, Any]) -> None:
    """The holders of the gate's chair role (never the submitter) are asked to decide."""
    review, _project, _submitter = _review(data["review_id"], GateReview.submitted_by_id)
    gate = gate_of(review)
    for chair in holders_of(gate.chair, {review.submitted_by_id}):
        message = no_consensus_reached(chair, review, gate)
        key = f"review-{review.id}:no-consensus"
        notify(chair, "no_consensus", key, message.subject, message.body)


#: Project event kind -> what it notifies (other kinds, like `transition`, notify nobody).
WRITERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "submission": _submission,
    "decision": _decision,
    "no_consensus": _no_consensus,
}


def write_notifications(session: Session) -> None:
    """`before_commit` listener: the queued project events of this transaction, as messages.

    Writing twice (a savepoint commit, then the outer one) adds nothing: each message has a
    dedup key per recipient and event.
    """
    events = session.info.get("project_events")
    if not events or not has_app_context():
        return
    for kind, data in list(events):
        writer = WRITERS.get(kind)
        if writer is not None:
            writer(data)


def listen() -> None:
    """Install the listener once per process (every app shares the Session class)."""
    if not event.contains(Session, "before_commit", write_notifications):
        event.listen(Session, "before_commit", write_notifications)
