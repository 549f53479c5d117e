"""API: my notifications, read and unread (an extension of the v1 contract)."""

from __future__ import annotations

from app.api.auth import api_principal, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import page_schema
from app.notifications.reading import mark_all_read, mark_read, my_notifications
from app.notifications.schemas import (
    NotificationQuerySchema,
    NotificationSchema,
    ReadAllSchema,
)

blp = Blueprint("notifications_api", __name__, description="My notifications")


@blp.route("/me/notifications", methods=["GET"])
@token_required()
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, page_schema(NotificationSchema))
def list_my_notifications(args: dict):
    """The messages Jalon wrote to me, newest first, whether or not they were mailed."""
    statement = my_notifications(api_principal(), unread=args["unread"])
    return paginate(statement, args["page"], args["per_page"])


@blp.route("/me/notifications/<id:notification_id>/read", methods=["POST"])
@token_required()
@blp.response(200, NotificationSchema)
@blp.alt_response(404, description="`not_found`: no message of mine has this id")
def read_my_notification(notification_id: int):
    """Mark one of my messages read; 404 for anyone else's."""
    return mark_read(api_principal(), notification_id)


@blp.route("/me/notifications/read-all", methods=["POST"])
@token_required()
@blp.response(200, ReadAllSchema)
def read_all_my_notifications():
    """Mark every unread message of mine read."""
    return {"marked": mark_all_read(api_principal())}
