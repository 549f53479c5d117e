"""Hash chain for the append-only audit trail.

Each event stores the hash of the event before it and a hash of its own canonical payload chained
to that one, so editing, deleting or reordering any stored event breaks the chain from that point
on. These functions are pure: the app keeps the events in a table and calls them when appending
(`compute_event_hash`) and when checking (`verify_chain`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol
from uuid import UUID

#: `prev_hash` of the very first event.
GENESIS_HASH = "0" * 64


def _json_default(value: Any) -> Any:
    """Encode the non-JSON types an event payload may hold, the same way on every database.

    Datetimes are normalised to UTC with microseconds and a `Z`, because SQLite gives back naive
    datetimes while PostgreSQL gives back aware ones: naive values are taken to be UTC already.
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot put a {type(value).__name__} in an audit payload")


def canonical_json(payload: Mapping[str, Any]) -> str:
    """JSON with sorted keys and no whitespace: one text per payload, whatever built it."""
    return json.dumps(
        payload,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def compute_event_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of `prev_hash` followed by the canonical JSON of `payload`.

    `payload` should hold every stored field of the event except its own hash (id or sequence
    number, kind, actor, subject, timestamp, data), so changing any of them is detected.
    """
    return hashlib.sha256(f"{prev_hash}\n{canonical_json(payload)}".encode()).hexdigest()


class ChainedEvent(Protocol):
    """What `verify_chain` needs of a stored event (an ORM row can satisfy it directly)."""

    @property
    def id(self) -> Any: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class AuditLink:
    """A plain `ChainedEvent`, for callers that map rows themselves."""

    id: Any
    prev_hash: str
    hash: str
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class ChainReport:
    """Result of `verify_chain`: `events` is how many were read; `first_broken_id` the culprit."""

    ok: bool
    events: int
    first_broken_id: Any = None
    reason: str = ""


def verify_chain(events: Iterable[ChainedEvent], genesis: str = GENESIS_HASH) -> ChainReport:
    """Check events in append order and report the first one whose link does not hold.

    An event is broken when its `prev_hash` is not the stored hash of the event before it (an
    event was removed, inserted or reordered) or when its `hash` does not match its payload (it
    was edited). Reading continues to the end so `events` always counts the whole trail.
    """
    expected_prev = genesis
    count = 0
    broken: tuple[Any, str] | None = None
    for event in events:
        count += 1
        if broken is None:
            if event.prev_hash != expected_prev:
                broken = (event.id, "prev_hash does not match the previous event's hash")
            elif compute_event_hash(event.prev_hash, event.payload) != event.hash:
                broken = (event.id, "hash does not match the event's content")
        expected_prev = event.hash
    if broken is None:
        return ChainReport(ok=True, events=count)
    return ChainReport(ok=False, events=count, first_broken_id=broken[0], reason=broken[1])
