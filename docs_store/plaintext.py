"""Markdown bodies as the text a reader sees, for indexing and search snippets.

``without_repeated_sentences`` also keeps snippets from showing a sentence twice.

A snippet cut from the Markdown source showed ``##``, ``| |`` and ``**``. Rendering to HTML
and reading the text back would be exact, but costs about a millisecond per document on a
50,000-document rebuild; these few line-oriented rules give the same words, with each heading,
list item and table row on its own line (snippets never join two of them into a sentence).
"""

import re

_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HORIZONTAL_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_LINE_MARKUP = re.compile(r"^\s*(#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)+")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\](\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"(\*\*|__|~~)(.+?)\1|(?<!\w)[*_](?!\s)(.+?)(?<!\s)[*_](?!\w)")
_CODE = re.compile(r"`+([^`]*)`+")


def markdown_text(body: str) -> str:
    """The text of a Markdown body without its syntax, one line per block line."""
    lines = []
    for line in body.splitlines():
        if _FENCE.match(line) or _TABLE_RULE.match(line) or _HORIZONTAL_RULE.match(line):
            continue
        stripped = line.strip()
        if stripped.startswith("|") or stripped.endswith("|"):
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            line = " · ".join(cell for cell in cells if cell)
        line = _CLOSING_HASHES.sub("", _LINE_MARKUP.sub("", line))
        line = _IMAGE_OR_LINK.sub(r"\1", _AUTOLINK.sub(r"\1", _HTML_TAG.sub("", line)))
        line = _CODE.sub(r"\1", line)
        line = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), line)
        lines.append(line.strip())
    return "\n".join(lines).strip()


_SENTENCE_BREAK = re.compile(r"((?<=[.!?])\s+|\n+)")
#: Shorter sentences (a table's "Oui", a heading's "Objet") may repeat: they say little.
MIN_REPEATED_CHARS = 20


def without_repeated_sentences(text: str) -> str:
    """``text`` with each sentence or line of at least ``MIN_REPEATED_CHARS`` characters kept
    at its first occurrence only, so a snippet never shows one twice (a summary restated in
    the body, a sentence copied into a table)."""
    parts = _SENTENCE_BREAK.split(text)
    seen: set[str] = set()
    kept: list[str] = []
    for index in range(0, len(parts), 2):
        sentence = parts[index]
        key = " ".join(sentence.split()).lower()
        if len(key) >= MIN_REPEATED_CHARS:
            if key in seen:
                continue
            seen.add(key)
        kept.append(sentence)
        if index + 1 < len(parts):
            kept.append(parts[index + 1])
    return "".join(kept).strip()
