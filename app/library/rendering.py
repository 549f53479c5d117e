"""Markdown bodies rendered to HTML that is safe to insert in a page."""

from __future__ import annotations

import difflib

import markdown
import nh3
from markupsafe import Markup

_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
# ammonia's defaults keep headings, tables, code, lists and links, and drop scripts, event
# handlers, styles and ``javascript:`` URLs; images may only point at the web.
_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(body: str) -> Markup:
    """HTML for a Markdown body: tables and fenced code kept, anything executable removed.

    Raw HTML in the body goes through the same sanitiser as the Markdown output, so writing
    ``<script>`` or ``<img onerror=...>`` by hand gains nothing.
    """
    html = markdown.markdown(body or "", extensions=_EXTENSIONS, output_format="html")
    cleaned = nh3.clean(html, url_schemes=_URL_SCHEMES, link_rel="noopener noreferrer nofollow")
    return Markup(cleaned)  # noqa: S704 - sanitised just above


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """A line diff as ``(kind, text)`` pairs; kind is ``same``, ``added``, ``removed`` or ``gap``.

    Pairs rather than HTML so that the template escapes the text like any other value.
    """
    rows: list[tuple[str, str]] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), n=2, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            rows.append(("gap", line))
        elif line.startswith("+"):
            rows.append(("added", line[1:]))
        elif line.startswith("-"):
            rows.append(("removed", line[1:]))
        else:
            rows.append(("same", line[1:]))
    return rows


def snippet(html: str) -> Markup:
    """A search highlight: the backend escapes the text and wraps matches in ``<b>``."""
    return Markup(nh3.clean(html, tags={"b"}, attributes={"b": {"class"}}))  # noqa: S704
