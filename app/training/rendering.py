"""Statuses in templates: ``status_label(status)``, ``status_cell(cell)`` and, for the
matrix, ``status_row(cells, course_keys)``.

A matrix page shows 4,000 cells. Written as a template macro, each cell cost a macro call
and two translations, most of the page's time. Here the words are translated and
HTML-escaped once per rendered page, and a cell is plain string work on safe parts: those
words, constant tags, status values (``compliant``...) and dates, each formatted once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.formats import date as format_day
from app.labels import TRAINING_STATUS_LABELS
from app.training.status import Cell, Status

#: Statuses whose cell shows the deadline (the others show the end of validity, if any).
SHOWS_DUE_DATE = frozenset({Status.MISSING, Status.OVERDUE})
NO_STATUS = '<span class="status status-none">—</span>'


class Words:
    """The translated words of a page: ``labels`` as text, ``html`` escaped for markup."""

    def __init__(self) -> None:
        self.labels = {status: str(label) for status, label in TRAINING_STATUS_LABELS.items()}
        self.html = {status: str(escape(label)) for status, label in self.labels.items()}
        self.until = str(escape(_("until %(date)s")))
        self.due = str(escape(_("due %(date)s")))
        self._days: dict[date, str] = {}

    def day(self, value: date) -> str:
        """A date in the reader's format, escaped; each distinct date formatted once."""
        if value not in self._days:
            self._days[value] = str(escape(format_day(value)))
        return self._days[value]


def _cell_html(cell: Cell, words: Words) -> str:
    """A status as text and colour (never colour alone), with the date that explains it."""
    if cell.status is None:
        return NO_STATUS
    html = f'<span class="status status-{cell.status.value}">{words.html[cell.status]}</span>'
    if cell.valid_until:
        return f"{html}<br><small>{words.until % {'date': words.day(cell.valid_until)}}</small>"
    if cell.status in SHOWS_DUE_DATE and cell.due_date:
        return f"{html}<br><small>{words.due % {'date': words.day(cell.due_date)}}</small>"
    return html


def status_cell(cell: Cell, words: Words) -> Markup:
    return Markup(_cell_html(cell, words))  # noqa: S704 - safe parts only, see the module


def status_row(cells: dict[str, Cell], keys: list[str], words: Words) -> Markup:
    """A ``<td>`` per course key, in order: one template call per matrix row, not 40."""
    row = "".join(f"<td>{_cell_html(cells[key], words)}</td>" for key in keys)
    return Markup(row)  # noqa: S704 - safe parts only, see the module


def status_helpers() -> dict[str, Callable]:
    """The template context; the words are translated at the page's first status."""
    page: list[Words] = []

    def words() -> Words:
        if not page:
            page.append(Words())
        return page[0]

    return {
        "status_label": lambda status: words().labels.get(status, "—"),
        "status_cell": lambda cell: status_cell(cell, words()),
        "status_row": lambda cells, keys: status_row(cells, keys, words()),
    }
