"""Schemas shared by every API domain: errors and pages of results."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, Schema, fields, validate

from app.web import MAX_PAGE

MAX_PER_PAGE = 100


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "machine-readable code"})
    message = fields.String(required=True, metadata={"description": "for people, translated"})
    details = fields.Raw(
        allow_none=True, metadata={"description": "what was wrong, field by field"}
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class QueryArgsSchema(Schema):
    """Query strings ignore parameters they do not know (cache busters, tracking tags).

    Declaring it makes the OpenAPI document say so, as webargs does for query strings.
    """

    class Meta:
        unknown = EXCLUDE


class PageArgsSchema(QueryArgsSchema):
    """``?page=&per_page=`` of every list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


_page_schemas: dict[type[Schema], type[Schema]] = {}


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """The schema of a page of ``item_schema`` items, named after it for the OpenAPI document."""
    if item_schema not in _page_schemas:
        name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
        _page_schemas[item_schema] = type(
            name,
            (PageSchema,),
            {"items": fields.List(fields.Nested(item_schema), required=True)},
        )
    return _page_schemas[item_schema]


NO_NUL_PATTERN = "^[^\\u0000]*$"


class Text(fields.String):
    """A string PostgreSQL can store: no NUL character.

    The pattern is published in the OpenAPI document so clients (and schemathesis) know
    it; the refusal itself happens once for every body in ``JsonBodyParser``.
    """

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": NO_NUL_PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)


class UploadSchema(Schema):
    """A multipart body with one file in the field ``file`` (documented for clients)."""

    file = Upload(required=True, metadata={"description": "the file to send"})
