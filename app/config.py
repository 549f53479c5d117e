"""Configuration read from the environment, in one place.

Jalon runs with no configuration at all (SQLite and a Whoosh index in the instance
folder, a secret key generated on first start); every setting can be overridden by an
environment variable so that the same code serves a laptop demo and a production
deployment behind PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULT_MAX_UPLOAD_MB = 25


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs.

    Hosting platforms hand out ``postgres://`` or ``postgresql://`` URLs; SQLAlchemy would
    pick psycopg2 for those, which Jalon does not install.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_secret_key(instance_path: Path) -> str:
    """Return ``SECRET_KEY`` from the environment, else one kept in the instance folder.

    The generated key is written once with owner-only permissions so that sessions and
    tokens survive restarts without a secret ever being committed.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def build_config(instance_path: Path) -> dict[str, Any]:
    """Collect the settings of a Jalon server from the environment."""
    data_dir = Path(os.environ.get("JALON_DATA_DIR") or instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'jalon.db'}"
    secure_cookies = _env_flag("JALON_SECURE_COOKIES")
    return {
        "SECRET_KEY": load_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # A database server may drop an idle connection, so each checkout pings it first; a
        # SQLite file cannot, and the ping was a statement more on every request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "JALON_DATA_DIR": str(data_dir),
        "MAX_CONTENT_LENGTH": int(os.environ.get("JALON_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB))
        * 1024
        * 1024,
        # Each upload or import is parsed in a child process with these limits (app.uploads).
        "JALON_PARSE_SECONDS": float(os.environ.get("JALON_PARSE_SECONDS", "8")),
        "JALON_PARSE_MEMORY_MB": int(os.environ.get("JALON_PARSE_MEMORY_MB", "256")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "WTF_CSRF_TIME_LIMIT": None,
        "JALON_TOKEN_TTL_DAYS": int(os.environ.get("JALON_TOKEN_TTL_DAYS", "30")),
        # Browser sessions (app.auth.sessions): without and with "keep me signed in".
        # Reverse proxies in front of Jalon whose X-Forwarded-For/-Proto headers are trusted.
        "JALON_TRUSTED_PROXIES": int(os.environ.get("JALON_TRUSTED_PROXIES", "0")),
        "JALON_SESSION_HOURS": int(os.environ.get("JALON_SESSION_HOURS", "12")),
        "JALON_REMEMBER_DAYS": int(os.environ.get("JALON_REMEMBER_DAYS", "14")),
        # werkzeug's method string; the test suite lowers the cost, never a server.
        "JALON_PASSWORD_HASH_METHOD": "scrypt",
        "JALON_LOGIN_MAX_FAILURES": 5,
        "JALON_LOGIN_WINDOW_MINUTES": 15,
        # Mail is off unless MAIL_SERVER is set: notifications are then kept in the outbox.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _env_flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _env_flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "jalon@localhost"),
        # Reminders are sent once per recipient, item and period: "week" (ISO week) or "month".
        "JALON_REMINDER_PERIOD": os.environ.get("JALON_REMINDER_PERIOD", "week"),
        # Public address of the server, for links in messages written outside a request.
        "JALON_BASE_URL": os.environ.get("JALON_BASE_URL", ""),
        # Webhooks: plain http receivers allowed (tests, a lab), and hosts that may be private
        # or loopback addresses (comma-separated names or addresses).
        "JALON_WEBHOOKS_ALLOW_HTTP": _env_flag("JALON_WEBHOOKS_ALLOW_HTTP"),
        "JALON_WEBHOOKS_ALLOWED_HOSTS": os.environ.get("JALON_WEBHOOKS_ALLOWED_HOSTS", ""),
        # RAG rules of the portfolio (None: the shipped app/portfolio/rag_rules.yaml).
        "JALON_RAG_RULES": os.environ.get("JALON_RAG_RULES") or None,
        "BABEL_DEFAULT_LOCALE": "en",
        "JALON_LOCALES": ("en", "fr"),
        # The currency of every budget (ISO 4217), shown in the reader's format (app.formats).
        "JALON_CURRENCY": os.environ.get("JALON_CURRENCY", "EUR"),
        # flask-smorest: the OpenAPI document lives inside the versioned API.
        "API_TITLE": "Jalon",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
