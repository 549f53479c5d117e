"""A person's own notifications in the app: read and unread, mail or no mail.

The outbox holds every message Jalon writes to someone (sent, held or failing); here its
recipient reads them. Only the recipient: another person's message is "not found", never
"forbidden", so its existence is not revealed either.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update

from app.auth.models import Principal, User
from app.extensions import db
from app.notifications.models import Notification
from app.refusals import NotFound
from app.timeutil import utcnow


def my_notifications(
    user: User | Principal, unread: bool | None = None
) -> Select[tuple[Notification]]:
    """`user`'s messages, newest first; only the unread (True) or the read (False) ones."""
    statement = (
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.id.desc())
    )
    if unread is not None:
        statement = statement.where(
            Notification.read_at.is_(None) if unread else Notification.read_at.is_not(None)
        )
    return statement


def unread_count(user: User | Principal) -> int:
    """How many of `user`'s messages are unread (the header's badge)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def get_my_notification(user: User | Principal, notification_id: int) -> Notification:
    """One of `user`'s messages; NotFound for anyone else's (or none)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        raise NotFound(_("No such notification."))
    return notification


def mark_read(user: User | Principal, notification_id: int) -> Notification:
    """Mark one of `user`'s messages read (again: the first reading's time is kept)."""
    notification = get_my_notification(user, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user: User | Principal) -> int:
    """Mark every unread message of `user` read; how many were."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
