"""SQLite: governance writers queue for the database write lock instead of polling for it.

SQLite has one write lock per database. A writer that finds it taken sleeps in the busy handler
with a growing back-off (1 ms, 2 ms, 5 ms ... up to 100 ms) and retries, so under load the lock
sits idle while the waiters sleep: the vote benchmark fell to 27 votes/s that way. Here a
writer first takes an exclusive `flock` on a file beside the database, in which the kernel
queues the waiters and wakes the next one the moment the holder's transaction ends, then
starts its transaction with `BEGIN IMMEDIATE`, which takes the write lock at once and reads
a fresh snapshot. Writers that do not come through here (other domains, the CLI) still meet
the write lock and its busy timeout as before.

On PostgreSQL this is not needed: row locks and advisory locks queue by themselves.
"""

from __future__ import annotations

import fcntl
import os
import threading

from sqlalchemy import text
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db
from app.hotsql import HotStatement
from app.transactions import Target, current_own_transaction, current_target

#: Key of the queue file descriptor held until the transaction ends, in `session.info` or in
#: the `OwnTransaction.info` of the transaction that took it.
_HELD = "jalon_write_queue_fd"
_BEGIN_IMMEDIATE = HotStatement(text("BEGIN IMMEDIATE"))
#: Each thread's `_QueueFile`.
_THREAD_QUEUE = threading.local()


class _QueueFile:
    """A thread's open queue file; it closes when replaced or when its thread ends."""

    __slots__ = ("descriptor", "path", "pid")

    def __init__(self, path: str) -> None:
        self.path, self.pid = path, os.getpid()
        self.descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def __del__(self) -> None:
        os.close(self.descriptor)  # a forked child's copy: the parent's lock stays


def _queue_descriptor(database: str) -> int:
    """This thread's descriptor of the queue file beside ``database``, opened once.

    A `flock` belongs to an open file: the threads of a process need a file each to queue
    against one another, and a forked process must not lock its parent's. A thread keeps one
    file (the database it last wrote): opening, locking and closing it on every write took
    6.6 µs of CPU, locking and unlocking an open one 1.7 (bench/votes, eighth round).
    """
    path = f"{database}.writers"
    queue = getattr(_THREAD_QUEUE, "file", None)
    if queue is None or queue.path != path or queue.pid != os.getpid():
        _THREAD_QUEUE.file = queue = _QueueFile(path)
    return queue.descriptor


def _take_write_lock(target: Target) -> None:
    """Hold SQLite's write lock from now until `target`'s transaction ends.

    A transaction that already wrote holds the lock: it must not queue behind writers that
    are themselves waiting for that lock.
    """
    if target.driver_connection.in_transaction:
        return
    database = target.engine.url.database
    own = current_own_transaction()
    held = own.info if own is not None else db.session().info
    if database and database != ":memory:" and _HELD not in held:
        descriptor = _queue_descriptor(database)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        held[_HELD] = descriptor
        if own is not None:  # the session's listeners below do not see this transaction
            own.after_end.append(lambda: _release(own.info))
    _BEGIN_IMMEDIATE.rows()


def lock_for_writing(postgresql_lock: HotStatement, parameters: dict[str, int]) -> None:
    """Serialise this transaction's writes: on PostgreSQL with `postgresql_lock` (a row or an
    advisory lock, which queue by themselves), on SQLite with the database write lock."""
    target = current_target()
    if target.dialect.name == "postgresql":
        postgresql_lock.rows(parameters)
    else:
        _take_write_lock(target)


def _release(held: dict[str, int]) -> None:
    descriptor = held.pop(_HELD, None)
    if descriptor is not None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def leave_queue_at_commit(session: Session) -> None:
    """`after_commit` listener: the next writer in line may go as soon as SQLite has committed.

    The commit released SQLite's write lock; what follows in the request (the ORM's
    bookkeeping, after-commit hooks, returning the connection, a checkpoint) needs no lock.
    A savepoint's commit is not the end: its transaction still holds the write lock.
    """
    if session.get_nested_transaction() is None:
        _release(session.info)


def leave_queue(session: Session, transaction: SessionTransaction) -> None:
    """`after_transaction_end` listener: after a rollback too, the next writer may go."""
    if transaction.parent is None:
        _release(session.info)
