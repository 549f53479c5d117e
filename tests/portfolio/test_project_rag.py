"""The project page says the project's RAG status and which rule made it red or amber."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.portfolio.rag import Rag
from app.projects.models import Project
from app.timeutil import clock_at
from tests.conftest import login
from tests.portfolio.test_status_report import add_project
from workflows import Decision, Status

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DECIDED = (Decision.GO, NOW - timedelta(days=30))


def _project(app, **figures) -> int:
    with app.app_context():
        manager = db.session.scalar(select(User).where(User.username == "manager"))
        project = add_project("Atlas", manager, **figures)
        db.session.commit()
        return project.id


def _rag(app, project_id: int):
    with app.test_request_context(), clock_at(NOW):
        project = db.session.get(Project, project_id)
        return app.jinja_env.globals["project_rag"](project)


@pytest.mark.parametrize(
    ("forecast", "expected", "rule"),
    [
        ("110000", Rag.GREEN, None),  # exactly 10 %: not beyond
        ("110500", Rag.AMBER, "budget-amber"),
        ("120000", Rag.AMBER, "budget-amber"),  # exactly 20 %: not beyond
        ("120100", Rag.RED, "budget-red"),
    ],
)
def test_budget_variance_at_its_thresholds(app, api, forecast, expected, rule):
    api.people.ensure("manager")
    project_id = _project(app, budget=("100000", "50000", forecast), decided=DECIDED)
    result = _rag(app, project_id)
    assert result.status is expected
    assert [reason.rule for reason in result.reasons] == ([rule] if rule else [])


@pytest.mark.parametrize(("days", "expected"), [(10, Rag.GREEN), (11, Rag.AMBER)])
def test_a_review_waiting_more_than_ten_days_is_amber(app, api, days, expected):
    api.people.ensure("manager")
    project_id = _project(app, waiting_since=NOW - timedelta(days=days))
    assert _rag(app, project_id).status is expected


@pytest.mark.parametrize(
    ("due", "expected"), [(date(2026, 11, 19), Rag.AMBER), (date(2026, 11, 20), Rag.GREEN)]
)
def test_one_overdue_action_item_is_amber(app, api, due, expected):
    api.people.ensure("manager")
    project_id = _project(app, open_items=(due,))
    assert _rag(app, project_id).status is expected


def _page(app, project_id: int, **headers) -> str:
    client = app.test_client()
    login(client, "manager")
    with clock_at(NOW):
        page = client.get(f"/projects/{project_id}", headers=headers)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_project_page_says_which_rules_made_it_red_and_amber(app, api):
    api.people.ensure("manager")
    project_id = _project(
        app,
        budget=("100000", "50000", "125000"),
        decided=DECIDED,
        open_items=(date(2026, 11, 1), date(2026, 11, 2)),
    )
    html = _page(app, project_id)
    assert 'RAG status: <span class="rag rag-red">Red</span>' in html
    assert (
        '<span class="rag rag-red">Red</span> Forecast is 25% over the planned budget '
        "(red beyond 20%). <small>(rule budget-red)</small>"
    ) in html
    assert (
        '<span class="rag rag-amber">Amber</span> 2 action item(s) past their due date. '
        "<small>(rule overdue-actions)</small>"
    ) in html


def test_the_explanation_is_in_french_for_a_french_reader(app, api):
    api.people.ensure("manager")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "manager")).locale = "fr"
        db.session.commit()
    project_id = _project(app, waiting_since=NOW - timedelta(days=12))
    html = _page(app, project_id)
    assert '<html lang="fr">' in html
    assert "La revue de jalon attend une décision depuis 12 jours (orange au-delà de 10)." in html
    assert "rag rag-amber" in html


def test_a_green_project_says_no_rule_fired(app, api):
    api.people.ensure("manager")
    project_id = _project(app)
    html = _page(app, project_id)
    assert '<span class="rag rag-green">Green</span>' in html
    assert "no RAG rule fired" in html


def test_the_project_page_names_its_programme_and_portfolio_and_ended_projects_have_no_rag(
    app, client, api
):
    assert api("post", "/portfolios", "pmo", json={"name": "Growth"}).status_code == 201
    body = {"name": "ERP", "portfolio": "Growth"}
    assert api("post", "/programmes", "pmo", json=body).status_code == 201
    body = {"name": "Ledger", "workflow": "tiny", "programme": "ERP"}
    project_id = api("post", "/projects", "manager", json=body).json["id"]
    login(client, "manager")
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert '?programme=ERP">ERP</a>' in page
    assert "Portfolio: Growth" in page
    assert "RAG status" in page
    with app.app_context():
        project = db.session.get(Project, project_id)
        project.status = Status.KILLED
        db.session.commit()
    ended = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "rag-heading" not in ended
    assert "this one has ended" in ended
