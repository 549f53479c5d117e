"""Who manages a project: the PMO chooses among active managers and may hand a project over."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import Role, User, UserRole
from app.extensions import db
from app.projects import audit
from app.projects.models import Project
from app.projects.services import lock_project, require_manager
from app.refusals import Forbidden


def active_managers() -> list[User]:
    """Active holders of the manager role, by name: whom the PMO may put in charge."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.MANAGER, User.active.is_(True))
            .order_by(User.display_name, User.username)
        )
    )


def change_manager(actor: User, project: Project, manager: User) -> Project:
    """The PMO hands the project to another manager, with a `manager_changed` audit event.

    403 for anyone but the PMO, 409 when `manager` is not an active manager. The open review
    and the action items stay as they are: the new manager takes them over.
    """
    if not actor.has_role(Role.PMO):
        raise Forbidden(_("Only the PMO changes a project's manager."))
    require_manager(manager)
    project = lock_project(project)
    if project.manager_id == manager.id:
        return project
    previous = db.session.get(User, project.manager_id)
    project.manager_id, project.manager = manager.id, manager
    db.session.flush()
    audit.record(
        "manager_changed",
        actor.username,
        {"from": previous.username if previous else None, "to": manager.username},
        project.id,
    )
    return project
