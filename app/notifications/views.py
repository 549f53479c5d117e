"""The outbox page: admins read every message, sent or held, with delivery errors."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.access import roles_required
from app.auth.models import Role
from app.extensions import db
from app.notifications import bp
from app.notifications.models import Notification
from app.notifications.services import mail_enabled
from app.web import page_arg

PER_PAGE = 50


@bp.route("/")
@roles_required(Role.ADMIN)
def outbox():
    page = page_arg()
    statement = (
        select(Notification)
        .options(joinedload(Notification.recipient))
        .order_by(Notification.id.desc())
    )
    pagination = db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)
    return render_template(
        "notifications/outbox.html", pagination=pagination, mail_enabled=mail_enabled()
    )
