"""Training pages: who may open what, statuses as text, constant query counts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.extensions import db
from app.training.models import Completion
from tests.conftest import bearer, csrf_token, login
from tests.sql import count_queries
from tests.training.conftest import populate


@pytest.fixture
def courses(make_course) -> None:
    make_course("project-method", "Project method")
    make_course("gate-reviewer", "Gate reviewer", validity_months=12)


def test_every_user_sees_their_own_training_page(app, client, make_user, courses, complete):
    make_user("sam", roles=["staff"], teams=["Digital"])
    complete("sam", "gate-reviewer", date(2020, 1, 1))
    login(client, "sam")
    page = client.get("/training/").get_data(as_text=True)
    assert "Gate reviewer" in page
    assert "Expired" in page  # the status as text, not only a colour
    assert 'class="status status-expired"' in page
    assert client.get("/training/courses").status_code == 200
    assert client.get("/training/courses/project-method").status_code == 200
    assert client.get("/training/courses/nope").status_code == 404


def test_staff_are_refused_team_pages_and_pmo_forms(app, client, make_user, courses):
    make_user("sam", roles=["staff"], teams=["Digital"])
    login(client, "sam")
    for path in [
        "/training/matrix",
        "/training/lists",
        "/training/exports/matrix.xlsx",
        "/training/completions/new",
        "/training/import",
    ]:
        assert client.get(path).status_code == 403, path


def test_manager_sees_own_team_only(app, client, make_user, courses):
    make_user("marc", roles=["manager"], teams=["Digital"])
    make_user("sam", roles=["staff"], teams=["Digital"])
    make_user("olga", roles=["staff"], teams=["Operations"])
    login(client, "marc")
    page = client.get("/training/matrix").get_data(as_text=True)
    assert "sam" in page.lower()
    assert "olga" not in page.lower()
    assert client.get("/training/matrix?team=Operations").status_code == 403
    assert client.get("/training/completions/new").status_code == 403


@freeze_time("2026-11-21 09:00:00")
def test_lists_name_each_persons_manager(app, client, make_user, courses, token_for):
    pmo = token_for("paule", "pmo")
    make_user("marc", roles=["manager"], teams=["Digital"], display_name="Marc Durand")
    make_user("sam", roles=["staff"], teams=["Digital"], display_name="Sam Petit")
    body = {"course": "project-method", "team": "Digital", "due_date": "2026-11-01"}
    client.post("/api/v1/training/requirements", json=body, headers=bearer(pmo))
    login(client, "paule", password="correct-horse-battery")
    page = client.get("/training/lists").get_data(as_text=True)
    overdue = page.split("Expiring within 30 days")[0]
    assert "Sam Petit" in overdue
    row = overdue[overdue.index("Sam Petit") :].split("</tr>")[0]
    assert "Marc Durand" in row
    assert "Overdue" in row


@freeze_time("2026-11-21 09:00:00")
def test_pmo_records_a_completion_with_evidence_and_the_person_downloads_it(
    app, client, make_user, courses
):
    make_user("paule", roles=["pmo"])
    make_user("sam", roles=["staff"], teams=["Digital"])
    make_user("olga", roles=["staff"], teams=["Operations"])
    login(client, "paule")
    token = csrf_token(client, "/training/completions/new")
    response = client.post(
        "/training/completions/new",
        data={
            "csrf_token": token,
            "username": "sam",
            "course": "gate-reviewer",
            "completed_on": "2026-11-20",
            "score": "92",
            # A right-to-left override would show the name as "certificatetxt.exe".
            "evidence": (io.BytesIO(b"Certificate of completion\n"), "certificate\u202eexe.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    refused = client.post(
        "/training/completions/new",
        data={
            "csrf_token": token,
            "username": "sam",
            "course": "gate-reviewer",
            "completed_on": "2026-11-20",
            "evidence": (io.BytesIO(b"MZ\x90\x00binary"), "virus.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "not accepted" in refused.get_data(as_text=True)
    with app.app_context():
        completion = db.session.scalar(select(Completion))
        assert db.session.scalar(select(func.count(Completion.id))) == 1
        completion_id, name = completion.id, completion.evidence_name
    assert name == "certificateexe.txt"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "sam")
    with client.get(f"/training/completions/{completion_id}/evidence") as download:
        assert download.status_code == 200
        assert download.data == b"Certificate of completion\n"
        disposition = download.headers["Content-Disposition"]
        assert disposition == "attachment; filename=certificateexe.txt"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "olga")
    assert client.get(f"/training/completions/{completion_id}/evidence").status_code == 403


@freeze_time("2026-11-21 09:00:00")
def test_import_page_shows_imported_and_rejected_rows(app, client, make_user, courses):
    make_user("paule", roles=["pmo"])
    make_user("sam", roles=["staff"])
    login(client, "paule")
    content = b"username;course;completed_on\nsam;project-method;02/03/2026\nsam;nope;2026-01-01\n"
    response = client.post(
        "/training/import",
        data={
            "csrf_token": csrf_token(client, "/training/import"),
            "file": (io.BytesIO(content), "completions.csv"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 imported, 0 already recorded, 1 rejected." in page
    assert "unknown course: nope" in page


@pytest.mark.slow
def test_matrix_page_api_compliance_and_export_run_the_same_queries_for_10_and_200_people(
    app, client, make_user, courses, token_for, make_course
):
    make_course("risk-management", validity_months=24)
    pmo = token_for("paule", "pmo", teams=("PMO",))
    make_user("pmo2", roles=["pmo"])
    body = {"course": "project-method", "role": "staff", "due_days": 30}
    client.post("/api/v1/training/requirements", json=body, headers=bearer(pmo))
    populate(app, 10, "Digital")
    login(client, "pmo2")
    paths = [
        "/training/matrix",
        "/training/matrix?page=2",
        "/api/v1/training/matrix",
        "/api/v1/training/matrix?page=3&per_page=20",
        "/api/v1/training/compliance",
        "/training/exports/matrix.xlsx",
    ]

    def measure() -> list[int]:
        counts = []
        for path in paths:
            with count_queries(app) as statements:
                response = client.get(path, headers=bearer(pmo) if "/api/" in path else {})
                assert response.status_code == 200, path
            counts.append(len(statements))
        return counts

    small = measure()
    populate(app, 190, "Operations", start=10)
    assert measure() == small
    # 202 people: pages of 100 rows; the percentages count everyone on every page.
    for number, rows in [(1, 100), (3, 2)]:
        page = client.get(f"/training/matrix?page={number}").get_data(as_text=True)
        assert f"Page {number} of 3" in page
        assert page.count('<th scope="row">') == rows + 1  # + the per-course footer
        assert "/190)" in page  # all of Operations
        assert "/10)" in page  # all of Digital
