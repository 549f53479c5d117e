"""The inbox in sentences: "3 votes are waiting for you, one for 9 days."."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import ngettext

from app.main.inbox import ActionItemDue, VoteAwaiting


def votes_sentence(votes: Sequence[VoteAwaiting]) -> str:
    """How many votes wait for the reader, and for how long the oldest has waited."""
    if not votes:
        return _("No vote is waiting for you.")
    count = ngettext(
        "%(num)d vote is waiting for you", "%(num)d votes are waiting for you", len(votes)
    )
    oldest = max(vote.days_waiting for vote in votes)
    if oldest == 0:
        return _("%(votes)s, since today.", votes=count)
    days = ngettext("%(num)d day", "%(num)d days", oldest)
    if len(votes) == 1:
        return _("%(votes)s, for %(days)s.", votes=count, days=days)
    return _("%(votes)s, one for %(days)s.", votes=count, days=days)


def action_items_sentence(items: Sequence[ActionItemDue]) -> str:
    """How many action items the reader must close, and how many of them are late."""
    if not items:
        return _("You have no open action item.")
    sentence = ngettext(
        "You have %(num)d open action item.", "You have %(num)d open action items.", len(items)
    )
    late = sum(1 for item in items if item.overdue)
    if late:
        sentence += " " + ngettext(
            "%(num)d of them is overdue.", "%(num)d of them are overdue.", late
        )
    return sentence
