"""Portfolio reporting: programmes and portfolios, the dashboard, RAG status, status reports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portfolio", __name__)


@bp.record_once
def _check_rag_rules(state) -> None:
    """Read the RAG rules at start-up: a wrong file stops the server with the file and rule."""
    from app.portfolio.rag import load_rules

    state.app.extensions["jalon_rag_rules"] = load_rules(state.app.config.get("JALON_RAG_RULES"))
