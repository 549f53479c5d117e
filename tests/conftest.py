"""Fixtures: a fresh application and database per test, on SQLite and on PostgreSQL.

SQLite tests copy a template database file built once per session (cheap); PostgreSQL
tests share one schema built once per session and empty every table after each test.
The PostgreSQL run is enabled by ``JALON_TEST_POSTGRES_URL`` and required under CI.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from app import create_app
from app.auth.models import User
from app.auth.services import create_user, issue_token
from app.extensions import db

POSTGRES_URL = os.environ.get("JALON_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
DEFAULT_PASSWORD = "correct-horse-battery"


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and not POSTGRES_URL:
        raise pytest.UsageError(
            "CI=true needs JALON_TEST_POSTGRES_URL: PostgreSQL tests may not skip"
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say how many PostgreSQL and browser tests ran, so CI logs prove they were not skipped."""
    passed = terminalreporter.stats.get("passed", [])
    postgres = sum(1 for report in passed if "[postgresql" in report.nodeid)
    browser = sum(1 for report in passed if "browser" in report.keywords)
    terminalreporter.write_line(
        f"PostgreSQL tests passed: {postgres}; browser tests passed: {browser}"
    )


def _base_config(tmp_path: Path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "JALON_DATA_DIR": str(tmp_path / "data"),
        "SERVER_NAME": None,
        # Thousands of accounts are made by the suite: scrypt's cost is proved once, in
        # test_config, and a cheap method keeps every other test fast.
        "JALON_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty schema built once; each test gets a copy of the file."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    app = create_app(_base_config(folder, f"sqlite:///{path}"))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The PostgreSQL test database with a fresh schema, built once per session."""
    assert POSTGRES_URL
    models_app = create_app(_base_config(tmp_path_factory.mktemp("pg"), POSTGRES_URL))
    with models_app.app_context():  # the app imported every domain's models: now build
        db.engine.dispose()
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    db.metadata.create_all(engine)
    engine.dispose()
    return POSTGRES_URL


def _truncate_all(app: Flask) -> None:
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "jalon.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_schema")


@pytest.fixture
def make_app(tmp_path: Path, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build applications on this test's database (several may share it, like workers)."""
    apps: list[Flask] = []

    def factory(**overrides: object) -> Flask:
        app = create_app({**_base_config(tmp_path, database_url), **overrides})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            if db.engine.dialect.name == "postgresql" and app is apps[0]:
                _truncate_all(app)
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create and commit an account: ``make_user("ann", roles=["manager"], teams=["Digital"])``."""

    def factory(
        username: str,
        roles: list[str] | tuple[str, ...] = (),
        teams: list[str] | tuple[str, ...] = (),
        password: str = DEFAULT_PASSWORD,
        **fields: object,
    ) -> User:
        with app.app_context():
            user = create_user(username, password, roles=roles, teams=teams, **fields)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return factory


@pytest.fixture
def token_for(app: Flask, make_user: Callable[..., User]) -> Callable[..., str]:
    """A valid bearer token for a new user with ``roles``: ``token_for("ann", "manager")``."""

    def factory(username: str, *roles: str, teams: tuple[str, ...] = ()) -> str:
        make_user(username, roles=roles, teams=teams)
        with app.app_context():
            user = db.session.scalar(db.select(User).where(User.username == username))
            clear, _token = issue_token(user, name="test")
            db.session.commit()
            return clear

    return factory


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's form as a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_PATTERN.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = DEFAULT_PASSWORD):
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
