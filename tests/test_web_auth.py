"""Signing in and out of the pages, throttling, CSRF and role-based page access."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.auth.models import LoginAttempt, User
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import DEFAULT_PASSWORD, csrf_token, login


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_with_good_password_shows_the_home_page(client, make_user):
    make_user("ann", roles=["manager"], teams=["Digital"], display_name="Ann Lee")
    response = login(client, "ann")
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Hello, Ann Lee" in home
    assert "Digital" in home


def test_login_with_wrong_password_is_refused_with_a_message(client, make_user):
    make_user("ann")
    response = login(client, "ann", "wrong-password")
    assert response.status_code == 401
    assert "Unknown username or wrong password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sixth_attempt_after_five_failures_is_throttled_even_with_the_right_password(
    app, client, make_user
):
    make_user("ann")
    for _ in range(5):
        assert login(client, "ann", "wrong-password").status_code == 401
    response = login(client, "ann", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 6  # the refused one too


def test_failures_older_than_the_window_do_not_count(app, client, make_user):
    make_user("ann")
    with app.app_context():
        old = utcnow() - timedelta(minutes=16)
        db.session.add_all([LoginAttempt(username="ann", attempted_at=old) for _ in range(5)])
        db.session.commit()
    assert login(client, "ann").status_code == 302


def test_inactive_account_cannot_sign_in(app, client, make_user):
    make_user("bob")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "bob"))
        user.active = False
        db.session.commit()
    assert login(client, "bob").status_code == 401


def test_logout_ends_the_session(client, make_user):
    make_user("ann")
    login(client, "ann")
    token = csrf_token(client, "/")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_form_post_without_csrf_token_is_rejected(client, make_user):
    make_user("ann")
    client.get("/login")
    response = client.post("/login", data={"username": "ann", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_login_never_redirects_to_another_site(client, make_user):
    make_user("ann")
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/steal",
        data={"username": "ann", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_staff_gets_403_on_admin_pages(client, make_user):
    make_user("sam", roles=["staff"])
    login(client, "sam")
    for path in ("/admin/users", "/admin/users/new", "/admin/teams", "/admin/users/1"):
        assert client.get(path).status_code == 403, path


def test_navigation_shows_admin_pages_only_to_admin_and_pmo(client, make_user):
    make_user("sam", roles=["staff"])
    make_user("paule", roles=["pmo"])
    login(client, "sam")
    assert "/admin/users" not in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "paule")
    assert "/admin/users" in client.get("/").get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    make_user("ann")
    response = login(client, "ann")
    cookie = next(
        header for header in response.headers.getlist("Set-Cookie") if header.startswith("session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_request_that_never_used_the_database_ends_no_transaction(client):
    """The liveness probe (the benchmarks' hello-world) pays for no empty commit."""
    ended = []

    def record(session, transaction):
        ended.append(transaction)

    event.listen(Session, "after_transaction_end", record)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(Session, "after_transaction_end", record)
    assert response.json == {"status": "ok"}
    assert ended == []


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script" not in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_is_a_400_not_a_crash(client):
    token = csrf_token(client)
    response = client.post(
        "/login", data={"username": "a\x00b", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400


def test_form_fields_name_their_errors_only_when_there_are_some(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'aria-describedby="None"' not in page
    assert "aria-describedby" not in page
    refused = client.post(
        "/login",
        data={"csrf_token": csrf_token(client, "/login"), "username": "", "password": ""},
    ).get_data(as_text=True)
    assert 'aria-describedby="username-errors"' in refused
    assert 'id="username-errors"' in refused
