"""The Whoosh implementation of ``SearchBackend``.

One ``WhooshBackend`` per process. It keeps one searcher open and replaces it when the index
has new commits, reopening the index when a rebuild has swapped the index directory. Searches
within a process are serialised by a lock: Whoosh readers share file handles, and the app's
workers are processes, not threads, so the lock costs nothing there and keeps threaded servers
correct.

Writes assume the caller holds ``docs_store.locking.try_writer_lock`` (one writer at a time
across processes); a second Whoosh writer would fail with ``LockError``.
"""

import functools
import gc
import logging
import operator
import os
import shutil
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from docs_store.errors import IndexUnavailable, QueryError
from docs_store.search.index_dir import IndexLocation
from docs_store.search.query_syntax import Node, parse
from docs_store.search.synonyms import expand_synonyms
from docs_store.search.types import (
    FACET_FIELDS,
    IndexedDocument,
    SearchQuery,
    SearchResults,
)
from docs_store.search.whoosh_build import build_index
from docs_store.search.whoosh_docsets import DocSets
from docs_store.search.whoosh_query import (
    QueryTranslator,
    Seen,
    build_filter,
    guess_language,
)
from docs_store.search.whoosh_ranking import (
    by_coordination,
    held_sets,
    ranked_groups,
    ranked_page,
)
from docs_store.search.whoosh_results import Highlighter, suggest_query, to_hit
from docs_store.search.whoosh_schema import SCHEMA_VERSION, parse_stamp, to_fields
from docs_store.thesaurus import Thesaurus

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PROCS = 4


