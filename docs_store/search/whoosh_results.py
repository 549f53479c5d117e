"""Turning Whoosh results into ``SearchResults``: hits, highlights and suggestions."""

import html
from collections.abc import Mapping

from whoosh import query as wq
from whoosh.reading import IndexReader

from docs_store.analysis import LANGUAGES, Language, WordAnalyzer
from docs_store.errors import QueryError
from docs_store.search.query_syntax import tokenize
from docs_store.search.types import SearchHit, Status
from docs_store.search.whoosh_query import SPELL_FIELD, Seen, closest_terms, is_known
from docs_store.search.whoosh_schema import body_field, title_field

SNIPPET_CHARS = 200
SURROUND_CHARS = 60
SNIPPETS = 2
BETWEEN_SNIPPETS = " … "
#: Closest indexed words tried for a misspelt word, to find one a reader may see.
SUGGESTION_CANDIDATES = 5


class Highlighter:
    """Highlights the hits of one query, in the language of each hit.

    Only the hits of the page are highlighted, from their stored text (the start of long
    bodies, see ``STORED_TEXT_CHARS``), and the scan stops once ``SNIPPETS`` passages are found.
    """

    def __init__(self, reader: IndexReader, q: wq.Query) -> None:
        schema = reader.schema
        terms = _matched_terms(reader, q)
        self.analyzers: dict[Language, WordAnalyzer] = {
            language: schema[body_field(language)].analyzer for language in LANGUAGES
        }
        self.terms = {language: self._terms_for(language, terms) for language in LANGUAGES}

    def _terms_for(self, language: Language, terms: dict[str, set[str]]) -> frozenset[str]:
        # Typo and prefix matches are unstemmed words; stem them as this language's text is.
        found = terms.get(title_field(language), set()) | terms.get(body_field(language), set())
        analyzer = self.analyzers[language]
        for word in terms.get(SPELL_FIELD, ()):
            found |= {token.text for token in analyzer(word, mode="query")}
        return frozenset(found)

    def highlights(self, stored: Mapping[str, str], language: Language) -> dict[str, str]:
        """Snippets for the title and the body text, only where a query term occurs."""
        terms = self.terms[language]
        if not terms:
            return {}
        analyzer = self.analyzers[language]
        snippets = {
            "title": mark(stored.get("title", ""), terms, analyzer, whole=True),
            "body": mark(stored.get("text", ""), terms, analyzer),
        }
        return {name: snippet for name, snippet in snippets.items() if snippet}


def mark(text: str, terms: frozenset[str], analyzer: WordAnalyzer, whole: bool = False) -> str:
    """``text`` (all of it, or up to ``SNIPPETS`` passages around matches) HTML-escaped, with
    the words whose term is in ``terms`` wrapped in ``<b class="match">``; "" without a match.
    """
    passages: list[list[tuple[int, int]]] = []  # the matches (start, end) of each passage
    for term, start, end in analyzer.spans(text):
        if term not in terms:
            continue
        span = (start, end)
        if passages and (whole or span[1] - passages[-1][0][0] <= SNIPPET_CHARS):
            passages[-1].append(span)
        elif len(passages) == SNIPPETS:
            break
        else:
            passages.append([span])
    if whole:
        return _format(text, 0, len(text), passages[0]) if passages else ""
    return BETWEEN_SNIPPETS.join(
        _format(text, *_bounds(text, matches), matches) for matches in passages
    )


def _bounds(text: str, matches: list[tuple[int, int]]) -> tuple[int, int]:
    """A passage: the matches with up to ``SURROUND_CHARS`` around them, cut between words."""
    start = max(0, matches[0][0] - SURROUND_CHARS)
    if start > 0:
        space = text.find(" ", start, matches[0][0])
        start = space + 1 if space >= 0 else matches[0][0]
    end = min(len(text), matches[-1][1] + SURROUND_CHARS)
    if end < len(text):
        space = text.rfind(" ", matches[-1][1], end)
        end = space if space >= 0 else matches[-1][1]
    return start, end


def _format(text: str, start: int, end: int, matches: list[tuple[int, int]]) -> str:
    parts = []
    for match_start, match_end in matches:
        parts.append(html.escape(text[start:match_start], quote=False))
        parts.append(
            f'<b class="match">{html.escape(text[match_start:match_end], quote=False)}</b>'
        )
        start = match_end
    parts.append(html.escape(text[start:end], quote=False))
    return "".join(parts)


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


def suggest_query(reader: IndexReader, text: str, seen: Seen, proposable: Seen) -> str | None:
    """``text`` with each unknown plain word replaced by the closest word a reader may see.

    Works on the unstemmed ``spell`` field, so suggestions are real words ("stratégie"), not
    stems. The index's vocabulary holds the words of every document, drafts included: a word
    counts as known only when ``seen`` finds it in a document the reader may see, and a
    candidate is proposed only when ``proposable`` does (the documents the reader may see in
    the query's language); the closest ``SUGGESTION_CANDIDATES`` candidates are tried,
    closest first. Field values, phrases and prefixes are left as typed.
    """
    try:
        tokens = tokenize(text)
    except QueryError:
        return None
    analyzer = reader.schema[SPELL_FIELD].analyzer
    changed = False
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token.kind != "word" or token.text.endswith("*"):
            continue
        if index > 0 and tokens[index - 1].kind == "field":
            continue
        words = [t.text for t in analyzer(token.text, mode="query")]
        if len(words) != 1 or is_known(reader, token.text, seen):
            continue
        maxdist = 1 if len(words[0]) < 5 else 2
        found = closest_terms(
            reader, SPELL_FIELD, words[0], maxdist, prefix=1, limit=SUGGESTION_CANDIDATES
        )
        visible = next((term for term in found if proposable(SPELL_FIELD, term)), None)
        if visible is not None:
            text = text[: token.start] + visible + text[token.end :]
            changed = True
    return text if changed else None
