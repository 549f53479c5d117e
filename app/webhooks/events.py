"""Governance and library events become webhook deliveries in the transaction that made them.

The projects domain queues its events in `session.info["project_events"]` (and empties the
queue after the commit or the rollback); the library queues a publication in
`session.info[LIBRARY_EVENTS]`, which this module empties. A `before_commit` listener turns
each event not yet written into one delivery per subscribed webhook, with the payload of that
moment, so the rows commit with the vote or the publication or vanish with them: no webhook
hears of a refused vote, and none misses a decision that was taken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.library.models import Document
from app.notifications.messages import link
from app.projects.definitions import engine_for
from app.projects.models import GateReview, Project
from app.webhooks.models import Webhook
from app.webhooks.services import enqueue, subscribers

#: `session.info` key of the library's queued events: `("published", {"document_id": id})`.
LIBRARY_EVENTS = "library_events"
#: `session.info` key: how many events of each queue this transaction already wrote.
_WRITTEN = "webhook_events_written"


def _project(project: Project) -> dict[str, Any]:
    stage = engine_for(project).definition.stage(project.stage)
    return {
        "id": project.id,
        "name": project.name,
        "workflow": project.workflow,
        "status": project.status.value,
        "stage": {"key": project.stage, "name": stage.name.to_data() if stage else None},
        "url": link("projects.project", project_id=project.id),
    }


def _review(review_id: int) -> dict[str, Any]:
    review = db.session.get_one(GateReview, review_id)
    gate = engine_for(review.project).definition.gate(review.gate)
    return {
        "review": {
            "id": review.id,
            "gate": {"key": review.gate, "name": gate.name.to_data() if gate else None},
            "status": review.status.value,
            "decision": review.decision.value if review.decision else None,
            "url": link("projects.review", review_id=review.id),
        },
        "project": _project(review.project),
    }


def _transition(data: dict[str, Any]) -> dict[str, Any]:
    return {"project": _project(db.session.get_one(Project, data["project_id"]))}


def _published(data: dict[str, Any]) -> dict[str, Any]:
    document = db.session.get_one(Document, data["document_id"])
    return {
        "document": {
            "id": document.id,
            "title": document.title,
            "kind": document.kind.value,
            "language": document.language,
            "version": document.current_version,
            "url": link("library.document", document_id=document.id),
        }
    }


#: (queue, kind) -> (event type, payload of the event's data).
PAYLOADS: dict[tuple[str, str], tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    ("project_events", "submission"): ("review.submitted", lambda d: _review(d["review_id"])),
    ("project_events", "decision"): ("review.decided", lambda d: _review(d["review_id"])),
    ("project_events", "transition"): ("project.stage_changed", _transition),
    (LIBRARY_EVENTS, "published"): ("document.published", _published),
}


def write_deliveries(session: Session) -> None:
    """`before_commit` listener: the events queued since the last write, as deliveries.

    An event no webhook subscribes to costs one query per transaction, and no payload.
    """
    if not has_app_context():
        return
    written = session.info.setdefault(_WRITTEN, {})
    webhooks: list[Webhook] | None = None
    for queue in ("project_events", LIBRARY_EVENTS):
        events = session.info.get(queue) or []
        for kind, data in events[written.get(queue, 0) :]:
            found = PAYLOADS.get((queue, kind))
            if found is None:
                continue
            event_type, payload = found
            if webhooks is None:
                webhooks = subscribers()
            if any(event_type in webhook.events for webhook in webhooks):
                enqueue(event_type, payload(data), webhooks)
        written[queue] = len(events)


def forget_events(session: Session) -> None:
    """`after_commit` and `after_rollback` listener: the transaction's events are done."""
    session.info.pop(LIBRARY_EVENTS, None)
    session.info.pop(_WRITTEN, None)


def listen() -> None:
    """Install the listeners once per process (every app shares the Session class)."""
    if not event.contains(Session, "before_commit", write_deliveries):
        event.listen(Session, "before_commit", write_deliveries)
        event.listen(Session, "after_commit", forget_events)
        event.listen(Session, "after_rollback", forget_events)
