"""API: portfolios and programmes (read by everyone signed in, written by the PMO)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api.auth import token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import PageArgsSchema, page_schema
from app.auth.models import Role
from app.portfolio.models import Portfolio, Programme
from app.portfolio.schemas import (
    PortfolioCreateSchema,
    PortfolioSchema,
    ProgrammeCreateSchema,
    ProgrammeSchema,
)
from app.portfolio.services import create_portfolio, create_programme

blp = Blueprint("portfolio_api", __name__, description="Portfolios, programmes and reporting")

PMO_ROLES = (Role.ADMIN, Role.PMO)


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
