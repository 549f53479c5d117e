"""Typed errors raised by ``docs_store``.

The web layer maps each class to one HTTP status, so callers never need to parse messages:
``AttachmentTooLarge`` → 413, ``ContentTypeMismatch`` → 422, ``QueryError`` → 400 and
``IndexUnavailable`` → 503 (or an automatic rebuild).
"""


class DocsStoreError(Exception):
    """Base class of every error this package raises on purpose."""


class AttachmentTooLarge(DocsStoreError):
    """The upload is bigger than the store's size limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"attachment is larger than the limit of {limit} bytes")
        self.limit = limit


class ContentTypeMismatch(DocsStoreError):
    """The bytes are not a supported type, or not the type the file name claims."""


class QueryError(DocsStoreError):
    """The search text cannot be read; the message says why, in words a user understands."""


class IndexUnavailable(DocsStoreError):
    """The search index is missing or corrupt; the caller should rebuild it."""


class ThesaurusError(DocsStoreError):
    """A thesaurus file cannot be read; the message names the file and line."""
