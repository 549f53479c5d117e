"""Searching the library with the user's visibility applied."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

from app.auth.models import User
from app.library.access import search_visibility
from app.library.indexing import drain, search_service
from app.refusals import Malformed, Unavailable
from docs_store.analysis import LANGUAGES, Language
from docs_store.errors import IndexUnavailable, QueryError
from docs_store.search import SearchFilters, SearchQuery, SearchResults

FILTERS = ("kind", "tag", "language", "methodology", "stage")
#: The deepest page of results a search answers (on the page and in the API).
MAX_SEARCH_PAGE = 1000


def search_documents(
    user: User,
    text: str = "",
    *,
    page: int = 1,
    per_page: int = 10,
    include_obsolete: bool = False,
    **filters: str | None,
) -> SearchResults:
    """Run a search as ``user``; 400 when the query cannot be read.

    Pending index tasks are applied first when this process can take the writer lock, so a
    change committed by any worker (even one that died before indexing it) is found.
    """
    drain()
    query = SearchQuery(
        text=text or "",
        visibility=search_visibility(user),
        filters=SearchFilters(**{name: filters.get(name) or None for name in FILTERS}),
        include_obsolete=include_obsolete,
        page=page,
        per_page=per_page,
        interface_language=interface_language(),
    )
    try:
        return search_service().backend.search(query)
    except IndexUnavailable:
        raise Unavailable(_("Search is being rebuilt. Please try again in a moment.")) from None
    except QueryError as exc:
        raise Malformed(
            _("The search cannot be read: %(why)s", why=str(exc)), code="bad_query"
        ) from None


def interface_language() -> Language | None:
    """The reader's interface language during a request, when it is one of the library's:
    how a query, or a document, whose words do not tell is read."""
    if not has_request_context():
        return None
    locale = str(get_locale() or "")
    return locale if locale in LANGUAGES else None  # type: ignore[return-value]
