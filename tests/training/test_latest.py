"""The latest-completion table stays equal to the history, and the counts read from it
agree with the cells of the full matrix."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import get_user_by_username
from app.extensions import db
from app.training.compliance import count_compliance
from app.training.latest import rebuild_latest
from app.training.matrix import build_matrix, open_matrix
from app.training.models import Course, LatestCompletion
from app.training.status import Status
from tests.conftest import bearer
from tests.training.conftest import post_import

NOW = "2026-11-21 10:00:00"
TODAY = date(2026, 11, 21)


def _latest_rows(app) -> dict[tuple[int, int], tuple[date, date | None]]:
    with app.app_context():
        return {
            (row.user_id, row.course_id): (row.completed_on, row.expires_on)
            for row in db.session.scalars(select(LatestCompletion))
        }


def _assert_latest_matches_history(app) -> dict:
    """The rows kept on write are exactly those recomputed from the whole history."""
    kept = _latest_rows(app)
    with app.app_context():
        rebuild_latest(db.session.connection())
        db.session.commit()
    assert _latest_rows(app) == kept
    return kept


def _latest_of(app, username: str, key: str) -> tuple[date, date | None] | None:
    with app.app_context():
        row = db.session.execute(
            select(LatestCompletion.completed_on, LatestCompletion.expires_on)
            .join(User, User.id == LatestCompletion.user_id)
            .join(Course, Course.id == LatestCompletion.course_id)
            .where(User.username == username, Course.key == key)
        ).first()
        return tuple(row) if row else None


@freeze_time(NOW)
def test_renewal_moves_the_latest_completion_and_older_history_does_not(
    app, make_user, make_course, complete
) -> None:
    make_user("ann")
    make_course("risk", validity_months=12)
    make_course("method")
    complete("ann", "risk", date(2025, 1, 10))
    assert _latest_of(app, "ann", "risk") == (date(2025, 1, 10), date(2026, 1, 10))
    complete("ann", "risk", date(2026, 2, 1))  # renewal
    assert _latest_of(app, "ann", "risk") == (date(2026, 2, 1), date(2027, 2, 1))
    complete("ann", "risk", date(2024, 6, 1))  # history typed in late
    assert _latest_of(app, "ann", "risk") == (date(2026, 2, 1), date(2027, 2, 1))
    complete("ann", "method", date(2020, 5, 5))
    assert _latest_of(app, "ann", "method") == (date(2020, 5, 5), None)
    assert len(_assert_latest_matches_history(app)) == 2


@freeze_time(NOW)
def test_imports_keep_the_latest_completion_equal_to_the_history(
    app, client, runner, make_user, make_course, complete, token_for, tmp_path
) -> None:
    pmo = token_for("paule", "pmo")
    make_user("ann")
    make_user("bob")
    make_course("risk", validity_months=12)
    make_course("method")
    complete("ann", "risk", date(2026, 3, 1))
    content = (
        "username;course;completed_on\n"
        "ann;risk;2025-01-01\n"  # older than the recorded one: changes nothing
        "bob;risk;2025-05-05\n"
        "bob;risk;2026-05-05\n"  # two of the same pair in one file: the newer wins
        "bob;method;2026-01-01\n"
        "bob;nope;2026-01-01\n"  # rejected: changes nothing
    )
    body = post_import(client, pmo, content.encode()).get_json()
    assert (body["imported"], len(body["rejected"])) == (4, 1)
    assert _latest_of(app, "ann", "risk") == (date(2026, 3, 1), date(2027, 3, 1))
    assert _latest_of(app, "bob", "risk") == (date(2026, 5, 5), date(2027, 5, 5))
    assert _latest_of(app, "bob", "method") == (date(2026, 1, 1), None)
    kept = _assert_latest_matches_history(app)
    assert post_import(client, pmo, content.encode()).get_json()["imported"] == 0
    assert _latest_rows(app) == kept

    path = tmp_path / "renewals.csv"
    path.write_text("username,course,completed_on\nann,risk,2026-11-20\n", encoding="utf-8")
    assert runner.invoke(args=["training", "import", str(path)]).exit_code == 0
    assert _latest_of(app, "ann", "risk") == (date(2026, 11, 20), date(2027, 11, 20))
    _assert_latest_matches_history(app)


def test_demo_seed_keeps_the_latest_completion_equal_to_the_history(app) -> None:
    from app.demo.accounts import seed_accounts
    from app.demo.training import seed_training

    with app.app_context():
        seed_accounts()
        seed_training()
        db.session.commit()
    assert _assert_latest_matches_history(app)


@freeze_time(NOW)
def test_a_past_day_reads_the_completion_valid_on_that_day(
    app, client, make_user, make_course, complete, token_for
) -> None:
    pmo = bearer(token_for("paule", "pmo"))
    make_user("ann", roles=["staff"])
    make_course("risk", validity_months=12)
    body = {"course": "risk", "role": "staff", "due_date": "2023-06-30"}
    assert client.post("/api/v1/training/requirements", json=body, headers=pmo).status_code == 201
    complete("ann", "risk", date(2024, 1, 10))
    complete("ann", "risk", date(2026, 2, 1))

    def cell(on: date):
        with app.app_context():
            result = build_matrix(on)
            counts = count_compliance(open_matrix(on))
            person = next(p for p in result.people if p.username == "ann")
            return person.cells["risk"], counts.courses[0].valid

    now, valid = cell(TODAY)
    assert (now.status, now.completed_on, valid) == (Status.COMPLIANT, date(2026, 2, 1), 1)
    then, valid = cell(date(2024, 6, 1))
    assert (then.status, then.completed_on, then.valid_until) == (
        Status.COMPLIANT,
        date(2024, 1, 10),
        date(2025, 1, 10),
    )
    assert valid == 1
    lapsed, valid = cell(date(2025, 6, 1))
    assert (lapsed.status, valid) == (Status.EXPIRED, 0)
    before, valid = cell(date(2023, 12, 1))
    assert (before.status, before.completed_on, valid) == (Status.OVERDUE, None, 0)


def _reference_counts(on: date, team_ids=None) -> tuple[list[tuple], list[tuple]]:
    """The percentages counted the slow way, from every cell of the full matrix."""
    result = build_matrix(on, team_ids)
    teams: dict[str, Counter] = {team.name: Counter() for team in result.teams}
    courses: dict[str, Counter] = {course.key: Counter() for course in result.courses}
    for person in result.people:
        for key, cell in person.cells.items():
            if not cell.required:
                continue
            for counter in [courses[key], *(teams[t] for t in person.teams if t in teams)]:
                counter["required"] += 1
                counter["valid"] += cell.valid
    return (
        [(name, c["required"], c["valid"]) for name, c in teams.items()],
        [(key, c["required"], c["valid"]) for key, c in courses.items()],
    )


@pytest.mark.slow
@freeze_time(NOW)
def test_compliance_counts_equal_those_of_the_matrix_cells(
    app, client, make_user, make_course, complete, token_for
) -> None:
    pmo = bearer(token_for("paule", "pmo", teams=("PMO",)))
    for key, months in [("risk", 12), ("method", None), ("agile", 24), ("gdpr", 12)]:
        make_course(key, validity_months=months)
    people = {
        "ann": (["staff"], ["Digital"]),
        "bob": (["staff", "manager"], ["Digital", "Operations"]),
        "cy": (["manager"], ["Operations"]),
        "dan": (["staff"], []),
        "eve": ([], ["Digital"]),
        "fay": (["gatekeeper"], []),
        "gus": (["staff"], ["Operations"]),  # made inactive below: counted nowhere
    }
    for name, (roles, teams) in people.items():
        make_user(name, roles=roles, teams=teams)
    for body in [
        {"course": "risk", "role": "staff", "due_days": 30},
        {"course": "risk", "team": "Operations", "due_date": "2026-12-31"},
        {"course": "method", "team": "Digital", "due_days": 10},
        {"course": "agile", "role": "manager", "team": "Operations", "due_date": "2026-01-01"},
        {"course": "gdpr", "role": "gatekeeper", "due_date": "2027-01-01"},
    ]:
        assert (
            client.post("/api/v1/training/requirements", json=body, headers=pmo).status_code == 201
        )
    for name, key, day in [
        ("ann", "risk", date(2026, 1, 1)),  # valid
        ("ann", "method", date(2010, 1, 1)),  # never expires
        ("bob", "risk", date(2025, 11, 1)),  # expired
        ("bob", "agile", date(2024, 12, 1)),  # expiring
        ("cy", "agile", date(2026, 6, 1)),
        ("dan", "risk", date(2025, 12, 10)),  # expiring
        ("eve", "risk", date(2026, 3, 3)),  # done but not required
        ("fay", "gdpr", date(2025, 1, 1)),  # expired
        ("gus", "risk", date(2026, 1, 1)),
    ]:
        complete(name, key, day)
    with app.app_context():
        gus = get_user_by_username("gus")
        gus.active = False
        db.session.commit()
        operations = {team.id for team in open_matrix(TODAY).teams if team.name == "Operations"}
        for scope in [None, operations]:
            counts = count_compliance(open_matrix(TODAY, scope))
            teams, courses = _reference_counts(TODAY, scope)
            assert [(p.label, p.required, p.valid) for p in counts.teams] == teams
            assert [(p.label, p.required, p.valid) for p in counts.courses] == courses
        everyone = count_compliance(open_matrix(TODAY))
    assert {p.label: (p.required, p.valid) for p in everyone.courses} == {
        "agile": (2, 2),
        "gdpr": (1, 0),
        "method": (3, 1),
        "risk": (4, 2),
    }
