"""One error shape for the API, HTML pages for people.

Every API error is ``{"error": {"code", "message", "details"}}`` with a 4xx status;
pages get a rendered template. The choice is made by the request path (``/api/``), so
a browser following an API link still gets JSON that scripts can rely on.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, flash, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from app.refusals import (
    Conflict,
    Forbidden,
    Invalid,
    Malformed,
    NotFound,
    Refused,
    TooLarge,
    Unavailable,
)
from app.validation_messages import translate_messages
from app.web import is_api_path

log = logging.getLogger(__name__)

# Stable machine codes for the HTTP statuses Jalon answers with.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}

STATUS_MESSAGES = {
    400: lazy_gettext("The request could not be understood."),
    401: lazy_gettext("Authentication is required."),
    403: lazy_gettext("You are not allowed to do this."),
    404: lazy_gettext("Not found."),
    405: lazy_gettext("This method is not allowed here."),
    409: lazy_gettext("This conflicts with the current state."),
    413: lazy_gettext("The request is too large."),
    415: lazy_gettext("This content type is not supported."),
    422: lazy_gettext("The data is not valid."),
    429: lazy_gettext("Too many attempts. Please wait and try again."),
    500: lazy_gettext("An unexpected error occurred."),
}

#: The HTTP status of each kind of domain refusal (`app.refusals`); the most specific wins.
REFUSAL_STATUSES: tuple[tuple[type[Refused], int], ...] = (
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (Invalid, 422),
    (Malformed, 400),
    (TooLarge, 413),
    (Unavailable, 503),
)


def status_of(refusal: Refused) -> int:
    """The HTTP status a refusal answers with (422 for a kind this table does not know)."""
    return next((status for kind, status in REFUSAL_STATUSES if isinstance(refusal, kind)), 422)


class ApiError(Exception):
    """An HTTP answer a view raises itself (401 without a token, 429 throttled).

    Services never raise it: they raise the domain refusals of `app.refusals`.
    """

    def __init__(
        self, status: int, message: str, *, code: str | None = None, details: Any = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or STATUS_CODES.get(status, "error")
        self.details = details


def wants_json() -> bool:
    """API paths always answer JSON; pages answer HTML."""
    return is_api_path(request.path)


def error_response(status: int, message: str, code: str | None = None, details: Any = None):
    body = {
        "error": {
            "code": code or STATUS_CODES.get(status, "error"),
            "message": str(message),
            "details": details,
        }
    }
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="jalon"'
    return response


def _http_exception_details(exc: HTTPException) -> Any:
    """Validation messages that webargs/flask-smorest attach to a 422 or 400, translated."""
    data = getattr(exc, "data", None)
    if isinstance(data, dict) and "messages" in data:
        # webargs nests messages by location ("json", "query"); keep that, it tells where.
        return translate_messages(data["messages"])
    return None


def handle_http_exception(exc: HTTPException) -> Response | tuple[str, int]:
    status = exc.code or 500
    if wants_json():
        message = STATUS_MESSAGES.get(status, exc.description)
        response = error_response(status, message, details=_http_exception_details(exc))
        if status == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response
    message = STATUS_MESSAGES.get(status, exc.description)
    return render_template("error.html", status=status, message=message), status


def handle_api_error(exc: ApiError):
    if wants_json():
        response = error_response(exc.status, exc.message, exc.code, exc.details)
        if exc.status == 429 and isinstance(exc.details, dict) and "retry_after" in exc.details:
            response.headers["Retry-After"] = str(exc.details["retry_after"])
        return response
    return render_template("error.html", status=exc.status, message=exc.message), exc.status


def handle_refusal(refusal: Refused):
    status = status_of(refusal)
    if wants_json():
        return error_response(status, refusal.message, refusal.code, refusal.details)
    return render_template("error.html", status=status, message=refusal.message), status


def refusal_messages(refusal: Refused | ApiError) -> list[str]:
    """What a page shows of a refusal: its sentence, then each detail's (a submission's reasons);
    a detail with a `url` (a missing course) is a link to it."""
    return [refusal.message] + [detail_text(detail) for detail in refusal_details(refusal)]


def refusal_details(refusal: Refused | ApiError) -> list[dict[str, Any]]:
    """The refusal's details that carry a sentence to show."""
    details = refusal.details if isinstance(refusal.details, list) else []
    return [d for d in details if isinstance(d, dict) and d.get("message")]


def detail_text(detail: dict[str, Any]) -> str:
    """A detail's sentence; a link to its `url` when it has one."""
    message = str(detail["message"])
    if isinstance(detail.get("url"), str):
        return Markup('<a href="{}">{}</a>').format(detail["url"], message)
    return message


def flash_refusal(refusal: Refused | ApiError) -> None:
    """Tell the person on the next page why nothing was done, with every reason given."""
    for message in refusal_messages(refusal):
        flash(message, "error")


def handle_unexpected(exc: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    if wants_json():
        return error_response(500, _("An unexpected error occurred."))
    message = STATUS_MESSAGES[500]
    return render_template("error.html", status=500, message=message), 500


def register_error_handlers(app: Flask) -> None:
    """Install the handlers; called after flask-smorest so ours replace its own."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(Refused, handle_refusal)
    app.register_error_handler(Exception, handle_unexpected)
