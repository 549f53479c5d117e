"""API schemas of portfolios and programmes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import Text
from app.portfolio.reports.model import MONTH_PATTERN
from app.projects.schemas import ProjectQuerySchema


class PortfolioSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)


class PortfolioCreateSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    description = Text(load_default="", validate=validate.Length(max=1000))


class ProgrammeSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    portfolio = fields.Pluck(PortfolioSchema, "name", allow_none=True)


class ProgrammeCreateSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    description = Text(load_default="", validate=validate.Length(max=1000))
    portfolio = Text(
        allow_none=True,
        validate=validate.Length(min=1, max=120),
        metadata={"description": "name of an existing portfolio"},
    )


class StatusReportArgsSchema(ProjectQuerySchema):
    """The status report's month and the usual project filters (no pages: all of them)."""

    class Meta:
        exclude = ("page", "per_page")

    month = fields.String(
        validate=validate.Regexp(f"^{MONTH_PATTERN}$"),
        metadata={"description": "YYYY-MM (default: this month)", "example": "2026-11"},
    )
