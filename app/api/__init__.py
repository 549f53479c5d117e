"""The JSON API under ``/api/v1``: flask-smorest generates its OpenAPI document.

Each domain owns a smorest blueprint (``app/<domain>/api.py``); this module creates the
``Api`` once, with Jalon's error schema and bearer authentication, and registers them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from flask.sessions import NullSession, SecureCookieSession, SecureCookieSessionInterface
from flask_smorest import Api

from app.api.schemas import ErrorSchema
from app.extensions import csrf
from app.web import MAX_ID, IdConverter, is_api_path

API_PREFIX = "/api/v1"
BEARER = "bearerAuth"


class JalonApi(Api):
    """flask-smorest's Api documenting Jalon's error shape for every error response."""

    ERROR_SCHEMA = ErrorSchema


api = JalonApi()


class _NoCookieSession(NullSession):
    """An API request's session: empty, and a write to it is a bug, said as such."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("an API request has no cookie session: its bearer token says who it is")

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail  # type: ignore[assignment]
    del _fail


class WebOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session for the web pages; none for the API.

    The API authenticates by bearer token alone, so a browser's session cookie must play no
    part in an API request: it neither reads nor sets the cookie (nor `Vary: Cookie`).
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if is_api_path(request.path):
            return _NoCookieSession()
        return super().open_session(app, request)


def _id_parameter_schema(_converter: Any) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def init_api(app: Flask) -> None:
    from app.domains import API_BLUEPRINTS, load

    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": "Jalon: stage-gate governance, methodology library and "
                "training tracking for a PMO."
            },
            "security": [{BEARER: []}],
            "servers": [{"url": "/"}],
        },
    )
    app.session_interface = WebOnlySessionInterface()
    api.init_app(app)
    api.register_converter(IdConverter, _id_parameter_schema)
    api.spec.components.security_scheme(
        BEARER, {"type": "http", "scheme": "bearer", "description": "POST /api/v1/auth/token"}
    )
    for blueprint in map(load, API_BLUEPRINTS):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + (blueprint.url_prefix or ""))
