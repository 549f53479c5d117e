"""Turn a parsed query into a Whoosh query, with bounded typo and prefix expansion.

Whoosh expands ``FuzzyTerm`` and ``Prefix`` into every matching term of the lexicon; on a
50,000-document corpus an unbounded prefix query took 3 s. ``closest_terms`` and
``prefix_terms`` look at a bounded number of candidates per segment and keep the few best, so
a query's cost no longer grows with the vocabulary. Typo expansion only runs for words the
index does not know (``is_known``): a word found as typed needs no guessing.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.query.spans import SpanNear2
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import damerau_levenshtein

from docs_store.analysis import LANGUAGES, Language, is_stop_word
from docs_store.errors import QueryError
from docs_store.language import decide, word_votes
from docs_store.search.query_syntax import AllOf, AnyOf, Node, Not, Phrase, Word, tokenize
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
# Fields of the other language than the query's still match, a little below its own.
OTHER_LANGUAGE_BOOST = 0.6
# A query's words found close together, in any order (at most this many words apart), score
# this much more: the phrase the reader had in mind.
PROXIMITY_SLOP = 3
PROXIMITY_BOOST = 2.0


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


@dataclass(frozen=True)
class Plan:
    """How one query matches and ranks.

    A document must match ``required`` (exclusions, metadata fields) and at least one of
    ``clauses`` (the query's words, phrases and synonym groups); documents holding more
    clauses rank first (coordination), then by ``ranking``. No clauses: ``required`` alone
    decides (``Every`` for a blank query).
    """

    required: wq.Query
    clauses: tuple[wq.Query, ...] = ()
    #: Score bonuses for the documents holding every clause: the words close together.
    bonus: tuple[wq.Query, ...] = ()

    @property
    def terms(self) -> wq.Query:
        """The query whose terms are highlighted."""
        return _any(list(self.clauses)) or self.required

    def ranking(self, held: Sequence[int], every: bool) -> wq.Query:
        """The query that scores documents holding the clauses numbered ``held``.

        ``every``: they hold all of them, and are scored by their intersection (which walks
        only the postings of the documents holding them all) plus the bonus; otherwise by
        their union, which walks the postings of ``held`` only.
        """
        if not self.clauses:
            return self.required
        chosen = [self.clauses[index] for index in held]
        if not every:
            return chosen[0] if len(chosen) == 1 else wq.Or(chosen)
        both = chosen[0] if len(chosen) == 1 else wq.And(chosen)
        return wq.AndMaybe(both, wq.Or(list(self.bonus))) if self.bonus else both


# A word is evidence for a language when that language's documents hold it this many times
# more often than the other's.
LANGUAGE_EVIDENCE_RATIO = 3


def guess_language(reader: IndexReader, text: str, hint: Language | None) -> Language | None:
    """The language a query is written in, from its words; ``hint`` on a tie (may be None).

    A query is too short for a language model, so each word votes: a stop word or accent of
    one language only (``docs_store.language.word_votes``), or a word the index holds mostly
    in one language's documents ("risques" in French ones, "risks" in English ones).
    """
    try:
        words = [token.text for token in tokenize(text) if token.kind in ("word", "phrase")]
    except QueryError:
        return hint
    words = [word for phrase in words for word in phrase.split()]
    votes = word_votes(words)
    schema = reader.schema
    for word in words:
        if is_stop_word(word):
            continue
        frequency = {
            language: sum(
                reader.doc_frequency(fieldname, term)
                for fieldname in (title_field(language), body_field(language))
                for term in schema[fieldname].process_text(word, mode="query")
            )
            for language in LANGUAGES
        }
        for language, other in (("fr", "en"), ("en", "fr")):
            if frequency[language] > LANGUAGE_EVIDENCE_RATIO * frequency[other]:
                votes[language] += 1
    return decide(votes, hint)


class QueryTranslator:
    """Builds Whoosh queries against one index reader (and the schema stored in its index).

    Typo and prefix expansions are looked up here, once, and become plain terms: the query
    is then matched, counted and highlighted without expanding them again. ``language`` is the
    query's language when known: the other language's fields score a little lower.
    ``fuzzy=False`` leaves typos unexpanded (to count what a query finds as typed).
    """

    def __init__(
        self, reader: IndexReader, language: Language | None = None, *, fuzzy: bool = True
    ) -> None:
        self.reader = reader
        self.schema = reader.schema
        self.language = language
        self.fuzzy = fuzzy

    def plan(self, node: Node | None) -> Plan:
        """The ``Plan`` of a parsed query: a top-level list of terms is matched term by term
        (unless written with ``AND``)."""
        if node is None:
            return Plan(wq.Every())
        loose = isinstance(node, AllOf) and not node.strict
        children = node.children if loose else (node,)
        required: list[wq.Query] = []
        clauses: list[wq.Query] = []
        for child in children:
            q = self._node(child)
            if q is None:
                continue
            strict = isinstance(child, Not) or (
                isinstance(child, Word | Phrase)
                and child.field is not None
                and child.field not in TEXT_FIELDS
            )
            (required if strict else clauses).append(q)
        if not required and not clauses:
            return Plan(wq.NullQuery)
        must = wq.And([wq.Every(), *required]) if required else wq.Every()
        bonus = self._proximity([c for c in children if isinstance(c, Word)]) if loose else []
        return Plan(must, tuple(clauses), tuple(bonus))

    def _proximity(self, words: list[Word]) -> list[wq.Query]:
        """The plain words of a query near each other, per text field, as score bonuses."""
        plain = [w.text for w in words if w.field is None and not w.prefix]
        if len(plain) < 2:
            return []
        bonus = []
        for fieldname in DEFAULT_FIELDS:
            terms = [t for word in plain for t in self._terms(fieldname, word)]
            if len(terms) >= 2:
                boost = PROXIMITY_BOOST * self._language_boost(fieldname)
                near = [wq.Term(fieldname, term, boost=boost) for term in terms]
                bonus.append(SpanNear2(near, slop=PROXIMITY_SLOP, ordered=False))
        return bonus

    def _language_boost(self, fieldname: str) -> float:
        if self.language is None or fieldname.endswith(f"_{self.language}"):
            return 1.0
        return OTHER_LANGUAGE_BOOST

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
        boost = self._language_boost(fieldname)
        if len(terms) == 1:
            return wq.Term(fieldname, terms[0], boost=boost)
        return wq.Phrase(fieldname, terms, boost=boost)

    def _fuzzy(self, text: str) -> wq.Query | None:
        """Close spellings of a word the index does not know; known words are not expanded."""
        terms = self._terms(SPELL_FIELD, text)
        if not self.fuzzy or len(terms) != 1 or len(terms[0]) < MIN_FUZZY_LENGTH:
            return None
        if is_known(self.reader, text):
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
