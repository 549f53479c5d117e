"""Attachments: checked, read in a limited child process for the index, and stored by content."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.library.access import require_edit
from app.library.documents import _record_version, lock_document, touch
from app.library.models import Attachment, Document, DocumentStatus
from app.refusals import Conflict, NotFound
from app.uploads import checked_upload, parse_limits, refusal, write_for_transaction
from docs_store.errors import ExtractionAborted, FileRefused
from docs_store.extract import extract_untrusted
from docs_store.filetypes import FileType
from docs_store.storage import DEFAULT_MAX_BYTES, AttachmentStore

log = logging.getLogger(__name__)


def attachment_store() -> AttachmentStore:
    """The store under ``<JALON_DATA_DIR>/attachments``; ``JALON_MAX_ATTACHMENT_BYTES`` caps it."""
    root = Path(current_app.config["JALON_DATA_DIR"]) / "attachments"
    return AttachmentStore(
        root, current_app.config.get("JALON_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES)
    )


def add_attachment(
    doc: Document, user: User, content: BinaryIO | bytes, filename: str
) -> Attachment:
    """Attach a file to ``doc`` as a new version; 413 too big, 422 wrong type or refused.

    The file is read before the document is locked, so a slow file holds no lock; concurrent
    uploads to one document then take their version numbers one after the other.
    """
    require_edit(user, doc)
    _refuse_obsolete(doc)
    store = attachment_store()
    data, stored = checked_upload(store, content, filename)
    text, indexed = _text_of(data, stored.content_type)
    lock_document(doc)
    _refuse_obsolete(doc)
    references = select(Attachment.id).where(Attachment.sha256 == stored.sha256)
    write_for_transaction(store, stored.sha256, data, references)
    doc.current_version += 1
    attachment = Attachment(
        version=doc.current_version,
        sha256=stored.sha256,
        filename=stored.filename,
        content_type=stored.content_type.value,
        size=stored.size,
        extracted_text=text,
        text_indexed=indexed,
        uploaded_by_id=user.id,
    )
    doc.attachments.append(attachment)
    touch(doc)
    _record_version(doc, user, _("Attachment added: %(name)s", name=stored.filename))
    db.session.flush()
    return attachment


def _text_of(data: bytes, file_type: FileType) -> tuple[str, bool]:
    """The text to index and whether there is any: a file that ran out of time or memory (or a
    PDF that pypdf cannot read, which viewers often can) is kept without its text."""
    try:
        return extract_untrusted(data, file_type, limits=parse_limits()), True
    except ExtractionAborted as exc:
        log.warning("attachment stored without its text: %s", exc.code)
        return "", False
    except FileRefused as exc:
        if file_type == FileType.PDF and exc.code == "malformed_file":
            return "", False
        raise refusal(exc) from None


def _refuse_obsolete(doc: Document) -> None:
    if doc.status == DocumentStatus.OBSOLETE:
        raise Conflict(_("An obsolete document can no longer be edited."))


def get_attachment(doc: Document, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.document_id != doc.id:
        raise NotFound(_("No such attachment."))
    return attachment
