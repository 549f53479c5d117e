"""One writer at a time on a project, a document, the audit chain or the training records, in the
request's own transaction.

`lock_for_writing` serialises a transaction's governance writes until it ends:

- PostgreSQL: the row or advisory lock the caller gives, which queues waiters by itself.
- SQLite: the database write lock, taken at once with `BEGIN IMMEDIATE`, which also starts the
  transaction on a fresh snapshot (a write lock taken later, at the first write, could find the
  snapshot stale and fail). SQLite has one write lock per database and its busy handler makes
  waiters poll with growing sleeps, leaving the lock idle meanwhile; so governance writers first
  take an exclusive `flock` on a file beside the database, in which the kernel queues them and
  wakes the next one the moment the holder's transaction ends. Writers that do not come through
  here (other domains, the CLI) meet the write lock and its busy timeout as before.
"""

from __future__ import annotations

import fcntl
import os
import threading

from sqlalchemy import Executable, text
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db

#: `session.info` key of the queue file descriptor held until the transaction ends.
_HELD = "jalon_write_queue_fd"
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
    """This thread's descriptor of the queue file beside ``database``.

    A `flock` belongs to an open file: the threads of a process need a file each to queue
    against one another, and a forked process must not lock its parent's.
    """
    path = f"{database}.writers"
    queue = getattr(_THREAD_QUEUE, "file", None)
    if queue is None or queue.path != path or queue.pid != os.getpid():
        _THREAD_QUEUE.file = queue = _QueueFile(path)
    return queue.descriptor


def lock_for_writing(postgresql_lock: Executable) -> None:
    """Hold this transaction's write lock until it ends (see the module's docstring).

    ``postgresql_lock`` is the statement that takes the lock on PostgreSQL.
    """
    session = db.session()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        session.execute(postgresql_lock)
        return
    if connection.connection.driver_connection.in_transaction:
        return  # it already wrote, so it holds the lock: it must not queue behind its waiters
    database = connection.engine.url.database
    if database and database != ":memory:" and _HELD not in session.info:
        descriptor = _queue_descriptor(database)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        session.info[_HELD] = descriptor
    session.execute(text("BEGIN IMMEDIATE"))


def _release(session: Session) -> None:
    descriptor = session.info.pop(_HELD, None)
    if descriptor is not None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def leave_queue_at_commit(session: Session) -> None:
    """`after_commit` listener: the next writer in line may go as soon as SQLite has committed.

    A savepoint's commit is not the end: its transaction still holds the write lock.
    """
    if session.get_nested_transaction() is None:
        _release(session)


def leave_queue(session: Session, transaction: SessionTransaction) -> None:
    """`after_transaction_end` listener: after a rollback too, the next writer may go."""
    if transaction.parent is None:
        _release(session)
