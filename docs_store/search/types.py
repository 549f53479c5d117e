"""The data that crosses the search backend interface, independent of any engine."""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from docs_store.analysis import LANGUAGES, Language


class Status(enum.StrEnum):
    """A document's lifecycle state, as the search index knows it."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    OBSOLETE = "obsolete"


# Results are ordered by status first, in this order, then by relevance: published documents lead.
STATUS_ORDER: tuple[Status, ...] = (
    Status.PUBLISHED,
    Status.IN_REVIEW,
    Status.DRAFT,
    Status.OBSOLETE,
)

FACET_FIELDS: tuple[str, ...] = ("kind", "tag", "methodology", "language", "stage")


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    """One document as the index sees it: the current version's text and metadata.

    ``body`` is the document's text as a reader sees it (Markdown rendered to plain text, see
    ``docs_store.plaintext``): it is indexed in ``language`` and snippets are cut from it.
    ``attachments`` are the texts extracted from its attached files, each indexed in the
    language it is written in, whatever the document's.
    ``updated_at`` is the version stamp that ``SearchBackend.doc_ids`` gives back, so a check
    can tell a stale entry from a current one.
    """

    id: int
    title: str
    body: str
    kind: str
    language: Language
    status: Status
    updated_at: datetime
    summary: str = ""
    tags: tuple[str, ...] = ()
    methodology: str | None = None
    stage: str | None = None
    owner_id: int | None = None
    attachments: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
        # Accept plain strings from the database layer; store the enum.
        object.__setattr__(self, "status", Status(self.status))


@dataclass(frozen=True, slots=True)
class Visibility:
    """What one user may find.

    ``statuses`` are visible whoever owns the document (staff: published only; PMO and admins:
    all). Documents owned by ``own_owner_id`` are also visible in draft and in review, so
    authors find their own work.
    """

    statuses: frozenset[Status]
    own_owner_id: int | None = None

    @classmethod
    def published_only(cls, own_owner_id: int | None = None) -> "Visibility":
        """What staff see: published documents, plus their own unpublished ones."""
        return cls(frozenset({Status.PUBLISHED}), own_owner_id)

    @classmethod
    def everything(cls) -> "Visibility":
        """What the PMO and admins see."""
        return cls(frozenset(Status))


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Exact-value filters; ``None`` means no filter. Values compare case-insensitively."""

    kind: str | None = None
    tag: str | None = None
    language: str | None = None
    methodology: str | None = None
    stage: str | None = None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """One search request.

    ``text`` uses the query syntax of ``docs_store.search.query_syntax`` (words, "phrases",
    ``field:value``, AND / OR / NOT, ``-word``, ``prefix*``); empty text matches every visible
    document, which is how the library is browsed by facets. Obsolete documents are left out
    unless ``include_obsolete`` is set, even for users allowed to see them. ``page`` counts
    from 1. ``interface_language`` is the reader's, which decides the query's language when its
    words do not (that language's stemming is preferred and suggestions come from its
    documents).
    """

    text: str = ""
    visibility: Visibility = field(default_factory=Visibility.published_only)
    filters: SearchFilters = field(default_factory=SearchFilters)
    include_obsolete: bool = False
    page: int = 1
    per_page: int = 10
    interface_language: Language | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result. ``highlights`` maps ``"title"`` and/or ``"body"`` to an HTML snippet.

    In a snippet the matched words are wrapped in ``<b class="match">`` and everything else is
    HTML-escaped, so it can be inserted into a page as is.
    """

    id: int
    title: str
    kind: str
    status: Status
    score: float
    highlights: Mapping[str, str]


Facets = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class SearchResults:
    """A page of results, with facet counts over every match (not only the page)."""

    total: int
    page: int
    per_page: int
    items: tuple[SearchHit, ...]
    facets: Facets
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        """How many pages the matches fill."""
        return max(1, -(-self.total // self.per_page))
