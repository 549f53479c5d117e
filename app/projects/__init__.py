"""Stage-gate governance: projects, gate reviews, votes, decisions and the audit trail."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import event
from sqlalchemy.orm import Session

bp = Blueprint("projects", __name__)


@bp.record_once
def _init(state) -> None:
    from app.projects import definitions
    from app.projects.naming import register_naming

    definitions.init_app(state.app)
    register_naming(state.app)


def _listen() -> None:
    from app.projects.services import drop_after_commit_events, run_after_commit_hooks
    from app.writelock import leave_queue, leave_queue_at_commit

    if not event.contains(Session, "after_commit", run_after_commit_hooks):
        event.listen(Session, "after_commit", leave_queue_at_commit)  # before the hooks below
        event.listen(Session, "after_commit", run_after_commit_hooks)
        event.listen(Session, "after_rollback", drop_after_commit_events)
        event.listen(Session, "after_transaction_end", leave_queue)


_listen()

from app.projects import submission_views, views  # noqa: E402, F401  (routes register on bp)
