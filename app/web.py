"""Request plumbing shared by every blueprint: one commit per request, security headers."""

from __future__ import annotations

from flask import Flask, Response

from app.extensions import db

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


def commit_or_rollback(response: Response) -> Response:
    """Commit the request's work when it succeeded, roll it back otherwise.

    Views and services only flush; this is the one place that commits, so a request
    that fails with a 4xx or an exception leaves the database exactly as it was.
    """
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


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
    app.after_request(commit_or_rollback)
    app.after_request(add_security_headers)
    app.teardown_request(rollback_on_teardown)
