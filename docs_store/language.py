"""Which language a text is written in: French or English.

Documents are classified by ``py3langid`` (a small n-gram model, restricted to the two
languages) when their author does not say; a text too short for it to be confident is decided
by its stop words, then by the hint (the interface language), then French, the library's
default. Queries are a few words, too few for a model: ``word_votes`` counts what their words
say (stop words and accents) and the search backend adds what its index knows of each word.
"""

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from docs_store.analysis import LANGUAGES, STOP_WORDS, WORD_PATTERN, Language, fold

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier


DEFAULT_LANGUAGE: Language = "fr"
#: The classifier reads this much of a text: enough to decide, bounded in cost.
SAMPLE_CHARS = 4000
#: Below this probability the classifier's answer is not taken.
MIN_PROBABILITY = 0.9
# Letters English text does not use but French does.
_FRENCH_LETTERS = frozenset("éèêëàâîïôûùüçœ")
_WORD = re.compile(WORD_PATTERN)


@cache
def _identifier() -> "LanguageIdentifier":
    # Imported and loaded on first use: the model takes a moment to unpack.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def word_votes(words: Iterable[str]) -> Counter[Language]:
    """How many of ``words`` belong to one language only: a stop word of it, or accents only
    French writes."""
    votes: Counter[Language] = Counter()
    for word in words:
        folded = fold(word)
        in_languages = [lang for lang in LANGUAGES if folded in STOP_WORDS[lang]]
        if len(in_languages) == 1:
            votes[in_languages[0]] += 1
        elif not in_languages and _FRENCH_LETTERS & set(word.lower()):
            votes["fr"] += 1
    return votes


def decide(votes: Counter[Language], hint: Language | None) -> Language | None:
    """The language with the most votes; on a tie the hint (which may be None)."""
    ranked = votes.most_common()
    if ranked and ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return hint


def detect_language(text: str, hint: Language | None = None) -> Language:
    """The language of a document's text (title, summary, body...): ``fr`` or ``en``.

    ``hint`` decides when the text does not (too short, or as French as English); without
    it, French.
    """
    sample = text[:SAMPLE_CHARS]
    if sample.strip():
        language, probability = _identifier().classify(sample)
        if probability >= MIN_PROBABILITY:
            return language
    return decide(word_votes(_WORD.findall(sample)), hint) or hint or DEFAULT_LANGUAGE
