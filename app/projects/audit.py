"""The append-only audit trail: every governance event, chained by SHA-256 hashes.

Events are only ever inserted (there is no update or delete path in the app). Appending reads
the last event, so appenders are serialised by `chain_lock` for the rest of the transaction;
should anything slip past, the primary key refuses a fork: the new event's id is the last
one's plus one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.projects.models import AuditEvent
from app.timeutil import utcnow
from app.writelock import lock_for_writing
from workflows import GENESIS_HASH, AuditLink, ChainReport, compute_event_hash, verify_chain

#: Key of the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x4A41_4C4E  # "JALN"

#: The columns whose values are hashed (everything but the id and the hashes).
_PAYLOAD_COLUMNS = (
    AuditEvent.project_id,
    AuditEvent.kind,
    AuditEvent.actor,
    AuditEvent.data,
    AuditEvent.created_at,
)

_ADVISORY_LOCK = select(func.pg_advisory_xact_lock(_CHAIN_LOCK_KEY))


def chain_lock() -> None:
    """Hold the chain's write lock until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the database write lock, taken now
    (in line behind the other writers, see `writelock`) instead of at commit.
    """
    lock_for_writing(_ADVISORY_LOCK)


def last_event() -> tuple[int, str] | None:
    """The chain's last event: its position and hash (None for an empty chain)."""
    row = db.session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (row.id, row.hash) if row is not None else None


def record(kind: str, actor: str, data: dict[str, Any], project_id: int | None = None) -> None:
    """Append one event to the chain, in the session's transaction (flushed, not committed)."""
    chain_lock()
    last = last_event()  # the session's pending rows are flushed first: they come before
    position, prev = (last[0] + 1, last[1]) if last is not None else (1, GENESIS_HASH)
    event = AuditEvent(
        id=position, project_id=project_id, kind=kind, actor=actor, data=data, created_at=utcnow()
    )
    event.prev_hash = prev
    event.hash = compute_event_hash(prev, event.payload)
    db.session.add(event)
    db.session.flush()  # stored as hashed, whatever the caller does with `data` afterwards


def _all_events(batch: int = 1000) -> Iterator[AuditLink]:
    """Every event in append order, read in batches of plain rows so memory stays bounded."""
    last_id = 0
    columns = (AuditEvent.id, AuditEvent.prev_hash, AuditEvent.hash, *_PAYLOAD_COLUMNS)
    while True:
        rows = db.session.execute(
            select(*columns).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            payload = {column.key: getattr(row, column.key) for column in _PAYLOAD_COLUMNS}
            yield AuditLink(row.id, row.prev_hash, row.hash, payload)
        last_id = rows[-1].id


def verify() -> ChainReport:
    """Check the whole chain; the report names the first broken event."""
    return verify_chain(_all_events())


def report_dict(report: ChainReport) -> dict[str, Any]:
    """The JSON shape of a chain check (API and CLI)."""
    return {
        "ok": report.ok,
        "events": report.events,
        "first_broken": report.first_broken_id,
        "reason": report.reason or None,
    }
