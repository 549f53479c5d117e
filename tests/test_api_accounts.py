"""People and teams through the API: who may do what, and nothing half-done."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import Team, User
from app.extensions import db
from tests.conftest import bearer
from tests.sql import count_queries


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_admin_creates_a_user_with_roles_and_teams(client, token_for):
    admin = token_for("root", "admin")
    response = client.post(
        "/api/v1/users",
        json={
            "username": "Alice",
            "password": "s3cret-pass",
            "display_name": "Alice Martin",
            "email": "alice@example.org",
            "roles": ["manager", "gatekeeper"],
            "teams": ["Digital"],
        },
        headers=bearer(admin),
    )
    assert response.status_code == 201
    body = response.json
    assert body["username"] == "alice"
    assert body["roles"] == ["gatekeeper", "manager"]
    assert [team["name"] for team in body["teams"]] == ["Digital"]
    assert "password" not in body
    token = client.post(
        "/api/v1/auth/token", json={"username": "alice", "password": "s3cret-pass"}
    ).json["token"]
    assert client.get("/api/v1/me", headers=bearer(token)).json["display_name"] == "Alice Martin"


@pytest.mark.parametrize("role", ["manager", "gatekeeper", "staff"])
def test_non_admin_roles_cannot_list_or_create_users(client, token_for, role):
    token = token_for("someone", role)
    assert client.get("/api/v1/users", headers=bearer(token)).status_code == 403
    response = client.post(
        "/api/v1/users",
        json={"username": "eve", "password": "s3cret-pass", "roles": ["admin"]},
        headers=bearer(token),
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_pmo_cannot_grant_the_admin_role(app, client, token_for):
    pmo = token_for("paule", "pmo")
    response = client.post(
        "/api/v1/users",
        json={"username": "eve", "password": "s3cret-pass", "roles": ["admin"]},
        headers=bearer(pmo),
    )
    assert response.status_code == 403
    assert _count(app, User) == 1


def test_pmo_cannot_change_an_admins_account(app, client, token_for, make_user):
    pmo = token_for("paule", "pmo")
    root = make_user("root", roles=["admin"])
    response = client.patch(
        f"/api/v1/users/{root.id}", json={"password": "taken-over-1"}, headers=bearer(pmo)
    )
    assert response.status_code == 403
    response = client.patch(f"/api/v1/users/{root.id}", json={"active": False}, headers=bearer(pmo))
    assert response.status_code == 403


def test_pmo_manages_ordinary_accounts(client, token_for, make_user):
    pmo = token_for("paule", "pmo")
    sam = make_user("sam", roles=["staff"])
    response = client.patch(
        f"/api/v1/users/{sam.id}",
        json={"roles": ["staff", "manager"], "teams": ["Operations"]},
        headers=bearer(pmo),
    )
    assert response.status_code == 200
    assert response.json["roles"] == ["manager", "staff"]
    assert response.json["teams"][0]["name"] == "Operations"


def test_a_taken_username_is_409_and_creates_no_team(app, client, token_for):
    admin = token_for("root", "admin")
    teams_before = _count(app, Team)
    response = client.post(
        "/api/v1/users",
        json={"username": "root", "password": "s3cret-pass", "teams": ["Brand new team"]},
        headers=bearer(admin),
    )
    assert response.status_code == 409
    assert _count(app, Team) == teams_before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "ok", "password": "short"}, "password"),
        ({"username": "bad name!", "password": "s3cret-pass"}, "username"),
        ({"username": "ok", "password": "s3cret-pass", "roles": ["king"]}, "roles"),
        ({"username": "ok", "password": "s3cret-pass", "email": "not-an-email"}, "email"),
    ],
)
def test_invalid_user_data_is_a_422_naming_the_field(app, client, token_for, payload, field):
    admin = token_for("root", "admin")
    response = client.post("/api/v1/users", json=payload, headers=bearer(admin))
    assert response.status_code == 422
    assert field in response.json["error"]["details"]["json"]
    assert _count(app, User) == 1


def test_user_list_is_paginated_and_filtered(client, token_for, make_user):
    admin = token_for("root", "admin")
    for index in range(5):
        make_user(f"user{index}", roles=["staff"] if index % 2 else ["manager"], teams=["Ops"])
    page = client.get("/api/v1/users?per_page=2&page=2", headers=bearer(admin)).json
    assert (page["total"], page["page"], page["per_page"]) == (6, 2, 2)
    assert [user["username"] for user in page["items"]] == ["user1", "user2"]
    staff = client.get("/api/v1/users?role=staff", headers=bearer(admin)).json
    assert {user["username"] for user in staff["items"]} == {"user1", "user3"}
    ops = client.get("/api/v1/users?team=Ops&q=USER4", headers=bearer(admin)).json
    assert [user["username"] for user in ops["items"]] == ["user4"]


def test_the_user_list_loads_roles_and_teams_in_a_fixed_number_of_queries(
    app, client, token_for, make_user
):
    admin = token_for("root", "admin")

    def queries() -> int:
        with count_queries(app) as statements:
            page = client.get("/api/v1/users?per_page=100", headers=bearer(admin)).json
        assert all(user["roles"] for user in page["items"])
        return len(statements)

    make_user("user0", roles=["manager"], teams=["Ops"])
    few = queries()
    for index in range(1, 12):
        make_user(f"user{index}", roles=["staff", "manager"], teams=["Ops", f"Team {index}"])
    assert queries() == few


def test_teams_are_listed_for_everyone_and_created_by_the_pmo(client, token_for):
    staff = token_for("sam", "staff", teams=("Digital",))
    pmo = token_for("paule", "pmo")
    assert (
        client.post("/api/v1/teams", json={"name": "X"}, headers=bearer(staff)).status_code == 403
    )
    created = client.post(
        "/api/v1/teams", json={"name": "Finance", "description": "Money"}, headers=bearer(pmo)
    )
    assert created.status_code == 201
    duplicate = client.post("/api/v1/teams", json={"name": "Finance"}, headers=bearer(pmo))
    assert duplicate.status_code == 409
    listed = client.get("/api/v1/teams", headers=bearer(staff)).json
    assert [team["name"] for team in listed["items"]] == ["Digital", "Finance"]
    assert listed["items"][0]["members"] == ["sam"]
    assert client.get("/api/v1/teams/999", headers=bearer(staff)).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"roles": ["staff"] * 6}, "roles"),
        ({"teams": [f"Team {n}" for n in range(51)]}, "teams"),
    ],
)
def test_lists_in_an_account_have_a_maximum_length(app, client, token_for, payload, field):
    admin = token_for("root", "admin")
    body = {"username": "maya", "password": "s3cret-pass", **payload}
    response = client.post("/api/v1/users", json=body, headers=bearer(admin))
    assert response.status_code == 422
    assert field in response.json["error"]["details"]["json"]
    assert _count(app, User) == 1
