"""Projects: creation, who may see them, the row lock, and the PMO's hold and resume.

Who sees what: the PMO, admins and gatekeepers see every project (they govern or judge them);
a manager sees the projects they manage; anyone else sees none. An invisible project answers
404, so its existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Row, Select, select, update
from sqlalchemy.orm import lazyload

from app.auth.models import Principal, Role, User
from app.extensions import db
from app.projects import audit
from app.projects.definitions import engine_for, get_definition
from app.projects.models import AuditEvent, GateReview, Project, StagePeriod
from app.projects.programmes import Programme
from app.projects.refusal_messages import transition_conflict
from app.refusals import Conflict, Forbidden, Invalid, NotFound
from app.timeutil import utcnow
from app.writelock import lock_for_writing
from workflows import ProjectState, Status, TransitionRefused

#: Roles that see and read every project.
OVERSEERS = (Role.PMO, Role.GATEKEEPER)

#: Functions to run after the request's transaction commits (notifications plug in here).
AFTER_COMMIT_HOOKS: list[Callable[[str, dict[str, Any]], None]] = []


def after_commit(kind: str, data: dict[str, Any]) -> None:
    """Queue `kind` for the after-commit hooks; nothing is sent if the transaction rolls back."""
    pending = db.session.info.setdefault("project_events", [])
    pending.append((kind, data))


def run_after_commit_hooks(session: Any) -> None:
    """`after_commit` listener: hand each queued event to every hook."""
    for kind, data in session.info.pop("project_events", []):
        for hook in AFTER_COMMIT_HOOKS:
            hook(kind, data)


def drop_after_commit_events(session: Any) -> None:
    """`after_rollback` listener: a rolled-back event never happened."""
    session.info.pop("project_events", None)


def visible_projects(user: User) -> Select[tuple[Project]]:
    """The projects `user` may see, as a statement to filter further."""
    statement = select(Project)
    if not user.has_role(*OVERSEERS):
        statement = statement.where(Project.manager_id == user.id)
    return statement


def can_see(user: User | Principal, project: Project | Row[Any]) -> bool:
    """The rule above; `project` may be a row with the project's `manager_id`."""
    return user.has_role(*OVERSEERS) or project.manager_id == user.id


def get_project(user: User, project_id: int) -> Project:
    """The project if `user` may see it, else 404."""
    project = db.session.get(Project, project_id)
    if project is None or not can_see(user, project):
        raise NotFound(_("No such project."))
    return project


def lock_project_row(project_id: int) -> None:
    """Serialise every write on this project until the transaction ends.

    PostgreSQL: `SELECT ... FOR UPDATE` on its row. SQLite: the database write lock, taken now
    (in line behind the other writers, see `writelock`) rather than failing later on a stale
    snapshot. Either way what is read afterwards is the committed state.
    """
    statement = select(Project.id).where(Project.id == project_id).with_for_update()
    lock_for_writing(statement)


def lock_project_of_review(review_id: int) -> None:
    """`lock_project_row` for the project of a review (nothing on PostgreSQL if there is none)."""
    statement = (
        select(Project.id)
        .join(GateReview, GateReview.project_id == Project.id)
        .where(GateReview.id == review_id)
        .with_for_update(of=Project)
    )
    lock_for_writing(statement)


def lock_project(project: Project) -> Project:
    """`lock_project_row`, then the project read again (its committed state and version)."""
    lock_project_row(project.id)
    # Relationships stay lazy: the writers need the row, not the manager's roles and teams.
    return db.session.scalars(
        select(Project)
        .where(Project.id == project.id)
        .options(lazyload("*"))
        .execution_options(populate_existing=True)
    ).one()


def open_review_id(project: Project) -> int | None:
    """The id of the project's review open for votes, if any."""
    return db.session.scalar(select(GateReview.id).where(GateReview.open_project_id == project.id))


def state_of(project: Project) -> ProjectState:
    return ProjectState(project.stage, project.status)


