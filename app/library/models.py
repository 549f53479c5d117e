"""Library documents, their versions, attachments and the search outbox."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import true

from app.auth.models import User
from app.extensions import db, str_enum
from app.timeutil import UTCDateTime, utcnow


class DocumentKind(enum.StrEnum):
    """What a library document is for."""

    STANDARD = "standard"
    GUIDELINE = "guideline"
    TEMPLATE = "template"
    LESSON = "lesson"


class DocumentStatus(enum.StrEnum):
    """Lifecycle: draft → in_review → published → obsolete."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    OBSOLETE = "obsolete"


class IndexAction(enum.StrEnum):
    """What the search writer must do for a document."""

    INDEX = "index"
    DELETE = "delete"


LANGUAGES = ("fr", "en")


class Document(db.Model):
    """A standard, guideline, template or lesson learned; its current text and metadata."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Standard, guideline, template or lesson.
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    #: Title of the current version.
    title: Mapped[str] = mapped_column(String(300))
    #: One-paragraph summary shown in lists and results.
    summary: Mapped[str] = mapped_column(String(2000), default="")
    #: Markdown body of the current version (rendered sanitised, never trusted).
    body: Mapped[str] = mapped_column(Text, default="")
    #: Methodology the document belongs to (e.g. "stage-gate", "prince2"), free text.
    methodology: Mapped[str | None] = mapped_column(String(80))
    #: Language of the text, ``fr`` or ``en``: picks the search analyser.
    language: Mapped[str] = mapped_column(String(2), default="fr")
    #: Author responsible for the document (review reminders go to them).
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Key of the related workflow stage, if any (lessons: the stage they were learned at).
    stage: Mapped[str | None] = mapped_column(String(64), index=True)
    #: Key of the related workflow definition, if any.
    workflow: Mapped[str | None] = mapped_column(String(64))
    #: Date by which the document must be reviewed; past it, it is flagged.
    review_date: Mapped[date | None] = mapped_column(Date)
    #: Lifecycle state.
    status: Mapped[DocumentStatus] = mapped_column(
        str_enum(DocumentStatus, "document_status"), default=DocumentStatus.DRAFT, index=True
    )
    #: Number of the current version (1 for a new document).
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    #: Stable key that workflow deliverables name in their ``template`` field.
    template_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    #: Project a lesson was learned on.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    #: When the document was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When the document last changed (text, metadata or status); the index version stamp.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined")
    tag_rows: Mapped[list[DocumentTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="DocumentTag.tag"
    )
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentVersion.number",
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="Attachment.id",
    )

    @property
    def tags(self) -> list[str]:
        """Tags in alphabetical order."""
        return [row.tag for row in self.tag_rows]

    @tags.setter
    def tags(self, values: list[str]) -> None:
        wanted = sorted({value.strip().lower() for value in values if value.strip()})
        kept = [row for row in self.tag_rows if row.tag in wanted]
        present = {row.tag for row in kept}
        self.tag_rows = kept + [DocumentTag(tag=tag) for tag in wanted if tag not in present]

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.kind} {self.title!r}>"


class DocumentTag(db.Model):
    """One tag on a document (a table, so lists can filter and count by tag)."""

    __tablename__ = "document_tags"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    #: The tag, lower-case.
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class DocumentVersion(db.Model):
    """An immutable snapshot of a document after one edit: what it said, who changed it, why."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    #: 1, 2, 3… per document.
    number: Mapped[int] = mapped_column(Integer)
    #: Title at this version.
    title: Mapped[str] = mapped_column(String(300))
    #: Summary at this version.
    summary: Mapped[str] = mapped_column(String(2000), default="")
    #: Markdown body at this version.
    body: Mapped[str] = mapped_column(Text, default="")
    #: Other metadata at this version (kind, tags, methodology, language, stage, review date…).
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Who made the edit.
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: When the edit was made.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Why the edit was made, as the author said.
    reason: Mapped[str] = mapped_column(String(500), default="")

    document: Mapped[Document] = relationship(back_populates="versions")
    author: Mapped[User] = relationship(lazy="joined")


class Attachment(db.Model):
    """A file attached to a document, stored once on disk under its SHA-256."""

    __tablename__ = "document_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    #: Document version at which the file was added.
    version: Mapped[int] = mapped_column(Integer)
    #: Hex SHA-256 of the content: the name of the file on disk (identical uploads share it).
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: The uploader's file name, cleaned; shown and offered on download, never used as a path.
    filename: Mapped[str] = mapped_column(String(255))
    #: MIME type detected from the content.
    content_type: Mapped[str] = mapped_column(String(120))
    #: Size in bytes.
    size: Mapped[int] = mapped_column(Integer)
    #: Text extracted from the file, indexed with the document.
    extracted_text: Mapped[str] = mapped_column(Text, default="")
    #: False when reading the file ran out of time or memory: stored, but its text not indexed.
    text_indexed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Who uploaded it.
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When it was uploaded.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="attachments")


class IndexTask(db.Model):
    """Outbox row: a document to (re)index or remove, written in the same transaction as the change.

    The search writer drains rows with ``done_at`` unset; a process that dies after its commit
    leaves its rows for the next writer.
    """

    __tablename__ = "index_tasks"
    __table_args__ = (Index("ix_index_tasks_pending", "done_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The document concerned (no FK: a delete task outlives its document).
    document_id: Mapped[int] = mapped_column(Integer)
    #: Index or delete.
    action: Mapped[IndexAction] = mapped_column(str_enum(IndexAction, "index_action"))
    #: When the change was committed.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When a writer applied it; unset while pending.
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: How many times a writer tried and failed.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
