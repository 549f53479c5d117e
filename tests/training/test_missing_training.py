"""``missing_training``: what gates ask before a submission or a vote."""

from __future__ import annotations

from datetime import date

from freezegun import freeze_time
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.training.services import missing_training
from tests.sql import count_queries


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


@freeze_time("2026-11-21 23:30:00")
def test_missing_training_lists_courses_without_valid_completion_in_given_order(
    app, make_user, make_course, complete
) -> None:
    make_user("ann", roles=["manager"])
    make_course("project-method", validity_months=24)
    make_course("stage-gate-fundamentals")
    make_course("gate-reviewer", validity_months=12)
    complete("ann", "stage-gate-fundamentals", date(2010, 5, 1))
    complete("ann", "gate-reviewer", date(2025, 11, 20))  # valid through 2026-11-20
    keys = ["project-method", "gate-reviewer", "unknown-course", "stage-gate-fundamentals"]
    with app.app_context():
        assert missing_training(_user("ann"), keys) == [
            "project-method",
            "gate-reviewer",
            "unknown-course",
        ]
        assert missing_training(_user("ann"), []) == []


@freeze_time("2026-11-21 12:00:00")
def test_renewal_makes_an_expired_course_valid_again_and_keeps_history(
    app, make_user, make_course, complete
) -> None:
    make_user("ann")
    make_course("gate-reviewer", validity_months=12)
    complete("ann", "gate-reviewer", date(2024, 1, 10))
    with app.app_context():
        assert missing_training(_user("ann"), ["gate-reviewer"]) == ["gate-reviewer"]
    complete("ann", "gate-reviewer", date(2026, 11, 1))
    with app.app_context():
        assert missing_training(_user("ann"), ["gate-reviewer"]) == []
        # On a past day only the completion valid then counts.
        assert missing_training(_user("ann"), ["gate-reviewer"], on=date(2024, 6, 1)) == []
        assert missing_training(_user("ann"), ["gate-reviewer"], on=date(2026, 3, 1)) == [
            "gate-reviewer"
        ]


def test_missing_training_is_checked_against_the_given_day(
    app, make_user, make_course, complete
) -> None:
    make_user("ann")
    make_course("gate-reviewer", validity_months=12)
    complete("ann", "gate-reviewer", date(2025, 1, 31))
    with app.app_context():
        user = _user("ann")
        assert missing_training(user, ["gate-reviewer"], on=date(2026, 1, 31)) == []
        assert missing_training(user, ["gate-reviewer"], on=date(2026, 2, 1)) == ["gate-reviewer"]
        assert missing_training(user, ["gate-reviewer"], on=date(2025, 1, 30)) == ["gate-reviewer"]


def test_missing_training_runs_one_query_whatever_the_number_of_courses(
    app, make_user, make_course, complete
) -> None:
    make_user("ann")
    keys = [f"course-{number}" for number in range(12)]
    for key in keys:
        make_course(key, validity_months=12)
        complete("ann", key, date(2026, 1, 1))
    with app.app_context():
        user = _user("ann")
        with count_queries(app) as few:
            missing_training(user, keys[:2], on=date(2026, 6, 1))
        with count_queries(app) as many:
            assert missing_training(user, keys, on=date(2026, 6, 1)) == []
    assert len(few) == len(many) == 1
