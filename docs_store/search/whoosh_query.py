"""Turn a parsed query into a Whoosh query, with bounded typo and prefix expansion.

Whoosh expands ``FuzzyTerm`` and ``Prefix`` into every matching term of the lexicon; on a
50,000-document corpus an unbounded prefix query took 3 s. ``closest_terms`` and
``prefix_terms`` look at a bounded number of candidates per segment and keep the few best, so
a query's cost no longer grows with the vocabulary. Typo expansion only runs for words the
index does not know (``is_known``): a word found as typed needs no guessing.
"""

from collections.abc import Callable, Iterator

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import damerau_levenshtein

from docs_store.analysis import LANGUAGES, is_stop_word
from docs_store.search.query_syntax import AllOf, AnyOf, Node, Not, Phrase, Word
from docs_store.search.types import SearchQuery, Status
from docs_store.search.whoosh_schema import body_field, normalize_keyword, title_field

TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": tuple(title_field(language) for language in LANGUAGES),
    "body": tuple(body_field(language) for language in LANGUAGES),
}
DEFAULT_FIELDS = TEXT_FIELDS["title"] + TEXT_FIELDS["body"]
SPELL_FIELD = "spell"
# Typo matches score below exact (stemmed) ones.
FUZZY_BOOST = 0.4
MIN_FUZZY_LENGTH = 4
# Candidates examined, and kept, per expanding term and segment.
SCAN_LIMIT = 200
MAX_EXPANSIONS = 8
# Letters a typo must leave in place at the start of a word; keeps the lexicon walk short.
FUZZY_PREFIX = 2
MAX_PREFIX_EXPANSIONS = 32


def _leaf_readers(reader: IndexReader) -> Iterator[IndexReader]:
    # Segment readers walk their term dictionary with an automaton; the multi-segment
    # reader's fallback computes a distance for every term sharing the prefix.
    for leaf, _offset in reader.leaf_readers():
        yield leaf


def closest_terms(
    reader: IndexReader, fieldname: str, text: str, maxdist: int, prefix: int, limit: int
) -> list[str]:
    """Up to ``limit`` indexed terms within ``maxdist`` edits of ``text``, closest first.

    Ties go to the term found in more documents, which makes suggestions favour the usual
    spelling over another typo.
    """
    candidates: set[str] = set()
    for leaf in _leaf_readers(reader):
        for count, term in enumerate(leaf.terms_within(fieldname, text, maxdist, prefix)):
            if count >= SCAN_LIMIT:
                break
            candidates.add(term)

    def rank(term: str) -> tuple[int, int, str]:
        distance = damerau_levenshtein(term, text)
        return distance, -reader.doc_frequency(fieldname, term), term

    return sorted(candidates, key=rank)[:limit]


def prefix_terms(reader: IndexReader, fieldname: str, prefix: str) -> list[str]:
    """The ``MAX_PREFIX_EXPANSIONS`` most frequent indexed terms starting with ``prefix``."""
    candidates: set[bytes] = set()
    for leaf in _leaf_readers(reader):
        for count, term in enumerate(leaf.expand_prefix(fieldname, prefix)):
            if count >= SCAN_LIMIT:
                break
            candidates.add(term)
    by_frequency = sorted(
        candidates, key=lambda term: (-reader.doc_frequency(fieldname, term), term)
    )
    field = reader.schema[fieldname]
    return [field.from_bytes(term) for term in by_frequency[:MAX_PREFIX_EXPANSIONS]]


#: Whether a term of a field occurs in a document someone may see: ``seen(fieldname, term)``.
Seen = Callable[[str, str], bool]


def is_known(reader: IndexReader, text: str, seen: Seen | None = None) -> bool:
    """Whether a word matches as typed: spelt so, or stemming like an indexed word
    ("strategie" is known when "stratégie" is indexed). With ``seen``, only in documents
    it accepts."""
    schema = reader.schema

    def present(fieldname: str, term: str) -> bool:
        found = reader.doc_frequency(fieldname, term) > 0
        return found and (seen is None or seen(fieldname, term))

    words = list(schema[SPELL_FIELD].process_text(text, mode="query"))
    if any(present(SPELL_FIELD, word) for word in words):
        return True
    return any(
        present(fieldname, term)
        for fieldname in DEFAULT_FIELDS
        for term in schema[fieldname].process_text(text, mode="query")
    )


