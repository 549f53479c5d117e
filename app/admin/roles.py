"""Role changes leave a trace: an event in the audit chain and a message to every administrator.

Separation of duties (`app.auth.services.ensure_can_grant`) stops the obvious abuses; this makes
every change visible, including those made by administrators and by the command line.
"""

from __future__ import annotations

from collections.abc import Set

from sqlalchemy import select

from app.auth.models import Role, User, UserRole
from app.extensions import db
from app.notifications.messages import roles_changed
from app.notifications.services import notify
from app.projects import audit
from app.timeutil import utcnow


def record_role_change(actor: str, person: User, before: Set[Role]) -> None:
    """Audit and announce the difference between `before` and `person`'s roles now, if any.

    `actor` is the username of who made the change (`system` for the command line).
    """
    after = set(person.roles)
    added = sorted(role.value for role in after - before)
    removed = sorted(role.value for role in before - after)
    if not added and not removed:
        return
    audit.record(
        "roles_changed", actor, {"user": person.username, "added": added, "removed": removed}
    )
    administrators = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ADMIN, User.active.is_(True))
    ).all()
    moment = utcnow().isoformat()
    for administrator in administrators:
        message = roles_changed(administrator, person, actor, added, removed)
        notify(
            administrator,
            "roles_changed",
            f"roles-{person.id}-{moment}",
            message.subject,
            message.body,
        )
