"""SQLite, the embedded default: each connection's settings, and when the WAL is checkpointed.

In WAL mode every commit appends pages to the `-wal` file, and a *checkpoint* copies them back
into the database file, with an `fsync` of each. SQLite runs one by itself inside the commit
that takes the WAL past 1,000 pages, so that commit (a request, with its write lock and the
governance writers' queue still held: see `app.writelock`) waits for the disk while
every other writer waits for it. Here a connection going back to the pool, its transaction
over and every lock released, runs a passive checkpoint once it has changed
`CHECKPOINT_AFTER_CHANGES` rows since its last one; SQLite's own stays as the backstop for
writers that change fewer rows per connection. A passive checkpoint never waits: it copies
what no reader still needs and leaves the rest to the next one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.pool import ConnectionPoolEntry

#: Rows a connection changes before it checkpoints (a vote changes 2 rows and 7 pages).
CHECKPOINT_AFTER_CHANGES = 100
#: `ConnectionPoolEntry.info` key: the connection's `total_changes` at its last checkpoint.
_CHANGES_AT_CHECKPOINT = "jalon_changes_at_checkpoint"


def _configure_connection(dbapi_connection: Any, _entry: ConnectionPoolEntry) -> None:
    """WAL lets readers work while a writer commits; SQLite leaves foreign keys off by default."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def checkpoint_after_writes(dbapi_connection: Any, entry: ConnectionPoolEntry) -> None:
    """Pool `checkin` listener: checkpoint, outside any transaction, after enough writes."""
    if dbapi_connection is None:  # invalidated
        return
    changes = dbapi_connection.total_changes
    if changes - entry.info.get(_CHANGES_AT_CHECKPOINT, 0) >= CHECKPOINT_AFTER_CHANGES:
        entry.info[_CHANGES_AT_CHECKPOINT] = changes
        dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").close()


def configure_engine(engine: Engine) -> None:
    """Give each new connection Jalon's settings and checkpoint after writes, off the commit."""
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "checkin", checkpoint_after_writes)
