"""API tokens: issued for good credentials, refused when missing, bad, expired or revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import ApiToken, User
from app.auth.services import issue_token
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import DEFAULT_PASSWORD, bearer, login


def _token(client, username: str, password: str = DEFAULT_PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_token_from_good_credentials_opens_me(client, make_user):
    make_user("alice", roles=["manager"], teams=["Digital"])
    response = _token(client, "alice")
    assert response.status_code == 201
    token = response.json["token"]
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json["username"] == "alice"
    assert me.json["roles"] == ["manager"]
    assert [team["name"] for team in me.json["teams"]] == ["Digital"]


def test_only_the_token_hash_is_stored(app, client, make_user):
    make_user("alice")
    token = _token(client, "alice").json["token"]
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.token_hash != token
        assert token not in stored.token_hash


def test_wrong_password_gets_401_in_the_error_format(client, make_user):
    make_user("alice")
    response = _token(client, "alice", "nope-nope-nope")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "bad_credentials"
    assert response.json["error"]["message"]


def test_token_endpoint_is_throttled_after_five_failures(client, make_user):
    make_user("alice")
    for _ in range(5):
        assert _token(client, "alice", "nope-nope-nope").status_code == 401
    response = _token(client, "alice")
    assert response.status_code == 429
    assert response.json["error"]["code"] == "too_many_requests"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic YWxpY2U6cGFzcw==", "Bearer not-a-real-token"],
    ids=["missing", "empty", "blank", "basic", "unknown"],
)
def test_missing_or_bad_token_gets_401(client, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert set(response.json["error"]) == {"code", "message", "details"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_logged_in_browser_session_plays_no_part_in_the_api(client, make_user):
    """The API knows its caller by bearer token alone: a browser's session cookie neither
    stands in for the token nor is read, re-set or varied on by an API response."""
    make_user("alice", roles=["pmo"])
    assert login(client, "alice").status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    token = _token(client, "alice").json["token"]
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.vary
    assert client.get("/").status_code == 200  # the web session itself is untouched


def test_expired_token_gets_401(app, client, make_user):
    make_user("alice")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "alice"))
        clear, token = issue_token(user)
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(clear))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "token_invalid"


def test_revoked_token_gets_401(client, make_user):
    make_user("alice")
    token = _token(client, "alice").json["token"]
    assert client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401


def test_user_can_list_and_revoke_own_tokens_but_not_others(client, make_user):
    make_user("alice")
    make_user("bob")
    alice_first = _token(client, "alice").json["token"]
    alice_second = _token(client, "alice").json["token"]
    bob = _token(client, "bob").json["token"]
    listed = client.get("/api/v1/auth/tokens", headers=bearer(alice_first)).json
    assert listed["total"] == 2
    assert "token" not in listed["items"][0]
    bob_token_id = client.get("/api/v1/auth/tokens", headers=bearer(bob)).json["items"][0]["id"]
    denied = client.delete(f"/api/v1/auth/tokens/{bob_token_id}", headers=bearer(alice_first))
    assert denied.status_code == 404
    assert client.get("/api/v1/me", headers=bearer(bob)).status_code == 200
    second_id = listed["items"][0]["id"]
    assert (
        client.delete(f"/api/v1/auth/tokens/{second_id}", headers=bearer(alice_first)).status_code
        == 204
    )
    assert client.get("/api/v1/me", headers=bearer(alice_second)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(app, client, make_user):
    make_user("alice")
    token = _token(client, "alice").json["token"]
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "alice")).active = False
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_me_can_change_the_preferred_language(client, token_for):
    token = token_for("alice", "staff")
    response = client.patch("/api/v1/me", json={"locale": "fr"}, headers=bearer(token))
    assert response.status_code == 200
    assert response.json["locale"] == "fr"
    invalid = client.patch("/api/v1/me", json={"locale": "de"}, headers=bearer(token))
    assert invalid.status_code == 422
    assert "locale" in invalid.json["error"]["details"]["json"]
    assert invalid.json["error"]["message"] == "Les données ne sont pas valides."
