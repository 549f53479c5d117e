"""Sets of documents as bit sets: exact totals, facet counts and filters for a few int operations.

Whoosh counts facets (``groupedby``) and sorts by a column (``sortedby``) by visiting every
match in Python, scoring it on the way, which took most of a search's time on 50,000
documents. Here a set of documents is a Python ``int`` whose bit ``n`` is set when the
document numbered ``n`` (the searcher's global numbering) belongs to it: intersection is ``&``
and size is ``int.bit_count()``, both run in C over 50,000 bits in a microsecond or two. A set
is read straight from the posting lists of its terms without scoring; the sets of metadata
values (facets, statuses) and of visibility filters are kept as long as the searcher (one
index generation), so a search only reads the postings of its own words.
"""

from collections.abc import Callable, Hashable, Iterable, Iterator

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.idsets import DocIdSet
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

# Filters kept per searcher: one per kind of user (visibility) and metadata filter in use.
MAX_CACHED_FILTERS = 64


class DocSets:
    """Bit sets over the documents of one searcher; discard it with the searcher."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        deleted = bytearray(self.size // 8 + 1)
        for leaf, offset in self.reader.leaf_readers():
            if leaf.has_deletions():
                _set_bits(deleted, leaf.deleted_docs_set, offset)
        everything = (1 << self.size) - 1
        self.live = everything & ~int.from_bytes(deleted, "little")
        self._values: dict[str, dict[str, int]] = {}
        self._filters: dict[Hashable, int] = {}

    def term(self, fieldname: str, text: str | bytes) -> int:
        """The live documents holding a term, read from its postings without scoring."""
        if fieldname not in self.searcher.schema:
            return 0
        field = self.searcher.schema[fieldname]
        btext = field.to_bytes(text) if isinstance(text, str) else text
        buffer = bytearray(self.size // 8 + 1)
        for leaf, offset in self.reader.leaf_readers():
            if (fieldname, btext) in leaf:
                _set_bits(buffer, _posting_ids(leaf.postings(fieldname, btext)), offset)
        return int.from_bytes(buffer, "little") & self.live

    def holds(self, fieldname: str, text: str, within: int) -> bool:
        """Whether a live document of the set ``within`` holds a term."""
        return bool(self.term(fieldname, text) & within)

    def values(self, fieldname: str) -> dict[str, int]:
        """Every value indexed in a metadata field, with the documents holding it."""
        found = self._values.get(fieldname)
        if found is None:
            field = self.searcher.schema[fieldname]
            found = {}
            for btext in self.reader.lexicon(fieldname):
                documents = self.term(fieldname, btext)
                if documents:
                    found[field.from_bytes(btext)] = documents
            self._values[fieldname] = found
        return found

    def cached_filter(self, key: Hashable, build: Callable[[], wq.Query]) -> int:
        """The documents a filter query lets through, computed once per ``key``."""
        found = self._filters.get(key)
        if found is None:
            if len(self._filters) >= MAX_CACHED_FILTERS:
                self._filters.clear()
            found = self._filters[key] = self.evaluate(build())
        return found

    def evaluate(self, q: wq.Query) -> int:
        """The live documents a query matches (the set Whoosh would match, unscored)."""
        kind = type(q)
        if kind is wq.Every:
            return self.live
        if q is wq.NullQuery:
            return 0
        if kind is wq.Term:
            return self.term(q.fieldname, q.text)
        if kind is wq.Or:
            result = 0
            for child in q.subqueries:
                result |= self.evaluate(child)
            return result
        if kind is wq.And:
            result = self.live
            for child in q.subqueries:
                result &= self.evaluate(child)
                if not result:
                    break
            return result
        if kind is wq.Not:
            return self.live & ~self.evaluate(q.query)
        # Phrases, prefixes...: Whoosh's own matching, positions and all.
        return bits_of(self.searcher.docs_for_query(q), self.size) & self.live

    def facet_counts(self, matches: int, fieldname: str) -> dict[str, int]:
        """How many of ``matches`` hold each value of a field, most frequent first."""
        counts = {
            value: count
            for value, documents in self.values(fieldname).items()
            if (count := (documents & matches).bit_count())
        }
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class AllowedDocs(DocIdSet):
    """A bit set seen as a Whoosh ``DocIdSet``, to restrict a collector to it."""

    def __init__(self, bits: int, size: int) -> None:
        self._bytes = bits.to_bytes(size // 8 + 1, "little")
        self._bits = bits

    def __contains__(self, docnum: int) -> bool:
        return bool(self._bytes[docnum >> 3] >> (docnum & 7) & 1)

    def __bool__(self) -> bool:
        return True  # even when empty: FilterCollector reads a false filter as "no filter"

    def __len__(self) -> int:
        return self._bits.bit_count()

    def __iter__(self) -> Iterator[int]:
        return iter_bits(self._bits)


def bits_of(docnums: Iterable[int], size: int) -> int:
    """The bit set of some document numbers."""
    buffer = bytearray(size // 8 + 1)
    _set_bits(buffer, docnums, 0)
    return int.from_bytes(buffer, "little")


def iter_bits(bits: int) -> Iterator[int]:
    """The document numbers of a bit set, in increasing order."""
    for index, byte in enumerate(bits.to_bytes(bits.bit_length() // 8 + 1, "little")):
        if byte:
            base = index * 8
            for bit in range(8):
                if byte >> bit & 1:
                    yield base + bit


def _set_bits(buffer: bytearray, docnums: Iterable[int], offset: int) -> None:
    for docnum in docnums:
        docnum += offset
        buffer[docnum >> 3] |= 1 << (docnum & 7)


def _posting_ids(matcher: Matcher) -> Iterable[int]:
    """Every document number of a posting list, deleted ones included (``live`` removes them).

    Whoosh's ``all_ids`` goes through ``is_active``/``id``/``next`` for each posting; the
    whoosh3 codec decodes postings a block at a time, so read whole blocks instead.
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        return matcher.all_ids()
    return _blocks(matcher)


def _blocks(matcher: W3LeafMatcher) -> Iterator[int]:
    while matcher.is_active():
        matcher.block_min_id()  # loads the block's ids into ``_ids``
        yield from matcher._ids
        matcher._next_block()
