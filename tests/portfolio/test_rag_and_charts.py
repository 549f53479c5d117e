"""RAG rules at their thresholds, with the explanation; charts readable without colour."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import Float, cast, literal, select, union_all

from app.extensions import db
from app.portfolio.dashboard.svg import Series, bar_chart
from app.portfolio.rag import Rag, RagRulesError, evaluate, load_rules, severity_sql

RULES = load_rules()
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("variance", "expected"),
    [(None, Rag.GREEN), (10.0, Rag.GREEN), (10.01, Rag.AMBER), (20.0, Rag.AMBER), (20.5, Rag.RED)],
)
def test_budget_variance_thresholds(variance, expected):
    assert evaluate({"budget_variance_pct": variance}, RULES).status is expected


def test_red_budget_is_explained_once_not_also_as_amber():
    result = evaluate({"budget_variance_pct": 25.0}, RULES)
    assert [reason.rule for reason in result.reasons] == ["budget-red"]
    assert result.reasons[0].message == (
        "Forecast is 25% over the planned budget (red beyond 20%)."
    )


def test_review_waiting_more_than_ten_days_is_amber_with_the_reason_in_french():
    assert evaluate({"review_waiting_days": 10}, RULES).status is Rag.GREEN
    result = evaluate({"review_waiting_days": 11}, RULES, language="fr")
    assert result.status is Rag.AMBER
    assert "attend une décision depuis 11 jours" in result.reasons[0].message


def test_worst_status_wins_and_every_reason_is_listed_worst_first():
    result = evaluate(
        {"budget_variance_pct": 30, "overdue_action_items": 2, "review_waiting_days": 3}, RULES
    )
    assert result.status is Rag.RED
    assert [reason.status for reason in result.reasons] == [Rag.RED, Rag.AMBER]
    assert "2 action item(s) past their due date." in result.reasons[1].message


def test_a_pmo_rules_file_replaces_the_thresholds(tmp_path):
    custom = tmp_path / "rules.yaml"
    custom.write_text(
        "rules:\n  - key: slow\n    metric: days_in_stage\n    above: 90\n    status: red\n"
        "    message: 'In stage for {value:.0f} days.'\n"
    )
    rules = load_rules(custom)
    assert evaluate({"days_in_stage": 91}, rules).reasons[0].message == "In stage for 91 days."
    assert evaluate({"budget_variance_pct": 99}, rules).status is Rag.GREEN


def test_a_bad_rules_file_names_the_rule_and_the_field(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - metric: happiness\n    above: 1\n    status: red\n")
    with pytest.raises(RagRulesError, match=r"rules\[0\]\.metric"):
        load_rules(bad)


def test_chart_has_title_description_values_as_text_and_patterns():
    svg = bar_chart(
        "Decisions per gate",
        ["Idea screen", "Go to development"],
        [Series("go", [3, 1]), Series("kill", [1, 2])],
        stacked=True,
    )
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Decisions per gate"
    assert "Idea screen: go 3, kill 1" in root.find(f"{SVG}desc").text
    texts = [node.text for node in root.iter(f"{SVG}text")]
    assert {"Idea screen", "Go to development", "4", "3", "go", "kill"} <= set(texts)
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert len(patterns) == 2
    assert "style" not in str(svg)


def test_chart_escapes_labels():
    svg = bar_chart("<b>x</b>", ["<script>alert(1)</script>"], [Series("s", [1])])
    assert "<script>" not in str(svg)
    ET.fromstring(str(svg))


def test_the_database_colours_projects_as_evaluate_does(app):
    """The dashboard counts colours in SQL (`severity_sql`): at every threshold, with
    missing figures, it must agree with the explanation `evaluate` gives."""
    rules = RULES
    grid = list(
        itertools.product(
            [None, -30.0, 0.0, 10.0, 10.01, 20.0, 20.5],
            [None, 10.0, 10.0001, 11.0],
            [0, 1, 3],
        )
    )
    metrics = ("budget_variance_pct", "review_waiting_days", "overdue_action_items")
    table = union_all(
        *(
            select(
                literal(index).label("row"),
                *(
                    cast(literal(value, Float), Float).label(name)
                    for name, value in zip(metrics, row, strict=True)
                ),
            )
            for index, row in enumerate(grid)
        )
    ).subquery("figures")
    with app.app_context():
        severity = severity_sql(rules, table.c)
        found = dict(db.session.execute(select(table.c.row, severity)).all())
    expected = {
        index: evaluate(dict(zip(metrics, row, strict=True)), rules).status.severity
        for index, row in enumerate(grid)
    }
    assert found == expected
    assert set(found.values()) == {0, 1, 2}
