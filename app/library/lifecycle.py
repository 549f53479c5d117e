"""The document lifecycle: draft → in_review → published → obsolete, and who moves it."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select

from app.auth.models import User
from app.extensions import db
from app.library.access import can_edit, is_curator
from app.library.documents import touch
from app.library.models import Document, DocumentStatus
from app.refusals import Conflict, Forbidden, Invalid

S = DocumentStatus

# (from, to) → whether only the PMO may do it (otherwise the owner may too).
TRANSITIONS: dict[tuple[DocumentStatus, DocumentStatus], bool] = {
    (S.DRAFT, S.IN_REVIEW): False,
    (S.IN_REVIEW, S.DRAFT): False,
    (S.IN_REVIEW, S.PUBLISHED): True,
    (S.PUBLISHED, S.OBSOLETE): True,
}


def allowed_transitions(user: User, doc: Document) -> list[DocumentStatus]:
    """The states ``user`` may move ``doc`` to now (drives the buttons on the page)."""
    return [
        target
        for (source, target), curator_only in TRANSITIONS.items()
        if source == doc.status and (is_curator(user) if curator_only else can_edit(user, doc))
    ]


def transition(doc: Document, user: User, target: DocumentStatus | str) -> Document:
    """Move ``doc`` to ``target``: 409 when the lifecycle does not allow it, 403 for the role."""
    try:
        target = DocumentStatus(target)
    except ValueError:
        raise Invalid(
            _("Unknown status."), details={"to": [s.value for s in DocumentStatus]}
        ) from None
    rule = TRANSITIONS.get((doc.status, target))
    if rule is None:
        raise Conflict(
            _("A %(source)s document cannot become %(target)s.", source=doc.status, target=target),
        )
    if target not in allowed_transitions(user, doc):
        raise Forbidden(_("Your roles do not allow this change of status."))
    doc.status = target
    touch(doc)
    if target is S.PUBLISHED:  # for webhooks, written at commit (see app/webhooks/events.py)
        db.session.info.setdefault("library_events", []).append(
            ("published", {"document_id": doc.id})
        )
    db.session.flush()
    return doc


def due_for_review_query(user: User, today: date | None = None) -> Select[tuple[Document]]:
    """Documents past their review date that ``user`` must look at: their own; all for the PMO."""
    statement = (
        select(Document)
        .where(
            Document.review_date.is_not(None),
            Document.review_date < (today or date.today()),
            Document.status != DocumentStatus.OBSOLETE,
        )
        .order_by(Document.review_date)
    )
    if not is_curator(user):
        statement = statement.where(Document.owner_id == user.id)
    return statement


def due_for_review(user: User, limit: int = 50) -> list[Document]:
    return list(db.session.scalars(due_for_review_query(user).limit(limit)))