def _close_stage_period(project: Project) -> None:
    db.session.execute(
        update(StagePeriod)
        .where(StagePeriod.project_id == project.id, StagePeriod.left_at.is_(None))
        .values(left_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def set_state(project: Project, state: ProjectState, actor: User | Principal, reason: str) -> None:
    """Persist a state the engine returned, with its `transition` audit event.

    The stage periods follow: leaving a stage (or ending the project) closes the open period,
    entering a stage opens the next one.
    """
    before = {"stage": project.stage, "status": project.status.value}
    ended = state.status in (Status.KILLED, Status.COMPLETED)
    if state.stage != project.stage or ended:
        _close_stage_period(project)
        if not ended:
            db.session.add(StagePeriod(project_id=project.id, stage=state.stage))
    project.stage, project.status = state.stage, state.status
    db.session.flush()
    audit.record(
        "transition",
        actor.username,
        {
            "from": before,
            "to": {"stage": state.stage, "status": state.status.value},
            "by": reason,
        },
        project.id,
    )
    after_commit("transition", {"project_id": project.id, "to": state.stage})


def require_manager(user: User) -> None:
    """409 unless `user` may manage a project: an active holder of the manager role.

    409, not 422: the request is well formed, that person's roles conflict with it.
    """
    if not user.has_role(Role.MANAGER) or not user.active:
        raise Conflict(
            _("The project manager must be an active holder of the manager role."),
            code="not_a_manager",
            details=[{"field": "manager", "code": "not_a_manager"}],
        )


def create_project(
    actor: User,
    name: str,
    workflow: str,
    manager: User | None = None,
    programme: Programme | None = None,
    budget: Decimal | None = None,
) -> Project:
    """A new project at the first stage of the workflow's current version.

    A manager creates projects they manage; the PMO (or an admin) may assign any holder of the
    `manager` role (409 otherwise: that person's roles conflict, the request is well formed).
    """
    if not actor.has_role(Role.MANAGER, Role.PMO):
        raise Forbidden(_("Only managers and the PMO create projects."))
    if manager is None:
        manager = actor
    if manager.id != actor.id and not actor.has_role(Role.PMO):
        raise Forbidden(_("Only the PMO may assign a project to another manager."))
    require_manager(manager)
    definition = get_definition(workflow)
    project = Project(
        name=name.strip(),
        workflow=definition.key,
        workflow_version=definition.version,
        stage=definition.first_stage.key,
        manager_id=manager.id,
        manager=manager,
        programme=programme,
        budget=budget,
    )
    db.session.add(project)
    db.session.flush()
    db.session.add(StagePeriod(project_id=project.id, stage=project.stage))
    audit.record(
        "project_created",
        actor.username,
        {
            "name": project.name,
            "workflow": project.workflow,
            "workflow_version": project.workflow_version,
            "stage": project.stage,
            "manager": manager.username,
            "programme": project.programme_name,
        },
        project.id,
    )
    return project


def _pmo_move(actor: User, project: Project, move: str, reason: str) -> Project:
    if not actor.has_role(Role.PMO):
        raise Forbidden(_("Only the PMO puts projects on hold or resumes them."))
    reason = reason.strip()
    if not reason:
        raise Invalid(
            _("Give the reason."),
            code="reason_missing",
            details=[
                {"field": "reason", "code": "reason_missing", "message": _("Give the reason.")}
            ],
        )
    project = lock_project(project)
    engine = engine_for(project)
    try:
        if move == "resume":
            state = engine.resume(state_of(project))
        else:
            state = engine.apply_decision(state_of(project), move)
    except TransitionRefused as refused:
        raise transition_conflict(refused, engine.definition) from refused
    audit.record(move, actor.username, {"stage": project.stage, "reason": reason}, project.id)
    set_state(project, state, actor, move)
    return project


def hold_project(actor: User, project: Project, reason: str) -> Project:
    """The PMO puts an active project on hold (in its stage), outside any gate review, saying
    why: the reason is kept in the audit trail and shown on the project's page (422 without).

    Refused with 409 while a review is open: its committee is deciding and could decide hold.
    """
    if open_review_id(project) is not None:
        raise Conflict(_("A gate review is open: let the committee decide."))
    return _pmo_move(actor, project, "hold", reason)


def resume_project(actor: User, project: Project, reason: str) -> Project:
    """The PMO takes a project off hold, back to its stage and active, saying why (as hold)."""
    return _pmo_move(actor, project, "resume", reason)


@dataclass(frozen=True, slots=True)
class Pause:
    """The PMO's latest hold or resume of a project, as its page tells it."""

    #: `hold` or `resume`.
    kind: str
    at: datetime
    #: The PMO's display name (their username if the account is gone).
    by: str
    reason: str


def last_pause(project: Project) -> Pause | None:
    """The latest `hold` or `resume` of the project: what, when, by whom and why."""
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.project_id == project.id, AuditEvent.kind.in_(("hold", "resume")))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if event is None:
        return None
    name = db.session.scalar(select(User.display_name).where(User.username == event.actor))
    return Pause(event.kind, event.created_at, name or event.actor, event.data.get("reason", ""))
