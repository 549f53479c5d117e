"""Request plumbing shared by every blueprint: one commit per request, security headers."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, request
from werkzeug.routing import IntegerConverter

from app.extensions import db

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER


def is_api_path(path: str) -> bool:
    """Under ``/api/``: answered in JSON, known by bearer token, with no cookie session."""
    return path.startswith("/api/")


class IdConverter(IntegerConverter):
    """``<id:name>``: a database id; outside 1..2^31-1 is a 404, never a driver error."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


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
