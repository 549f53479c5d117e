"""API schemas for library documents, versions, attachments and search."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import PageArgsSchema, QueryArgsSchema, Text
from app.library.models import LANGUAGES, DocumentKind, DocumentStatus
from app.library.rendering import render_markdown
from app.library.search import MAX_SEARCH_PAGE
from app.web import MAX_ID

KINDS = [kind.value for kind in DocumentKind]
STATUSES = [status.value for status in DocumentStatus]
KEY = validate.Regexp(r"^[a-z0-9][a-z0-9._-]{0,79}$")
#: A workflow's or a stage's key, as long as those columns (64).
WORKFLOW_KEY = validate.Regexp(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class _DocumentFields(Schema):
    summary = Text(validate=validate.Length(max=2000))
    tags = fields.List(
        Text(validate=validate.Length(min=1, max=60)), validate=validate.Length(max=30)
    )
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    methodology = Text(allow_none=True, validate=validate.Length(max=80))
    stage = fields.String(allow_none=True, validate=WORKFLOW_KEY)
    workflow = fields.String(allow_none=True, validate=WORKFLOW_KEY)
    review_date = fields.Date(allow_none=True)
    template_key = fields.String(allow_none=True, validate=KEY)


class DocumentCreateSchema(_DocumentFields):
    title = Text(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    body = Text(load_default="", validate=validate.Length(max=1_000_000))
    reason = Text(validate=validate.Length(max=500))


class DocumentUpdateSchema(_DocumentFields):
    title = Text(validate=validate.Length(min=1, max=300))
    kind = fields.String(validate=validate.OneOf(KINDS))
    body = Text(validate=validate.Length(max=1_000_000))
    reason = Text(load_default="", validate=validate.Length(max=500))
    version = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "the version this edit is based on (its `ETag`)"},
    )


class TransitionSchema(Schema):
    to = fields.String(required=True, validate=validate.OneOf(STATUSES))


class AttachmentSchema(Schema):
    id = fields.Integer(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    version = fields.Integer(required=True)
    #: False when the file could not be read in time: stored, but not found by search.
    text_indexed = fields.Boolean(required=True)


class DocumentSummarySchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    status = fields.String(required=True)
    language = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    methodology = fields.String(allow_none=True)
    stage = fields.String(allow_none=True)
    workflow = fields.String(allow_none=True)
    template_key = fields.String(allow_none=True)
    project_id = fields.Integer(allow_none=True)
    review_date = fields.Date(allow_none=True)
    current_version = fields.Integer(required=True)
    owner = fields.Function(lambda doc: doc.owner.username, required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class DocumentSchema(DocumentSummarySchema):
    body = fields.String(required=True)
    html = fields.Function(
        lambda doc: str(render_markdown(doc.body)),
        required=True,
        metadata={"description": "the body rendered from Markdown and sanitised"},
    )
    attachments = fields.List(fields.Nested(AttachmentSchema), required=True)


class VersionSchema(Schema):
    number = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    body = fields.String(required=True)
    meta = fields.Dict(required=True)
    author = fields.Function(lambda version: version.author.username, required=True)
    created_at = fields.DateTime(required=True)
    reason = fields.String(required=True)


class VersionListSchema(Schema):
    items = fields.List(fields.Nested(VersionSchema), required=True)


class DocumentListArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    tag = Text(validate=validate.Length(max=60))
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    methodology = Text(validate=validate.Length(max=80))
    stage = Text(validate=validate.Length(max=64))
    template_key = Text(validate=validate.Length(max=80))


class SearchArgsSchema(QueryArgsSchema):
    q = Text(load_default="", validate=validate.Length(max=500))
    kind = Text(validate=validate.Length(max=40))
    tag = Text(validate=validate.Length(max=60))
    language = Text(validate=validate.Length(max=2))
    methodology = Text(validate=validate.Length(max=80))
    stage = Text(validate=validate.Length(max=64))
    include_obsolete = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_SEARCH_PAGE))
    per_page = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class SearchHitSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    score = fields.Float(required=True)
    highlights = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class SearchResultsSchema(Schema):
    items = fields.List(fields.Nested(SearchHitSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    facets = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        required=True,
    )
    suggestion = fields.String(allow_none=True, required=True)


class LessonCreateSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=300))
    body = Text(required=True, validate=validate.Length(min=1, max=1_000_000))
    stage = fields.String(validate=WORKFLOW_KEY)
    language = fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "detected from the title and body when not given"},
    )
    tags = fields.List(
        Text(validate=validate.Length(min=1, max=60)),
        load_default=list,
        validate=validate.Length(max=30),
    )
