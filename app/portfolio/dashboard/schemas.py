"""API schema of the portfolio summary: the dashboard's figures as JSON."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.projects.schemas import ProjectQuerySchema


class SummaryArgsSchema(ProjectQuerySchema):
    """The project filters of every list; `limit` bounds the lists of the oldest and worst."""

    class Meta:
        exclude = ("page", "per_page")

    limit = fields.Integer(
        load_default=10,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "length of each bounded list (oldest reviews, tops)"},
    )


class StageCountSchema(Schema):
    workflow = fields.String(required=True)
    stage = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "workflow and stage names"})
    count = fields.Integer(required=True)
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class ProjectCountsSchema(Schema):
    total = fields.Integer(required=True)
    by_status = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "active, on_hold, killed, completed"},
    )
    by_stage = fields.List(fields.Nested(StageCountSchema), required=True)


class GateDecisionsSchema(Schema):
    workflow = fields.String(required=True)
    gate = fields.String(required=True)
    name = fields.String(required=True)
    total = fields.Integer(required=True)
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "go, conditional_go, hold, recycle, kill"},
    )


class StageDurationSchema(Schema):
    workflow = fields.String(required=True)
    stage = fields.String(required=True)
    name = fields.String(required=True)
    periods = fields.Integer(required=True, metadata={"description": "closed stage periods"})
    median_days = fields.Float(required=True)
    p90_days = fields.Float(
        required=True, metadata={"description": "90th percentile, linear interpolation"}
    )


class WaitingReviewSchema(Schema):
    review_id = fields.Integer(required=True)
    project_id = fields.Integer(required=True)
    project = fields.String(required=True)
    gate = fields.String(required=True)
    submitted_at = fields.DateTime(required=True)
    days_waiting = fields.Float(required=True)
    votes_cast = fields.Integer(required=True)
    min_votes = fields.Integer(allow_none=True, required=True)


class ReviewsAwaitingSchema(Schema):
    count = fields.Integer(required=True)
    oldest = fields.List(fields.Nested(WaitingReviewSchema), required=True)


class OverdueItemSchema(Schema):
    id = fields.Integer(required=True)
    project_id = fields.Integer(required=True)
    project = fields.String(required=True)
    description = fields.String(required=True)
    owner = fields.String(required=True)
    due_date = fields.Date(required=True)
    days_late = fields.Integer(required=True)


class OverdueItemsSchema(Schema):
    count = fields.Integer(required=True)
    oldest = fields.List(fields.Nested(OverdueItemSchema), required=True)


class BudgetLineSchema(Schema):
    programme = fields.String(allow_none=True, required=True)
    portfolio = fields.String(allow_none=True, required=True)
    projects = fields.Integer(required=True, metadata={"description": "projects with figures"})
    planned = fields.Float(required=True)
    actual = fields.Float(required=True)
    forecast = fields.Float(required=True)
    variance = fields.Float(required=True, metadata={"description": "forecast - planned"})
    variance_pct = fields.Float(allow_none=True, required=True)


class VarianceProjectSchema(Schema):
    project_id = fields.Integer(required=True)
    project = fields.String(required=True)
    planned = fields.Float(required=True)
    forecast = fields.Float(required=True)
    variance = fields.Float(required=True)
    variance_pct = fields.Float(required=True)


class PortfolioBudgetSchema(Schema):
    total = fields.Nested(BudgetLineSchema, required=True)
    programmes = fields.List(fields.Nested(BudgetLineSchema), required=True)
    top_variance = fields.List(fields.Nested(VarianceProjectSchema), required=True)


class RagProjectSchema(Schema):
    project_id = fields.Integer(required=True)
    project = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "red or amber"})
    reason = fields.String(required=True, metadata={"description": "the first rule that fired"})


class RagSummarySchema(Schema):
    green = fields.Integer(required=True)
    amber = fields.Integer(required=True)
    red = fields.Integer(required=True)
    projects = fields.List(fields.Nested(RagProjectSchema), required=True)


class TeamComplianceSchema(Schema):
    team = fields.String(required=True)
    required = fields.Integer(required=True)
    valid = fields.Integer(required=True)
    percent = fields.Float(allow_none=True, required=True)


class PortfolioSummarySchema(Schema):
    """The dashboard's figures. Days per stage are measured on closed stage periods only;
    RAG counts cover running (active or on hold) projects."""

    generated_at = fields.DateTime(required=True)
    filters = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    projects = fields.Nested(ProjectCountsSchema, required=True)
    decisions = fields.List(fields.Nested(GateDecisionsSchema), required=True)
    days_per_stage = fields.List(fields.Nested(StageDurationSchema), required=True)
    reviews_awaiting = fields.Nested(ReviewsAwaitingSchema, required=True)
    overdue_action_items = fields.Nested(OverdueItemsSchema, required=True)
    budget = fields.Nested(PortfolioBudgetSchema, required=True)
    rag = fields.Nested(RagSummarySchema, required=True)
    training = fields.List(fields.Nested(TeamComplianceSchema), required=True)
