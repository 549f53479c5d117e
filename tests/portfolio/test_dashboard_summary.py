"""`GET /api/v1/portfolio/summary`: the dashboard's figures against a hand-built portfolio."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.portfolio.dashboard.figures import quantile
from tests.portfolio.dashboard_builders import build_known_portfolio


@pytest.fixture
def known(app, api):
    """The portfolio of `dashboard_builders`, with one team half trained."""
    api.people.ensure("manager", "gk1", "pmo")
    with app.app_context():
        ids = build_known_portfolio("manager", "gk1")
        db.session.remove()
    return ids


def summary(api, who="pmo", query=""):
    response = api("get", f"/portfolio/summary{query}", who)
    assert response.status_code == 200, response.json
    return response.json


def test_quantiles_interpolate_between_the_closest_ranks():
    assert quantile([1, 2, 3, 4], 1, 2) == 2.5
    assert quantile([1, 2, 3, 4], 9, 10) == pytest.approx(3.7)
    assert quantile([7], 9, 10) == 7
    assert quantile([], 1, 2) == 0
    assert quantile([float(n) for n in range(1, 12)], 9, 10) == 10  # exactly, on a rank


def test_summary_counts_projects_by_stage_and_status(api, known):
    body = summary(api)
    assert body["projects"]["total"] == 5
    assert body["projects"]["by_status"] == {
        "active": 2,
        "on_hold": 1,
        "killed": 1,
        "completed": 1,
    }
    stages = {row["stage"]: row for row in body["projects"]["by_stage"]}
    assert [row["stage"] for row in body["projects"]["by_stage"]] == ["build", "run"]
    assert stages["build"]["count"] == 3
    assert stages["build"]["by_status"] == {
        "active": 1,
        "on_hold": 1,
        "killed": 1,
        "completed": 0,
    }
    assert stages["run"]["by_status"]["completed"] == 1
    assert stages["run"]["name"] == "Tiny · Run"


def test_summary_counts_decisions_per_gate(api, known):
    gates = {row["gate"]: row for row in summary(api)["decisions"]}
    assert gates["check"]["counts"] == {
        "go": 2,
        "conditional_go": 0,
        "hold": 1,
        "recycle": 1,
        "kill": 1,
    }
    assert gates["check"]["total"] == 5
    assert gates["close"]["counts"]["go"] == 1
    assert gates["close"]["total"] == 1


def test_days_per_stage_are_the_median_and_p90_of_closed_periods(api, known):
    stages = {row["stage"]: row for row in summary(api)["days_per_stage"]}
    assert stages["build"] == {
        "workflow": "tiny",
        "stage": "build",
        "name": "Tiny · Build",
        "periods": 5,
        "median_days": 6.0,
        "p90_days": 9.2,
    }
    assert (stages["run"]["periods"], stages["run"]["median_days"]) == (2, 2.0)
    assert stages["run"]["p90_days"] == 2.8


def test_reviews_awaiting_votes_oldest_first_with_votes_and_quorum(api, known):
    waiting = summary(api)["reviews_awaiting"]
    assert waiting["count"] == 2
    first, second = waiting["oldest"]
    assert (first["project"], first["gate"], first["votes_cast"], first["min_votes"]) == (
        "Beta",
        "check",
        1,
        2,
    )
    assert first["days_waiting"] == pytest.approx(12, abs=0.1)
    assert (second["project"], second["votes_cast"], second["min_votes"]) == ("Alpha", 0, 1)


def test_overdue_action_items_are_open_ones_past_due_most_late_first(api, known):
    overdue = summary(api)["overdue_action_items"]
    assert overdue["count"] == 2
    assert [(i["project"], i["days_late"]) for i in overdue["oldest"]] == [
        ("Gamma", 20),
        ("Beta", 5),
    ]
    assert overdue["oldest"][0]["owner"]


def test_budget_totals_variance_per_programme_and_top_projects(api, known):
    budget = summary(api)["budget"]
    assert budget["total"] == {
        "programme": None,
        "portfolio": None,
        "projects": 3,
        "planned": 350.0,
        "actual": 125.0,
        "forecast": 395.0,
        "variance": 45.0,
        "variance_pct": 12.9,
    }
    programmes = {line["programme"]: line for line in budget["programmes"]}
    assert set(programmes) == {"ERP", "Lab"}
    assert programmes["ERP"]["portfolio"] == "Growth"
    assert (programmes["ERP"]["variance"], programmes["ERP"]["variance_pct"]) == (40.0, 13.3)
    assert (programmes["Lab"]["variance"], programmes["Lab"]["variance_pct"]) == (5.0, 10.0)
    assert [(p["project"], p["variance_pct"]) for p in budget["top_variance"]] == [
        ("Alpha", 30.0),
        ("Delta", 10.0),
        ("Beta", 5.0),
    ]


def test_rag_counts_running_projects_and_explains_red_and_amber(api, known):
    rag = summary(api)["rag"]
    assert (rag["green"], rag["amber"], rag["red"]) == (0, 2, 1)
    assert [(p["project"], p["status"]) for p in rag["projects"]] == [
        ("Alpha", "red"),
        ("Beta", "amber"),
        ("Gamma", "amber"),
    ]
    assert "30%" in rag["projects"][0]["reason"]


def test_summary_reports_training_compliance_by_team(api, app, make_user, known):
    make_user("ann", roles=["staff"], teams=["Ops"])
    make_user("bob", roles=["staff"], teams=["Ops"])
    assert api("post", "/courses", "pmo", json={"key": "safety", "title": "Safety"}).status_code
    body = {"course": "safety", "team": "Ops", "due_days": 30}
    assert api("post", "/training/requirements", "pmo", json=body).status_code == 201
    done = {"user": "ann", "course": "safety", "completed_on": "2026-01-05"}
    assert api("post", "/training/completions", "pmo", json=done).status_code == 201
    teams = {row["team"]: row for row in summary(api)["training"]}
    assert teams["Ops"] == {"team": "Ops", "required": 2, "valid": 1, "percent": 50.0}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?programme=ERP", {"Alpha", "Beta"}),
        ("?portfolio=Growth", {"Alpha", "Beta", "Gamma"}),
        ("?status=active", {"Alpha", "Beta"}),
        ("?programme=Nope", set()),
    ],
)
def test_filters_narrow_every_figure(api, known, query, names):
    body = summary(api, query=query)
    assert body["projects"]["total"] == len(names)
    listed = {p["project"] for p in body["budget"]["top_variance"]} | {
        p["project"] for p in body["rag"]["projects"]
    }
    assert listed <= names
    waiting = {r["project"] for r in body["reviews_awaiting"]["oldest"]}
    assert waiting == {"Alpha", "Beta"} & names


def test_programme_filter_gives_the_programmes_figures(api, known):
    body = summary(api, query="?programme=ERP&limit=1")
    assert body["filters"] == {"programme": "ERP"}
    assert body["budget"]["total"]["variance"] == 40.0
    assert body["overdue_action_items"]["count"] == 1
    assert body["reviews_awaiting"]["count"] == 2
    assert len(body["reviews_awaiting"]["oldest"]) == 1


def test_gatekeepers_read_the_summary(api, known):
    assert summary(api, who="gk1")["projects"]["total"] == 5


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_managers_and_staff_may_not_read_the_summary(api, known, who):
    response = api("get", "/portfolio/summary", who)
    assert response.status_code == 403
    assert response.json["error"]["message"]


def test_summary_refuses_an_unknown_status_and_a_huge_limit(api, known):
    assert api("get", "/portfolio/summary?status=lost", "pmo").status_code == 422
    assert api("get", "/portfolio/summary?limit=1000", "pmo").status_code == 422


def test_summary_without_token_is_401(client):
    assert client.get("/api/v1/portfolio/summary").status_code == 401


def test_the_summary_schema_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/portfolio/summary"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "portfolio",
        "programme",
        "workflow",
        "stage",
        "status",
        "manager",
        "limit",
    }
    assert "page" not in {p["name"] for p in operation["parameters"]}
    assert "PortfolioSummary" in spec["components"]["schemas"]
