"""API: the PMO's webhooks and their delivery log (PMO and admin only)."""

from __future__ import annotations

from app.api.auth import api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import PageArgsSchema, page_schema
from app.auth.models import Role
from app.webhooks import services
from app.webhooks.schemas import (
    DeliverySchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookSchema,
)

blp = Blueprint("webhooks_api", __name__, description="Webhooks: signed events to other tools")

MANAGERS = (Role.ADMIN, Role.PMO)


@blp.route("/webhooks", methods=["POST"])
@token_required(*MANAGERS)
@blp.arguments(WebhookCreateSchema)
@blp.response(201, WebhookCreatedSchema)
def create_webhook(data: dict):
    """Register a URL for some events; the answer carries the signing secret, once."""
    return services.register(data["url"], data["events"], api_user())


@blp.route("/webhooks", methods=["GET"])
@token_required(*MANAGERS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(WebhookSchema))
def list_webhooks(args: dict):
    """Every webhook, oldest first (never their secrets)."""
    return paginate(services.webhooks_query(), args["page"], args["per_page"])


@blp.route("/webhooks/<id:webhook_id>", methods=["DELETE"])
@token_required(*MANAGERS)
@blp.response(204)
def delete_webhook(webhook_id: int):
    """Forget a webhook and its delivery log; nothing more is sent to it."""
    services.delete_webhook(webhook_id)


@blp.route("/webhooks/<id:webhook_id>/deliveries", methods=["GET"])
@token_required(*MANAGERS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(DeliverySchema))
def list_deliveries(args: dict, webhook_id: int):
    """The webhook's deliveries, newest first: state, attempts, last answer, next attempt."""
    return paginate(services.deliveries_query(webhook_id), args["page"], args["per_page"])
