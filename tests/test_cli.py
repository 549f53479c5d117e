"""The ``jalon`` command line: accounts, tokens, demo data, database upgrade."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from app.auth.models import User
from app.cli import main
from app.extensions import db
from tests.conftest import bearer


def test_users_create_then_token_opens_the_api(app, runner, client):
    result = runner.invoke(
        args=["users", "create", "alice", "--role", "manager", "--password", "s3cret-pass"]
    )
    assert result.exit_code == 0, result.output
    assert "Created alice (manager)" in result.output
    response = client.post(
        "/api/v1/auth/token", json={"username": "alice", "password": "s3cret-pass"}
    )
    assert response.status_code == 201
    me = client.get("/api/v1/me", headers=bearer(response.json["token"]))
    assert me.json["roles"] == ["manager"]


def test_users_create_reads_the_password_from_stdin_and_joins_teams(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "bob",
            "--role",
            "gatekeeper",
            "--role",
            "staff",
            "--team",
            "Digital",
            "--password-stdin",
        ],
        input="from-stdin-pass\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.username == "bob"))
        assert {role.value for role in bob.roles} == {"gatekeeper", "staff"}
        assert [team.name for team in bob.teams] == ["Digital"]


def test_users_create_refuses_duplicates_and_short_passwords(runner):
    assert (
        runner.invoke(args=["users", "create", "ann", "--password", "long-enough"]).exit_code == 0
    )
    duplicate = runner.invoke(args=["users", "create", "ann", "--password", "long-enough"])
    assert duplicate.exit_code != 0
    assert "taken" in duplicate.output
    short = runner.invoke(args=["users", "create", "bea", "--password", "short"])
    assert short.exit_code != 0
    assert "at least 8" in short.output


def test_tokens_create_prints_a_working_token_and_revoke_kills_it(runner, client, make_user):
    make_user("ann")
    result = runner.invoke(args=["tokens", "create", "ann"])
    assert result.exit_code == 0
    token = result.stdout.strip().splitlines()[0]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    revoked = runner.invoke(args=["tokens", "revoke", "ann"])
    assert "Revoked 1 token" in revoked.output
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_demo_seed_if_empty_leaves_a_used_database_alone(app, runner, make_user):
    make_user("someone")
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "not seeded" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_jalon_db_upgrade_creates_a_fresh_database(tmp_path, monkeypatch):
    database = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("JALON_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    created = CliRunner().invoke(main, ["users", "create", "zed", "--password", "long-enough"])
    assert created.exit_code == 0, created.output
