"""Request plumbing shared by every blueprint: one commit per request, security headers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort, request
from werkzeug.routing import IntegerConverter

from app.extensions import db
from app.transactions import session_in_transaction

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER

F = TypeVar("F", bound=Callable[..., Any])


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

    Views and services only flush; this is the one place that commits the session (earlier,
    as soon as the view returned, for views marked `commit_before_serialising`; the blocks of
    `transactions.own_transaction`, which do not use the session, commit their own), so a
    request that fails with a 4xx or an exception leaves the database exactly as it was. A
    session with no transaction has nothing to end: the request never used it (a liveness
    probe, a static file: committing the empty session cost `/healthz` a fifth of its time,
    bench/votes; a vote that ran in its own transaction) or its view committed already and
    nothing touched the session since.
    """
    if not session_in_transaction():
        return response
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def commit_before_serialising(view: F) -> F:
    """Commit as soon as the view returns, before its result becomes a response.

    For a contended write whose view returns plain data (no ORM object to reload after the
    commit): the transaction's locks (SQLite's write lock and its writers' queue, PostgreSQL's
    row locks) are released before the schema dump, the JSON encoding and the response
    headers, a third of a vote's time under its lock. A view that raises still commits
    nothing: the error response rolls the session back as everywhere else. Put it right
    above the view, under ``@blp.response``.
    """

    @wraps(view)
    def committing(*args: Any, **kwargs: Any) -> Any:
        result = view(*args, **kwargs)
        if session_in_transaction():  # the view's work may have committed on its own already
            db.session.commit()  # ends the transaction: the after-request hook has nothing left
        return result

    return committing  # type: ignore[return-value]


def add_security_headers(response: Response) -> Response:
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
