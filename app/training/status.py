"""The one place that decides a person's status for a course.

Everything else (matrix, compliance, lists, exports, gates) calls these functions, so a
boundary (day 30 expiring, day 31 compliant) cannot differ between two pages.

Decisions, all on UTC calendar dates:

- a completion made on ``d`` for a course valid ``m`` months is valid through
  ``d + m months`` inclusive (``valid_until``); the day after it is ``expired``;
- ``expiring``: valid and ``valid_until`` is at most ``EXPIRING_DAYS`` (30) days away;
- with no completion at all, a required course is ``missing`` up to and including its due
  date and ``overdue`` from the day after; a requirement without a deadline (`NO_DEADLINE`)
  leaves the person ``missing`` until done, never ``overdue``;
- a required course whose latest completion lapsed stays ``expired`` (not ``overdue``): the
  person was trained, the renewal is what is due, and the matrix should say so. Both
  ``expired`` and ``overdue`` count as non-compliant;
- a course that is neither required nor done has no status (``None``).
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date, timedelta

EXPIRING_DAYS = 30
#: The deadline of a requirement that has none: later than any other, so the earliest real
#: deadline of a person's requirements wins, and never passed.
NO_DEADLINE = date.max


class Status(enum.StrEnum):
    """Status of one person for one course."""

    COMPLIANT = "compliant"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    OVERDUE = "overdue"
    MISSING = "missing"


#: Statuses that count as holding a valid completion.
VALID_STATUSES = frozenset({Status.COMPLIANT, Status.EXPIRING})


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(completed_on: date, validity_months: int | None) -> date | None:
    """Last day a completion is valid; None when it never expires."""
    if validity_months is None:
        return None
    return add_months(completed_on, validity_months)


def is_valid(completed_on: date | None, validity_months: int | None, on: date) -> bool:
    """Whether a completion made on ``completed_on`` is valid on ``on``."""
    if completed_on is None or completed_on > on:
        return False
    until = valid_until(completed_on, validity_months)
    return until is None or on <= until


@dataclass(frozen=True, slots=True)
class Cell:
    """A person's status for a course, with the dates that explain it."""

    status: Status | None
    #: Last day of validity of the latest completion (None: never expires or never done).
    valid_until: date | None = None
    #: The latest completion date.
    completed_on: date | None = None
    #: Deadline when the course is required.
    due_date: date | None = None

    @property
    def required(self) -> bool:
        return self.due_date is not None

    @property
    def valid(self) -> bool:
        return self.status in VALID_STATUSES


def compute(
    latest_completion: date | None,
    validity_months: int | None,
    due_date: date | None,
    on: date,
) -> Cell:
    """Status on ``on`` from the latest completion date and the deadline (None = not required)."""
    if latest_completion is not None and latest_completion <= on:
        until = valid_until(latest_completion, validity_months)
        if until is not None and on > until:
            status = Status.EXPIRED
        elif until is not None and (until - on) <= timedelta(days=EXPIRING_DAYS):
            status = Status.EXPIRING
        else:
            status = Status.COMPLIANT
        return Cell(status, until, latest_completion, due_date)
    if due_date is None:
        return Cell(None)
    if due_date == NO_DEADLINE:
        return Cell(Status.MISSING)
    return Cell(Status.OVERDUE if on > due_date else Status.MISSING, due_date=due_date)
