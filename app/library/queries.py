"""Read-side queries over documents, shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app.auth.models import User
from app.extensions import db
from app.library.access import visible_clause
from app.library.models import Document, DocumentKind, DocumentStatus, DocumentTag

FILTERS = ("kind", "status", "language", "methodology", "stage", "template_key")


def document_list(user: User, tag: str | None = None, **filters: Any) -> Select[tuple[Document]]:
    """Documents ``user`` may see matching exact ``filters``, most recently changed first."""
    statement = select(Document).where(visible_clause(user))
    for name in FILTERS:
        value = filters.get(name)
        if value:
            column = getattr(Document, name)
            if name == "kind":
                value = DocumentKind(value)
            elif name == "status":
                value = DocumentStatus(value)
            statement = statement.where(column == value)
    if tag:
        statement = statement.where(
            Document.id.in_(select(DocumentTag.document_id).where(DocumentTag.tag == tag.lower()))
        )
    return statement.order_by(Document.updated_at.desc(), Document.id.desc())


def facet_counts(user: User) -> dict[str, list[tuple[str, int]]]:
    """Counts by kind, status, language and tag over what ``user`` may see (for browsing)."""
    visible = visible_clause(user)
    facets: dict[str, list[tuple[str, int]]] = {}
    for name in ("kind", "status", "language", "methodology"):
        column = getattr(Document, name)
        rows = db.session.execute(
            select(column, func.count()).where(visible, column.is_not(None)).group_by(column)
        ).all()
        facets[name] = sorted(
            ((str(getattr(v, "value", v)), n) for v, n in rows), key=lambda r: r[0]
        )
    rows = db.session.execute(
        select(DocumentTag.tag, func.count())
        .join(Document, Document.id == DocumentTag.document_id)
        .where(visible)
        .group_by(DocumentTag.tag)
        .order_by(func.count().desc(), DocumentTag.tag)
        .limit(30)
    ).all()
    facets["tag"] = [(tag, count) for tag, count in rows]
    return facets
