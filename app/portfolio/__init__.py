"""Portfolio reporting: programmes and portfolios, the dashboard, RAG status, status reports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portfolio", __name__)


@bp.record_once
def _check_rag_rules(state) -> None:
    """Read the RAG rules at start-up: a wrong file stops the server with the file and rule."""
    from app.portfolio.rag import load_rules

    state.app.extensions["jalon_rag_rules"] = load_rules(state.app.config.get("JALON_RAG_RULES"))


# The page modules are NOT imported here: app.projects.services imports app.portfolio.models,
# which runs this file first, and the pages import app.projects back (a cycle). app/domains.py
# loads ``app.portfolio.views:bp`` instead; views imports report_views, so both register on bp.
