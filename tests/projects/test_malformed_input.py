"""Malformed numbers, months and long names on the governance side are 4xx, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from tests.conftest import csrf_token, login
from tests.projects.conftest import TINY_PASS

#: Amounts WTForms' DecimalField reads as numbers although no NUMERIC(14, 2) column holds them.
BAD_AMOUNTS = ["NaN", "sNaN", "Infinity", "-Infinity", "1e400", "1000000000000", "-1"]


def _as(app, people, username):
    people.ensure(username)
    client = app.test_client()
    login(client, username)
    return client


def _new_project(manager, budget: str):
    token = csrf_token(manager, "/projects/new")
    form = {"csrf_token": token, "name": "Atlas", "workflow": "tiny", "programme": ""}
    return manager.post("/projects/new", data={**form, "budget": budget})


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_the_project_form_refuses_a_budget_that_is_not_an_amount(app, people, snapshot, amount):
    manager = _as(app, people, "manager")
    manager.get("/projects/new")  # the first showing stores the workflow versions
    before = snapshot()
    response = _new_project(manager, amount)
    assert response.status_code == 400
    assert "Number must be between 0 and 999999999999." in response.get_data(as_text=True)
    assert snapshot() == before


def test_a_budget_within_the_cap_is_still_accepted(app, people):
    assert _new_project(_as(app, people, "manager"), "999999999999").status_code == 302


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e400"])
def test_the_review_form_refuses_budgets_that_are_not_amounts(
    app, people, new_project, snapshot, amount
):
    project = new_project()
    manager = _as(app, people, "manager")
    form = f"/projects/{project}/review"
    before = snapshot()
    response = manager.post(
        form,
        data={
            "csrf_token": csrf_token(manager, form),
            "summary": "ready",
            "criterion__safe": "y",
            "criterion__value": "4",
            "deliverable__plan": "https://docs.example/plan",
            "budget_planned": amount,
        },
    )
    assert response.status_code == 400
    assert "Number must be between" in response.get_data(as_text=True)
    assert snapshot() == before


@pytest.mark.parametrize("path", ["/projects", "/portfolio/", "/portfolio/report"])
def test_a_huge_page_number_on_a_page_shows_the_last_possible_page(app, people, path):
    pmo = _as(app, people, "pmo")
    assert pmo.get(f"{path}?page=10000000000000000000").status_code == 200
    assert pmo.get(f"{path}?page=-5").status_code == 200


@pytest.mark.parametrize("path", ["", "/gate-reviews", "/action-items", "/audit"])
def test_a_huge_page_number_in_the_api_is_a_422(api, new_project, path):
    project = new_project()
    listing = f"/projects/{project}{path}" if path else "/projects"
    response = api("get", f"{listing}?page=10000000000000000000", "pmo")
    assert response.status_code == 422
    assert response.json["error"]["details"]["query"]["page"]


def test_a_report_month_past_the_calendar_is_a_400(api):
    for kind in ("xlsx", "pdf"):
        response = api("get", f"/reports/status.{kind}?month=9999-12", "pmo")
        assert response.status_code == 400, kind
        assert response.json["error"]["code"] == "bad_month"
        assert response.json["error"]["details"] == {"month": ["9999-11"]}


@pytest.mark.parametrize("month", ["9999-12", "0999-01", "2026-13", "10000-01"])
def test_the_report_page_answers_400_for_a_month_it_cannot_cover(app, people, month):
    for path in ("/portfolio/report", "/portfolio/report.xlsx", "/portfolio/report.pdf"):
        page = _as(app, people, "pmo").get(f"{path}?month={month}")
        assert page.status_code == 400, (path, month)


def test_the_last_month_a_report_can_cover_still_renders(api):
    assert api("get", "/reports/status.xlsx?month=9999-11", "pmo").status_code == 200


def test_a_project_name_of_the_longest_length_gives_short_enough_notification_subjects(
    app, api, people, new_project
):
    """The subject joins the project's and the gate's names: past the column on PostgreSQL."""
    people.ensure("gk1", "gk2")
    project = new_project(name="N" * 200)
    response = api("post", f"/projects/{project}/gate-reviews", "manager", json=TINY_PASS)
    assert response.status_code == 201
    with app.app_context():
        subjects = db.session.scalars(select(Notification.subject)).all()
    assert subjects
    assert all(len(subject) <= 200 and subject.endswith("…") for subject in subjects)


def test_a_deliverable_link_longer_than_its_column_is_a_422(api, new_project, snapshot):
    project = new_project()
    long_link = {"key": "plan", "url": "https://docs.example/" + "p" * 1000}
    before = snapshot()
    response = api(
        "post",
        f"/projects/{project}/gate-reviews",
        "manager",
        json={**TINY_PASS, "deliverables": [long_link]},
    )
    assert response.status_code == 422
    assert response.json["error"]["details"]["json"]["deliverables"]
    assert snapshot() == before
