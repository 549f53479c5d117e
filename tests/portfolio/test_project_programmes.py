"""Projects belong to programmes (and through them to portfolios); stage periods are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.portfolio.metrics import project_figures, rag_statuses
from app.projects.models import Project, StagePeriod
from app.projects.programmes import Portfolio, Programme
from app.timeutil import clock_at, utcnow
from tests.projects.conftest import TINY_PASS


def _programmes(api) -> None:
    assert api("post", "/portfolios", "pmo", json={"name": "Growth"}).status_code == 201
    for name, portfolio in (("ERP", "Growth"), ("Stores", None)):
        body = {"name": name, "portfolio": portfolio}
        assert api("post", "/programmes", "pmo", json=body).status_code == 201


def test_a_project_created_in_a_programme_shows_its_programme_and_portfolio(api):
    _programmes(api)
    created = api(
        "post",
        "/projects",
        "manager",
        json={"name": "Ledger", "workflow": "tiny", "programme": "ERP"},
    )
    assert created.status_code == 201, created.json
    assert (created.json["programme"], created.json["portfolio"]) == ("ERP", "Growth")
    alone = api("post", "/projects", "manager", json={"name": "Solo", "workflow": "tiny"}).json
    assert (alone["programme"], alone["portfolio"]) == (None, None)


def test_an_unknown_programme_is_refused_and_nothing_is_created(api, snapshot):
    before = snapshot()
    response = api(
        "post", "/projects", "manager", json={"name": "X", "workflow": "tiny", "programme": "Nope"}
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unknown_programme"
    assert snapshot() == before


def test_project_lists_filter_by_programme_and_portfolio(api):
    _programmes(api)
    for name, programme in (("A", "ERP"), ("B", "Stores"), ("C", None)):
        body = {"name": name, "workflow": "tiny", "programme": programme}
        assert api("post", "/projects", "manager", json=body).status_code == 201

    def names(query: str) -> list[str]:
        return [p["name"] for p in api("get", f"/projects?{query}", "pmo").json["items"]]

    assert names("programme=ERP") == ["A"]
    assert names("portfolio=Growth") == ["A"]
    assert names("programme=Stores") == ["B"]
    assert names("portfolio=Unknown") == []
    assert names("") == ["A", "B", "C"]


def test_the_new_project_page_offers_the_programmes(client, app, make_user):
    from tests.conftest import csrf_token, login

    make_user("pm", roles=["manager"])
    with app.app_context():
        programme = Programme(name="Stores", portfolio=Portfolio(name="Retail"))
        db.session.add(programme)
        db.session.commit()
        programme_id = programme.id
    login(client, "pm")
    page = client.get("/projects/new")
    assert "Retail / Stores" in page.get_data(as_text=True)
    response = client.post(
        "/projects/new",
        data={
            "csrf_token": csrf_token(client, "/projects/new"),
            "name": "Shelf",
            "workflow": "tiny",
            "programme": str(programme_id),
        },
    )
    assert response.status_code == 302
    refused = client.post(
        "/projects/new",
        data={
            "csrf_token": csrf_token(client, "/projects/new"),
            "name": "Ghost",
            "workflow": "tiny",
            "programme": "999",
        },
    )
    assert refused.status_code == 400
    with app.app_context():
        assert [(p.name, p.programme_id) for p in db.session.scalars(select(Project))] == [
            ("Shelf", programme_id)
        ]


def test_stage_periods_follow_the_decisions(api, app, new_project):
    project_id = new_project()
    review = api("post", f"/projects/{project_id}/gate-reviews", "manager", json=TINY_PASS).json
    for voter in ("gk1", "gk2"):
        vote = api("post", f"/gate-reviews/{review['id']}/votes", voter, json={"decision": "go"})
        assert vote.status_code == 201, vote.json
    with app.app_context():
        periods = db.session.execute(
            select(StagePeriod.stage, StagePeriod.left_at.is_not(None)).order_by(StagePeriod.id)
        ).all()
    assert periods == [("build", True), ("run", False)]
    close = api("post", f"/projects/{project_id}/gate-reviews", "manager", json={"criteria": {}})
    assert close.status_code == 201, close.json
    assert (
        api(
            "post", f"/gate-reviews/{close.json['id']}/votes", "gk1", json={"decision": "go"}
        ).status_code
        == 201
    )
    with app.app_context():
        still_open = db.session.scalars(select(StagePeriod).where(StagePeriod.left_at.is_(None)))
        assert list(still_open) == []


def test_figures_and_rag_come_from_the_latest_review_and_open_items(api, app, new_project):
    project_id = new_project()
    quiet_id = new_project("Quiet")
    submitted = datetime(2026, 3, 1, 9, tzinfo=UTC)
    body = {**TINY_PASS, "budget": {"planned": "100000", "actual": "30000", "forecast": "125000"}}
    with clock_at(submitted):
        assert (
            api("post", f"/projects/{project_id}/gate-reviews", "manager", json=body).status_code
            == 201
        )
    now = submitted + timedelta(days=12)
    with app.app_context():
        ids = select(Project.id)
        figures = project_figures(ids, now)
        mine = figures[project_id]
        assert mine.variance_pct == 25.0
        assert mine.review_waiting_days == pytest.approx(12.0)
        statuses = rag_statuses(figures, [project_id, quiet_id], "en")
    assert statuses[project_id].status == "red"
    assert [r.rule for r in statuses[project_id].reasons] == ["budget-red", "review-waiting"]
    assert "25%" in statuses[project_id].reasons[0].message
    assert statuses[quiet_id].status == "green"


def test_the_clock_can_be_set_for_a_block_only():
    moment = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    with clock_at(moment):
        assert utcnow() == moment
    assert utcnow() > moment
