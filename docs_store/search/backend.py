"""The search backend interface.

Whoosh is no longer maintained, so the application talks to this Protocol only; another engine
(Tantivy, PostgreSQL full-text search) replaces it by passing the contract tests in
``tests/docs_store/test_search_contract.py``.

Writes (``index``, ``delete``, ``rebuild``) assume a single writer at a time: the caller holds
``docs_store.locking.try_writer_lock`` while it drains the outbox or rebuilds. Reads may happen
from any thread or process at any time and see committed writes.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol, runtime_checkable

from docs_store.search.types import IndexedDocument, SearchQuery, SearchResults


@runtime_checkable
class SearchBackend(Protocol):
    """What the application needs from a full-text search engine."""

    def ensure_usable(self) -> bool:
        """Open the index; False when it is missing or corrupt and must be rebuilt."""
        ...

    def index(self, docs: Iterable[IndexedDocument]) -> None:
        """Add documents, replacing any already indexed under the same id; one commit."""
        ...

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        ...

    def search(self, query: SearchQuery) -> SearchResults:
        """Run a query; raises ``QueryError`` when the text cannot be read.

        Documents holding every word of the query come first, then those holding fewer (never
        no result when some words match); published before unpublished within each, then by
        relevance (title matches and the query's words close together score higher)."""
        ...

    def suggest(self, query: SearchQuery) -> str | None:
        """``query.text`` with misspelt words replaced by words of documents the query may find
        (its visibility and filters), or None if nothing changes or the suggested text finds
        no more documents holding all its words; never a word of a document the reader may
        not see. The words come from documents in the query's language when its words tell
        it (a French query is never offered an English word), else preferably in
        ``interface_language``. ``search`` offers the same as ``SearchResults.suggestion``
        when the query finds few documents."""
        ...

    def rebuild(
        self,
        docs: Iterable[IndexedDocument],
        batch_size: int = 500,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Build a fresh index from ``docs`` and swap it in atomically; returns the count.

        Searches keep working on the old index until the swap. ``progress`` is called with the
        number of documents indexed so far after each batch.
        """
        ...

    def doc_ids(self) -> dict[int, datetime]:
        """Every indexed id with its ``updated_at``, to compare with the database."""
        ...

    def close(self) -> None:
        """Release open files; the backend reopens them on next use."""
        ...
