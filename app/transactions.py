"""Where hot statements run: in the ORM session's transaction, or in a transaction of their own.

A `HotStatement` (`app.hotsql`) runs in the session's transaction by default, so a request
still commits once (`app.web.commit_or_rollback`) and a failed request rolls everything back.

Work that needs no ORM object at all (the bearer token's lookup on every API request, a vote
that does not decide) runs in `own_transaction()` instead, past the session: its block's
statements go straight to the driver's connection and the block's end commits them. The
session's begin, commit and close cost about 50 µs each time; with a pool checkout per
block, the token's and the vote's, that was the difference between a third and two fifths
of `/healthz`'s requests/s under gunicorn (bench/votes).

- On SQLite own transactions take their connections from a stack of their own: each is
  checked out of the engine's pool once (with the app's settings: `app.sqlite`) and given
  back only when the engine is disposed. A file cannot drop a connection; a connection that
  stays keeps its page cache and skips the pool's check-out and check-in (reset, events). It
  checkpoints after its writes as a pooled one does at check-in. The pool's own check-out per
  block cost a vote 4 points of the ratio (bench/votes).
- On PostgreSQL, which may drop an idle connection, each block checks one out of the pool
  (pinged first, as every checkout there) and gives it back at its end.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import PoolProxiedConnection

from app.extensions import db
from app.sqlite import checkpoint_after_writes


@dataclass(frozen=True, slots=True)
class Target:
    """A transaction's connection, as a hot statement needs it."""

    engine: Engine
    dialect: Dialect
    #: The driver's own connection (`sqlite3.Connection`, psycopg's).
    driver_connection: Any
    #: The connection the engine's `before_cursor_execute` listeners receive, and their
    #: dispatcher: the session's `Connection`, or the engine itself for an own transaction.
    listener_connection: Any
    dispatch: Any


@dataclass(slots=True)
class OwnTransaction:
    """A transaction of `own_transaction()`, and what to do once it has ended."""

    target: Target
    #: Per-transaction state of the callers (the SQLite writers' queue keeps its file here).
    info: dict[str, Any] = field(default_factory=dict)
    after_end: list[Callable[[], None]] = field(default_factory=list)


#: The `own_transaction()` block running in this thread or task, if any.
_OWN: ContextVar[OwnTransaction | None] = ContextVar("jalon_own_transaction", default=None)
#: `session.info` key of the `Target` of the session's current transaction.
_SESSION_TARGET = "jalon_session_target"


def session_in_transaction() -> bool:
    """True when the request's session began a transaction (any query, `add` or flush does)."""
    return db.session.registry.has() and db.session().in_transaction()


@contextmanager
def own_transaction() -> Iterator[bool]:
    """Run the block's hot statements in a transaction of their own, committed when it ends.

    Yields True when it did so, and False when the session had already begun a transaction
    (or the block is inside another `own_transaction()`): the block then runs in that one,
    which its owner commits. It must: it sees that transaction's uncommitted work, and on
    SQLite a second writer would wait for the first one's write lock. An exception leaving
    the block rolls the own transaction back. Callbacks in `after_end` run once the
    transaction has ended, committed or not.
    """
    if _OWN.get() is not None or session_in_transaction():
        yield False
        return
    engine = db.engine
    kept = engine.dialect.name == "sqlite"
    pooled = _take_kept(engine) if kept else engine.raw_connection()
    driver = pooled.driver_connection
    own = OwnTransaction(Target(engine, engine.dialect, driver, engine, engine.dispatch))
    reset = _OWN.set(own)
    try:
        try:
            yield True
            _commit(own, driver)
        except BaseException:
            driver.rollback()
            raise
    finally:
        _OWN.reset(reset)
        for callback in own.after_end:
            callback()
        if kept:
            checkpoint_after_writes(driver, pooled)
            _give_back(engine, pooled)
        else:
            pooled.close()


def _commit(own: OwnTransaction, driver: Any) -> None:
    """Commit; a driver error is raised as SQLAlchemy's, as the statements' are."""
    dbapi_error = own.target.dialect.loaded_dbapi.Error
    try:
        driver.commit()
    except dbapi_error as error:
        raise exc.DBAPIError.instance("COMMIT", None, error, dbapi_error) from error


def current_own_transaction() -> OwnTransaction | None:
    """The `own_transaction()` the hot statements run in now; None: they run in the session's."""
    return _OWN.get()


def current_target() -> Target:
    """Where hot statements run now: the own transaction, else the session's (begun if needed)."""
    own = _OWN.get()
    if own is not None:
        return own.target
    session = db.session()
    target = session.info.get(_SESSION_TARGET)
    if target is None:  # `Session.connection()` costs 20-40 µs a call: once per transaction
        connection = session.connection()
        target = session.info[_SESSION_TARGET] = Target(
            connection.engine,
            connection.dialect,
            connection.connection.driver_connection,
            connection,
            connection.dispatch,
        )
    return target


@event.listens_for(Session, "after_transaction_end")
def _forget_target(session: Session, transaction: SessionTransaction) -> None:
    """The transaction is over: its connection went back to the pool."""
    if transaction.parent is None:
        session.info.pop(_SESSION_TARGET, None)


#: Every kept SQLite connection, by engine (the idle ones and those in a transaction), and the
#: idle ones with the process that opened each: a stack, so the last used (its page cache the
#: warmest) goes first. At most as many as transactions ever ran at once.
_KEPT: weakref.WeakKeyDictionary[Engine, list[PoolProxiedConnection]] = weakref.WeakKeyDictionary()
_IDLE: weakref.WeakKeyDictionary[Engine, list[tuple[int, PoolProxiedConnection]]] = (
    weakref.WeakKeyDictionary()
)
_KEPT_LOCK = threading.Lock()
#: Engines whose disposal closes their kept connections (a listener is added once).
_WATCHED: weakref.WeakSet[Engine] = weakref.WeakSet()


def _take_kept(engine: Engine) -> PoolProxiedConnection:
    """An idle kept SQLite connection to `engine`, or a new one (see above)."""
    idle = _IDLE.get(engine, [])
    while idle:
        try:
            pid, connection = idle.pop()
        except IndexError:  # another thread took the last one
            break
        # Closed with its engine's pool, or inherited through a fork (the parent's): skip.
        if pid == os.getpid() and connection.is_valid:
            return connection
    connection = engine.raw_connection()
    with _KEPT_LOCK:
        if engine not in _WATCHED:
            _WATCHED.add(engine)
            event.listen(engine, "engine_disposed", _close_kept)
        _KEPT.setdefault(engine, []).append(connection)
        _IDLE.setdefault(engine, [])
    return connection


def _give_back(engine: Engine, connection: PoolProxiedConnection) -> None:
    idle = _IDLE.get(engine)
    if idle is not None and connection.is_valid:
        idle.append((os.getpid(), connection))


def _close_kept(engine: Engine) -> None:
    """`engine_disposed` listener: the kept connections go with the engine's pool."""
    with _KEPT_LOCK:
        connections = _KEPT.pop(engine, [])
        _IDLE.pop(engine, None)
    for connection in connections:
        connection.invalidate()  # closes it (the pool it came from is gone): no longer valid
