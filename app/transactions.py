"""Where hot statements run: in the ORM session's transaction, or in a transaction of their own.

A `HotStatement` (`app.hotsql`) runs in the session's transaction by default, so a request
still commits once (`app.web.commit_or_rollback`) and a failed request rolls everything back.

Work that needs no ORM object at all (the bearer token's lookup on every API request, a vote
that does not decide) runs in `own_transaction()` instead, past the session: its block's
statements go straight to the driver's connection and the block's end commits them. The
session's begin, commit and close cost about 50 µs each time: with them the vote ran at 31-35 %
of `/healthz`'s requests/s under gunicorn, without them at 34-38.5 % (bench/votes).

- On SQLite own transactions take their connections from a stack of their own (a few per
  process, `KEEP_AT_MOST`): each is checked out of the engine's pool once (with the app's
  settings: `app.sqlite`) and closed only when the engine is disposed. A file cannot drop a
  connection; one that stays keeps its page cache and skips the pool's check-out and
  check-in (reset, events). It checkpoints after its writes as a pooled one does at
  check-in. The pool's own check-out per block cost a vote 4 points of the ratio.
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
    pooled, kept = _connection_for(engine)
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
        try:
            for callback in own.after_end:
                callback()
        finally:
            _release(engine, pooled, kept)


def _commit(own: OwnTransaction, driver: Any) -> None:
    """Commit; a driver error is raised as SQLAlchemy's, as the statements' are."""
    dbapi_error = own.target.dialect.loaded_dbapi.Error
    try:
        driver.commit()
    except dbapi_error as error:
        raise exc.DBAPIError.instance("COMMIT", None, error, dbapi_error) from error


class OrmWriteInOwnTransaction(RuntimeError):
    """The ORM session was about to write inside an `own_transaction()` block."""


@event.listens_for(Session, "before_flush")
def _refuse_orm_writes(session: Session, _context: Any, _instances: Any) -> None:
    """The session writes on another connection than the block's: on SQLite it would wait for
    the block's own write lock, and on either database it would commit apart from the block."""
    if _OWN.get() is not None and (session.new or session.dirty or session.deleted):
        raise OrmWriteInOwnTransaction("an own transaction writes no ORM object")


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


#: At most this many kept connections per engine and process (a sync worker needs one); more
#: blocks at once, on a threaded server, check one out of the pool for the block, so the
#: session's requests always find the pool's other connections.
KEEP_AT_MOST = 4
#: The idle kept SQLite connections, by engine, with the process that opened each: a stack,
#: so the last used (its page cache the warmest) goes first; and how many there are in all.
_IDLE: weakref.WeakKeyDictionary[Engine, list[tuple[int, PoolProxiedConnection]]] = (
    weakref.WeakKeyDictionary()
)
_KEPT_COUNT: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()
#: Engines whose disposal closes their kept connections (a listener is added once).
_WATCHED: weakref.WeakSet[Engine] = weakref.WeakSet()


def _connection_for(engine: Engine) -> tuple[PoolProxiedConnection, bool]:
    """A connection for an own transaction, and whether it is a kept one (see above)."""
    if engine.dialect.name != "sqlite":
        return engine.raw_connection(), False
    idle = _IDLE.get(engine, [])
    while idle:
        try:
            pid, connection = idle.pop()
        except IndexError:  # another thread took the last one
            break
        # Closed with its engine's pool, or inherited through a fork (the parent's): skip.
        if pid == os.getpid() and connection.is_valid:
            return connection, True
    with _KEPT_LOCK:
        if engine not in _WATCHED:
            _WATCHED.add(engine)
            event.listen(engine, "engine_disposed", _close_kept)
        keep = _KEPT_COUNT.get(engine, 0) < KEEP_AT_MOST
        if keep:
            _KEPT_COUNT[engine] = _KEPT_COUNT.get(engine, 0) + 1
            _IDLE.setdefault(engine, [])
    return engine.raw_connection(), keep


def _release(engine: Engine, connection: PoolProxiedConnection, kept: bool) -> None:
    """Give the block's connection back: to the stack (SQLite) or to the pool (PostgreSQL).

    A kept connection still in a transaction (its rollback failed) is closed instead: the
    next block would write in that transaction, and it holds SQLite's write lock.
    """
    if not kept:
        connection.close()
    elif connection.driver_connection.in_transaction:
        connection.invalidate()
        _forget_one(engine)
    else:
        checkpoint_after_writes(connection.driver_connection, connection)
        idle = _IDLE.get(engine)
        if idle is None:  # the engine was disposed during the block
            connection.invalidate()
        elif connection.is_valid:
            idle.append((os.getpid(), connection))
        else:
            _forget_one(engine)


def _forget_one(engine: Engine) -> None:
    with _KEPT_LOCK:
        if _KEPT_COUNT.get(engine):
            _KEPT_COUNT[engine] -= 1


def _close_kept(engine: Engine) -> None:
    """`engine_disposed` listener: the kept connections go with the engine's pool.

    The idle ones this process opened are closed now; one in use is closed when its block
    gives it back and finds no stack; a parent's, after a fork, is the parent's to close.
    """
    with _KEPT_LOCK:
        _KEPT_COUNT.pop(engine, None)
        idle = _IDLE.pop(engine, [])
    for pid, connection in idle:
        if pid == os.getpid():
            connection.invalidate()  # closes it (the pool it came from is gone)
