"""The notification outbox: every message Jalon sends is a row first."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db, str_enum
from app.timeutil import UTCDateTime, utcnow


class NotificationState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    #: Mail is disabled: kept for admins to read in the app, never sent.
    HELD = "held"


class Notification(db.Model):
    """A message to one person, written in the transaction that caused it.

    Delivery happens after the commit (never inside a request's transaction), so a
    rolled-back action sends nothing and a failed delivery keeps the message and its
    error for the next attempt.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Who receives it.
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: What it is about, for filtering: ``review_submitted``, ``decision``, ``training_expiring``...
    kind: Mapped[str] = mapped_column(String(40))
    #: Makes sending idempotent: one message per recipient and key (e.g. item and period).
    dedup_key: Mapped[str] = mapped_column(String(200))
    #: Subject line, in the recipient's language.
    subject: Mapped[str] = mapped_column(String(200))
    #: Plain-text body, in the recipient's language.
    body: Mapped[str] = mapped_column(Text)
    #: Where delivery stands.
    state: Mapped[NotificationState] = mapped_column(
        str_enum(NotificationState, "notification_state", length=10),
        default=NotificationState.PENDING,
        index=True,
    )
    #: When it was written.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When the mail server accepted it.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: How many deliveries were tried.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: The last delivery error, for the admin page.
    last_error: Mapped[str | None] = mapped_column(String(500))
    #: When the recipient read it in the app (None: unread).
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recipient: Mapped[User] = relationship()

    __table_args__ = (db.UniqueConstraint("recipient_id", "dedup_key"),)
