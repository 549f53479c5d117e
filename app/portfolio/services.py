"""Creating and finding portfolios and programmes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from app.extensions import db
from app.portfolio.models import Portfolio, Programme
from app.refusals import Conflict, Invalid


def get_portfolio_by_name(name: str) -> Portfolio | None:
    return db.session.scalar(select(Portfolio).where(Portfolio.name == name))


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


def create_portfolio(name: str, description: str = "") -> Portfolio:
    if get_portfolio_by_name(name) is not None:
        raise Conflict(_("The portfolio %(name)s already exists.", name=name))
    portfolio = Portfolio(name=name, description=description)
    db.session.add(portfolio)
    db.session.flush()
    return portfolio


def create_programme(name: str, description: str = "", portfolio: str | None = None) -> Programme:
    if get_programme_by_name(name) is not None:
        raise Conflict(_("The programme %(name)s already exists.", name=name))
    parent = None
    if portfolio:
        parent = get_portfolio_by_name(portfolio)
        if parent is None:
            raise Invalid(
                _("No portfolio named %(name)s.", name=portfolio),
                details={"portfolio": ["unknown"]},
            )
    programme = Programme(name=name, description=description, portfolio=parent)
    db.session.add(programme)
    db.session.flush()
    return programme
