"""Bearer-token authentication and role checks for API endpoints."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_babel import gettext as _

from app.auth.models import ApiToken, Role, User
from app.auth.services import resolve_token
from app.errors import ApiError

F = TypeVar("F", bound=Callable[..., Any])


def _token_from_header() -> ApiToken:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(401, _("A bearer token is required."), code="token_missing")
    token = resolve_token(value.strip())
    if token is None:
        raise ApiError(401, _("The token is unknown, expired or revoked."), code="token_invalid")
    return token


def token_required(*roles: Role) -> Callable[[F], F]:
    """Authenticate the request by its bearer token; with ``roles``, also require one of them.

    Put it right under ``@blp.route`` so that a request without a valid token is refused
    before its body is even parsed.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = _token_from_header()
            g.api_token = token
            g.api_user = token.user  # known before the role check: errors use their language
            if roles and not token.user.has_role(*roles):
                raise ApiError(403, _("Your roles do not allow this."))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def api_user() -> User:
    """The user the current API request is authenticated as."""
    return g.api_user
