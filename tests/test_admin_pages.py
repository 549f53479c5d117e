"""The administration pages: forms that validate, re-render with messages and save."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Team, User
from app.extensions import db
from tests.conftest import csrf_token, login


def _admin_client(client, make_user, role="admin"):
    make_user("boss", roles=[role])
    login(client, "boss")
    return client


def test_admin_creates_an_account_through_the_form(app, client, make_user):
    _admin_client(client, make_user)
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf_token(client, "/admin/users/new"),
            "username": "maya",
            "display_name": "Maya Chen",
            "email": "maya@example.org",
            "password": "s3cret-pass",
            "roles": ["manager"],
            "active": "y",
        },
    )
    assert response.status_code == 302
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "Maya Chen" in listing
    with app.app_context():
        maya = db.session.scalar(select(User).where(User.username == "maya"))
        assert {role.value for role in maya.roles} == {"manager"}


def test_invalid_form_re_renders_with_messages_and_saves_nothing(app, client, make_user):
    _admin_client(client, make_user)
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf_token(client, "/admin/users/new"),
            "username": "bad name",
            "display_name": "",
            "email": "nope",
            "password": "short",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Letters, digits, dots, dashes only." in html
    assert "This is not an email address." in html
    assert 'value="bad name"' in html
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "bad name")) is None


def test_pmo_cannot_grant_admin_through_the_form(app, client, make_user):
    _admin_client(client, make_user, role="pmo")
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf_token(client, "/admin/users/new"),
            "username": "eve",
            "display_name": "Eve",
            "password": "s3cret-pass",
            "roles": ["admin"],
        },
    )
    assert response.status_code == 400
    assert "Only an administrator" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "eve")) is None


def test_editing_an_account_changes_roles_and_teams(app, client, make_user):
    _admin_client(client, make_user)
    sam = make_user("sam", roles=["staff"])
    with app.app_context():
        db.session.add(Team(name="Digital"))
        db.session.commit()
    path = f"/admin/users/{sam.id}"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "username": "sam",
            "display_name": "Sam Petit",
            "roles": ["staff", "gatekeeper"],
            "teams": ["Digital"],
            "active": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, sam.id)
        assert {role.value for role in user.roles} == {"staff", "gatekeeper"}
        assert [team.name for team in user.teams] == ["Digital"]
        assert user.display_name == "Sam Petit"


def test_team_page_creates_teams_and_refuses_duplicates(client, make_user):
    _admin_client(client, make_user, role="pmo")
    first = client.post(
        "/admin/teams", data={"csrf_token": csrf_token(client, "/admin/teams"), "name": "Finance"}
    )
    assert first.status_code == 302
    second = client.post(
        "/admin/teams", data={"csrf_token": csrf_token(client, "/admin/teams"), "name": "Finance"}
    )
    assert second.status_code == 400
    assert "already exists" in second.get_data(as_text=True)


def test_unknown_account_is_404(client, make_user):
    _admin_client(client, make_user)
    assert client.get("/admin/users/4242").status_code == 404
