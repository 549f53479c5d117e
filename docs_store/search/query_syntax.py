"""The search query language, parsed into an engine-neutral tree.

Syntax: words (documents holding all of them rank first, then those holding most),
``"exact phrases"``, ``field:value`` or ``field:"a phrase"`` for the fields in ``FIELDS``,
``OR`` between alternatives, ``AND`` between words that must all be there, ``NOT word`` or
``-word`` to exclude (always strict, as are metadata fields), ``( )`` to group, and
``strat*`` for a prefix of at least three letters. ``?`` and other punctuation are ignored by
the analysers, so questions work.

Whoosh's own parser never reports an error — ``title:(`` silently becomes the word "title" —
so the rule that an unreadable query is a 400 with a clear message, never a 500, needs a
grammar we own. Owning it also lets the thesaurus and typo expansion work on a tree, and lets
another engine reuse the same syntax. Anything the parser does not accept raises
``QueryError``; nothing else escapes.
"""

import re
from dataclasses import dataclass

from docs_store.errors import QueryError

# User-facing field names; a backend maps each to its own fields.
FIELDS = frozenset({"title", "body", "kind", "tag", "language", "methodology", "stage"})
MAX_QUERY_LENGTH = 500
MAX_CLAUSES = 32
MAX_DEPTH = 8
MIN_PREFIX_LENGTH = 3
_FIELD_PREFIX = re.compile(r"(\w+):")
_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass(frozen=True, slots=True)
class Word:
    """A word; ``prefix`` when written ``word*``."""

    text: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Consecutive words, written in double quotes (or a multi-word synonym)."""

    text: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class AllOf:
    """Terms written one after the other: documents holding all of them rank first, then those
    holding most; ``strict`` (written with ``AND``) when every child must match."""

    children: tuple["Node", ...]
    strict: bool = False


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one child must match."""

    children: tuple["Node", ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The child must not match."""

    child: "Node"


Node = Word | Phrase | AllOf | AnyOf | Not


@dataclass(frozen=True, slots=True)
class Token:
    """A lexical unit with its span in the query text (used to rewrite suggestions)."""

    kind: str  # "word", "phrase", "field", "(", ")", "AND", "OR", "NOT"
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split query text into tokens; raises ``QueryError`` on an unclosed quote or a bad field."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is too long (more than {MAX_QUERY_LENGTH} characters)")
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
        elif char in "()":
            tokens.append(Token(char, char, pos, pos + 1))
            pos += 1
        elif char == '"':
            pos = _lex_phrase(text, pos, tokens)
        elif char in "+-" and pos + 1 < len(text) and not text[pos + 1].isspace():
            if char == "-":
                tokens.append(Token("NOT", char, pos, pos + 1))
            pos += 1
        else:
            pos = _lex_bare(text, pos, tokens)
    return tokens


def _lex_phrase(text: str, pos: int, tokens: list[Token]) -> int:
    end = text.find('"', pos + 1)
    if end < 0:
        raise QueryError(f"unclosed quote at character {pos + 1}")
    if not text[pos + 1 : end].strip():
        raise QueryError(f"empty phrase at character {pos + 1}")
    tokens.append(Token("phrase", text[pos + 1 : end], pos, end + 1))
    return end + 1


def _lex_bare(text: str, pos: int, tokens: list[Token]) -> int:
    end = pos
    while end < len(text) and not text[end].isspace() and text[end] not in '()"':
        end += 1
    run = text[pos:end]
    field = _FIELD_PREFIX.match(run)
    if field and field.group(1).lower() in FIELDS:
        name = field.group(1).lower()
        tokens.append(Token("field", name, pos, pos + field.end()))
        value_start = pos + field.end()
        if value_start == end and not text.startswith('"', end):
            raise QueryError(f"'{name}:' needs a value, as in {name}:something")
        if value_start < end:
            tokens.append(_word_token(text[value_start:end], value_start))
        return end
    if run in _OPERATORS:
        tokens.append(Token(run, run, pos, end))
    else:
        tokens.append(_word_token(run, pos))
    return end


def _word_token(run: str, start: int) -> Token:
    stem = run.removesuffix("*")
    if "*" in stem or (stem != run and len(stem) < MIN_PREFIX_LENGTH):
        raise QueryError(
            f"'{run}': '*' is only allowed at the end of a word of at least "
            f"{MIN_PREFIX_LENGTH} letters, as in strat*"
        )
    return Token("word", run, start, start + len(run))


def parse(text: str) -> Node | None:
    """The tree for ``text``, or None when it is blank (match everything)."""
    return _Parser(tokenize(text)).parse()


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary ([AND] unary)*;
    unary := NOT unary | primary; primary := ( or_expr ) | [field] word | [field] phrase."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.clauses = 0

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self._or()
        if self._peek() is not None:
            raise QueryError(f"unexpected '{self._peek().text}' {self._where()}")
        return node

    def _peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _where(self) -> str:
        token = self._peek()
        return f"at character {token.start + 1}" if token else "at the end"

    def _take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _or(self) -> Node:
        children = [self._and()]
        while (token := self._peek()) is not None and token.kind == "OR":
            self._take()
            children.append(self._and("OR"))
        return children[0] if len(children) == 1 else AnyOf(tuple(children))

    def _and(self, after: str | None = None) -> Node:
        children: list[Node] = []
        strict = False
        while (token := self._peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                if not children:
                    raise QueryError(f"AND needs a search term before it {self._where()}")
                self._take()
                after = "AND"
                strict = True
                continue
            children.append(self._unary())
            after = None
        if after is not None or not children:
            where = f"after {after}" if after else "here"
            raise QueryError(f"a search term is missing {where}, {self._where()}")
        return children[0] if len(children) == 1 else AllOf(tuple(children), strict)

    def _unary(self) -> Node:
        token = self._peek()
        if token is not None and token.kind == "NOT":
            self._take()
            following = self._peek()
            if following is None or following.kind in (")", "OR", "AND"):
                raise QueryError(f"NOT needs a search term after it {self._where()}")
            return Not(self._unary())
        return self._primary()

    def _primary(self) -> Node:
        token = self._take()
        if token.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"too many nested parentheses (at most {MAX_DEPTH})")
            if self._peek() is not None and self._peek().kind == ")":
                raise QueryError(f"empty parentheses at character {token.start + 1}")
            node = self._or()
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise QueryError(f"missing ')' for the '(' at character {token.start + 1}")
            self._take()
            self.depth -= 1
            return node
        field = None
        if token.kind == "field":
            field = token.text
            token = self._take()
        if token.kind not in ("word", "phrase"):
            raise QueryError(f"unexpected '{token.text}' at character {token.start + 1}")
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QueryError(f"too many search terms (at most {MAX_CLAUSES})")
        if token.kind == "phrase":
            return Phrase(token.text, field)
        text = token.text.removesuffix("*")
        return Word(text, field, prefix=text != token.text)