class QueryTranslator:
    """Builds Whoosh queries against one index reader (and the schema stored in its index).

    Typo and prefix expansions are looked up here, once, and become plain terms: the query
    is then matched, counted and highlighted without expanding them again.
    """

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self.schema = reader.schema

    def translate(self, node: Node | None) -> wq.Query:
        """The Whoosh query for a parsed query; blank text matches everything."""
        if node is None:
            return wq.Every()
        result = self._node(node)
        if result is None:
            return wq.NullQuery
        if isinstance(result, wq.Not):
            return wq.And([wq.Every(), result])
        return result

    def _node(self, node: Node) -> wq.Query | None:
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Not):
            child = self._node(node.child)
            return None if child is None else wq.Not(child)
        children = [q for q in map(self._node, node.children) if q is not None]
        if not children:
            return None
        if isinstance(node, AnyOf):
            return children[0] if len(children) == 1 else wq.Or(children)
        assert isinstance(node, AllOf)
        if all(isinstance(child, wq.Not) for child in children):
            children.insert(0, wq.Every())
        return children[0] if len(children) == 1 else wq.And(children)

    def _word(self, word: Word) -> wq.Query | None:
        if word.field is not None and word.field not in TEXT_FIELDS:
            return wq.Term(word.field, normalize_keyword(word.text))
        if word.prefix:
            terms = self._terms(SPELL_FIELD, word.text)
            if len(terms) != 1:
                return None
            return _any(
                [wq.Term(SPELL_FIELD, t) for t in prefix_terms(self.reader, SPELL_FIELD, terms[0])]
            )
        if is_stop_word(word.text):
            # A stop word in one language only would otherwise be required in the other
            # language's fields, where it is never indexed.
            return None
        fieldnames = TEXT_FIELDS[word.field] if word.field else DEFAULT_FIELDS
        clauses = [self._text(fieldname, word.text) for fieldname in fieldnames]
        if word.field is None:
            clauses.append(self._fuzzy(word.text))
        return _any(clauses)

    def _phrase(self, phrase: Phrase) -> wq.Query | None:
        if phrase.field is not None and phrase.field not in TEXT_FIELDS:
            return wq.Term(phrase.field, normalize_keyword(phrase.text))
        fieldnames = TEXT_FIELDS[phrase.field] if phrase.field else DEFAULT_FIELDS
        return _any([self._text(fieldname, phrase.text) for fieldname in fieldnames])

    def _text(self, fieldname: str, text: str) -> wq.Query | None:
        terms = self._terms(fieldname, text)
        if not terms:
            return None
        if len(terms) == 1:
            return wq.Term(fieldname, terms[0])
        return wq.Phrase(fieldname, terms)

    def _fuzzy(self, text: str) -> wq.Query | None:
        """Close spellings of a word the index does not know; known words are not expanded."""
        terms = self._terms(SPELL_FIELD, text)
        if len(terms) != 1 or len(terms[0]) < MIN_FUZZY_LENGTH or is_known(self.reader, text):
            return None
        maxdist = 1 if len(terms[0]) < 8 else 2
        found = closest_terms(
            self.reader, SPELL_FIELD, terms[0], maxdist, FUZZY_PREFIX, MAX_EXPANSIONS
        )
        return _any([wq.Term(SPELL_FIELD, term, boost=FUZZY_BOOST) for term in found])

    def _terms(self, fieldname: str, text: str) -> list[str]:
        return list(self.schema[fieldname].process_text(text, mode="query"))


def _any(clauses: list[wq.Query | None]) -> wq.Query | None:
    present = [clause for clause in clauses if clause is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else wq.Or(present)


def build_filter(search: SearchQuery) -> wq.Query:
    """Visibility, obsolescence and metadata filters, as one query.

    A document is visible when its status is in ``visibility.statuses``, or when the user owns
    it (then any status but obsolete). Obsolete documents need ``include_obsolete`` besides.
    """
    hidden = set() if search.include_obsolete else {Status.OBSOLETE}
    visible = [wq.Term("status", str(s)) for s in search.visibility.statuses - hidden]
    owner = search.visibility.own_owner_id
    if owner is not None:
        own_statuses = [wq.Term("status", str(s)) for s in set(Status) - hidden]
        visible.append(wq.And([wq.Term("owner", str(owner)), wq.Or(own_statuses)]))
    clauses: list[wq.Query] = [wq.Or(visible) if visible else wq.NullQuery]
    for name in ("kind", "tag", "language", "methodology", "stage"):
        value = getattr(search.filters, name)
        if value is not None:
            clauses.append(wq.Term(name, normalize_keyword(value)))
    return wq.And(clauses)
