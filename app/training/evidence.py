"""Evidence files (certificates) of completions, in the attachment store under JALON_DATA_DIR."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from app.training.models import Completion
from app.uploads import checked_upload, write_for_transaction
from docs_store.storage import DEFAULT_MAX_BYTES, AttachmentStore


def evidence_store() -> AttachmentStore:
    """The store under ``<JALON_DATA_DIR>/training-evidence``, size-capped like attachments."""
    root = Path(current_app.config["JALON_DATA_DIR"]) / "training-evidence"
    return AttachmentStore(
        root, current_app.config.get("JALON_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES)
    )


def store_evidence(content: BinaryIO | bytes, filename: str) -> tuple[str, str]:
    """Check and store a file; ``(sha256, safe name)``. 413 too large, 422 wrong type.

    Evidence is kept, never parsed; the file goes again if the request's transaction fails.
    """
    store = evidence_store()
    data, stored = checked_upload(store, content, filename)
    references = select(Completion.id).where(Completion.evidence_sha256 == stored.sha256)
    write_for_transaction(store, stored.sha256, data, references)
    return stored.sha256, stored.filename
