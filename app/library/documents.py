"""Writing documents: every edit makes a version and an index task, in the caller's transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.library.access import is_author, require_edit
from app.library.indexing import enqueue
from app.library.models import (
    LANGUAGES,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentVersion,
)
from app.library.search import interface_language
from app.refusals import Conflict, Forbidden, Invalid, NotFound
from app.timeutil import utcnow
from app.writelock import lock_for_writing
from docs_store.language import detect_language

# Fields an edit may change; each is copied into the version's metadata snapshot.
EDITABLE = (
    "title",
    "summary",
    "body",
    "kind",
    "tags",
    "methodology",
    "language",
    "stage",
    "workflow",
    "review_date",
    "template_key",
)
META_FIELDS = tuple(name for name in EDITABLE if name not in ("title", "summary", "body"))


def _meta(doc: Document) -> dict[str, Any]:
    snapshot: dict[str, Any] = {}
    for name in META_FIELDS:
        value = getattr(doc, name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, DocumentKind):
            value = value.value
        snapshot[name] = value
    snapshot["status"] = doc.status.value
    snapshot["attachments"] = [a.filename for a in doc.attachments]
    return snapshot


def _check(values: dict[str, Any], doc: Document | None = None) -> None:
    language = values.get("language")
    if language is not None and language not in LANGUAGES:
        raise Invalid(_("The language must be fr or en."), details={"language": language})
    key = values.get("template_key")
    if key:
        clash = db.session.scalar(select(Document.id).where(Document.template_key == key))
        if clash is not None and (doc is None or clash != doc.id):
            raise Conflict(
                _("Another document already uses this template key."), details={"key": key}
            )


def _record_version(doc: Document, author: User, reason: str) -> DocumentVersion:
    version = DocumentVersion(
        number=doc.current_version,
        title=doc.title,
        summary=doc.summary,
        body=doc.body,
        meta=_meta(doc),
        author_id=author.id,
        reason=reason,
        created_at=doc.updated_at,
    )
    doc.versions.append(version)
    return version


def _detected_language(title: str, summary: str = "", body: str = "") -> str:
    """The language a document is written in, detected from its text; the interface
    language (then French) when the text is too short to tell."""
    return detect_language(f"{title}\n{summary}\n{body}", hint=interface_language())


def create_document(author: User, *, reason: str = "", **values: Any) -> Document:
    """A new draft owned by ``author``, with its version 1; its language is detected from
    its title, summary and body unless ``language`` is given."""
    if not is_author(author):
        raise Forbidden(_("Only managers and the PMO write library documents."))
    _check(values)
    fields = {name: values[name] for name in EDITABLE if values.get(name) is not None}
    if "language" not in fields:
        fields["language"] = _detected_language(
            values["title"], values.get("summary") or "", values.get("body") or ""
        )
    fields["kind"] = DocumentKind(fields["kind"])
    tags = fields.pop("tags", [])
    now = utcnow()
    doc = Document(
        owner_id=values.get("owner_id") or author.id,
        status=DocumentStatus.DRAFT,
        current_version=1,
        created_at=now,
        updated_at=now,
        project_id=values.get("project_id"),
        **fields,
    )
    doc.tags = tags
    db.session.add(doc)
    _record_version(doc, author, reason or _("Created"))
    db.session.flush()
    enqueue(doc.id)
    return doc


def lock_document(doc: Document) -> Document:
    """Serialise every write on this document until the transaction ends, then read it again.

    PostgreSQL: `SELECT ... FOR UPDATE` on its row; SQLite: the database write lock (see
    `app.writelock`). Either way the version read afterwards is the committed one, so
    two edits can never both number themselves ``current_version + 1``.
    """
    lock_for_writing(select(Document.id).where(Document.id == doc.id).with_for_update())
    db.session.refresh(doc)
    return doc


def check_based_on(doc: Document, based_on: int | None) -> None:
    """Refuse an edit made from a version that is no longer the current one."""
    if based_on is not None and based_on != doc.current_version:
        raise Conflict(
            _(
                "Someone saved this document meanwhile (version %(n)d): your changes are below, "
                "compare and save again.",
                n=doc.current_version,
            ),
            code="edit_conflict",
            details={"current_version": doc.current_version, "based_on": based_on},
        )


def update_document(
    doc: Document,
    author: User,
    changes: dict[str, Any],
    reason: str,
    *,
    based_on: int | None = None,
) -> Document:
    """Apply ``changes`` and record them as a new version; no change, no version.

    ``based_on`` is the version the author edited, when known: another version saved since is
    an ``edit_conflict``. Without it the edit applies to whatever is current, in turn.
    """
    lock_document(doc)
    require_edit(author, doc)
    if doc.status == DocumentStatus.OBSOLETE:
        raise Conflict(_("An obsolete document can no longer be edited."))
    check_based_on(doc, based_on)
    _check(changes, doc)
    changed = False
    for name in EDITABLE:
        if name not in changes:
            continue
        value = changes[name]
        if name == "kind":
            value = DocumentKind(value)
        if name in ("title", "kind", "language") and value is None:
            continue
        if name in ("summary", "body") and value is None:
            value = ""
        if name == "tags":
            value = sorted({tag.strip().lower() for tag in value or [] if tag.strip()})
        if getattr(doc, name) != value:
            setattr(doc, name, value)
            changed = True
    if changed:
        touch(doc)
        doc.current_version += 1
        _record_version(doc, author, reason)
        db.session.flush()
    return doc


def touch(doc: Document) -> None:
    """Mark a document changed: a new version stamp for the index, and an index task."""
    doc.updated_at = utcnow()
    enqueue(doc.id)


def get_version(doc: Document, number: int) -> DocumentVersion:
    version = db.session.scalar(
        select(DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.number == number
        )
    )
    if version is None:
        raise NotFound(_("No such version."))
    return version
