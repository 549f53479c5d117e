"""Status boundaries, decided in app.training.status alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.training.status import Status, add_months, compute, is_valid, valid_until

ON = date(2026, 6, 15)


def test_completion_is_valid_through_the_last_day_and_expired_the_day_after() -> None:
    assert valid_until(date(2025, 6, 15), 12) == date(2026, 6, 15)
    assert compute(date(2025, 6, 15), 12, None, ON).status is Status.EXPIRING
    assert compute(date(2025, 6, 14), 12, None, ON).status is Status.EXPIRED


def test_expiring_on_day_30_compliant_on_day_31() -> None:
    day_30 = ON + timedelta(days=30)
    day_31 = ON + timedelta(days=31)
    # Completed 12 months before each of those ends.
    assert compute(add_months(day_30, -12), 12, None, ON).valid_until == day_30
    assert compute(add_months(day_30, -12), 12, None, ON).status is Status.EXPIRING
    assert compute(add_months(day_31, -12), 12, None, ON).valid_until == day_31
    assert compute(add_months(day_31, -12), 12, None, ON).status is Status.COMPLIANT


def test_course_without_validity_never_expires() -> None:
    cell = compute(date(1990, 1, 1), None, None, ON)
    assert cell.status is Status.COMPLIANT
    assert cell.valid_until is None
    assert is_valid(date(1990, 1, 1), None, ON)


def test_required_course_is_missing_on_its_due_date_and_overdue_the_day_after() -> None:
    assert compute(None, 12, ON, ON).status is Status.MISSING
    assert compute(None, 12, ON - timedelta(days=1), ON).status is Status.OVERDUE
    assert compute(None, 12, ON + timedelta(days=1), ON).status is Status.MISSING


def test_required_course_that_lapsed_is_expired_not_overdue() -> None:
    cell = compute(date(2020, 1, 1), 12, date(2020, 6, 1), ON)
    assert cell.status is Status.EXPIRED
    assert cell.required
    assert not cell.valid


def test_course_neither_required_nor_done_has_no_status() -> None:
    assert compute(None, 12, None, ON).status is None


def test_completion_after_the_day_asked_about_does_not_count() -> None:
    assert compute(ON + timedelta(days=1), None, ON, ON).status is Status.MISSING


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_short_months(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected
