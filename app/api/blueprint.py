"""The blueprint class every API domain uses: flask-smorest's, with a stricter JSON parser."""

from __future__ import annotations

from typing import Any

import flask
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser, abort, is_json_request


def contains_nul(value: Any) -> bool:
    """True when a NUL character hides anywhere in a decoded JSON value.

    PostgreSQL cannot store NUL in text, so such input must be refused up front rather
    than fail at the database with a 500.
    """
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


class JsonBodyParser(FlaskParser):
    """Refuse a missing body or a body that is not JSON where the operation expects JSON.

    webargs would read both as an empty object, so ``PATCH /me`` with nothing, or with a
    form-encoded body, would silently succeed while the OpenAPI document says a JSON
    body is required.
    """

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not req.get_data(cache=True):
            abort(400, messages={"json": [_l("A JSON body is required.")]})
        if not is_json_request(req):
            abort(415, messages={"json": [_l("Send the body as application/json.")]})
        data = super()._raw_load_json(req)
        if contains_nul(data):
            abort(422, messages={"json": [_l("Text may not contain NUL characters.")]})
        return data


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = JsonBodyParser()

    def arguments(self, schema: Any, **kwargs: Any) -> Any:
        """flask-smorest's, with the schema instantiated once: given a class, webargs builds
        an instance on every request (a tenth of a millisecond on the vote's path)."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, **kwargs)
