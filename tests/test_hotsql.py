"""Hot statements behave as SQLAlchemy would: same stored values, same transaction, same errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, exc, insert, select

from app.auth.models import Team
from app.extensions import db
from app.hotsql import HotStatement
from app.projects.models import AuditEvent
from tests.sql import count_queries

_APPEND = HotStatement(
    insert(AuditEvent.__table__),
    ["id", "project_id", "kind", "actor", "data", "created_at", "prev_hash", "hash"],
)
_ADD_TEAM = HotStatement(
    insert(Team.__table__), ["name", "description", "created_at"], returns_id=True
)
_READ = HotStatement(
    select(AuditEvent.kind, AuditEvent.data, AuditEvent.created_at)
    .where(AuditEvent.id == bindparam("id"))
    .limit(1)
)
MOMENT = datetime(2026, 12, 5, 9, 30, 15, 123456, tzinfo=UTC)


def _event(position: int, prev_hash: str) -> dict:
    return {
        "id": position,
        "project_id": 7,
        "kind": "vote",
        "actor": "gk1",
        "data": {"decision": "go", "scores": {"value": 4}, "text": "é ✓"},
        "created_at": MOMENT,
        "prev_hash": prev_hash,
        "hash": "h" + prev_hash,
    }


def test_values_read_back_through_the_orm_are_the_ones_written(app):
    with app.app_context():
        event_id = 1
        _APPEND.rows(_event(event_id, "a"))
        db.session.commit()
        stored = db.session.get(AuditEvent, event_id)
        assert (stored.kind, stored.data, stored.created_at) == (
            "vote",
            {"decision": "go", "scores": {"value": 4}, "text": "é ✓"},
            MOMENT,
        )
        row = _READ.first({"id": event_id})
        assert row.data == stored.data
        assert row.created_at == MOMENT  # aware, in UTC
        assert _READ.first({"id": event_id + 1}) is None


def test_a_rollback_undoes_it_and_a_commit_keeps_it(app):
    with app.app_context():
        _APPEND.rows(_event(1, "a"))
        db.session.rollback()
        assert db.session.scalar(select(AuditEvent.id)) is None
        _APPEND.rows(_event(1, "b"))
        _APPEND.rows(_event(2, "c"))
        db.session.commit()
        assert db.session.scalars(select(AuditEvent.prev_hash)).all() == ["b", "c"]


def test_an_insert_gives_back_the_id_of_its_new_row(app):
    """`lastrowid` on SQLite, `RETURNING` on PostgreSQL: the ids SQLAlchemy would give."""
    with app.app_context():
        first = _ADD_TEAM.inserted_id({"name": "pmo", "description": "", "created_at": MOMENT})
        second = _ADD_TEAM.inserted_id({"name": "it", "description": "", "created_at": MOMENT})
        db.session.commit()
        assert second == first + 1
        assert [db.session.get(Team, id_).name for id_ in (first, second)] == ["pmo", "it"]


def test_a_constraint_violation_is_sqlalchemys_integrity_error(app):
    with app.app_context():
        _APPEND.rows(_event(1, "a"))
        with pytest.raises(exc.IntegrityError):
            _APPEND.rows(_event(1, "b"))  # the chain position is the key: no fork of the chain
        db.session.rollback()


def test_the_engine_listeners_see_each_statement(app):
    with count_queries(app) as statements, app.app_context():
        _APPEND.rows(_event(1, "a"))
        db.session.rollback()
    assert [s.split()[:3] for s in statements] == [["INSERT", "INTO", "audit_events"]]


def test_an_insert_that_would_need_a_default_is_refused_when_compiled(app):
    incomplete = HotStatement(insert(Team.__table__), ["name"])
    with app.app_context(), pytest.raises(TypeError, match="give every value"):
        incomplete.rows({"name": "pmo"})
