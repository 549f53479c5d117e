"""API schemas of the inbox: `GET /api/v1/me/inbox`."""

from __future__ import annotations

from marshmallow import Schema, fields


class VoteAwaitingSchema(Schema):
    review = fields.Integer(required=True, attribute="review_id")
    project = fields.Integer(required=True, attribute="project_id")
    project_name = fields.String(required=True, attribute="project")
    gate = fields.String(required=True, metadata={"description": "the gate's key"})
    gate_name = fields.String(required=True, metadata={"description": "in the reader's language"})
    submitted_on = fields.Date(required=True)
    days_waiting = fields.Integer(required=True)
    vote_by = fields.Date(allow_none=True, required=True)


class ActionItemDueSchema(Schema):
    id = fields.Integer(required=True)
    description = fields.String(required=True)
    project = fields.Integer(required=True, attribute="project_id")
    project_name = fields.String(required=True, attribute="project")
    due_date = fields.Date(allow_none=True, required=True)
    overdue = fields.Boolean(required=True)


class TrainingDueSchema(Schema):
    course = fields.String(required=True, metadata={"description": "the course's key"})
    title = fields.String(required=True)
    status = fields.String(
        required=True, metadata={"enum": ["overdue", "expired", "missing", "expiring"]}
    )
    due_date = fields.Date(allow_none=True, required=True)
    valid_until = fields.Date(allow_none=True, required=True)


class DocumentToReviewSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    review_date = fields.Date(required=True)
    days_overdue = fields.Integer(required=True)


class InboxSchema(Schema):
    votes_awaiting = fields.List(fields.Nested(VoteAwaitingSchema), required=True)
    action_items = fields.List(fields.Nested(ActionItemDueSchema), required=True)
    training_due = fields.List(fields.Nested(TrainingDueSchema), required=True)
    acknowledgements_due = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "empty until documents ask to be acknowledged"},
    )
    documents_to_review = fields.List(fields.Nested(DocumentToReviewSchema), required=True)
