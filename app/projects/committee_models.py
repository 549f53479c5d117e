"""The committee's own records: recusals from a review and delegations of a vote."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class Recusal(db.Model):
    """A gatekeeper stepping out of one review: they no longer count among its voters."""

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("gate_reviews.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Why (a conflict of interest, an absence): required.
    reason: Mapped[str] = mapped_column(Text)
    #: When.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class Delegation(db.Model):
    """A gatekeeper's vote given to another holder of the role for a window of days."""

    __tablename__ = "delegations"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="window_in_order"),
        CheckConstraint("delegator_id <> delegate_id", name="not_to_oneself"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Who gives their vote.
    delegator_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: Who votes for them.
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: First day of the window.
    starts_on: Mapped[date] = mapped_column(Date)
    #: Last day of the window (inclusive).
    ends_on: Mapped[date] = mapped_column(Date)
    #: When it was given.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    delegator: Mapped[User] = relationship(foreign_keys=[delegator_id], lazy="joined")
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id], lazy="joined")
