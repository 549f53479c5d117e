"""API: portfolios and programmes (read by everyone signed in, written by the PMO)."""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api.auth import api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import PageArgsSchema, page_schema
from app.auth.models import Role
from app.portfolio.dashboard.schemas import PortfolioSummarySchema, SummaryArgsSchema
from app.portfolio.dashboard.service import Summary, portfolio_summary
from app.portfolio.schemas import (
    PortfolioCreateSchema,
    PortfolioSchema,
    ProgrammeCreateSchema,
    ProgrammeSchema,
)
from app.portfolio.services import create_portfolio, create_programme
from app.projects.programmes import Portfolio, Programme

blp = Blueprint("portfolio_api", __name__, description="Portfolios, programmes and reporting")

PMO_ROLES = (Role.ADMIN, Role.PMO)
#: Who reads the portfolio figures (admin holds every role).
SUMMARY_READERS = (Role.PMO, Role.GATEKEEPER)


@blp.route("/portfolios", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(PortfolioSchema))
def list_portfolios(args: dict):
    """Portfolios by name."""
    return paginate(select(Portfolio).order_by(Portfolio.name), args["page"], args["per_page"])


@blp.route("/portfolios", methods=["POST"])
@token_required(*PMO_ROLES)
@blp.arguments(PortfolioCreateSchema)
@blp.response(201, PortfolioSchema)
def create_portfolio_endpoint(data: dict):
    """Create a portfolio."""
    return create_portfolio(data["name"], data["description"])


@blp.route("/programmes", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(ProgrammeSchema))
def list_programmes(args: dict):
    """Programmes by name, with their portfolio."""
    statement = select(Programme).options(joinedload(Programme.portfolio)).order_by(Programme.name)
    return paginate(statement, args["page"], args["per_page"])


@blp.route("/programmes", methods=["POST"])
@token_required(*PMO_ROLES)
@blp.arguments(ProgrammeCreateSchema)
@blp.response(201, ProgrammeSchema)
def create_programme_endpoint(data: dict):
    """Create a programme, optionally in an existing portfolio."""
    return create_programme(data["name"], data["description"], data.get("portfolio"))


@blp.route("/portfolio/summary", methods=["GET"])
@token_required(*SUMMARY_READERS)
@blp.arguments(SummaryArgsSchema, location="query")
@blp.response(200, PortfolioSummarySchema)
@blp.alt_response(403, description="Only the PMO, admins and gatekeepers read the portfolio")
def summary(args: dict):
    """The dashboard's figures for the projects the filters select (PMO and gatekeepers).

    Days per stage: median and 90th percentile of closed stage periods. Budget: each
    project's latest gate review stating a budget. RAG: running projects only.
    """
    limit = args.pop("limit")
    result = portfolio_summary(api_user(), args, language=str(get_locale() or "en"), limit=limit)
    return summary_body(result)


def summary_body(result: Summary) -> dict:
    """The summary in the shape `PortfolioSummarySchema` documents."""
    budget = result.budget
    return {
        "generated_at": result.generated_at,
        "filters": result.filters,
        "projects": {
            "total": result.total_projects,
            "by_status": result.by_status,
            "by_stage": result.by_stage,
        },
        "decisions": result.decisions,
        "days_per_stage": result.days_per_stage,
        "reviews_awaiting": {"count": result.reviews_awaiting, "oldest": result.oldest_reviews},
        "overdue_action_items": {
            "count": result.overdue_action_items,
            "oldest": result.oldest_overdue,
        },
        "budget": {
            "total": budget,
            "programmes": result.budget_by_programme,
            "top_variance": result.top_variance,
        },
        "rag": {**result.rag_counts, "projects": result.rag_projects},
        "training": [
            {"team": t.label, "required": t.required, "valid": t.valid, "percent": t.percent}
            for t in result.training
        ],
    }
