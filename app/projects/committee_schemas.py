"""API schemas of the committee: chair decisions, recusals, delegations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import Text
from app.projects import limits
from app.projects.schemas import DECISIONS, ConditionSchema


class ChairDecisionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    rationale = Text(
        load_default="",
        validate=validate.Length(max=limits.COMMENT_MAX),
        metadata={"description": "why the chair decided so (required; blank is refused)"},
    )
    conditions = fields.List(
        fields.Nested(ConditionSchema),
        load_default=list,
        validate=validate.Length(max=limits.CONDITIONS_MAX),
        metadata={"description": "a conditional go's conditions (else the votes' are used)"},
    )


class RecusalCreateSchema(Schema):
    reason = Text(load_default="", validate=validate.Length(max=limits.COMMENT_MAX))


class RecusalSchema(Schema):
    id = fields.Integer(required=True)
    review = fields.Integer(attribute="review_id")
    voter = fields.Function(lambda r: r.user.username)
    reason = fields.String()
    created_at = fields.DateTime()


class DelegationCreateSchema(Schema):
    delegate = Text(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "username of a gatekeeper"},
    )
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class DelegationSchema(Schema):
    id = fields.Integer(required=True)
    delegator = fields.Function(lambda d: d.delegator.username)
    delegate = fields.Function(lambda d: d.delegate.username)
    starts_on = fields.Date()
    ends_on = fields.Date()
    created_at = fields.DateTime()


class DelegationListSchema(Schema):
    given = fields.List(fields.Nested(DelegationSchema), required=True)
    received = fields.List(fields.Nested(DelegationSchema), required=True)
