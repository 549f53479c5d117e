"""Creating and finding portfolios and programmes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.projects.programmes import Portfolio, Programme, get_programme_by_name
from app.refusals import Conflict, Invalid


def get_portfolio_by_name(name: str) -> Portfolio | None:
    return db.session.scalar(select(Portfolio).where(Portfolio.name == name))


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
