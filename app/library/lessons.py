"""Lessons learned from projects, and the templates gate deliverables point to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, select

from app.auth.models import User
from app.extensions import db
from app.library.access import visible_clause
from app.library.documents import create_document
from app.library.models import Document, DocumentKind, DocumentStatus


def record_lesson(
    project: Any,
    stage: str,
    author: User,
    title: str,
    body: str,
    language: str | None = None,
    *,
    tags: Iterable[str] = (),
) -> Document:
    """A lesson learned on ``project`` at ``stage``, as a draft the PMO reviews and publishes.

    Without ``language`` the lesson's language is detected from its text (``create_document``).

    ``project`` is anything with ``id`` (and optionally ``workflow``), so the gate review form
    can call this without the library knowing the projects package.
    """
    return create_document(
        author,
        kind=DocumentKind.LESSON,
        title=title,
        body=body,
        language=language,
        stage=stage,
        workflow=getattr(project, "workflow", None),
        project_id=project.id,
        tags=list(tags),
        reason="Lesson recorded",
    )


def relevant_lessons(
    stage: str, exclude_project_id: int | None, user: User, limit: int = 5
) -> list[Document]:
    """Lessons from other projects at ``stage`` that ``user`` may read; published, then newest."""
    statement = select(Document).where(
        Document.kind == DocumentKind.LESSON,
        Document.stage == stage,
        Document.status != DocumentStatus.OBSOLETE,
        visible_clause(user),
    )
    if exclude_project_id is not None:
        statement = statement.where(
            (Document.project_id.is_(None)) | (Document.project_id != exclude_project_id)
        )
    statement = statement.order_by(
        case((Document.status == DocumentStatus.PUBLISHED, 0), else_=1),
        Document.updated_at.desc(),
    )
    return list(db.session.scalars(statement.limit(limit)))


def templates_for(keys: Iterable[str]) -> dict[str, Document]:
    """Template documents by the ``template_key`` gate deliverables name; unknown keys absent."""
    wanted = {key for key in keys if key}
    if not wanted:
        return {}
    statement = select(Document).where(
        Document.template_key.in_(wanted), Document.status != DocumentStatus.OBSOLETE
    )
    return {doc.template_key: doc for doc in db.session.scalars(statement) if doc.template_key}
