"""Revocable sessions, per-address throttling and separation of duties on roles."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.notifications.models import Notification
from app.projects.models import AuditEvent
from tests.conftest import DEFAULT_PASSWORD, bearer, csrf_token, login


def _cookies(client) -> dict[str, str]:
    """The client's cookies, as a thief would copy them."""
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def _replay(app: Flask, cookies: dict[str, str]):
    """A fresh browser carrying copied cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def _signed_in(response) -> bool:
    return response.status_code == 200


def _remember_me(client, username: str) -> None:
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": DEFAULT_PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302


def _change_password(client, current: str):
    new = "a-brand-new-secret"
    token = csrf_token(client, "/account")
    return client.post(
        "/account", data={"csrf_token": token, "current": current, "new": new, "confirm": new}
    )


def test_a_copied_session_cookie_is_refused_after_sign_out(app, client, make_user):
    make_user("ann")
    login(client, "ann")
    copied = _cookies(client)
    assert _signed_in(_replay(app, copied).get("/"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert _replay(app, copied).get("/").status_code == 302


def test_the_remember_me_cookie_differs_at_each_login_and_dies_with_sign_out(
    app, client, make_user
):
    make_user("ann")
    _remember_me(client, "ann")
    first = _cookies(client)["remember_token"]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    alone = app.test_client()
    alone.set_cookie("remember_token", first)
    assert alone.get("/").status_code == 302  # the signed-out session's cookie is refused
    _remember_me(client, "ann")
    assert _cookies(client)["remember_token"] != first


def test_remember_me_alone_signs_in_until_the_password_changes(app, client, make_user):
    make_user("ann")
    _remember_me(client, "ann")
    remembered = app.test_client()
    remembered.set_cookie("remember_token", _cookies(client)["remember_token"])
    assert _signed_in(remembered.get("/"))
    other = _replay(app, _cookies(client))
    response = _change_password(client, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client.get("/"))  # the browser that changed it stays in
    for browser in (other, remembered):
        assert browser.get("/").status_code == 302


def test_a_wrong_current_password_changes_nothing_and_says_why(app, client, make_user):
    make_user("ann")
    login(client, "ann")
    response = _change_password(client, "not-my-password")
    assert response.status_code == 400
    assert "The current password is wrong." in response.get_data(as_text=True)
    assert _signed_in(client.get("/"))


def test_sign_out_everywhere_closes_every_browser(app, client, make_user):
    make_user("ann")
    login(client, "ann")
    laptop = app.test_client()
    login(laptop, "ann")
    response = client.post(
        "/account/sign-out-everywhere", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert laptop.get("/").status_code == 302


def test_an_administrator_signs_someone_out_everywhere(app, client, make_user):
    make_user("root", roles=["admin"])
    ann = make_user("ann")
    laptop = app.test_client()
    login(laptop, "ann")
    login(client, "root")
    url = f"/admin/users/{ann.id}"
    response = client.post(f"{url}/sign-out", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 302


@pytest.mark.parametrize("change", ["roles", "deactivate"])
def test_a_role_change_or_deactivation_signs_the_person_out(app, client, token_for, change):
    admin = token_for("root", "admin")
    token_for("ann", "staff")
    laptop = app.test_client()
    login(laptop, "ann")
    with app.app_context():
        ann_id = db.session.scalar(select(User.id).where(User.username == "ann"))
    body = {"roles": ["staff", "manager"]} if change == "roles" else {"active": False}
    assert (
        client.patch(f"/api/v1/users/{ann_id}", json=body, headers=bearer(admin)).status_code == 200
    )
    assert laptop.get("/").status_code == 302


def test_pages_and_api_answers_are_never_stored_by_caches(client, make_user, token_for):
    make_user("ann")
    login(client, "ann")
    assert client.get("/").headers["Cache-Control"] == "no-store"
    token = token_for("bob", "staff")
    assert client.get("/api/v1/me", headers=bearer(token)).headers["Cache-Control"] == "no-store"


def _login_from(client, username: str, password: str, address: str):
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_guesses_from_elsewhere_do_not_lock_the_person_out(app, make_user):
    make_user("ann")
    attacker = app.test_client()
    for _ in range(8):
        _login_from(attacker, "ann", "guess", "203.0.113.9")
    assert _login_from(attacker, "ann", DEFAULT_PASSWORD, "203.0.113.9").status_code == 429
    assert (
        _login_from(app.test_client(), "ann", DEFAULT_PASSWORD, "198.51.100.7").status_code == 302
    )


def test_the_wait_doubles_with_each_further_attempt(app, client, make_user):
    make_user("ann")
    for _ in range(5):
        assert _login_from(client, "ann", "guess", "203.0.113.9").status_code == 401
    sixth = _login_from(client, "ann", "guess", "203.0.113.9")
    assert sixth.status_code == 429
    assert "1 minute" in sixth.get_data(as_text=True)
    seventh = _login_from(client, "ann", "guess", "203.0.113.9")
    assert "2 minutes" in seventh.get_data(as_text=True)


def test_the_api_says_how_long_to_wait(client, make_user):
    make_user("ann")
    body = {"username": "ann", "password": "guess"}
    for _ in range(5):
        assert client.post("/api/v1/auth/token", json=body).status_code == 401
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.json["error"]["details"]["retry_after"] > 0


@pytest.mark.slow
def test_concurrent_guesses_never_get_past_the_limit(app, make_user):
    """Of 12 guesses at once, at most 5 are checked: the others are throttled."""
    make_user("ann")

    def guess(_index: int) -> int:
        with app.test_client() as browser:
            return browser.post(
                "/api/v1/auth/token", json={"username": "ann", "password": "x"}
            ).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(guess, range(12)))
    assert statuses.count(401) <= 5
    assert set(statuses) <= {401, 429}


def test_nobody_changes_their_own_roles(app, client, token_for):
    token_for("root", "admin")
    pmo = token_for("paule", "pmo")
    with app.app_context():
        paule = db.session.scalar(select(User.id).where(User.username == "paule"))
    response = client.patch(
        f"/api/v1/users/{paule}", json={"roles": ["pmo", "gatekeeper"]}, headers=bearer(pmo)
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "own_roles"
    with app.app_context():
        assert {role.value for role in db.session.get_one(User, paule).roles} == {"pmo"}


def test_the_pmo_cannot_make_gatekeepers_nor_pmo_officers(app, client, token_for, make_user):
    pmo = token_for("paule", "pmo")
    sam = make_user("sam", roles=["staff"])
    for roles in (["staff", "gatekeeper"], ["staff", "pmo"]):
        response = client.patch(
            f"/api/v1/users/{sam.id}", json={"roles": roles}, headers=bearer(pmo)
        )
        assert response.status_code == 403
        assert response.json["error"]["code"] == "governing_role"
    created = client.post(
        "/api/v1/users",
        json={"username": "voter", "password": DEFAULT_PASSWORD, "roles": ["gatekeeper"]},
        headers=bearer(pmo),
    )
    assert created.status_code == 403


def test_a_role_change_is_audited_and_told_to_every_administrator(
    app, client, token_for, make_user
):
    admin = token_for("root", "admin")
    make_user("root2", roles=["admin"])
    sam = make_user("sam", roles=["staff"])
    response = client.patch(
        f"/api/v1/users/{sam.id}", json={"roles": ["staff", "gatekeeper"]}, headers=bearer(admin)
    )
    assert response.status_code == 200
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "roles_changed")
        ).one()
        assert (event.actor, event.data) == (
            "root",
            {"user": "sam", "added": ["gatekeeper"], "removed": []},
        )
        told = db.session.scalars(
            select(User.username)
            .join(Notification, Notification.recipient_id == User.id)
            .where(Notification.kind == "roles_changed")
        ).all()
        assert sorted(told) == ["root", "root2"]
        assert Role.GATEKEEPER in db.session.get_one(User, sam.id).roles


def test_behind_a_trusted_proxy_the_client_address_counts(make_user, make_app):
    make_user("ann")
    app = make_app(JALON_TRUSTED_PROXIES=1)  # a second app on the same database
    browser = app.test_client()
    for _ in range(6):
        token = csrf_token(browser)
        response = browser.post(
            "/login",
            data={"username": "ann", "password": "guess", "csrf_token": token},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
    assert response.status_code == 429
    elsewhere = app.test_client()
    token = csrf_token(elsewhere)
    response = elsewhere.post(
        "/login",
        data={"username": "ann", "password": DEFAULT_PASSWORD, "csrf_token": token},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert response.status_code == 302
