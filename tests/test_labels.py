"""One place for words and formats: every code has a label, numbers follow the reader."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale

from app import formats
from app.labels import (
    AUDIT_KIND_LABELS,
    answer_label,
    audit_kind_label,
    decision_label,
    project_status_label,
    review_status_label,
    role_label,
    rule_label,
)
from workflows import Decision, Rule, Status

ROOT = Path(__file__).resolve().parent.parent
SPACES = re.compile(r"[\u00a0\u202f]")
#: The PMO's moves, recorded under the name of the move (`app.projects.services._pmo_move`).
PMO_MOVES = {"hold", "resume"}


def audit_kinds_recorded() -> set[str]:
    """Every literal kind `audit.record(...)` is called with in app/."""
    kinds = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and getattr(node.func.value, "id", None) == "audit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                kinds.add(node.args[0].value)
    return kinds


def test_every_audit_event_kind_has_a_label() -> None:
    recorded = audit_kinds_recorded() | PMO_MOVES
    assert {"submission", "vote", "decision", "action_item_closed"} <= recorded
    assert sorted(recorded - set(AUDIT_KIND_LABELS)) == []


def _plain(text: str) -> str:
    return SPACES.sub(" ", text)


def test_codes_read_as_french_words(app) -> None:
    with app.test_request_context(), force_locale("fr"):
        assert decision_label(Decision.CONDITIONAL_GO) == "Go conditionnel"
        assert decision_label("kill") == "Arrêter"
        assert project_status_label(Status.ON_HOLD) == "Suspendu"
        assert review_status_label("decided") == "Décidée"
        assert review_status_label("no_consensus") == "Pas de consensus : le président décide"
        assert rule_label(Rule.UNANIMOUS) == "unanimité"
        assert role_label("gatekeeper") != "gatekeeper"
        assert audit_kind_label("action_item_closed") == "Action clôturée"
        assert (answer_label(True), answer_label(False), answer_label(3)) == ("oui", "non", "3")
        assert decision_label(None) == ""


def test_an_unknown_code_is_shown_as_it_is_for_the_pages_test_to_find(app) -> None:
    with app.test_request_context():
        assert audit_kind_label("something_new") == "something_new"


@pytest.mark.parametrize(
    ("locale", "money", "variance", "day", "count"),
    [
        ("fr", "3 690 000,00 €", "+18,4 %", "7 déc. 2026", "12 345"),
        ("en", "€3,690,000.00", "+18.4%", "Dec 7, 2026", "12,345"),
    ],
)
def test_numbers_money_percentages_and_dates_follow_the_reader(
    app, locale: str, money: str, variance: str, day: str, count: str
) -> None:
    with app.test_request_context(), force_locale(locale):
        assert _plain(formats.money(Decimal("3690000"))) == money
        assert _plain(formats.signed_percent(18.4)) == variance
        assert _plain(formats.signed_percent(-2)).startswith("-2")
        assert formats.date(date(2026, 12, 7)) == day
        assert _plain(formats.number(12345)) == count
        assert formats.datetime(datetime(2026, 12, 7, 16, 8, tzinfo=UTC)).endswith("UTC")
        assert formats.money(None) == formats.NOTHING


def test_whole_money_drops_the_cents(app) -> None:
    with app.test_request_context(), force_locale("fr"):
        assert _plain(formats.money(Decimal("3690000.49"), whole=True)) == "3 690 000 €"
