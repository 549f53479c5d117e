"""Webhooks and their outbox of deliveries: every event sent is a row first."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.timeutil import UTCDateTime, utcnow

#: The longest URL a webhook may have.
URL_LENGTH = 2000


class Webhook(db.Model):
    """A URL the PMO registered to receive some events, with the secret that signs them.

    The secret (`whsec_` + base64 of random bytes, as Standard Webhooks says) is kept in clear:
    signing needs it. It is shown once, in the answer to the registration, and never again.
    """

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    #: Event types it receives, e.g. ``["review.decided"]``.
    events: Mapped[list[str]] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(100))
    #: Who registered it (kept when that account goes).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="webhook", cascade="all, delete-orphan", passive_deletes=True
    )


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    #: Every attempt failed: no more tries.
    FAILED = "failed"


class WebhookDelivery(db.Model):
    """One event for one webhook, written in the transaction that caused the event.

    `body` is the JSON text sent, built when the event happened (what a receiver gets describes
    that moment, whenever it is delivered); `message_id` is its `webhook-id`, the same at every
    attempt so that receivers can drop duplicates.
    """

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    event: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState, "webhook_delivery_state", length=10),
        default=DeliveryState.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: When the next attempt is due (None once delivered or failed).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    #: The HTTP status of the last answer (None when there was no answer).
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    webhook: Mapped[Webhook] = relationship(back_populates="deliveries")

    __table_args__ = (
        Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
        Index("ix_webhook_deliveries_webhook_id", "webhook_id", "id"),
    )
