"""Pieces of the dashboard computed in Python: percentiles, budget lines, training by team."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select

from app.extensions import db
from app.portfolio.metrics import BUDGET, budget_of_project, within
from app.projects.models import Project
from app.projects.programmes import Portfolio, Programme
from app.training.compliance import Percent, count_compliance
from app.training.matrix import open_matrix

#: The quantiles of days per stage, as exact fractions: the median and the 90th percentile.
QUANTILES = ((1, 2), (9, 10))


def quantile(values: Sequence[float], part: int, whole: int) -> float:
    """The part/whole quantile of sorted `values`, interpolated between the closest ranks.

    The usual definition (Excel's PERCENTILE.INC, NumPy's default): the median of 1, 2, 3,
    4 is 2.5 and their 90th percentile 3.7. The position is computed in integers, so a
    quantile falling exactly on a rank gives that value. An empty list gives 0.
    """
    if not values:
        return 0.0
    below, remainder = divmod((len(values) - 1) * part, whole)
    low = values[below]
    high = values[min(below + 1, len(values) - 1)]
    return low + (high - low) * remainder / whole


@dataclass
class BudgetLine:
    """Budget figures of a set of projects, from each one's latest gate review.

    Variance is forecast minus planned over the projects stating both, so a project that
    gave only one figure does not bias it; its percentage is against their planned total.
    """

    programme: str | None = None
    portfolio: str | None = None
    projects: int = 0
    planned: Decimal = Decimal(0)
    actual: Decimal = Decimal(0)
    forecast: Decimal = Decimal(0)
    variance: Decimal = Decimal(0)
    compared_planned: Decimal = field(default=Decimal(0), repr=False)

    @property
    def variance_pct(self) -> float | None:
        if not self.compared_planned:
            return None
        return round(float(self.variance / self.compared_planned * 100), 1)

    def merge(self, other: BudgetLine) -> None:
        """Add another line's figures to this one (the total of the programmes)."""
        self.projects += other.projects
        self.planned += other.planned
        self.actual += other.actual
        self.forecast += other.forecast
        self.variance += other.variance
        self.compared_planned += other.compared_planned


def budget_lines(scope: Select[Any]) -> tuple[BudgetLine, list[BudgetLine]]:
    """The total and one line per programme (then "no programme") of the projects with a budget.

    One grouped query over each project's latest review that states a budget: the database
    adds the money (exactly, in PostgreSQL's numeric; rounded to the cent from SQLite).
    """
    planned, forecast = BUDGET.budget_planned, BUDGET.budget_forecast
    both = planned.is_not(None) & forecast.is_not(None)
    statement = (
        select(
            Programme.name,
            Portfolio.name,
            func.count(),
            func.sum(planned),
            func.sum(BUDGET.budget_actual),
            func.sum(forecast),
            func.sum(case((both, forecast - planned))),
            func.sum(case((both, planned))),
        )
        .select_from(Project)
        .join(BUDGET, budget_of_project())
        .outerjoin(Programme, Programme.id == Project.programme_id)
        .outerjoin(Portfolio, Portfolio.id == Programme.portfolio_id)
        .where(within(Project.id, scope))
        .group_by(Programme.id, Programme.name, Portfolio.name)
    )
    lines = [
        BudgetLine(programme, portfolio, count, *(amount or Decimal(0) for amount in amounts))
        for programme, portfolio, count, *amounts in db.session.connection().execute(statement)
    ]
    lines.sort(key=lambda line: (line.programme is None, line.programme or ""))
    total = BudgetLine()
    for line in lines:
        total.merge(line)
    return total, lines


def training_by_team(today: date) -> list[Percent]:
    """Training compliance per team, as the training compliance API counts it (everyone)."""
    return count_compliance(open_matrix(today)).teams
