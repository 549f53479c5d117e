"""Portfolios group programmes; programmes group projects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class Portfolio(db.Model):
    __tablename__ = "portfolios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Unique name ("Transformation 2027").
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: What the portfolio is for.
    description: Mapped[str] = mapped_column(String(1000), default="")
    #: When it was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programmes: Mapped[list[Programme]] = relationship(
        back_populates="portfolio", order_by="Programme.name"
    )


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Unique name ("ERP roll-out").
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: What the programme delivers.
    description: Mapped[str] = mapped_column(String(1000), default="")
    #: The portfolio it belongs to, if any.
    portfolio_id: Mapped[int | None] = mapped_column(
        ForeignKey("portfolios.id", ondelete="SET NULL"), index=True
    )
    #: When it was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    portfolio: Mapped[Portfolio | None] = relationship(back_populates="programmes", lazy="joined")
