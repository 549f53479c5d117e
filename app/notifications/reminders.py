"""Due reminders, written to the outbox once per recipient, item and period.

`jalon reminders send` (cron or a systemd timer; there is no timer inside the server) finds
what is due on a day and queues one message per recipient and item, keyed by the period:
`action-12:2026-W47` with weekly periods (the default), `action-12:2026-11` with monthly ones
(`JALON_REMINDER_PERIOD`). The outbox refuses a second message with the same key, so running
the command twice, or every hour, reminds once per period; the next period reminds again while
the item is still due. What is due:

- open action items due within `days` days, or past their due date: to their owner;
- training `expiring`, `expired` (required) or `overdue` — the training lists' statuses, from
  `app.training` — to the person and to each of their managers;
- gate reviews open for more than `days` days: to the approvers who have not voted yet;
- gate reviews still awaiting votes after their vote-by date: to the approvers who have not
  voted (nor recused themselves) and to the PMO.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import Role, User
from app.extensions import db
from app.notifications.messages import (
    Message,
    action_item_due,
    review_waiting,
    training_due,
    vote_overdue,
)
from app.notifications.models import Notification
from app.notifications.recipients import approvers_to_vote, gate_of, holders_of, managers_of
from app.notifications.services import notify
from app.projects.models import ActionItem, ActionStatus, GateReview, Project, ReviewStatus
from app.training.matrix import OVERDUE_LIST_STATUSES, action_list, build_matrix
from app.training.status import Status

PERIODS = ("week", "month")
DEFAULT_DAYS = 3


def configured_period() -> str:
    """`JALON_REMINDER_PERIOD` (see app/config.py): `week` (default) or `month`."""
    period = current_app.config.get("JALON_REMINDER_PERIOD") or "week"
    if period not in PERIODS:
        raise ValueError(f"JALON_REMINDER_PERIOD must be week or month, not {period!r}")
    return period


def period_key(day: date, period: str) -> str:
    """The period `day` falls in: ISO week `2026-W47` or month `2026-11`."""
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class Reminder:
    """One message to write: its recipient, kind, item key and how to word it."""

    recipient: User
    kind: str
    item: str
    render: Callable[[], Message]


def _action_items(on: date, days: int) -> Iterator[Reminder]:
    rows = db.session.execute(
        select(ActionItem, Project.name)
        .join(Project, Project.id == ActionItem.project_id)
        .where(
            ActionItem.status == ActionStatus.OPEN,
            ActionItem.due_date.is_not(None),
            ActionItem.due_date <= on + timedelta(days=days),
        )
        .order_by(ActionItem.id)
    )
    for item, project_name in rows:
        if not item.owner.active:
            continue
        yield Reminder(
            item.owner,
            "action_item_due",
            f"action-{item.id}",
            lambda item=item, name=project_name: action_item_due(item.owner, item, name, on),
        )


def _training(on: date) -> Iterator[Reminder]:
    matrix = build_matrix(on)
    entries = action_list(matrix, {*OVERDUE_LIST_STATUSES, Status.EXPIRING})
    people = {entry.person.id: entry.person for entry in entries}
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(people)))}
    managers = managers_of((person.id, person.team_ids) for person in people.values())
    for entry in entries:
        person, course, cell = entry.person, entry.course, entry.cell
        lapses = cell.status in (Status.EXPIRING, Status.EXPIRED)
        day = cell.valid_until if lapses else cell.due_date
        item = f"training-{person.id}-{course.id}"
        for recipient in (users[person.id], *managers[person.id]):
            name = None if recipient.id == person.id else person.display_name
            yield Reminder(
                recipient,
                f"training_{cell.status.value}",
                item,
                lambda r=recipient, n=name, s=cell.status, d=day, t=course.title: training_due(
                    r, n, t, s, d
                ),
            )


def _reviews(on: date, days: int) -> Iterator[Reminder]:
    before = datetime.combine(on - timedelta(days=days), time(), tzinfo=UTC)
    reviews = db.session.scalars(
        select(GateReview)
        .options(joinedload(GateReview.project))
        .where(GateReview.status == ReviewStatus.SUBMITTED, GateReview.submitted_at < before)
        .order_by(GateReview.id)
    )
    for review in reviews:
        gate = gate_of(review)
        for approver in approvers_to_vote(review):
            yield Reminder(
                approver,
                "review_waiting",
                f"review-{review.id}-waiting",
                lambda a=approver, r=review, g=gate: review_waiting(a, r, g),
            )


def _overdue_votes(on: date) -> Iterator[Reminder]:
    reviews = db.session.scalars(
        select(GateReview)
        .options(joinedload(GateReview.project))
        .where(GateReview.status == ReviewStatus.SUBMITTED, GateReview.vote_by < on)
        .order_by(GateReview.id)
    )
    pmo = holders_of(Role.PMO)
    for review in reviews:
        gate = gate_of(review)
        missing = approvers_to_vote(review)
        missing_ids = {person.id for person in missing}
        others = [p for p in pmo if p.id not in missing_ids and p.id != review.submitted_by_id]
        for recipient in (*missing, *others):
            yield Reminder(
                recipient,
                "vote_overdue",
                f"review-{review.id}-overdue",
                lambda a=recipient, r=review, g=gate: vote_overdue(a, r, g),
            )


def due_reminders(on: date, days: int = DEFAULT_DAYS) -> list[Reminder]:
    """Every reminder due on `on`, whether already written this period or not."""
    return [
        *_action_items(on, days),
        *_training(on),
        *_reviews(on, days),
        *_overdue_votes(on),
    ]


class ReminderWriter:
    """Writes reminders of one period, skipping those already in the outbox (one query)."""

    def __init__(self, on: date, period: str) -> None:
        self.period = period_key(on, period)
        rows = db.session.execute(
            select(Notification.recipient_id, Notification.dedup_key).where(
                Notification.dedup_key.like(f"%:{self.period}")
            )
        )
        self.written = {(recipient_id, key) for recipient_id, key in rows}

    def write(self, reminder: Reminder) -> bool:
        """Queue the reminder unless already written this period; True if queued."""
        key = f"{reminder.item}:{self.period}"
        if (reminder.recipient.id, key) in self.written:
            return False
        self.written.add((reminder.recipient.id, key))
        message = reminder.render()
        return notify(reminder.recipient, reminder.kind, key, message.subject, message.body)
