"""The audit trail's appender: each event takes the next position, and nothing forks the chain."""

from __future__ import annotations

import pytest
from sqlalchemy import exc, select

from app.extensions import db
from app.projects import audit
from app.projects.models import AuditEvent
from workflows import GENESIS_HASH


def test_each_event_takes_the_next_position_chained_to_the_one_before(app):
    with app.app_context():
        for kind in ("submission", "vote", "decision"):
            audit.record(kind, "pm", {"review": 1}, project_id=1)
        db.session.commit()
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.id, e.kind) for e in events] == [(1, "submission"), (2, "vote"), (3, "decision")]
        assert [e.prev_hash for e in events] == [GENESIS_HASH, events[0].hash, events[1].hash]
        assert audit.verify().ok


def test_an_appender_that_missed_the_last_event_cannot_fork_the_chain(app, monkeypatch):
    """Should an append ever slip past the chain's lock and read a stale last event, the
    position it gives is taken: the database refuses the event, and the chain stays whole."""
    with app.app_context():
        audit.record("submission", "pm", {"review": 1}, project_id=1)
        audit.record("vote", "gk1", {"review": 1}, project_id=1)
        db.session.commit()
        first = db.session.get_one(AuditEvent, 1)
        monkeypatch.setattr(audit, "last_event", lambda: (first.id, first.hash))
        with pytest.raises(exc.IntegrityError):
            audit.record("vote", "gk2", {"review": 1}, project_id=1)
        db.session.rollback()
        report = audit.verify()
        assert (report.ok, report.events) == (True, 2)
