"""Request plumbing shared by every blueprint: one commit per request, security headers."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, request
from werkzeug.routing import IntegerConverter

from app.extensions import db

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER
#: The highest page number a list answers, on pages and in the API (`PageArgsSchema`).
MAX_PAGE = 1_000_000


def is_api_path(path: str) -> bool:
    """Under ``/api/``: answered in JSON, known by bearer token, with no cookie session."""
    return path.startswith("/api/")


class IdConverter(IntegerConverter):
    """``<id:name>``: a database id; outside 1..2^31-1 is a 404, never a driver error."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def page_arg(maximum: int = MAX_PAGE) -> int:
    """``?page=`` of a page: 1 when absent or unreadable, else brought within 1..``maximum``.

    A page number turns into an SQL offset, which neither SQLite nor PostgreSQL takes past
    64 bits: ``?page=10000000000000000000`` must show the last page a list can have, not fail.
    """
    return min(max(request.args.get("page", 1, type=int), 1), maximum)


def number_arg(name: str, default: int) -> int:
    """A positive integer of the query that names a row (a version); outside 1..2^31-1, 404."""
    value = request.args.get(name, default, type=int)
    if not 1 <= value <= MAX_ID:
        abort(404)
    return value


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def refuse_nul_characters() -> None:
    """A NUL in the path, the query or a form is a 400: PostgreSQL cannot store it."""
    if "\x00" in request.path:
        abort(400)
    fields = list(request.args.items(multi=True))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields += list(request.form.items(multi=True))
    if any("\x00" in key or "\x00" in value for key, value in fields):
        abort(400)


def commit_or_rollback(response: Response) -> Response:
    """Commit the request's work when it succeeded, roll it back otherwise.

    Views and services only flush; this is the one place that commits, so a request that fails
    with a 4xx or an exception leaves the database exactly as it was. A request that never used
    its session (a liveness probe, a static file) has nothing to end.
    """
    if not (db.session.registry.has() and db.session().in_transaction()):
        return response
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def add_security_headers(response: Response) -> Response:
    """Security headers on every answer; no page or download is kept by a browser or proxy
    (only static files are: they hold nothing personal)."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def rollback_on_teardown(exc: BaseException | None) -> None:
    if exc is not None:
        db.session.rollback()


def register_request_hooks(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
    app.after_request(commit_or_rollback)
    app.after_request(add_security_headers)
    app.teardown_request(rollback_on_teardown)
