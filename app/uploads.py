"""Untrusted files in a request: parse limits, refusals in the reader's language, and files
that live or go with the request's transaction.

Parsing runs in a limited child process (`docs_store.sandbox`); its refusals become `Invalid`
(422) with the limit's name as the code and its value in the details. A file is written to its
store before the request commits, so a committed row never lacks its file; if the transaction
rolls back instead, the files it created are removed again unless a committed row references the
same bytes, and after a commit any file such a removal took meanwhile is written back (both under
the store's lock, see `AttachmentStore.discard_unless`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import Executable, event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db
from app.refusals import Invalid, TooLarge
from docs_store.errors import (
    AttachmentTooLarge,
    ContentTypeMismatch,
    ExtractionAborted,
    FileRefused,
)
from docs_store.sandbox import Limits
from docs_store.storage import AttachmentStore, StoredAttachment

#: `session.info` key of the files written for the current transaction.
_WRITTEN = "jalon_written_files"

#: What each refusal of `docs_store` tells the person; ``%(limit)s`` is the limit's value.
MESSAGES = {
    "zip_members": lazy_gettext("The file has more than %(limit)s parts."),
    "zip_inflated_size": lazy_gettext("The file would expand to more than %(limit)s bytes."),
    "zip_ratio": lazy_gettext("A part of the file is compressed more than %(limit)s to 1."),
    "zip_encrypted": lazy_gettext("The file has encrypted parts."),
    "zip_compression": lazy_gettext("The file uses an unsupported compression method."),
    "xml_dtd": lazy_gettext("The file declares a DTD or XML entities, which are not accepted."),
    "xml_encoding": lazy_gettext("The file has XML parts that are not UTF-8."),
    "xlsx_shared_strings": lazy_gettext("The workbook has more than %(limit)s distinct texts."),
    "sheet_rows": lazy_gettext("The sheet has more than %(limit)s rows."),
    "extracted_characters": lazy_gettext("The file holds more than %(limit)s characters of text."),
    "malformed_file": lazy_gettext("The file is damaged and cannot be read."),
    "time_limit": lazy_gettext("Reading the file took more than %(limit)s seconds."),
    "memory_limit": lazy_gettext("Reading the file needed more than %(limit)s MB of memory."),
}


def parse_limits() -> Limits:
    """The child's limits: ``JALON_PARSE_SECONDS`` and ``JALON_PARSE_MEMORY_MB``."""
    return Limits(
        seconds=current_app.config["JALON_PARSE_SECONDS"],
        memory_bytes=current_app.config["JALON_PARSE_MEMORY_MB"] * 1024 * 1024,
    )


def checked_upload(
    store: AttachmentStore, content: BinaryIO | bytes, filename: str
) -> tuple[bytes, StoredAttachment]:
    """An upload's bytes and what to record, not yet stored; 413 too big, 422 wrong type."""
    try:
        return store.check(content, filename)
    except AttachmentTooLarge as exc:
        raise TooLarge(_("The file is larger than %(limit)s bytes.", limit=exc.limit)) from None
    except ContentTypeMismatch as exc:
        raise Invalid(
            _("This file type is not accepted or its content does not match its name."),
            details={"file": str(exc)},
        ) from None
    except FileRefused as exc:
        raise refusal(exc) from None


def refusal(error: FileRefused | ExtractionAborted) -> Invalid:
    """The 422 for a file `docs_store` would not or could not parse, naming the limit."""
    limit = getattr(error, "limit", None)
    if error.code == "time_limit":
        limit = current_app.config["JALON_PARSE_SECONDS"]
    elif error.code == "memory_limit":
        limit = current_app.config["JALON_PARSE_MEMORY_MB"]
    message = MESSAGES.get(error.code, MESSAGES["malformed_file"])
    return Invalid(str(message) % {"limit": limit}, code=error.code, details={"limit": limit})


@dataclass(frozen=True, slots=True)
class _Written:
    store: AttachmentStore
    sha256: str
    data: bytes
    created: bool
    references: Executable


def write_for_transaction(
    store: AttachmentStore, sha256: str, data: bytes, references: Executable
) -> None:
    """Store checked bytes now; remove them if the transaction does not commit.

    ``references`` selects the committed rows that point at the file: it is kept while any
    exists.
    """
    db.session.connection()  # the transaction the file lives or goes with has begun
    created = store.write(sha256, data)
    written = db.session.info.setdefault(_WRITTEN, [])
    written.append(_Written(store, sha256, data, created, references))


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is None:
        for item in session.info.pop(_WRITTEN, []):
            item.store.keep(item.sha256, item.data)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    for item in session.info.pop(_WRITTEN, []):  # still there: the transaction did not commit
        if item.created:
            item.store.discard_unless(item.sha256, lambda item=item: _referenced(item.references))


def _referenced(statement: Executable) -> bool:
    with db.engine.connect() as connection:
        return connection.execute(statement).first() is not None


def _listen() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)


_listen()
