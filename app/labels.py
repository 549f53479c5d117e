"""Every code people may meet, as a word in the reader's language: the one place for labels.

Pages, PDFs, spreadsheets and messages show these words; the JSON API keeps the codes. The
tables are lazy strings keyed by code (forms build their choices from them at import time);
the functions answer a plain string and accept the code or its enum. Stage, gate and workflow
names come from the workflow definitions: `app.projects.naming`. This module imports no
domain package, so every domain may use it.

Templates reach everything here as globals and filters (`register_labels`):
``{{ review.decision|decision_label }}``, ``{{ role_label(role) }}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workflows import Decision, Rule, Status

DECISION_LABELS = {
    Decision.GO: _l("Go"),
    Decision.CONDITIONAL_GO: _l("Conditional go"),
    Decision.HOLD: _l("Hold"),
    Decision.RECYCLE: _l("Recycle"),
    Decision.KILL: _l("Kill"),
}
#: Each role's name, as people read it.
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "pmo": _l("PMO officer"),
    "manager": _l("Project manager"),
    "gatekeeper": _l("Gatekeeper"),
    "staff": _l("Staff"),
}
PROJECT_STATUS_LABELS = {
    Status.ACTIVE: _l("Active"),
    Status.ON_HOLD: _l("On hold"),
    Status.KILLED: _l("Killed"),
    Status.COMPLETED: _l("Completed"),
}
#: A gate review's status (by value: `no_consensus` and `withdrawn` come with the committee).
REVIEW_STATUS_LABELS = {
    "submitted": _l("Awaiting votes"),
    "no_consensus": _l("No consensus: the chair decides"),
    "decided": _l("Decided"),
    "withdrawn": _l("Withdrawn"),
}
ACTION_STATUS_LABELS = {
    "open": _l("Open"),
    "closed": _l("Closed"),
    "verified": _l("Verified"),
}
RULE_LABELS = {
    Rule.MAJORITY: _l("majority"),
    Rule.UNANIMOUS: _l("unanimity"),
}
DOCUMENT_KIND_LABELS = {
    "standard": _l("Standard"),
    "guideline": _l("Guideline"),
    "template": _l("Template"),
    "lesson": _l("Lesson learned"),
}
DOCUMENT_STATUS_LABELS = {
    "draft": _l("Draft"),
    "in_review": _l("In review"),
    "published": _l("Published"),
    "obsolete": _l("Obsolete"),
}
TRAINING_STATUS_LABELS = {
    "compliant": _l("Compliant"),
    "expiring": _l("Expiring"),
    "expired": _l("Expired"),
    "overdue": _l("Overdue"),
    "missing": _l("Missing"),
}
RAG_LABELS = {"green": _l("Green"), "amber": _l("Amber"), "red": _l("Red")}
NOTIFICATION_STATE_LABELS = {
    "pending": _l("Pending"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "held": _l("Held (mail disabled)"),
}
#: Every kind `audit.record` is called with in `app/` (tests/test_labels.py checks it).
AUDIT_KIND_LABELS = {
    "project_created": _l("Project created"),
    "submission": _l("Gate review submitted"),
    "vote": _l("Vote cast"),
    "decision": _l("Gate decision"),
    "transition": _l("Stage change"),
    "hold": _l("Project on hold"),
    "resume": _l("Project resumed"),
    "action_item_created": _l("Action item created"),
    "action_item_closed": _l("Action item closed"),
    "action_item_verified": _l("Action item verified"),
    "manager_changed": _l("Manager changed"),
    "roles_changed": _l("Roles changed"),
    "definition_loaded": _l("Workflow definition loaded"),
    "vote_changed": _l("Vote changed"),
    "vote_withdrawn": _l("Vote withdrawn"),
    "recusal": _l("Gatekeeper recused"),
    "no_consensus": _l("No consensus: the chair decides"),
    "consensus_reachable": _l("Consensus possible again"),
    "chair_decision": _l("Chair's decision"),
    "review_withdrawn": _l("Gate review withdrawn"),
    "delegation_created": _l("Vote delegated"),
    "delegation_deleted": _l("Delegation removed"),
}


def _word(table: Mapping[Any, Any], code: Any) -> str:
    """The word for `code` (an enum or its value); an unknown code as it is, so a test of
    the pages (tests/test_words.py) finds it rather than a page failing."""
    if code is None:
        return ""
    value = str(getattr(code, "value", code))
    return str(table[value]) if value in table else value


def words(table: Mapping[Any, Any]) -> dict[str, str]:
    """A whole table as plain strings by code: exports of thousands of rows translate each
    word once instead of once per cell."""
    return {getattr(code, "value", code): str(label) for code, label in table.items()}


def decision_label(code: Any) -> str:
    return _word(DECISION_LABELS, code)


def role_label(code: Any) -> str:
    return _word(ROLE_LABELS, code)


def project_status_label(code: Any) -> str:
    return _word(PROJECT_STATUS_LABELS, code)


def review_status_label(code: Any) -> str:
    return _word(REVIEW_STATUS_LABELS, code)


def action_status_label(code: Any) -> str:
    return _word(ACTION_STATUS_LABELS, code)


def rule_label(code: Any) -> str:
    return _word(RULE_LABELS, code)


def doc_kind_label(code: Any) -> str:
    return _word(DOCUMENT_KIND_LABELS, code)


def doc_status_label(code: Any) -> str:
    return _word(DOCUMENT_STATUS_LABELS, code)


def training_status_label(code: Any) -> str:
    return _word(TRAINING_STATUS_LABELS, code)


def rag_label(code: Any) -> str:
    return _word(RAG_LABELS, code)


def notification_state_label(code: Any) -> str:
    return _word(NOTIFICATION_STATE_LABELS, code)


def audit_kind_label(code: Any) -> str:
    return _word(AUDIT_KIND_LABELS, code)


def answer_label(answer: Any) -> str:
    """A criterion's answer: yes/no for a must-meet one, the score (0-5) for the others."""
    if answer is None:
        return "—"
    if isinstance(answer, bool):
        return _("yes") if answer else _("no")
    return str(answer)


def language_label(code: str | None) -> str:
    """A document's language, named in that language as language menus do."""
    return {"fr": "Français", "en": "English"}.get(code or "", code or "")


#: The label functions, by the name templates call them (as globals and as filters).
LABEL_FUNCTIONS = {
    function.__name__: function
    for function in (
        decision_label,
        role_label,
        project_status_label,
        review_status_label,
        action_status_label,
        rule_label,
        doc_kind_label,
        doc_status_label,
        training_status_label,
        rag_label,
        notification_state_label,
        audit_kind_label,
        answer_label,
        language_label,
    )
}


def register_labels(app: Flask) -> None:
    """Make every label function a Jinja global and filter, and the number formats filters."""
    from app.formats import FORMAT_FILTERS

    app.jinja_env.globals.update(LABEL_FUNCTIONS)
    app.jinja_env.filters.update(LABEL_FUNCTIONS)
    app.jinja_env.filters.update(FORMAT_FILTERS)
