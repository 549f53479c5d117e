"""Writing notifications into the outbox and delivering them by SMTP.

``notify`` only adds a row (the caller's transaction commits it); ``deliver_pending``
runs after commit — from the CLI, or right after a request — and sends by SMTP when
``MAIL_SERVER`` is configured. Without it, messages are held for admins to read.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from email.message import EmailMessage
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification, NotificationState
from app.timeutil import utcnow
from docs_store.locking import try_writer_lock

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


#: The longest subject the column takes.
SUBJECT_LENGTH: int = Notification.__table__.c.subject.type.length


def shorten(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters, ending with an ellipsis when it was cut."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def notify(recipient: User, kind: str, dedup_key: str, subject: str, body: str) -> bool:
    """Queue a message unless the same (recipient, key) was already queued; True if new.

    Reminders use a key that includes the period ("action-12:2026-11") so that a second
    run in the same period adds nothing, and the next period adds a new reminder. Subjects
    are made from names (a project's, a course's, a person's) and may be longer than the
    column: they are shortened, the body keeps every name in full.
    """
    subject = shorten(subject, SUBJECT_LENGTH)
    exists = db.session.scalar(
        select(Notification.id).where(
            Notification.recipient_id == recipient.id, Notification.dedup_key == dedup_key
        )
    )
    if exists is not None:
        return False
    db.session.add(
        Notification(
            recipient_id=recipient.id, kind=kind, dedup_key=dedup_key, subject=subject, body=body
        )
    )
    db.session.flush()
    return True


def notify_each(kind: str, dedup_key: str, messages: Iterable[tuple[User, str, str]]) -> int:
    """`notify` for many recipients of one event: (recipient, subject, body) each; how many new.

    One query finds who already holds ``dedup_key`` and the new rows go in one flush, however
    many recipients a gate has: a submission to forty gatekeepers is two statements, not eighty.
    """
    messages = list(messages)
    if not messages:
        return 0
    queued = set(
        db.session.scalars(
            select(Notification.recipient_id).where(
                Notification.dedup_key == dedup_key,
                Notification.recipient_id.in_([recipient.id for recipient, _s, _b in messages]),
            )
        )
    )
    new = [
        Notification(
            recipient_id=recipient.id,
            kind=kind,
            dedup_key=dedup_key,
            subject=shorten(subject, SUBJECT_LENGTH),
            body=body,
        )
        for recipient, subject, body in messages
        if recipient.id not in queued
    ]
    db.session.add_all(new)
    db.session.flush()
    return len(new)


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _send_by_smtp(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)


def _email_for(notification: Notification) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_DEFAULT_SENDER", "jalon@localhost")
    message["To"] = notification.recipient.email
    message["Subject"] = notification.subject
    message.set_content(notification.body)
    return message


#: Wraps the messages to deliver, e.g. in a progress bar: `lambda items: click.progressbar(items)`.
Progress = Callable[[list[Notification]], AbstractContextManager[Iterable[Notification]]]


def deliver_pending(
    send: Callable[[EmailMessage], None] | None = None, progress: Progress = nullcontext
) -> dict[str, int]:
    """Send what is pending (commits each message's outcome); returns counts by outcome.

    With mail disabled every pending message is marked ``held``: visible to admins,
    never sent later by surprise when mail is switched on.

    One delivery at a time: `jalon notifications send` (every minute) and
    `jalon reminders send` may start together, and two runs reading the same pending rows
    would send them twice. A run that finds the lock taken sends nothing; the running one or
    the next run sends its messages.
    """
    counts = {"sent": 0, "failed": 0, "held": 0}
    lock = try_writer_lock(Path(current_app.config["JALON_DATA_DIR"]) / "notifications.lock")
    if lock is None:
        log.info("another process is delivering notifications")
        return counts
    with lock:
        _deliver(send or _send_by_smtp, progress, counts)
    return counts


def _deliver(
    send: Callable[[EmailMessage], None], progress: Progress, counts: dict[str, int]
) -> None:
    pending = db.session.scalars(
        select(Notification)
        .options(joinedload(Notification.recipient))
        .where(Notification.state.in_([NotificationState.PENDING, NotificationState.FAILED]))
        .where(Notification.attempts < MAX_ATTEMPTS)
        .order_by(Notification.id)
    ).all()
    with progress(list(pending)) as messages:
        for notification in messages:
            _deliver_one(notification, send, counts)


def _deliver_one(
    notification: Notification, send: Callable[[EmailMessage], None], counts: dict[str, int]
) -> None:
    if not mail_enabled() or not notification.recipient.email:
        notification.state = NotificationState.HELD
        counts["held"] += 1
    else:
        notification.attempts += 1
        try:
            send(_email_for(notification))
        except (OSError, smtplib.SMTPException) as error:
            notification.state = NotificationState.FAILED
            notification.last_error = str(error)[:500]
            counts["failed"] += 1
            log.warning("notification %s not sent: %s", notification.id, error)
        else:
            notification.state = NotificationState.SENT
            notification.sent_at = utcnow()
            notification.last_error = None
            counts["sent"] += 1
    db.session.commit()
