"""Time helpers: Jalon stores aware UTC datetimes everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, TypeDecorator

#: A moment that `utcnow` returns instead of the clock (see `clock_at`).
_frozen_now: ContextVar[datetime | None] = ContextVar("jalon_frozen_now", default=None)


def utcnow() -> datetime:
    """The current time, aware, in UTC (or the moment set by `clock_at`)."""
    return _frozen_now.get() or datetime.now(UTC)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Make `utcnow` return `moment` inside the block.

    The demo seeder replays a year of governance through the real services, so audit
    events, decisions and stage periods carry the dates they would have had; nothing
    else should move the clock.
    """
    if moment.tzinfo is None:
        raise ValueError("clock_at needs an aware datetime")
    token = _frozen_now.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _frozen_now.reset(token)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC that always comes back timezone-aware.

    SQLite has no time zones and returns naive values; PostgreSQL returns aware ones.
    Normalising here keeps comparisons (token expiry, login throttling) identical on both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
