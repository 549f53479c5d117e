"""Own transactions: committed at the block's end, rolled back on error, never mixed with the
session's, and their kept SQLite connections neither leak nor outlive their engine."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import exc, func, insert, select

from app.extensions import db
from app.hotsql import HotStatement
from app.projects.models import AuditEvent
from app.timeutil import utcnow
from app.transactions import (
    KEEP_AT_MOST,
    OrmWriteInOwnTransaction,
    current_own_transaction,
    own_transaction,
    session_in_transaction,
)

_APPEND = HotStatement(
    insert(AuditEvent.__table__),
    ["id", "project_id", "kind", "actor", "data", "created_at", "prev_hash", "hash"],
)


def _append(position: int, prev_hash: str) -> None:
    _APPEND.rows(
        {
            "id": position,
            "project_id": None,
            "kind": "test",
            "actor": "gk1",
            "data": {},
            "created_at": utcnow(),
            "prev_hash": prev_hash,
            "hash": "h" + prev_hash,
        }
    )


def _events_seen_by_another_transaction(app) -> list[str]:
    with db.engine.connect() as other:
        return list(other.scalars(select(AuditEvent.prev_hash).order_by(AuditEvent.id)))


def test_the_block_commits_its_writes_when_it_ends(app):
    with app.app_context():
        with own_transaction() as own:
            assert own is True
            _append(1, "a")
            _append(2, "b")
            assert _events_seen_by_another_transaction(app) == []  # not before the end
        assert _events_seen_by_another_transaction(app) == ["a", "b"]
        assert not session_in_transaction()  # the session was never used


def _fork_the_chain() -> None:
    with own_transaction():
        _append(1, "a")
        _append(1, "b")  # the chain position is the key


def _fail_after_writing() -> None:
    with own_transaction():
        _append(2, "b")
        raise RuntimeError("the block fails after its write")


def test_an_error_in_the_block_rolls_all_of_it_back(app):
    with app.app_context():
        with pytest.raises(exc.IntegrityError):  # the driver's error, as SQLAlchemy's
            _fork_the_chain()
        with pytest.raises(RuntimeError):
            _fail_after_writing()
        assert _events_seen_by_another_transaction(app) == []
        with own_transaction():  # and the connection is ready for the next one
            _append(3, "c")
        assert _events_seen_by_another_transaction(app) == ["c"]


def test_inside_a_session_transaction_the_block_runs_in_it(app):
    """It must see the session's uncommitted work, and it goes with the session's fate."""
    with app.app_context():
        db.session.add(
            AuditEvent(id=19, kind="test", actor="pm", data={}, prev_hash="s", hash="hs")
        )
        db.session.flush()
        with own_transaction() as own:
            assert own is False
            assert HotStatement(select(func.count(AuditEvent.id))).scalar() == 1
            _append(1, "a")
        assert _events_seen_by_another_transaction(app) == []
        db.session.rollback()
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def _nest_then_fail() -> None:
    with own_transaction():
        with own_transaction() as inner:
            assert inner is False
            _append(1, "a")
        raise RuntimeError("the outer block fails")


def test_a_nested_block_is_part_of_the_outer_one(app):
    with app.app_context():
        with pytest.raises(RuntimeError):
            _nest_then_fail()
        assert _events_seen_by_another_transaction(app) == []


def test_one_thread_per_request_reuses_the_kept_connections(app, database_url):
    """A development server starts a thread per request: 40 of them, one after the other,
    need one connection between them, not 40 (the pool holds 15)."""
    errors: list[BaseException] = []

    def request(index: int) -> None:
        try:
            with app.app_context(), own_transaction():
                _append(index + 1, str(index))
        except BaseException as error:  # reported below
            errors.append(error)

    for index in range(40):
        thread = threading.Thread(target=request, args=(index,))
        thread.start()
        thread.join(timeout=30)
    assert errors == []
    with app.app_context():
        assert len(_events_seen_by_another_transaction(app)) == 40
        kept = 1 if database_url.startswith("sqlite") else 0
        assert db.engine.pool.checkedout() == kept


def test_many_blocks_at_once_keep_a_few_connections_and_leave_the_pool_to_the_session(
    app, database_url
):
    """A threaded server: 12 blocks at once keep at most `KEEP_AT_MOST` connections; the
    others are checked out for their block and given back, and the session still has some."""
    inside = threading.Barrier(12, timeout=20)
    errors: list[BaseException] = []

    def request() -> None:
        try:
            with app.app_context(), own_transaction():
                assert HotStatement(select(func.count(AuditEvent.id))).scalar() == 0
                inside.wait()  # all 12 blocks are open together
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=request) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with app.app_context():
        kept = KEEP_AT_MOST if database_url.startswith("sqlite") else 0
        assert db.engine.pool.checkedout() == kept
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_disposing_the_engine_closes_the_kept_connection(app, database_url):
    with app.app_context():
        with own_transaction():
            _append(1, "a")
            driver = current_own_transaction().target.driver_connection
        db.engine.dispose()
        if database_url.startswith("sqlite"):  # kept: closed with the pool
            with pytest.raises(sqlite3.ProgrammingError, match="closed"):
                driver.execute("SELECT 1")
        with own_transaction():  # a new connection, from the new pool
            _append(2, "b")
        assert _events_seen_by_another_transaction(app) == ["a", "b"]


def _write_through_the_orm() -> None:
    with own_transaction():
        _append(1, "a")
        db.session.add(
            AuditEvent(id=99, kind="test", actor="pm", data={}, prev_hash="o", hash="ho")
        )
        db.session.flush()


def test_the_session_may_not_write_inside_a_block(app):
    """It would write on another connection: on SQLite it would wait for the block's own write
    lock, and on either database it would commit apart from the block."""
    with app.app_context():
        with pytest.raises(OrmWriteInOwnTransaction):
            _write_through_the_orm()
        db.session.rollback()
        assert _events_seen_by_another_transaction(app) == []
