"""Portfolio reporting: programmes and portfolios, the dashboard, RAG status, status reports.

Two wings share the blueprint, the RAG rules (`rag`, `metrics`) and the labels: `dashboard/`
(the PMO's live figures and their exports) and `reports/` (the monthly status report). The
Programme and Portfolio models live in `app.projects.programmes`: projects never import
this package.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portfolio", __name__)


@bp.record_once
def _check_rag_rules(state) -> None:
    """Read the RAG rules at start-up: a wrong file stops the server with the file and rule."""
    from app.portfolio.rag import load_rules

    state.app.extensions["jalon_rag_rules"] = load_rules(state.app.config.get("JALON_RAG_RULES"))


from app.portfolio.dashboard import views as dashboard_views  # noqa: E402, F401  (routes on bp)
from app.portfolio.reports import views as report_views  # noqa: E402, F401  (routes on bp)
