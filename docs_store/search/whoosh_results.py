"""Turning Whoosh results into ``SearchResults``: hits, highlights, facets and suggestions."""

from collections.abc import Mapping

from whoosh import highlight, sorting
from whoosh import query as wq
from whoosh.compat import htmlescape
from whoosh.reading import IndexReader
from whoosh.searching import Results, Searcher

from docs_store.analysis import LANGUAGES, Language
from docs_store.errors import QueryError
from docs_store.search.query_syntax import tokenize
from docs_store.search.types import FACET_FIELDS, Facets, SearchHit, Status
from docs_store.search.whoosh_query import DEFAULT_FIELDS, SPELL_FIELD, closest_terms
from docs_store.search.whoosh_schema import NO_TAG, body_field, title_field

SNIPPET_CHARS = 200
SNIPPETS = 2


class MatchFormatter(highlight.Formatter):
    """Wraps matches in ``<b class="match">`` and escapes everything else."""

    between = " … "

    def _text(self, text: str) -> str:
        return htmlescape(text, quote=False)

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        matched = htmlescape(highlight.get_text(text, token, replace), quote=False)
        return f'<b class="match">{matched}</b>'


def facet_groups() -> dict[str, sorting.FieldFacet]:
    """Facets to count over every match; a document has several tags, hence the overlap."""
    return {
        name: sorting.FieldFacet(name, allow_overlap=name == "tag", maptype=sorting.Count)
        for name in FACET_FIELDS
    }


def facet_counts(results: Results) -> Facets:
    """Counts per facet value, most frequent first, leaving out documents without a value."""
    counts: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        groups = results.groups(name)
        ordered = sorted(groups.items(), key=lambda item: (-item[1], str(item[0])))
        counts[name] = {str(value): count for value, count in ordered if value and value != NO_TAG}
    return counts


class Highlighter:
    """Highlights hits of one query, in the language of each hit."""

    def __init__(self, searcher: Searcher, q: wq.Query) -> None:
        self.schema = searcher.schema
        terms = _matched_terms(searcher.reader(), q)
        self.terms = {language: self._terms_for(language, terms) for language in LANGUAGES}

    def _terms_for(self, language: Language, terms: dict[str, set[str]]) -> frozenset[str]:
        # Typo matches are unstemmed words; stem them as this language's text would be.
        found = terms.get(title_field(language), set()) | terms.get(body_field(language), set())
        analyzer = self.schema[body_field(language)].analyzer
        for word in terms.get(SPELL_FIELD, ()):
            found |= {token.text for token in analyzer(word, mode="query")}
        return frozenset(found)

    def highlights(self, stored: Mapping[str, str], language: Language) -> dict[str, str]:
        """Snippets for the title and the body text, only where a query term occurs."""
        terms = self.terms[language]
        if not terms:
            return {}
        analyzer = self.schema[body_field(language)].analyzer
        fragmenters = {
            "title": highlight.WholeFragmenter(),
            "body": highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
        }
        sources = {"title": stored.get("title", ""), "body": stored.get("text", "")}
        snippets = {}
        for name, fragmenter in fragmenters.items():
            snippet = highlight.highlight(
                sources[name], terms, analyzer, fragmenter, MatchFormatter(), top=SNIPPETS
            )
            if snippet:
                snippets[name] = snippet
        return snippets


def _matched_terms(reader: IndexReader, q: wq.Query) -> dict[str, set[str]]:
    """The query's terms (typo and prefix expansions included) that occur in the index.

    ``Query.existing_terms`` would do, but in Whoosh 2.7 it only reports the first field it
    meets (its loop variable shadows its ``fieldname`` argument).
    """
    found: dict[str, set[str]] = {}
    for leaf in q.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            field = reader.schema[fieldname]
            btext = field.to_bytes(text) if isinstance(text, str) else text
            if (fieldname, btext) in reader:
                found.setdefault(fieldname, set()).add(field.from_bytes(btext))
    return found


def to_hit(stored: Mapping[str, str], score: float, highlighter: Highlighter) -> SearchHit:
    """One result from a hit's stored fields."""
    return SearchHit(
        id=int(stored["id"]),
        title=stored.get("title", ""),
        kind=stored.get("kind", ""),
        status=Status(stored["status"]),
        score=round(score, 4),
        highlights=highlighter.highlights(stored, stored.get("language", "fr")),
    )


def suggest_query(searcher: Searcher, text: str) -> str | None:
    """``text`` with each unknown plain word replaced by the closest indexed word.

    Works on the unstemmed ``spell`` field, so suggestions are real words ("stratégie"), not
    stems. Field values, phrases and prefixes are left as typed.
    """
    try:
        tokens = tokenize(text)
    except QueryError:
        return None
    reader = searcher.reader()
    analyzer = searcher.schema[SPELL_FIELD].analyzer
    changed = False
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token.kind != "word" or token.text.endswith("*"):
            continue
        if index > 0 and tokens[index - 1].kind == "field":
            continue
        words = [t.text for t in analyzer(token.text, mode="query")]
        if len(words) != 1 or _is_known(searcher, token.text, words[0]):
            continue
        maxdist = 1 if len(words[0]) < 5 else 2
        found = closest_terms(reader, SPELL_FIELD, words[0], maxdist, prefix=1, limit=1)
        if found:
            text = text[: token.start] + found[0] + text[token.end :]
            changed = True
    return text if changed else None


def _is_known(searcher: Searcher, text: str, word: str) -> bool:
    """Whether a word matches as typed: spelt so, or stemming like an indexed word
    ("strategie" is known when "stratégie" is indexed)."""
    reader = searcher.reader()
    if reader.doc_frequency(SPELL_FIELD, word):
        return True
    return any(
        reader.doc_frequency(fieldname, term)
        for fieldname in DEFAULT_FIELDS
        for term in searcher.schema[fieldname].process_text(text, mode="query")
    )
