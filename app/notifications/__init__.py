"""Notifications: an outbox of messages, delivered by SMTP after commit."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/admin/notifications")

from app.notifications import events, views  # noqa: E402,F401

events.listen()
