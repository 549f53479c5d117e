"""The dashboard's SVG charts, built from a summary (each also shown as a table on the page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from app.labels import decision_label, project_status_label, rag_label
from app.portfolio.dashboard.service import Summary
from app.portfolio.dashboard.svg import Series, bar_chart
from workflows import Decision, Status

#: A chart's visible caption and its SVG.
Chart = tuple[str, Markup]


def _chart(title: str, *args: Any, **options: Any) -> Chart:
    return title, bar_chart(title, *args, **options)


def _per_workflow(title: str, rows: Sequence[Any], series_of: Any, **options: Any) -> list[Chart]:
    """One chart per workflow, its stages or gates labelled by their own names."""
    workflows: dict[str, list[Any]] = {}
    for row in rows:
        workflows.setdefault(row.workflow_name, []).append(row)
    return [
        _chart(
            f"{title} · {workflow}" if len(workflows) > 1 else title,
            [row.label for row in group],
            series_of(group),
            **options,
        )
        for workflow, group in workflows.items()
    ]


def dashboard_charts(summary: Summary) -> dict[str, list[Chart]]:
    """Chart name -> its captioned SVG(s); a chart without data is left out (the page says so)."""
    charts: dict[str, list[Chart]] = {}
    if summary.by_stage:
        charts["stages"] = _per_workflow(
            _("Projects by stage and status"),
            summary.by_stage,
            lambda rows: [
                Series(project_status_label(status), [row.by_status[status] for row in rows])
                for status in (s.value for s in Status)
            ],
            stacked=True,
        )
    if summary.decisions:
        charts["decisions"] = _per_workflow(
            _("Decisions per gate"),
            summary.decisions,
            lambda rows: [
                Series(decision_label(d), [row.counts[d] for row in rows])
                for d in (d.value for d in Decision)
            ],
            stacked=True,
        )
    if summary.days_per_stage:
        charts["days"] = _per_workflow(
            _("Days per stage (closed periods)"),
            summary.days_per_stage,
            lambda rows: [
                Series(_("Median"), [row.median_days for row in rows]),
                Series(_("90th percentile"), [row.p90_days for row in rows]),
            ],
            unit=_(" d"),
        )
    if summary.budget_by_programme:
        lines = summary.budget_by_programme
        charts["budget"] = [
            _chart(
                _("Budget per programme"),
                [line.programme or _("No programme") for line in lines],
                [
                    Series(_("Planned"), [float(line.planned) for line in lines]),
                    Series(_("Actual"), [float(line.actual) for line in lines]),
                    Series(_("Forecast"), [float(line.forecast) for line in lines]),
                ],
            )
        ]
    if sum(summary.rag_counts.values()):
        charts["rag"] = [
            _chart(
                _("RAG status of running projects"),
                [rag_label(colour) for colour in summary.rag_counts],
                [Series(_("Projects"), list(summary.rag_counts.values()))],
            )
        ]
    teams = [team for team in summary.training if team.percent is not None]
    if teams:
        charts["training"] = [
            _chart(
                _("Training compliance by team"),
                [team.label for team in teams],
                [Series(_("Valid"), [team.percent for team in teams])],
                unit="%",
            )
        ]
    return charts
