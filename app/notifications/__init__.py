"""Notifications: an outbox of messages, delivered by SMTP after commit, read in the app."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/admin/notifications")
#: Each person's own messages (`app.notifications.personal`).
personal_bp = Blueprint("my_notifications", __name__, url_prefix="/notifications")

from app.notifications import events, personal, views  # noqa: E402,F401

events.listen()
