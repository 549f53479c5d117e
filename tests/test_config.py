"""Configuration from the environment, and the database settings Jalon relies on."""

from __future__ import annotations

import stat

from sqlalchemy import text

from app.auth.services import authenticate, create_user
from app.config import build_config, normalise_database_url
from app.extensions import db


def test_plain_postgres_urls_use_psycopg():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_defaults_put_database_and_data_in_the_instance_folder(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "JALON_DATA_DIR", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    config = build_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'jalon.db'}"
    assert config["JALON_DATA_DIR"] == str(tmp_path)


def test_secret_key_is_generated_once_private_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = build_config(tmp_path)["SECRET_KEY"]
    second = build_config(tmp_path)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_servers_hash_passwords_with_scrypt(tmp_path, make_app):
    """The suite lowers the hashing cost to stay fast; a server from the environment does not."""
    app = make_app(JALON_PASSWORD_HASH_METHOD=build_config(tmp_path)["JALON_PASSWORD_HASH_METHOD"])
    with app.app_context():
        user = create_user("ann", "correct-horse-battery")
        db.session.commit()
        assert user.password_hash.startswith("scrypt:")
        assert authenticate("ann", "correct-horse-battery") == user


def test_secure_cookies_can_be_switched_on(tmp_path, monkeypatch):
    monkeypatch.setenv("JALON_SECURE_COOKIES", "true")
    config = build_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
