"""The blueprint class every API domain uses: flask-smorest's, with a stricter JSON parser."""

from __future__ import annotations

import re
from typing import Any, NoReturn

import flask
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser, abort, is_json_request

#: How deep a JSON body may nest; Jalon's own bodies stay under five levels.
MAX_JSON_DEPTH = 100
#: Characters no text column takes: NUL (PostgreSQL refuses it) and the halves of a
#: surrogate pair, which JSON's ``\\ud800`` escapes can give alone and no encoding stores.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _too_deep() -> NoReturn:
    message = _l("The JSON body is nested more than %(depth)s levels deep.", depth=MAX_JSON_DEPTH)
    abort(400, messages={"json": [message]})


def _refuse_text(path: list[str | int], character: str) -> NoReturn:
    """422 naming where the character is, nested as marshmallow nests a field's messages."""
    if character == "\x00":
        message = _l("Text may not contain NUL characters.")
    else:
        message = _l("Text may not contain a lone surrogate (\\ud800 to \\udfff).")
    messages: Any = [message]
    for key in reversed(path):
        messages = {key: messages}
    abort(422, messages={"json": messages})


def check_json_value(value: Any) -> None:
    """Refuse a decoded body nested too deep, or with text no database column can store.

    The walk keeps its own stack: a body is checked before any recursive code sees it.
    """
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_JSON_DEPTH:
            _too_deep()
        if isinstance(item, str):
            found = _UNSTORABLE.search(item)
            if found:
                _refuse_text(path, found.group())
        elif isinstance(item, dict):
            for key, child in item.items():
                found = _UNSTORABLE.search(key)
                if found:
                    _refuse_text(path, found.group())
                stack.append((child, [*path, key]))
        elif isinstance(item, list):
            stack.extend((child, [*path, index]) for index, child in enumerate(item))


class JsonBodyParser(FlaskParser):
    """Refuse a missing body or a body that is not JSON where the operation expects JSON.

    webargs would read both as an empty object, so ``PATCH /me`` with nothing, or with a
    form-encoded body, would silently succeed while the OpenAPI document says a JSON
    body is required. A body nested deeper than `MAX_JSON_DEPTH` is a 400 (the decoder
    itself recurses), and text a column cannot store is a 422 naming the field.
    """

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not req.get_data(cache=True):
            abort(400, messages={"json": [_l("A JSON body is required.")]})
        if not is_json_request(req):
            abort(415, messages={"json": [_l("Send the body as application/json.")]})
        try:
            data = super()._raw_load_json(req)
        except RecursionError:
            _too_deep()
        check_json_value(data)
        return data


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = JsonBodyParser()

    def arguments(self, schema: Any, **kwargs: Any) -> Any:
        """flask-smorest's, with the schema instantiated once: given a class, webargs builds
        an instance on every request (a tenth of a millisecond on the vote's path)."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, **kwargs)
