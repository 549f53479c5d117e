"""Thesaurus expansion on a parsed query.

Runs of plain words and quoted phrases that spell a thesaurus term are replaced by "any term of
its group": single-word terms become words, multi-word terms become phrases, so ``COPIL`` turns
into ``COPIL OR "comité de pilotage" OR "steering committee"``. Field-scoped and prefix words
are left alone: the user asked for something precise.
"""

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
    return children[0] if len(children) == 1 else AllOf(tuple(children))


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
        out.append(_alternatives(group))
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
