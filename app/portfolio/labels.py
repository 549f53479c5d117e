"""Words for the portfolio's codes (status, decision, RAG colour) in the reader's language.

Pages, charts and downloads show these words; the JSON API keeps the codes. Exports of
thousands of rows take the whole table once (`status_labels()`, `rag_labels()`) instead of
translating one word per cell.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.projects.forms import DECISION_LABELS, STATUS_LABELS
from workflows import Decision, Status


def status_labels() -> dict[str, str]:
    return {status.value: str(label) for status, label in STATUS_LABELS.items()}


def rag_labels() -> dict[str, str]:
    return {"green": _("Green"), "amber": _("Amber"), "red": _("Red")}


def status_label(status: str) -> str:
    return status_labels()[Status(status).value]


def decision_label(decision: str) -> str:
    return str(DECISION_LABELS[Decision(decision)])


def rag_label(rag: str) -> str:
    return rag_labels()[rag]
