"""Action items from a conditional go: closed by the manager with evidence, verified by the PMO.

An open item blocks the project's next submission; closing it (with evidence) lifts the block,
and the PMO's verification is the check that the evidence holds.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.auth.models import Role, User
from app.extensions import db
from app.projects import audit
from app.projects.models import ActionItem, ActionStatus, Project
from app.projects.services import can_see
from app.refusals import Conflict, Forbidden, Invalid, NotFound
from app.timeutil import utcnow


def get_action_item(user: User, item_id: int) -> ActionItem:
    """The item if `user` may see its project, else 404."""
    item = db.session.get(ActionItem, item_id)
    if item is None or not can_see(user, db.session.get(Project, item.project_id)):
        raise NotFound(_("No such action item."))
    return item


def close_action_item(actor: User, item: ActionItem, evidence: str) -> ActionItem:
    """The project's manager (or the item's owner) closes an open item with its evidence."""
    project = db.session.get(Project, item.project_id)
    if actor.id not in (project.manager_id, item.owner_id):
        raise Forbidden(_("Only the project's manager closes its action items."))
    if item.status is not ActionStatus.OPEN:
        raise Conflict(_("This action item is not open."), code="not_open")
    if not evidence.strip():
        message = _("Give the evidence that it was done.")
        raise Invalid(message, details=[{"field": "evidence", "code": "required"}])
    item.status, item.evidence = ActionStatus.CLOSED, evidence.strip()
    item.closed_by_id, item.closed_at = actor.id, utcnow()
    db.session.flush()
    audit.record(
        "action_item_closed",
        actor.username,
        {"action_item": item.id, "evidence": item.evidence},
        item.project_id,
    )
    return item


def verify_action_item(actor: User, item: ActionItem) -> ActionItem:
    """The PMO confirms a closed item's evidence."""
    if not actor.has_role(Role.PMO):
        raise Forbidden(_("Only the PMO verifies action items."))
    if item.status is not ActionStatus.CLOSED:
        raise Conflict(_("Only a closed action item can be verified."), code="not_closed")
    item.status, item.verified_by_id, item.verified_at = ActionStatus.VERIFIED, actor.id, utcnow()
    db.session.flush()
    audit.record("action_item_verified", actor.username, {"action_item": item.id}, item.project_id)
    return item
