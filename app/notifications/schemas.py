"""API schemas of my notifications (an extension of the v1 contract)."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api.schemas import PageArgsSchema


class NotificationQuerySchema(PageArgsSchema):
    unread = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "true: only the unread; false: only the read; absent: all"},
    )


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "what it is about"})
    subject = fields.String(required=True)
    body = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(allow_none=True, required=True)
    unread = fields.Function(lambda n: n.read_at is None, required=True)


class ReadAllSchema(Schema):
    marked = fields.Integer(required=True, metadata={"description": "how many were unread"})
