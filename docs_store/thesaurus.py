"""The bilingual PMO thesaurus: groups of equivalent terms and acronyms.

A query that mentions any term of a group also matches the others, so ``COPIL`` finds a
document that only says "comité de pilotage" and ``REX`` finds "lessons learned". The groups
ship in ``data/thesaurus.txt``; the PMO adds its own in a file of the same format, passed to
``Thesaurus.load``. Groups that share a term are merged, so an extra file can extend a shipped
group by repeating one of its terms.
"""

from collections.abc import Iterable, Sequence
from pathlib import Path

from docs_store.analysis import fold, singular_acronym
from docs_store.errors import ThesaurusError

DEFAULT_PATH = Path(__file__).with_name("data") / "thesaurus.txt"

Key = tuple[str, ...]
_EDGE_PUNCTUATION = ".,;:!?()[]{}«»"


def _word(word: str) -> str:
    """A word as compared: folded, without surrounding punctuation ("gate?" is "gate"), an
    acronym's plural as its singular ("KPIs" is "KPI")."""
    return fold(singular_acronym(word.strip(_EDGE_PUNCTUATION))).strip(_EDGE_PUNCTUATION)


def _key(expression: str) -> Key:
    """The comparable form of a term, ignoring case, accents, punctuation and apostrophe style."""
    return tuple(word for word in map(_word, expression.split()) if word)


class Thesaurus:
    """Synonym groups, looked up by the words of a query."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self._groups: list[tuple[str, ...]] = []
        self._index: dict[Key, int] = {}
        self._longest = 0
        for group in groups:
            self.add_group(group)

    @classmethod
    def load(cls, *extra_paths: Path | str, include_default: bool = True) -> "Thesaurus":
        """The shipped groups (unless ``include_default`` is false) plus those of each file."""
        paths = [DEFAULT_PATH, *extra_paths] if include_default else list(extra_paths)
        thesaurus = cls()
        for path in paths:
            thesaurus.read(Path(path))
        return thesaurus

    def read(self, path: Path) -> None:
        """Add the groups of a thesaurus file; ``ThesaurusError`` names the bad file and line."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ThesaurusError(f"{path}: cannot read thesaurus ({exc})") from exc
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            terms = [term.strip() for term in line.split(",") if term.strip()]
            if len(terms) < 2:
                raise ThesaurusError(f"{path}:{number}: a group needs at least two terms")
            self.add_group(terms)

    def add_group(self, terms: Iterable[str]) -> None:
        """Add a group of equivalent terms, merging it with any group sharing a term."""
        merged = {_key(term): term.strip() for term in terms if _key(term)}
        for index in sorted({self._index[k] for k in merged if k in self._index}, reverse=True):
            merged = {**{_key(t): t for t in self._groups[index]}, **merged}
            self._groups[index] = ()
        self._groups.append(tuple(merged.values()))
        for key in merged:
            self._index[key] = len(self._groups) - 1
            self._longest = max(self._longest, len(key))

    @property
    def groups(self) -> list[tuple[str, ...]]:
        """The current groups, each term as first written."""
        return [group for group in self._groups if group]

    def synonyms(self, expression: str) -> tuple[str, ...]:
        """All terms of the group containing ``expression`` (itself included), or ``()``."""
        index = self._index.get(_key(expression))
        return self._groups[index] if index is not None else ()

    def longest_match(self, words: Sequence[str]) -> tuple[int, tuple[str, ...]] | None:
        """The longest term that ``words`` starts with: how many words it spans, and its group.

        Lets a query's run of words be rewritten term by term, preferring "comité de pilotage"
        over a group that would only match "comité".
        """
        folded = [_word(word) for word in words[: self._longest]]
        for length in range(len(folded), 0, -1):
            index = self._index.get(tuple(folded[:length]))
            if index is not None:
                return length, self._groups[index]
        return None
