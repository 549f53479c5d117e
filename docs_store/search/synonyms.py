"""Thesaurus expansion on a parsed query.

Runs of plain words and quoted phrases that spell a thesaurus term are replaced by "any term of
its group": single-word terms become words, multi-word terms become phrases, so ``COPIL`` turns
into ``COPIL OR "comité de pilotage" OR "steering committee"``. Field-scoped and prefix words
are left alone: the user asked for something precise.

A run of several plain words that spells a term becomes one clause per word, each "this word or
any term of the group", so the words still count one by one when a search ranks documents by
how many of the query's words they hold: ``analyse des risques`` finds a document saying "risk
analysis" as holding all its words, and one saying only "risques" as holding one.
"""

from docs_store.analysis import is_stop_word
from docs_store.search.query_syntax import AllOf, AnyOf, Node, Not, Phrase, Word
from docs_store.thesaurus import Thesaurus


def expand_synonyms(node: Node, thesaurus: Thesaurus) -> Node:
    """``node`` with every thesaurus term replaced by the alternatives of its group."""
    if isinstance(node, Word):
        return _expand_run([node], thesaurus)[0] if _is_plain(node) else node
    if isinstance(node, Phrase):
        return _expand_phrase(node, thesaurus)
    if isinstance(node, Not):
        return Not(expand_synonyms(node.child, thesaurus))
    if isinstance(node, AnyOf):
        return AnyOf(tuple(expand_synonyms(child, thesaurus) for child in node.children))
    children: list[Node] = []
    run: list[Word] = []
    for child in (*node.children, None):
        if _is_plain(child):
            run.append(child)
            continue
        children.extend(_expand_run(run, thesaurus))
        run = []
        if child is not None:
            children.append(expand_synonyms(child, thesaurus))
    return children[0] if len(children) == 1 else AllOf(tuple(children), node.strict)


def _is_plain(node: Node | None) -> bool:
    return isinstance(node, Word) and node.field is None and not node.prefix


def _expand_run(words: list[Word], thesaurus: Thesaurus) -> list[Node]:
    """Rewrite consecutive plain words, taking the longest thesaurus term at each position."""
    out: list[Node] = []
    texts = [word.text for word in words]
    position = 0
    while position < len(words):
        match = thesaurus.longest_match(texts[position:])
        if match is None:
            out.append(words[position])
            position += 1
            continue
        length, group = match
        alternatives = _alternatives(group)
        run = [word for word in words[position : position + length] if not is_stop_word(word.text)]
        if length == 1 or not run:
            out.append(alternatives)
        else:
            out.extend(AnyOf((word, alternatives)) for word in run)
        position += length
    return out


def _expand_phrase(phrase: Phrase, thesaurus: Thesaurus) -> Node:
    if phrase.field is not None:
        return phrase
    words = phrase.text.split()
    match = thesaurus.longest_match(words)
    if match is None or match[0] != len(words):
        return phrase
    return _alternatives(match[1])


def _alternatives(group: tuple[str, ...]) -> Node:
    return AnyOf(tuple(Phrase(term) if " " in term else Word(term) for term in group))
