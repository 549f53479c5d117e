"""Attachments: checked and stored by content, text extracted for the index."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from app.auth.models import User
from app.extensions import db
from app.library.access import require_edit
from app.library.documents import _record_version, touch
from app.library.models import Attachment, Document, DocumentStatus
from app.refusals import Conflict, Invalid, NotFound, TooLarge
from docs_store.errors import AttachmentTooLarge, ContentTypeMismatch
from docs_store.extract import extract_text
from docs_store.storage import DEFAULT_MAX_BYTES, AttachmentStore


def attachment_store() -> AttachmentStore:
    """The store under ``<JALON_DATA_DIR>/attachments``; ``JALON_MAX_ATTACHMENT_BYTES`` caps it."""
    root = Path(current_app.config["JALON_DATA_DIR"]) / "attachments"
    return AttachmentStore(
        root, current_app.config.get("JALON_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES)
    )


def add_attachment(
    doc: Document, user: User, content: BinaryIO | bytes, filename: str
) -> Attachment:
    """Store a file and attach it to ``doc`` as a new version; 413 too big, 422 wrong type."""
    require_edit(user, doc)
    if doc.status == DocumentStatus.OBSOLETE:
        raise Conflict(_("An obsolete document can no longer be edited."))
    store = attachment_store()
    try:
        stored = store.save(content, filename)
    except AttachmentTooLarge as exc:
        raise TooLarge(_("The file is larger than %(limit)s bytes.", limit=exc.limit)) from None
    except ContentTypeMismatch as exc:
        raise Invalid(
            _("This file type is not accepted or its content does not match its name."),
            details={"file": str(exc)},
        ) from None
    with store.open(stored.sha256) as handle:
        text = extract_text(handle.read(), stored.content_type)
    doc.current_version += 1
    attachment = Attachment(
        version=doc.current_version,
        sha256=stored.sha256,
        filename=stored.filename,
        content_type=stored.content_type.value,
        size=stored.size,
        extracted_text=text,
        uploaded_by_id=user.id,
    )
    doc.attachments.append(attachment)
    touch(doc)
    _record_version(doc, user, _("Attachment added: %(name)s", name=stored.filename))
    db.session.flush()
    return attachment


def get_attachment(doc: Document, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.document_id != doc.id:
        raise NotFound(_("No such attachment."))
    return attachment
