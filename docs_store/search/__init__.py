"""Full-text search for the methodology library, behind an engine-neutral interface.

``SearchBackend`` is the interface; ``WhooshBackend`` the implementation in use. The query
language is described in ``query_syntax``.
"""

from docs_store.search.backend import SearchBackend
from docs_store.search.types import (
    IndexedDocument,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResults,
    Status,
    Visibility,
)
from docs_store.search.whoosh_backend import WhooshBackend

__all__ = [
    "IndexedDocument",
    "SearchBackend",
    "SearchFilters",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "Status",
    "Visibility",
    "WhooshBackend",
]
