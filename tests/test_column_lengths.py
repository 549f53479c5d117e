"""Every `String(n)` column: what writes it refuses longer text before the database does.

SQLite stores a longer string in a `VARCHAR(n)` without a word; PostgreSQL refuses it with a 500.
So each such column is listed here, either with the API schema fields and page form fields that
write it (each must refuse ``n + 1`` characters), or with why nothing longer can reach it. A
new column fails `test_every_string_column_is_accounted_for` until it is listed.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError, fields
from sqlalchemy import Enum, String
from werkzeug.datastructures import MultiDict
from wtforms import Form

from app.admin.forms import TeamForm, UserForm
from app.auth.forms import LoginForm
from app.auth.schemas import (
    MeUpdateSchema,
    TeamCreateSchema,
    TokenRequestSchema,
    UserCreateSchema,
    UserUpdateSchema,
)
from app.extensions import db
from app.library.forms import DocumentForm
from app.library.schemas import DocumentCreateSchema, DocumentUpdateSchema, LessonCreateSchema
from app.portfolio.schemas import PortfolioCreateSchema, ProgrammeCreateSchema
from app.projects.forms import LessonEntryForm, ProjectForm
from app.projects.schemas import ProjectCreateSchema, ReviewLessonSchema
from app.training.schemas import CourseCreateSchema
from app.webhooks.schemas import WebhookCreateSchema

Writer = tuple[type[Schema] | type[Form], str]

DOCUMENT_SCHEMAS = (DocumentCreateSchema, DocumentUpdateSchema)
USER_SCHEMAS = (UserCreateSchema, UserUpdateSchema)
DEFINITION_KEY = "a key of a workflow definition, at most 64 characters (workflows.schema)"
HASH = "a SHA-256 hex digest"

#: Columns written from requests, with every schema or form field that writes them.
WRITERS: dict[str, list[Writer]] = {
    "courses.key": [(CourseCreateSchema, "key")],
    "courses.title": [(CourseCreateSchema, "title")],
    "courses.methodology": [(CourseCreateSchema, "methodology")],
    "login_attempts.username": [(TokenRequestSchema, "username"), (LoginForm, "username")],
    "portfolios.name": [(PortfolioCreateSchema, "name")],
    "portfolios.description": [(PortfolioCreateSchema, "description")],
    "programmes.name": [(ProgrammeCreateSchema, "name")],
    "programmes.description": [(ProgrammeCreateSchema, "description")],
    "teams.name": [(TeamCreateSchema, "name"), (TeamForm, "name")]
    + [(schema, "teams") for schema in USER_SCHEMAS],
    "teams.description": [(TeamCreateSchema, "description"), (TeamForm, "description")],
    "users.username": [(UserCreateSchema, "username"), (UserForm, "username")],
    "users.display_name": [(s, "display_name") for s in (*USER_SCHEMAS, MeUpdateSchema, UserForm)],
    "users.email": [(schema, "email") for schema in (*USER_SCHEMAS, UserForm)],
    "users.locale": [(MeUpdateSchema, "locale")],
    "api_tokens.name": [(TokenRequestSchema, "name")],
    "projects.name": [(ProjectCreateSchema, "name"), (ProjectForm, "name")],
    "projects.workflow": [(ProjectCreateSchema, "workflow")],
    "documents.title": [
        (schema, "title")
        for schema in (*DOCUMENT_SCHEMAS, LessonCreateSchema, ReviewLessonSchema, DocumentForm)
    ]
    + [(LessonEntryForm, "title")],
    "documents.summary": [(schema, "summary") for schema in (*DOCUMENT_SCHEMAS, DocumentForm)],
    "documents.methodology": [
        (schema, "methodology") for schema in (*DOCUMENT_SCHEMAS, DocumentForm)
    ],
    "documents.language": [(schema, "language") for schema in (*DOCUMENT_SCHEMAS, DocumentForm)],
    "documents.stage": [
        (schema, "stage") for schema in (*DOCUMENT_SCHEMAS, LessonCreateSchema, DocumentForm)
    ],
    "documents.workflow": [(schema, "workflow") for schema in (*DOCUMENT_SCHEMAS, DocumentForm)],
    "documents.template_key": [
        (schema, "template_key") for schema in (*DOCUMENT_SCHEMAS, DocumentForm)
    ],
    "document_tags.tag": [
        (schema, "tags") for schema in (*DOCUMENT_SCHEMAS, LessonCreateSchema, DocumentForm)
    ],
    "document_versions.reason": [
        (schema, "reason") for schema in (*DOCUMENT_SCHEMAS, DocumentForm)
    ],
    "webhooks.url": [(WebhookCreateSchema, "url")],
}

#: Columns nothing longer can reach, and why.
BOUNDED_ELSEWHERE: dict[str, str] = {
    "audit_events.kind": "one of the code's event kinds",
    "audit_events.actor": "a username (users.username)",
    "audit_events.prev_hash": HASH,
    "audit_events.hash": HASH,
    "login_attempts.address": "the client's IP address, at most 45 characters as text (IPv6)",
    "users.password_hash": "a werkzeug password hash",
    "workflow_versions.key": DEFINITION_KEY,
    "workflow_versions.name": "a definition's name, from the PMO's YAML files",
    "workflow_versions.content_hash": HASH,
    "api_tokens.token_hash": HASH,
    "notifications.kind": "one of the code's notification kinds",
    "notifications.dedup_key": "ids and a period",
    "notifications.subject": "shortened by notify (tests/projects/test_malformed_input.py)",
    "notifications.last_error": "cut to 500 characters where it is written",
    "training_completions.evidence_sha256": HASH,
    "training_completions.evidence_name": "sanitize_filename caps names at 255 characters",
    "user_sessions.key_hash": HASH,
    "user_sessions.user_agent": "cut to 200 characters by sign_in",
    "projects.stage": DEFINITION_KEY,
    "gate_reviews.gate": DEFINITION_KEY,
    "gate_reviews.from_stage": DEFINITION_KEY,
    "gate_reviews.to_stage": DEFINITION_KEY,
    "stage_periods.stage": DEFINITION_KEY,
    "gate_review_deliverables.deliverable": DEFINITION_KEY,
    "gate_review_deliverables.url": "MAX_URL_LENGTH in the review schema and form (tested there)",
    "scorecard_entries.criterion": DEFINITION_KEY,
    "document_attachments.sha256": HASH,
    "document_attachments.filename": "sanitize_filename caps names at 255 characters",
    "document_attachments.content_type": "one of the accepted types' names",
    "document_versions.title": "a copy of documents.title",
    "document_versions.summary": "a copy of documents.summary",
    "webhooks.secret": "whsec_ and the base64 of 32 random bytes: 50 characters",
    "webhook_deliveries.message_id": "msg_ and 32 hex digits",
    "webhook_deliveries.event": "one of the code's event types",
    "webhook_deliveries.last_error": "cut to 500 characters where it is written",
}


def _string_columns() -> dict[str, int]:
    return {
        f"{table.name}.{column.name}": column.type.length
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String)
        and not isinstance(column.type, Enum)
        and column.type.length
    }


def test_every_string_column_is_accounted_for(app: Flask):
    columns = set(_string_columns())
    listed = set(WRITERS) | set(BOUNDED_ELSEWHERE)
    assert not columns - listed, "String columns to list in WRITERS or BOUNDED_ELSEWHERE"
    assert not listed - columns, "listed columns that no longer exist"
    assert not set(WRITERS) & set(BOUNDED_ELSEWHERE)


def _too_long(length: int, name: str) -> str:
    if name == "email":
        return "a" * (length - 11) + "@example.org"
    return "a" * (length + 1)


def _schema_refuses(schema: type[Schema], name: str, text: str) -> bool:
    field = schema._declared_fields[name]
    value: Any = [text] if isinstance(field, fields.List) else text
    try:
        field.deserialize(value)
    except ValidationError:
        return True
    return False


def _form_refuses(form_class: type[Form], name: str, text: str) -> bool:
    form = form_class(formdata=MultiDict({name: text}), meta={"csrf": False})
    form.validate()
    return bool(form[name].errors)


@pytest.mark.parametrize(
    ("column", "writer", "name"),
    [(column, writer, name) for column, writers in WRITERS.items() for writer, name in writers],
)
def test_what_writes_a_column_refuses_text_longer_than_it(app: Flask, column, writer, name):
    text = _too_long(_string_columns()[column], name)
    with app.test_request_context():
        if issubclass(writer, Schema):
            assert _schema_refuses(writer, name, text), f"{writer.__name__}.{name}"
        else:
            assert _form_refuses(writer, name, text), f"{writer.__name__}.{name}"
