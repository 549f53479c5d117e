"""Pages: my notifications, read and unread, and the unread count in every page's header."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.notifications import personal_bp as bp
from app.notifications.reading import mark_all_read, mark_read, my_notifications, unread_count
from app.web import page_arg

PER_PAGE = 25


@bp.app_context_processor
def _unread_badge() -> dict[str, Any]:
    return {
        "unread_notifications": lambda: (
            unread_count(current_user) if current_user.is_authenticated else 0
        )
    }


@bp.route("/")
@login_required
def index():
    """My messages, newest first; `?unread=1` shows the unread ones only."""
    only_unread = request.args.get("unread") == "1"
    pagination = db.paginate(
        my_notifications(current_user, unread=True if only_unread else None),
        page=page_arg(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "notifications/mine.html", pagination=pagination, only_unread=only_unread
    )


@bp.route("/<id:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    mark_read(current_user, notification_id)
    return redirect(url_for(".index", unread=request.args.get("unread")))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    count = mark_all_read(current_user)
    if count:
        flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for(".index"))
