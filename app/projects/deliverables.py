"""Deliverables of a gate review: the documents offered for each, its template, and the
completed file a manager uploads.

An uploaded file becomes a library document owned by the project (`project_id`), of the
deliverable's kind (a kind the library does not know, such as `report`, is filed as a
standard), tagged with the deliverable's key so a submission binds it to that deliverable, and
left a draft: the project's committee sees it anyway (`app.library.access`). The file goes
through the library's one upload path (`add_attachment`: checked, parsed in a sandbox).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import gettext as _
from sqlalchemy import Row, select
from wtforms import SelectChoice

from app.auth.models import User
from app.extensions import db
from app.labels import DOCUMENT_KIND_LABELS, doc_status_label
from app.library.access import visible_clause
from app.library.attachments import add_attachment
from app.library.documents import create_document
from app.library.models import Attachment, Document, DocumentKind, DocumentStatus, DocumentTag
from app.projects.definitions import engine_for
from app.projects.models import Project
from app.projects.refusal_messages import reader_language, transition_conflict
from app.projects.services import state_of
from app.refusals import Forbidden, NotFound
from workflows import Deliverable, Gate, TransitionRefused

#: How many library documents the submission form offers (newest first, after the filter).
DOCUMENT_CHOICES = 200
#: Longest title of an uploaded deliverable's document (the column holds 300).
TITLE_MAX = 300


@dataclass(frozen=True, slots=True)
class Offered:
    """A document the submitter may hand in, with what ranks it for a deliverable."""

    id: int
    title: str
    version: int
    status: DocumentStatus
    kind: DocumentKind
    stage: str | None
    project_id: int | None
    tags: frozenset[str]

    @property
    def label(self) -> str:
        status = doc_status_label(self.status)
        return _(
            "%(title)s (version %(n)d, %(status)s)", title=self.title, n=self.version, status=status
        )


def offered_documents(user: User, gate: Gate, search: str = "") -> list[Offered]:
    """Library documents `user` may hand in at `gate`: visible to them, neither lessons nor
    obsolete nor a blank template; only those whose title contains `search` when given."""
    statement = select(
        Document.id,
        Document.title,
        Document.current_version,
        Document.status,
        Document.kind,
        Document.stage,
        Document.project_id,
    ).where(
        visible_clause(user),
        Document.kind != DocumentKind.LESSON,
        Document.status != DocumentStatus.OBSOLETE,
        Document.template_key.is_(None),
    )
    if search.strip():
        statement = statement.where(Document.title.ilike(f"%{_escape_like(search.strip())}%", "\\"))
    rows: Sequence[Row[Any]] = db.session.execute(
        statement.order_by(Document.updated_at.desc(), Document.id.desc()).limit(DOCUMENT_CHOICES)
    ).all()
    keys = [d.key for d in gate.deliverables]
    tags: dict[int, set[str]] = {}
    if rows and keys:
        for document_id, tag in db.session.execute(
            select(DocumentTag.document_id, DocumentTag.tag).where(
                DocumentTag.document_id.in_([row.id for row in rows]), DocumentTag.tag.in_(keys)
            )
        ):
            tags.setdefault(document_id, set()).add(tag)
    return [Offered(*row, frozenset(tags.get(row.id, ()))) for row in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def choices_for(
    deliverable: Deliverable, gate: Gate, project: Project, documents: Iterable[Offered]
) -> list[SelectChoice]:
    """The picker's options for one deliverable, in two groups: the documents that fit it
    (the project's own upload for it, then others tagged for it, then its kind at the gate's
    stage, then its kind), then the other documents; newest first within each rank."""
    fitting: list[tuple[int, Offered]] = []
    others: list[Offered] = []
    for document in documents:
        rank = _fit(deliverable, gate, project, document)
        if rank is None:
            others.append(document)
        else:
            fitting.append((rank, document))
    fitting.sort(key=lambda pair: pair[0])  # stable: the newest first within a rank
    kind = DOCUMENT_KIND_LABELS.get(deliverable.kind, deliverable.name.text(reader_language()))
    suggested = _("Suggested: %(kind)s", kind=kind)
    other = _("Other documents")
    return [SelectChoice(str(d.id), d.label, optgroup=suggested) for _rank, d in fitting] + [
        SelectChoice(str(d.id), d.label, optgroup=other) for d in others
    ]


def _fit(deliverable: Deliverable, gate: Gate, project: Project, document: Offered) -> int | None:
    if deliverable.key in document.tags and document.project_id == project.id:
        return 0
    if deliverable.key in document.tags:
        return 1
    if deliverable.kind == document.kind.value:
        return 2 if document.stage == gate.from_stage else 3
    return None


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """The blank template of a deliverable: its document and its newest file, if any."""

    document: Document
    attachment: Attachment | None


def templates_of(user: User, gate: Gate) -> dict[str, TemplateFile]:
    """Deliverable key -> its template document, for the templates `user` may see."""
    wanted = {d.template: d.key for d in gate.deliverables if d.template}
    if not wanted:
        return {}
    documents = db.session.scalars(
        select(Document).where(Document.template_key.in_(list(wanted)), visible_clause(user))
    ).all()
    return {
        wanted[doc.template_key]: TemplateFile(
            doc, doc.attachments[-1] if doc.attachments else None
        )
        for doc in documents
        if doc.template_key is not None
    }


def upload_deliverable(
    actor: User, project: Project, key: str, content: BinaryIO | bytes, filename: str
) -> Document:
    """The completed file of deliverable `key` of the project's next gate, as a new draft
    document of the project; the manager only (403), while a review may be submitted (409),
    for a deliverable of that gate (404); 413/422 for a file the library refuses."""
    if project.manager_id != actor.id:
        raise Forbidden(_("Only the project's manager hands in its deliverables."))
    engine = engine_for(project)
    try:
        engine.ensure_can_submit(state_of(project))
    except TransitionRefused as refused:
        raise transition_conflict(refused, engine.definition) from refused
    gate = engine.gate_from(project.stage)
    deliverable = next((d for d in gate.deliverables if d.key == key), None) if gate else None
    if gate is None or deliverable is None:
        raise NotFound(_("No such deliverable at this gate."))
    language = reader_language()
    title = f"{deliverable.name.text(language)} — {project.name}"[:TITLE_MAX]
    document = create_document(
        actor,
        kind=deliverable.kind if deliverable.is_library_kind else DocumentKind.STANDARD,
        title=title,
        language=language if language in ("fr", "en") else "fr",
        stage=gate.from_stage,
        workflow=project.workflow,
        project_id=project.id,
        tags=[deliverable.key],
        reason=_("Deliverable handed in"),
    )
    add_attachment(document, actor, content, filename)
    return document
