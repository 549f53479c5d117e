"""The token cache: a worker keeps live tokens, and a change to accounts anywhere stops them.

"Workers" here are apps built on one database, as gunicorn's are; one test revokes from a
second process, as `jalon tokens revoke` on the server would.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.auth import token_cache
from app.auth.models import ApiToken, Principal, User
from app.auth.services import LiveToken, revoke_token
from app.auth.token_cache import (
    GENERATION_KEY,
    GENERATION_SUFFIX,
    GenerationFile,
    Lookup,
    TokenCache,
)
from app.extensions import db
from app.timeutil import clock_at, utcnow
from tests.conftest import bearer
from tests.sql import count_queries

ROOT = Path(__file__).resolve().parent.parent
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _token_lookups(app, client, token: str, path: str = "/api/v1/me") -> tuple[int, int]:
    """The response's status, and how many token queries the request ran."""
    with count_queries(app) as statements:
        status = client.get(path, headers=bearer(token)).status_code
    return status, sum("FROM api_tokens" in statement for statement in statements)


def _database_file(app) -> Path:
    with app.app_context():
        return Path(db.engine.url.database)


def test_a_worker_looks_a_live_token_up_once_on_sqlite_and_every_time_on_postgresql(
    app, client, token_for
):
    token = token_for("ann", "manager")
    assert _token_lookups(app, client, token) == (200, 1)
    with app.app_context():
        on_sqlite = db.engine.dialect.name == "sqlite"
    assert _token_lookups(app, client, token) == (200, 0 if on_sqlite else 1)


@sqlite_only
def test_a_token_revoked_in_another_worker_is_refused_at_the_next_request(
    app, client, make_app, token_for
):
    token = token_for("ann", "manager")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    generation = _database_file(app).with_name("jalon.db" + GENERATION_SUFFIX)
    before = generation.read_bytes() if generation.exists() else b""

    other = make_app().test_client()
    assert other.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204

    assert generation.read_bytes() != before
    refused = client.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "token_invalid"


@sqlite_only
def test_deactivating_a_person_or_taking_a_role_away_reaches_every_worker(
    app, client, make_app, make_user, token_for
):
    admin = token_for("root", "admin")
    ann, bob = token_for("ann", "pmo"), token_for("bob", "pmo")
    for token in (ann, bob):
        assert client.get("/api/v1/users", headers=bearer(token)).status_code == 200
    with app.app_context():
        ids = dict(db.session.execute(select(User.username, User.id)).all())

    other = make_app().test_client()
    assert (
        other.patch(
            f"/api/v1/users/{ids['ann']}", headers=bearer(admin), json={"active": False}
        ).status_code
        == 200
    )
    assert (
        other.patch(
            f"/api/v1/users/{ids['bob']}", headers=bearer(admin), json={"roles": ["staff"]}
        ).status_code
        == 200
    )

    assert client.get("/api/v1/users", headers=bearer(ann)).status_code == 401
    assert client.get("/api/v1/users", headers=bearer(bob)).status_code == 403


@sqlite_only
def test_a_bulk_update_through_the_session_reaches_every_worker(app, client, make_app, token_for):
    token = token_for("ann", "manager")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with make_app().app_context():
        db.session.execute(update(User).where(User.username == "ann").values(active=False))
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


@sqlite_only
def test_the_file_changes_after_the_commit_and_not_for_a_rollback(app, client, make_app, token_for):
    token = token_for("ann", "manager")
    generation: GenerationFile = app.extensions[GENERATION_KEY]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    before = generation.read()

    with make_app().app_context():
        revoke_token(db.session.scalars(select(ApiToken)).one())  # flushed, not committed
        assert generation.read() == before
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
        db.session.rollback()
    assert generation.read() == before
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    with make_app().app_context():
        revoke_token(db.session.scalars(select(ApiToken)).one())
        db.session.commit()
    assert generation.read() != before
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


