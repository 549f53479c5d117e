"""Text analysis for French and English: one analyser chain per language.

Each chain is ``tokenizer | acronym plurals | lower-case | elisions | accent folding | stop
words | stemmer``.
Folding comes *before* stemming because the Snowball stemmers treat ``é`` and ``e``
differently: folding afterwards made about one accent-less query in six miss on a 50,000
document corpus. Stop words are matched after folding, so ``été`` and ``ete`` are both dropped.

The unstemmed ``spelling_analyzer`` keeps real words (accents included) for "did you mean"
suggestions and typo matching; a stemmed field would suggest stems such as ``strateg``.

Each chain is written with Whoosh's filters, which define what it does, and run through
``WordAnalyzer``: one pass over the text that analyses each distinct word once and remembers
the result. Indexing and highlighting analyse the same few thousand words over and over, and
the filter-per-token generators cost more than the stemming itself.
"""

import re
from collections.abc import Iterator
from typing import Any, Literal

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang.stopwords import stoplists
from whoosh.support.charset import accent_map

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
APOSTROPHE = "\u2019"  # the typographic apostrophe, which French text uses as often as '


# Words joined by apostrophes stay one token ("l'harmonie", "aujourd'hui") so the elision
# filter, not the tokenizer, decides what an apostrophe means.
WORD_PATTERN = r"\w+(?:['\u2019]\w+)*"
FRENCH_ELISIONS = frozenset(
    {"l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)
# accent_map leaves ligatures alone; French writes "maîtrise d'œuvre" and "oeuvre" alike.
FOLDING_MAP: dict[int, str] = {
    **accent_map,
    ord("œ"): "oe",
    ord("Œ"): "OE",
    ord("æ"): "ae",
    ord("Æ"): "AE",
}


def fold(text: str) -> str:
    """Lower-case and strip accents the way the analysers do; for comparing words."""
    return text.lower().translate(FOLDING_MAP).replace(APOSTROPHE, "'")


STOP_WORDS: dict[Language, frozenset[str]] = {
    # Whoosh's French list lacks "les".
    "fr": frozenset(fold(word) for word in (*stoplists["fr"], "les")),
    "en": frozenset(fold(word) for word in stoplists["en"]),
}
ALL_STOP_WORDS: frozenset[str] = STOP_WORDS["fr"] | STOP_WORDS["en"]
# The spelling field is not folded, so its stop list also needs the accented originals.
_ACCENTED_STOP_WORDS = frozenset(
    word.lower() for language in LANGUAGES for word in stoplists[language]
)


class ElisionFilter(Filter):
    """Drop French elided articles and pronouns: ``l'harmonie`` → ``harmonie``.

    Also normalises the typographic apostrophe to ``'`` so both spellings index alike.
    Expects lower-cased tokens.
    """

    def __init__(self, elisions: frozenset[str] = FRENCH_ELISIONS) -> None:
        self.elisions = elisions

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text.replace(APOSTROPHE, "'")
            head, apostrophe, rest = text.partition("'")
            if apostrophe and rest and head in self.elisions:
                text = rest
            token.text = text
            yield token


#: An acronym with a plural ``s``: ``COPILs``, ``KPIs`` (capitals, then one lower-case s).
_ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9]*[A-Z]s$")


def singular_acronym(word: str) -> str:
    """``KPIs`` → ``KPI``, ``COPILs`` → ``COPIL``; any other word as it is.

    Neither stemmer knows acronyms (the French one leaves ``copils`` alone), so their plural is
    removed before lower-casing, while the capitals still say the word is an acronym.
    """
    return word[:-1] if _ACRONYM_PLURAL.match(word) else word


class AcronymPluralFilter(Filter):
    """Drop the plural ``s`` of an acronym (see ``singular_acronym``); before lower-casing."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = singular_acronym(token.text)
            yield token


class PossessiveFilter(Filter):
    """Drop the English possessive: ``project's`` → ``project``."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text.replace(APOSTROPHE, "'")
            if text.endswith("'s"):
                text = text[:-2]
            token.text = text
            yield token


class WordAnalyzer(Analyzer):
    """Runs a ``RegexTokenizer(WORD_PATTERN) | filters...`` chain one word at a time, cached.

    The chain's filters work on one token at a time, so a word always gives the same term (or
    is always a stop word): ``WordAnalyzer`` tokenizes the text once and looks each word up in
    a cache filled by running ``chain`` on the word alone. Tokens, positions (renumbered over
    stop words, as ``StopFilter`` does), character offsets and stop flags are those the chain
    would give; ``tests/docs_store/test_docs_analysis.py`` compares both on real text.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, chain: CompositeAnalyzer) -> None:
        self.chain = chain
        self._cache: dict[str, tuple[str, bool]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # The schema (with its analysers) is pickled into the index: leave the cache out.
        return {"chain": self.chain}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["chain"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordAnalyzer) and other.chain == self.chain

    __hash__ = None  # type: ignore[assignment]

    def clean(self) -> None:
        self._cache.clear()

    def term(self, word: str) -> tuple[str, bool]:
        """The term ``word`` becomes, and whether it is a stop word."""
        found = self._cache.get(word)
        if found is None:
            token = next(iter(self.chain(word, removestops=False, tokenize=False)), None)
            found = ("", True) if token is None else (token.text, token.stopped)
            if len(self._cache) >= self.CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = found
        return found

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(term, start, end) of each word of ``text`` that is not a stop word."""
        term = self.term
        for match in _WORD.finditer(text):
            found, stopped = term(match.group())
            if not stopped:
                yield found, match.start(), match.end()

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        offsets: list[tuple[int, int]] = []
        if not tokenize:
            words = [value]
            offsets = [(0, len(value))]
        elif chars:
            matches = list(_WORD.finditer(value))
            words = [match.group() for match in matches]
            offsets = [match.span() for match in matches]
        else:
            words = _WORD.findall(value)
        cache = self._cache
        kept_pos = None
        for index, word in enumerate(words):
            text, stopped = cache.get(word) or self.term(word)
            if stopped and removestops:
                continue
            token.text, token.stopped, token.boost = text, stopped, 1.0
            if keeporiginal or not tokenize:  # as RegexTokenizer does
                token.original = word
            if positions:
                if stopped:
                    token.pos = start_pos + index
                else:
                    kept_pos = start_pos + index if kept_pos is None else kept_pos + 1
                    token.pos = kept_pos
            if chars:
                start, end = offsets[index]
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


_WORD = re.compile(WORD_PATTERN)


def language_chain(language: Language) -> CompositeAnalyzer:
    """What the ``language`` analyser does, written as Whoosh filters (the reference)."""
    apostrophes = ElisionFilter() if language == "fr" else PossessiveFilter()
    return (
        RegexTokenizer(WORD_PATTERN)
        | AcronymPluralFilter()
        | LowercaseFilter()
        | apostrophes
        | CharsetFilter(FOLDING_MAP)
        | StopFilter(stoplist=STOP_WORDS[language])
        | StemFilter(lang=language, cachesize=-1)
    )


def spelling_chain() -> CompositeAnalyzer:
    """What the spelling analyser does, written as Whoosh filters (the reference)."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | AcronymPluralFilter()
        | LowercaseFilter()
        | ElisionFilter()
        | PossessiveFilter()
        | StopFilter(stoplist=ALL_STOP_WORDS | _ACCENTED_STOP_WORDS)
    )


def language_analyzer(language: Language) -> WordAnalyzer:
    """The stemming analyser for documents and queries in ``language``."""
    return WordAnalyzer(language_chain(language))


def spelling_analyzer() -> WordAnalyzer:
    """Unstemmed, unfolded words of either language, for suggestions and typo matching."""
    return WordAnalyzer(spelling_chain())


def analyze(text: str, language: Language) -> list[str]:
    """The terms ``language_analyzer`` makes of ``text``; handy for tests and debugging."""
    return [token.text for token in language_analyzer(language)(text)]


def is_stop_word(word: str) -> bool:
    """Whether ``word`` is a stop word in either language (such words are left out of queries)."""
    return fold(word) in ALL_STOP_WORDS
