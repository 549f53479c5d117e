"""Evidence files (certificates) of completions, in the attachment store under JALON_DATA_DIR."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from app.refusals import Invalid, TooLarge
from docs_store.errors import AttachmentTooLarge, ContentTypeMismatch
from docs_store.storage import DEFAULT_MAX_BYTES, AttachmentStore


def evidence_store() -> AttachmentStore:
    """The store under ``<JALON_DATA_DIR>/training-evidence``, size-capped like attachments."""
    root = Path(current_app.config["JALON_DATA_DIR"]) / "training-evidence"
    return AttachmentStore(
        root, current_app.config.get("JALON_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES)
    )


def store_evidence(content: BinaryIO | bytes, filename: str) -> tuple[str, str]:
    """Check and store a file; ``(sha256, safe name)``. 413 too large, 422 wrong type."""
    try:
        stored = evidence_store().save(content, filename)
    except AttachmentTooLarge as exc:
        raise TooLarge(_("The file is larger than %(limit)s bytes.", limit=exc.limit)) from None
    except ContentTypeMismatch:
        raise Invalid(
            _("This file type is not accepted or its content does not match its name.")
        ) from None
    return stored.sha256, stored.filename
