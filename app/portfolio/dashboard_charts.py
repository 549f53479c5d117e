"""The dashboard's SVG charts, built from a summary (each also shown as a table on the page)."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from app.portfolio.charts import Series, bar_chart
from app.portfolio.dashboard import Summary
from app.projects.forms import DECISION_LABELS
from workflows import Decision, Status


def status_label(status: str) -> str:
    return {
        Status.ACTIVE: _("Active"),
        Status.ON_HOLD: _("On hold"),
        Status.KILLED: _("Killed"),
        Status.COMPLETED: _("Completed"),
    }[Status(status)]


def decision_label(decision: str) -> str:
    return str(DECISION_LABELS[Decision(decision)])


def rag_label(rag: str) -> str:
    return {"green": _("Green"), "amber": _("Amber"), "red": _("Red")}[rag]


def dashboard_charts(summary: Summary) -> dict[str, Markup]:
    """Chart name -> SVG; a chart without data is left out (the page says "nothing yet")."""
    charts: dict[str, Markup] = {}
    if summary.by_stage:
        charts["stages"] = bar_chart(
            _("Projects by stage and status"),
            [row.name for row in summary.by_stage],
            [
                Series(status_label(status), [row.by_status[status] for row in summary.by_stage])
                for status in (s.value for s in Status)
            ],
            stacked=True,
        )
    if summary.decisions:
        charts["decisions"] = bar_chart(
            _("Decisions per gate"),
            [row.name for row in summary.decisions],
            [
                Series(decision_label(d), [row.counts[d] for row in summary.decisions])
                for d in (d.value for d in Decision)
            ],
            stacked=True,
        )
    if summary.days_per_stage:
        charts["days"] = bar_chart(
            _("Days per stage (closed periods)"),
            [row.name for row in summary.days_per_stage],
            [
                Series(_("Median"), [row.median_days for row in summary.days_per_stage]),
                Series(_("90th percentile"), [row.p90_days for row in summary.days_per_stage]),
            ],
            unit=_(" d"),
        )
    if summary.budget_by_programme:
        lines = summary.budget_by_programme
        charts["budget"] = bar_chart(
            _("Budget per programme"),
            [line.programme or _("No programme") for line in lines],
            [
                Series(_("Planned"), [float(line.planned) for line in lines]),
                Series(_("Actual"), [float(line.actual) for line in lines]),
                Series(_("Forecast"), [float(line.forecast) for line in lines]),
            ],
        )
    if sum(summary.rag_counts.values()):
        charts["rag"] = bar_chart(
            _("RAG status of running projects"),
            [rag_label(colour) for colour in summary.rag_counts],
            [Series(_("Projects"), list(summary.rag_counts.values()))],
        )
    teams = [team for team in summary.training if team.percent is not None]
    if teams:
        charts["training"] = bar_chart(
            _("Training compliance by team"),
            [team.label for team in teams],
            [Series(_("Valid"), [team.percent for team in teams])],
            unit="%",
        )
    return charts
