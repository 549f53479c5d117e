"""Statuses in templates: ``status_label(status)`` and ``status_cell(cell)``.

A matrix page shows 4,000 cells. Written as a template macro, each cell cost a macro call
and two translations, most of the page's time; here the words are translated at most once
per rendered page and each cell is one ``Markup.join`` (which escapes the plain parts).
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.training.status import Cell, Status

STATUS_LABELS = {
    Status.COMPLIANT: _l("Compliant"),
    Status.EXPIRING: _l("Expiring"),
    Status.EXPIRED: _l("Expired"),
    Status.OVERDUE: _l("Overdue"),
    Status.MISSING: _l("Missing"),
}
#: Statuses whose cell shows the deadline (the others show the end of validity, if any).
SHOWS_DUE_DATE = frozenset({Status.MISSING, Status.OVERDUE})
#: The opening tag of each status: its class gives the colour, the text says it.
STATUS_TAGS = {
    status: Markup('<span class="status status-') + status.value + Markup('">') for status in Status
}
NO_STATUS = Markup('<span class="status status-none">—</span>')
CLOSE_STATUS, OPEN_NOTE, CLOSE_NOTE = Markup("</span>"), Markup("<br><small>"), Markup("</small>")


def _words() -> dict[object, str]:
    return {
        **{status: str(label) for status, label in STATUS_LABELS.items()},
        "until": _("until %(date)s"),
        "due": _("due %(date)s"),
    }


def status_cell(cell: Cell, words: dict[object, str]) -> Markup:
    """A status as text and colour (never colour alone), with the date that explains it."""
    if cell.status is None:
        return NO_STATUS
    parts = [STATUS_TAGS[cell.status], words[cell.status], CLOSE_STATUS]
    if cell.valid_until:
        parts += [OPEN_NOTE, words["until"] % {"date": cell.valid_until.isoformat()}, CLOSE_NOTE]
    elif cell.status in SHOWS_DUE_DATE and cell.due_date:
        parts += [OPEN_NOTE, words["due"] % {"date": cell.due_date.isoformat()}, CLOSE_NOTE]
    return Markup("").join(parts)


def status_helpers() -> dict[str, Callable]:
    """The template context: translations are made at the first status of the page."""
    cache: dict[object, str] = {}

    def words() -> dict[object, str]:
        if not cache:
            cache.update(_words())
        return cache

    return {
        "status_label": lambda status: words().get(status, "—"),
        "status_cell": lambda cell: status_cell(cell, words()),
    }
