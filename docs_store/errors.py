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


class FileRefused(DocsStoreError):
    """An upload that will not be parsed: over a limit, malformed, or using a forbidden feature.

    ``code`` names the limit or the fault (``zip_members``, ``xml_dtd``, ``malformed_file``...),
    ``limit`` is the limit's value when it has one; callers answer 422 with both.
    """

    def __init__(self, code: str, limit: int | None = None) -> None:
        super().__init__(code if limit is None else f"{code} (limit {limit})")
        self.code = code
        self.limit = limit


class ExtractionAborted(DocsStoreError):
    """The child parsing a file was stopped: ``code`` is ``time_limit`` or ``memory_limit``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
