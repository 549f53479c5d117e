"""The training API: contract fields, writes by the PMO only, reads by scope."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.auth.models import TeamMembership, User, UserRole
from app.extensions import db
from app.training.models import Completion, Course, Requirement
from tests.conftest import bearer


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_pmo_creates_a_course_and_everyone_reads_it(app, client, token_for) -> None:
    pmo = token_for("paule", "pmo")
    response = client.post(
        "/api/v1/courses",
        json={"key": "risk-management", "title": "Risk management", "validity_months": 24},
        headers=bearer(pmo),
    )
    assert response.status_code == 201
    assert response.get_json()["key"] == "risk-management"
    staff = token_for("sam", "staff")
    listed = client.get("/api/v1/courses", headers=bearer(staff)).get_json()
    assert listed["total"] == 1
    assert listed["items"][0]["validity_months"] == 24
    one = client.get("/api/v1/courses/risk-management", headers=bearer(staff))
    assert one.status_code == 200
    assert client.get("/api/v1/courses/nope", headers=bearer(staff)).status_code == 404
    again = client.post(
        "/api/v1/courses", json={"key": "risk-management", "title": "Again"}, headers=bearer(pmo)
    )
    assert again.status_code == 409


@pytest.mark.parametrize("role", ["manager", "staff", "gatekeeper"])
def test_only_pmo_and_admin_write_training_data(app, client, token_for, make_course, role) -> None:
    make_course("risk-management")
    token = token_for("someone", role)
    headers = bearer(token)
    assert (
        client.post("/api/v1/courses", json={"key": "x", "title": "X"}, headers=headers).status_code
        == 403
    )
    requirement = {"course": "risk-management", "role": "staff", "due_days": 30}
    assert (
        client.post("/api/v1/training/requirements", json=requirement, headers=headers).status_code
        == 403
    )
    completion = {"user": "someone", "course": "risk-management", "completed_on": "2026-01-01"}
    assert (
        client.post("/api/v1/training/completions", json=completion, headers=headers).status_code
        == 403
    )
    assert _count(app, Course) == 1
    assert _count(app, Requirement) == 0
    assert _count(app, Completion) == 0


def test_requirement_needs_a_target_and_at_most_one_deadline(
    app, client, token_for, make_course
) -> None:
    make_course("risk-management")
    pmo = bearer(token_for("paule", "pmo"))
    for body in [
        {"course": "risk-management", "due_days": 10},
        {"course": "risk-management", "role": "staff", "due_days": 3, "due_date": "2026-01-01"},
    ]:
        assert (
            client.post("/api/v1/training/requirements", json=body, headers=pmo).status_code == 422
        )
    unknown = {"course": "nope", "role": "staff", "due_days": 3}
    assert (
        client.post("/api/v1/training/requirements", json=unknown, headers=pmo).status_code == 422
    )
    no_team = {"course": "risk-management", "team": "Nowhere", "due_days": 3}
    assert (
        client.post("/api/v1/training/requirements", json=no_team, headers=pmo).status_code == 422
    )
    assert _count(app, Requirement) == 0
    ok = {"course": "risk-management", "role": "manager", "team": "Digital", "due_days": 30}
    token_for("marc", "manager", teams=("Digital",))
    created = client.post("/api/v1/training/requirements", json=ok, headers=pmo)
    assert created.status_code == 201
    assert created.get_json() == {
        "id": created.get_json()["id"],
        "course": "risk-management",
        "role": "manager",
        "team": "Digital",
        "due_date": None,
        "due_days": 30,
    }
    listed = client.get("/api/v1/training/requirements", headers=pmo).get_json()
    assert listed["total"] == 1


@freeze_time("2026-11-21 10:00:00")
def test_recording_completions_keeps_history_and_refuses_duplicates_and_future(
    app, client, token_for, make_course
) -> None:
    make_course("gate-reviewer", validity_months=12)
    pmo = bearer(token_for("paule", "pmo"))
    token_for("ann", "staff")
    body = {"user": "ann", "course": "gate-reviewer", "completed_on": "2024-05-02", "score": 80}
    first = client.post("/api/v1/training/completions", json=body, headers=pmo)
    assert first.status_code == 201
    assert first.get_json()["valid_until"] == "2025-05-02"
    assert first.get_json()["recorded_by"] == "paule"
    assert client.post("/api/v1/training/completions", json=body, headers=pmo).status_code == 409
    future = {**body, "completed_on": "2026-11-22"}
    assert client.post("/api/v1/training/completions", json=future, headers=pmo).status_code == 422
    nobody = {**body, "user": "ghost"}
    assert client.post("/api/v1/training/completions", json=nobody, headers=pmo).status_code == 422
    renewal = {**body, "completed_on": "2026-11-21"}
    assert client.post("/api/v1/training/completions", json=renewal, headers=pmo).status_code == 201
    history = client.get("/api/v1/training/completions?user=ann", headers=pmo).get_json()
    assert [item["completed_on"] for item in history["items"]] == ["2026-11-21", "2024-05-02"]


def test_completion_history_is_scoped_to_self_or_managed_teams(
    app, client, token_for, make_course, complete
) -> None:
    make_course("risk")
    ann = token_for("ann", "staff", teams=("Digital",))
    token_for("bob", "staff", teams=("Operations",))
    marc = token_for("marc", "manager", teams=("Digital",))
    complete("ann", "risk", date(2025, 1, 1))
    complete("bob", "risk", date(2025, 1, 1))
    mine = client.get("/api/v1/training/completions", headers=bearer(ann)).get_json()
    assert [item["user"] for item in mine["items"]] == ["ann"]
    assert (
        client.get("/api/v1/training/completions?user=bob", headers=bearer(ann)).status_code == 403
    )
    team = client.get("/api/v1/training/completions", headers=bearer(marc)).get_json()
    assert [item["user"] for item in team["items"]] == ["ann"]
    assert (
        client.get("/api/v1/training/completions?user=bob", headers=bearer(marc)).status_code == 403
    )
    assert (
        client.get("/api/v1/training/completions?user=ann", headers=bearer(marc)).status_code == 200
    )


def _backdate(app, username: str, joined: datetime) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for membership in db.session.scalars(
            select(TeamMembership).where(TeamMembership.user_id == user.id)
        ):
            membership.joined_at = joined
        for grant in db.session.scalars(select(UserRole).where(UserRole.user_id == user.id)):
            grant.granted_at = joined
        db.session.commit()


@freeze_time("2036-06-01 10:00:00")
def test_a_requirement_without_deadline_is_missing_until_done_and_never_overdue(
    app, client, token_for, make_course, complete
) -> None:
    make_course("risk-management", "Risk management")
    pmo = bearer(token_for("paule", "pmo"))
    token_for("ann", "staff")
    token_for("bob", "staff")
    _backdate(app, "bob", datetime(2026, 1, 1, tzinfo=UTC))  # staff for ten years
    body = {"course": "risk-management", "role": "staff"}
    created = client.post("/api/v1/training/requirements", json=body, headers=pmo)
    assert created.status_code == 201
    assert (created.get_json()["due_date"], created.get_json()["due_days"]) == (None, None)
    complete("ann", "risk-management", date(2036, 1, 5))
    rows = {
        row["person"]: row["courses"]["risk-management"]
        for row in client.get("/api/v1/training/matrix", headers=pmo).get_json()["rows"]
    }
    compliance = client.get("/api/v1/training/compliance", headers=pmo).get_json()
    assert rows["bob"] == {
        "status": "missing",
        "valid_until": None,
        "completed_on": None,
        "due_date": None,
    }
    assert rows["ann"]["status"] == "compliant"
    (course,) = compliance["courses"]
    assert (course["required"], course["valid"]) == (2, 1)


@freeze_time("2026-11-21 10:00:00")
def test_matrix_and_compliance_give_statuses_and_team_percentages(
    app, client, token_for, make_course, complete
) -> None:
    pmo = bearer(token_for("paule", "pmo"))
    make_course("gate-reviewer", "Gate reviewer", validity_months=12)
    make_course("project-method", "Project method")
    for username in ["ann", "bob", "cy"]:
        token_for(username, "staff", teams=("Digital",))
        _backdate(app, username, datetime(2026, 10, 1, tzinfo=UTC))
    token_for("dan", "staff", teams=("Operations",))
    _backdate(app, "dan", datetime(2026, 11, 10, tzinfo=UTC))
    for body in [
        {"course": "project-method", "team": "Digital", "due_days": 30},  # due 2026-10-31
        {"course": "project-method", "team": "Operations", "due_days": 30},  # due 2026-12-10
        {"course": "gate-reviewer", "role": "staff", "due_date": "2027-01-01"},
    ]:
        assert (
            client.post("/api/v1/training/requirements", json=body, headers=pmo).status_code == 201
        )
    complete("ann", "project-method", date(2026, 10, 5))
    complete("ann", "gate-reviewer", date(2025, 12, 10))  # valid until 2026-12-10: expiring
    complete("bob", "gate-reviewer", date(2025, 11, 1))  # expired on 2026-11-02

    matrix = client.get("/api/v1/training/matrix", headers=pmo).get_json()
    assert matrix["on"] == "2026-11-21"
    rows = {row["person"]: row for row in matrix["rows"]}
    assert rows["ann"]["courses"]["project-method"]["status"] == "compliant"
    assert rows["ann"]["courses"]["gate-reviewer"]["status"] == "expiring"
    assert rows["ann"]["courses"]["gate-reviewer"]["valid_until"] == "2026-12-10"
    assert rows["bob"]["courses"]["gate-reviewer"]["status"] == "expired"
    assert rows["bob"]["courses"]["project-method"]["status"] == "overdue"
    assert rows["cy"]["courses"]["gate-reviewer"]["status"] == "missing"
    assert rows["dan"]["courses"]["project-method"] == {
        "status": "missing",
        "valid_until": None,
        "completed_on": None,
        "due_date": "2026-12-10",
    }
    assert rows["paule"]["courses"]["project-method"]["status"] is None
    assert rows["ann"]["teams"] == ["Digital"]

    only_ops = client.get("/api/v1/training/matrix?team=Operations", headers=pmo).get_json()
    assert [row["person"] for row in only_ops["rows"]] == ["dan"]

    compliance = client.get("/api/v1/training/compliance", headers=pmo).get_json()
    teams = {item["team"]: item for item in compliance["teams"]}
    # Digital: 3 people x 2 required courses; valid: ann x 2.
    assert teams["Digital"] == {"team": "Digital", "required": 6, "valid": 2, "percent": 33.3}
    assert teams["Operations"] == {"team": "Operations", "required": 2, "valid": 0, "percent": 0.0}
    courses = {item["course"]: item for item in compliance["courses"]}
    assert courses["gate-reviewer"]["required"] == 4
    assert courses["gate-reviewer"]["valid"] == 1
    assert courses["project-method"]["percent"] == 25.0


def test_staff_cannot_read_the_matrix_and_managers_only_their_teams(app, client, token_for) -> None:
    sam = bearer(token_for("sam", "staff", teams=("Digital",)))
    marc = bearer(token_for("marc", "manager", teams=("Digital",)))
    token_for("maya", "manager", teams=("Operations",))
    for path in [
        "/api/v1/training/matrix",
        "/api/v1/training/compliance",
        "/api/v1/training/exports/matrix.csv",
    ]:
        assert client.get(path, headers=sam).status_code == 403
    assert client.get("/api/v1/training/matrix?team=Operations", headers=marc).status_code == 403
    assert (
        client.get(
            "/api/v1/training/exports/overdue.xlsx?team=Operations", headers=marc
        ).status_code
        == 403
    )
    assert client.get("/api/v1/training/matrix?team=Nowhere", headers=marc).status_code == 404
    own = client.get("/api/v1/training/matrix", headers=marc).get_json()
    assert sorted(row["person"] for row in own["rows"]) == ["marc", "sam"]
    compliance = client.get("/api/v1/training/compliance", headers=marc).get_json()
    assert [item["team"] for item in compliance["teams"]] == ["Digital"]


@freeze_time("2026-11-21 10:00:00")
def test_my_training_shows_required_and_done_courses_to_every_user(
    app, client, token_for, make_course, complete
) -> None:
    pmo = bearer(token_for("paule", "pmo"))
    sam = bearer(token_for("sam", "staff", teams=("Digital",)))
    make_course("agile", "Agile")
    make_course("risk", "Risk", validity_months=24)
    make_course("other", "Other")
    body = {"course": "agile", "role": "staff", "due_date": "2026-12-31"}
    client.post("/api/v1/training/requirements", json=body, headers=pmo)
    complete("sam", "risk", date(2025, 3, 1))
    mine = client.get("/api/v1/me/training", headers=sam).get_json()
    assert mine["on"] == "2026-11-21"
    assert [(c["course"], c["status"], c["required"]) for c in mine["courses"]] == [
        ("agile", "missing", True),
        ("risk", "compliant", False),
    ]
    assert [item["course"] for item in mine["history"]] == ["risk"]
    assert client.get("/api/v1/me/training").status_code == 401


def test_history_of_an_unknown_person_is_a_404(app, client, token_for) -> None:
    pmo = bearer(token_for("paule", "pmo"))
    assert client.get("/api/v1/training/completions?user=ghost", headers=pmo).status_code == 404


def test_matrix_api_pages_people_by_name(app, client, token_for, make_course) -> None:
    pmo = bearer(token_for("paule", "pmo"))
    make_course("risk", validity_months=12)
    for name in ["eve", "bob", "dan", "ann", "cy"]:
        token_for(name, "staff", teams=("Digital",))
    first = client.get("/api/v1/training/matrix?per_page=2", headers=pmo).get_json()
    assert [row["person"] for row in first["items"]] == ["ann", "bob"]
    assert first["rows"] == first["items"]  # the field of before pagination, kept
    assert (first["total"], first["page"], first["per_page"]) == (6, 1, 2)
    assert first["courses"] == ["risk"]
    third = client.get("/api/v1/training/matrix?per_page=2&page=3", headers=pmo).get_json()
    assert [row["person"] for row in third["items"]] == ["eve", "paule"]
    past = client.get("/api/v1/training/matrix?per_page=2&page=9", headers=pmo).get_json()
    assert (past["items"], past["total"]) == ([], 6)
    default = client.get("/api/v1/training/matrix", headers=pmo).get_json()
    assert (len(default["items"]), default["per_page"]) == (6, 50)
    team = client.get("/api/v1/training/matrix?team=Digital&per_page=1", headers=pmo).get_json()
    assert (team["total"], [row["person"] for row in team["items"]]) == (5, ["ann"])
    for query in ["per_page=0", "per_page=501", "page=0", "page=x"]:
        response = client.get(f"/api/v1/training/matrix?{query}", headers=pmo)
        assert response.status_code == 422, query
