"""API schemas of webhooks and their deliveries."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import Text
from app.webhooks.models import URL_LENGTH
from app.webhooks.services import EVENTS


class WebhookCreateSchema(Schema):
    url = Text(
        required=True,
        validate=validate.Length(min=1, max=URL_LENGTH),
        metadata={"description": "https URL of the receiver (see JALON_WEBHOOKS_* settings)"},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENTS)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENTS)),
        metadata={"description": "event types to receive"},
    )


class WebhookSchema(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    created_at = fields.DateTime(required=True)


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(
        required=True,
        metadata={"description": "signing secret (`whsec_...`): shown in this answer only"},
    )


class DeliverySchema(Schema):
    id = fields.Integer(required=True)
    message_id = fields.String(required=True, metadata={"description": "the `webhook-id` header"})
    event = fields.String(required=True)
    status = fields.Function(
        lambda delivery: delivery.state.value,
        required=True,
        metadata={"enum": ["pending", "delivered", "failed"]},
    )
    attempts = fields.Integer(required=True)
    last_response_code = fields.Integer(attribute="last_status", allow_none=True)
    last_error = fields.String(allow_none=True)
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(allow_none=True)
