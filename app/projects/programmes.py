"""Portfolios group programmes; programmes group projects. The lookups projects need."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms import SelectChoice

from app.extensions import db
from app.refusals import Invalid
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


def get_programme_by_name(name: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.name == name))


def programme_choices() -> list[SelectChoice]:
    """Every programme as a form choice ("Portfolio / Programme"), after a "none" choice."""
    programmes = db.session.scalars(select(Programme).order_by(Programme.name))
    return [SelectChoice("", _("None"))] + [
        SelectChoice(str(p.id), f"{p.portfolio.name} / {p.name}" if p.portfolio else p.name)
        for p in programmes
    ]


def programme_named(name: str | None) -> Programme | None:
    """The programme called `name` (None for no name); 422 naming the field when unknown."""
    if not name:
        return None
    programme = get_programme_by_name(name)
    if programme is None:
        raise Invalid(
            _("No programme named %(name)s.", name=name),
            code="unknown_programme",
            details={"programme": ["unknown"]},
        )
    return programme