@sqlite_only
def test_a_lookup_made_while_the_revoke_commits_is_not_kept_past_it(
    app, client, make_app, token_for
):
    token = token_for("ann", "manager")
    seen_during_commit: list[int] = []

    def look_up_during_commit(session: Session) -> None:
        if session is revoking:  # the worker reads the revoke flushed, not yet committed
            seen_during_commit.append(client.get("/api/v1/me", headers=bearer(token)).status_code)

    with make_app().app_context():
        revoking = db.session()
        revoke_token(db.session.scalars(select(ApiToken)).one())
        event.listen(Session, "before_commit", look_up_during_commit)
        try:
            db.session.commit()
        finally:
            event.remove(Session, "before_commit", look_up_during_commit)
    assert seen_during_commit == [200]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


@sqlite_only
def test_jalon_tokens_revoke_in_another_process_stops_a_running_worker(
    app, client, token_for, tmp_path
):
    token = token_for("ann", "manager")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{_database_file(app)}",
        "JALON_DATA_DIR": str(tmp_path / "cli-data"),
    }
    revoked = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "tokens", "revoke", "ann"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert revoked.returncode == 0, revoked.stderr
    assert "Revoked 1 token(s) of ann." in revoked.stdout
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


@sqlite_only
def test_a_worker_without_a_cache_still_tells_the_others(app, client, make_app, token_for):
    token = token_for("ann", "manager")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    uncached = make_app(JALON_TOKEN_CACHE_SECONDS=0)
    uncached_client = uncached.test_client()
    assert _token_lookups(uncached, uncached_client, token) == (200, 1)
    assert _token_lookups(uncached, uncached_client, token) == (200, 1)

    assert uncached_client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


@sqlite_only
def test_a_change_past_the_session_is_seen_once_the_entry_is_too_old(app, client, token_for):
    token = token_for("ann", "manager")
    with freeze_time(utcnow()) as clock:
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
        with sqlite3.connect(_database_file(app)) as by_hand:
            by_hand.execute("UPDATE users SET active = 0 WHERE username = 'ann'")
        clock.tick(app.config["JALON_TOKEN_CACHE_SECONDS"] - 1)
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
        clock.tick(2)
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


@sqlite_only
def test_a_kept_token_is_refused_once_it_expires(make_app, token_for):
    app = make_app(JALON_TOKEN_CACHE_SECONDS=10**9)
    client = app.test_client()
    token = token_for("ann", "manager")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        expires_at = db.session.scalars(select(ApiToken.expires_at)).one()
    with clock_at(expires_at - timedelta(seconds=1)):
        assert _token_lookups(app, client, token) == (200, 0)
    with clock_at(expires_at + timedelta(seconds=1)):
        assert _token_lookups(app, client, token) == (401, 1)


def _live(token_id: int, fresh: bool = True) -> Lookup:
    owner = Principal(token_id, f"user{token_id}", None, frozenset())
    return Lookup(LiveToken(token_id, owner), (utcnow() + timedelta(days=1)).timestamp(), fresh)


def test_only_live_tokens_from_a_fresh_transaction_are_kept(tmp_path):
    cache = TokenCache(GenerationFile(str(tmp_path / "jalon.db.auth-generation")), 30)
    asked: list[str] = []

    def look_up(digest: str) -> Lookup | None:
        asked.append(digest)
        return {"live": _live(1), "stale-snapshot": _live(2, fresh=False)}.get(digest)

    for digest in ("live", "unknown", "stale-snapshot") * 2:
        cache.resolve(digest, look_up)
    assert asked == ["live", "unknown", "stale-snapshot", "unknown", "stale-snapshot"]


def test_the_oldest_entry_goes_when_the_cache_is_full(tmp_path, monkeypatch):
    monkeypatch.setattr(token_cache, "MAX_ENTRIES", 3)
    cache = TokenCache(GenerationFile(str(tmp_path / "jalon.db.auth-generation")), 30)
    asked: list[str] = []

    def look_up(digest: str) -> Lookup:
        asked.append(digest)
        return _live(int(digest))

    for digest in ("1", "2", "3", "4", "2", "3", "4", "1"):
        assert cache.resolve(digest, look_up).id == int(digest)
    assert asked == ["1", "2", "3", "4", "1"]
