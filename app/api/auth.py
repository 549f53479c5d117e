"""Bearer-token authentication and role checks for API endpoints."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_babel import gettext as _

from app.auth.models import ApiToken, Principal, Role, User
from app.auth.services import LiveToken, load_user, resolve_token
from app.errors import ApiError
from app.extensions import db
from app.refusals import Forbidden

F = TypeVar("F", bound=Callable[..., Any])


def _token_from_header() -> LiveToken:
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
            g.api_token_id = token.id
            g.api_principal = token.owner  # known before the role check: errors use their language
            if roles and not token.owner.has_role(*roles):
                raise Forbidden(_("Your roles do not allow this."))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def api_principal() -> Principal:
    """Who the current API request is authenticated as, with nothing more to load."""
    return g.api_principal


def api_user() -> User:
    """The user the current API request is authenticated as, loaded on first use."""
    user = g.get("api_user")
    if user is None:
        user = g.api_user = load_user(g.api_principal.id)
    return user


def api_token() -> ApiToken:
    """The token the current API request is made with."""
    return db.session.get_one(ApiToken, g.api_token_id)