class WhooshBackend:
    """Full-text search over an index kept under ``root`` (``<data dir>/index``).

    ``thesaurus`` defaults to the shipped one; ``suggest_below`` is the result count under
    which a "did you mean" suggestion is offered; ``limitmb`` bounds the writer's memory (all
    processes together in a rebuild); ``procs`` is how many processes a rebuild uses (one per
    core by default, up to ``MAX_PROCS``).
    """

    def __init__(
        self,
        root: Path | str,
        thesaurus: Thesaurus | None = None,
        *,
        suggest_below: int = 3,
        limitmb: int = 128,
        procs: int | None = None,
    ) -> None:
        self.location = IndexLocation(root)
        self.thesaurus = thesaurus if thesaurus is not None else Thesaurus.load()
        self.suggest_below = suggest_below
        self.limitmb = limitmb
        self.procs = procs if procs is not None else min(os.cpu_count() or 1, MAX_PROCS)
        self._lock = threading.RLock()
        self._ix: FileIndex | None = None
        self._stamp: tuple[int, int] | None = None
        self._searcher: Searcher | None = None
        self._docsets: DocSets | None = None

    # -- opening -----------------------------------------------------------------------------

    def ensure_usable(self) -> bool:
        """Open the index and read a little of everything; False if missing or corrupt.

        Any failure counts as unusable: corruption surfaces as many exception types (struct,
        zlib, pickle, EOF...), and the remedy is the same — rebuild — so it is logged, not
        raised.
        """
        with self._lock:
            self.close()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                reason = self._probe()
            if reason is None:
                return True
            log.warning("search index at %s is unusable (%s)", self.location.root, reason)
            self.close()
            return False

    def _probe(self) -> str | None:
        """Why the index cannot be read, or None when it can."""
        try:
            searcher = self._current_searcher()
            for hit in searcher.search(wq.Every(), limit=1):
                hit.fields()
            self.doc_ids()
        except IndexUnavailable as exc:
            if exc.__cause__ is None:  # no index directory at all: no file was opened
                return f"{type(exc).__name__}: {exc}"
            reason = f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
        else:
            return None
        # Whoosh leaves the files of a corrupt index open; they are released with the
        # exception's frames, and that must not surface later as a stray ResourceWarning.
        gc.collect()
        return reason

    def close(self) -> None:
        """Release the searcher and index files; they are reopened on next use."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._docsets = None
            if self._ix is not None:
                self._ix.close()
            self._ix = None
            self._stamp = None

    def _current_index(self) -> FileIndex:
        stamp = self.location.stamp()
        if self._ix is None or stamp != self._stamp:
            self.close()
            directory = self.location.current(SCHEMA_VERSION)
            if directory is None:
                recorded = self.location.recorded_schema()
                if recorded is not None and recorded != SCHEMA_VERSION:
                    raise IndexUnavailable(
                        f"the search index was built with schema version {recorded};"
                        f" this version needs {SCHEMA_VERSION}"
                    )
                raise IndexUnavailable(f"no search index under {self.location.root}")
            try:
                self._ix = whoosh_index.open_dir(str(directory))
            except (whoosh_index.EmptyIndexError, OSError, ValueError, EOFError) as exc:
                raise IndexUnavailable(f"cannot open the search index: {exc}") from exc
            self._stamp = stamp
        return self._ix

    def _current_searcher(self) -> Searcher:
        ix = self._current_index()
        if self._searcher is not None and not self._searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers whose segment only gained
            # deletions, so deleted documents stay findable.
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._searcher = ix.searcher()
            self._docsets = None
        return self._searcher

    def _current_docsets(self) -> DocSets:
        searcher = self._current_searcher()
        if self._docsets is None or self._docsets.searcher is not searcher:
            self._docsets = DocSets(searcher)
        return self._docsets

    # -- writing -----------------------------------------------------------------------------

    @contextmanager
    def _writer(self) -> Iterator[IndexWriter]:
        with self._lock:
            writer = self._current_index().writer(limitmb=self.limitmb)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def index(self, docs: Iterable[IndexedDocument]) -> None:
        """Add or replace documents by id, in one commit."""
        with self._writer() as writer:
            for doc in docs:
                writer.update_document(**to_fields(doc))

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        with self._writer() as writer:
            for doc_id in ids:
                writer.delete_by_term("id", str(doc_id))

    def rebuild(
        self,
        docs: Iterable[IndexedDocument],
        batch_size: int = 500,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Index ``docs`` into a new directory, then swap it in; returns how many were indexed.

        Streams ``docs`` (pass a generator over the database in batches), so memory stays
        bounded by ``limitmb``. On failure the new directory is removed and the old index stays
        live. Tasks that reach the outbox while this runs should be drained afterwards.
        """
        directory = self.location.new_dir()
        try:
            count = build_index(
                directory,
                docs,
                procs=self.procs,
                limitmb=self.limitmb,
                batch_size=batch_size,
                progress=progress,
            )
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        with self._lock:
            self.close()
            self.location.switch_to(directory, SCHEMA_VERSION)
        return count

    # -- reading -----------------------------------------------------------------------------

    def doc_ids(self) -> dict[int, datetime]:
        """Every indexed id with its version stamp, read from columns (not stored bodies)."""
        with self._lock:
            reader = self._current_searcher().reader()
            if reader.doc_count_all() == 0:
                return {}  # an index without segments has no columns to read
            ids = reader.column_reader("id")
            stamps = reader.column_reader("updated")
            return {int(ids[doc]): parse_stamp(stamps[doc]) for doc in reader.all_doc_ids()}

    def search(self, query: SearchQuery) -> SearchResults:
        """Run a search; ``QueryError`` for unreadable text, ``IndexUnavailable`` without index.

        The matches are a bit set (``DocSets``), which gives the exact total and facet counts
        without scoring anything; only the documents that can reach the page are ranked.
        Documents holding every word of the query come first, then those holding fewer
        (``by_coordination``); within each group published documents lead, then the score.
        """
        node = self._expanded(query.text)
        page = max(1, query.page)
        per_page = min(max(1, query.per_page), MAX_PER_PAGE)
        with self._lock:
            sets = self._current_docsets()
            reader = sets.reader
            language = guess_language(reader, query.text, query.interface_language)
            plan = QueryTranslator(reader, language).plan(node)
            allowed = _allowed(sets, query)
            held = held_sets(sets, plan, allowed)
            groups = by_coordination(held) if plan.clauses else {0: held[0]} if held else {}
            matches = functools.reduce(operator.or_, groups.values(), 0)
            total = matches.bit_count()
            highlighter = Highlighter(reader, plan.terms)
            ranked = ranked_groups(plan, held, groups)
            items = tuple(
                to_hit(sets.searcher.stored_fields(docnum), score, highlighter)
                for score, docnum in ranked_page(sets, ranked, (page - 1) * per_page, per_page)
            )
            suggestion = None
            every_word = groups.get(len(plan.clauses), 0).bit_count()
            if query.text.strip() and every_word < self.suggest_below:
                suggestion = self._suggestion(sets, query, allowed)
            return SearchResults(
                total=total,
                page=page,
                per_page=per_page,
                items=items,
                facets={name: sets.facet_counts(matches, name) for name in FACET_FIELDS},
                suggestion=suggestion,
            )

    def _expanded(self, text: str) -> Node | None:
        node = parse(text)
        return None if node is None else expand_synonyms(node, self.thesaurus)

    def _suggestion(self, sets: DocSets, query: SearchQuery, allowed: int) -> str | None:
        """A better spelt query, offered only when it finds more documents holding every word
        than the query (both counted as typed, without typo expansion).

        Its words come from the documents the reader may see in the query's language when the
        query's words tell it; otherwise from those in the interface language first, then
        from any the reader may see.
        """
        told = guess_language(sets.reader, query.text, None)
        preferred = told or query.interface_language
        dictionaries = [allowed & sets.values("language").get(preferred, 0)] if preferred else []
        if told is None:
            dictionaries.append(allowed)
        for dictionary in dictionaries:
            suggested = suggest_query(
                sets.reader, query.text, _seen_in(sets, allowed), _seen_in(sets, dictionary)
            )
            if suggested is None:
                continue
            before, after = (
                self._every_word(sets, text, allowed) for text in (query.text, suggested)
            )
            return suggested if after > before else None
        return None

    def _every_word(self, sets: DocSets, text: str, allowed: int) -> int:
        """How many allowed documents hold every word of ``text`` as typed."""
        try:
            node = self._expanded(text)
        except QueryError:
            return 0
        plan = QueryTranslator(sets.reader, fuzzy=False).plan(node)
        if not plan.clauses:
            return 0
        return functools.reduce(operator.and_, held_sets(sets, plan, allowed)).bit_count()

    def suggest(self, query: SearchQuery) -> str | None:
        """``query.text`` with misspelt words replaced by the closest words of the documents
        the query may find in the query's language, or None (also when the suggestion would
        find no more documents)."""
        with self._lock:
            sets = self._current_docsets()
            return self._suggestion(sets, query, _allowed(sets, query))


def _allowed(sets: DocSets, query: SearchQuery) -> int:
    """The documents a query may find whatever its text: visibility and filters."""
    key = (query.visibility, query.filters, query.include_obsolete)
    return sets.cached_filter(key, lambda: build_filter(query))


def _seen_in(sets: DocSets, allowed: int) -> Seen:
    """Suggestions come from the documents the reader may find, never from the others."""
    return lambda fieldname, term: sets.holds(fieldname, term, allowed)
