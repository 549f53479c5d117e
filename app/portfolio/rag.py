"""Explainable RAG status: rules a PMO can read and change, evaluated on a project's figures.

The rules live in a YAML file (``rag_rules.yaml`` here, or the file named by
``JALON_RAG_RULES``); each says which metric, which threshold, which colour and the
sentence shown to people. Evaluation is a pure function so the same figures always
give the same colour and the same explanation.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import ColumnElement, Float, case, cast, literal, or_

DEFAULT_RULES_FILE = Path(__file__).with_name("rag_rules.yaml")

METRICS = frozenset(
    {"budget_variance_pct", "review_waiting_days", "overdue_action_items", "days_in_stage"}
)


class Rag(enum.StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


@dataclass(frozen=True)
class RagRule:
    key: str
    metric: str
    above: float
    status: Rag
    messages: Mapping[str, str]

    def explain(self, value: float, language: str) -> str:
        template = self.messages.get(language) or self.messages.get("en") or self.key
        return template.format(value=value)


@dataclass(frozen=True)
class RagReason:
    rule: str
    status: Rag
    value: float
    language: str
    source: RagRule = field(repr=False, compare=False)

    @property
    def message(self) -> str:
        """The rule's sentence with the value, written when shown: a dashboard of ten
        thousand projects displays ten of them."""
        return self.source.explain(self.value, self.language)


@dataclass(frozen=True)
class RagResult:
    status: Rag
    reasons: tuple[RagReason, ...]


#: The result of a project that no rule flags.
GREEN = RagResult(Rag.GREEN, ())


class RagRulesError(ValueError):
    """The rules file is wrong; the message names the file, the rule and the field."""


def load_rules(path: Path | str | None = None) -> tuple[RagRule, ...]:
    path = Path(path or DEFAULT_RULES_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise RagRulesError(f"{path}: cannot read the RAG rules: {error}") from error
    rules = []
    for index, raw in enumerate(data.get("rules") or []):
        where = f"{path}: rules[{index}]"
        if not isinstance(raw, dict):
            raise RagRulesError(f"{where}: a rule is a mapping")
        if raw.get("metric") not in METRICS:
            raise RagRulesError(f"{where}.metric: must be one of {', '.join(sorted(METRICS))}")
        if raw.get("status") not in {"amber", "red"}:
            raise RagRulesError(f"{where}.status: must be amber or red")
        if not isinstance(raw.get("above"), int | float):
            raise RagRulesError(f"{where}.above: must be a number")
        messages = raw.get("message") or {}
        if isinstance(messages, str):
            messages = {"en": messages}
        rules.append(
            RagRule(
                key=str(raw.get("key") or f"rule-{index}"),
                metric=raw["metric"],
                above=float(raw["above"]),
                status=Rag(raw["status"]),
                messages=dict(messages),
            )
        )
    return tuple(rules)


def evaluate(
    metrics: Mapping[str, float | None], rules: Sequence[RagRule], language: str = "en"
) -> RagResult:
    """The worst colour among the rules that fire, with every reason, worst first.

    When several rules on the same metric fire (amber beyond 10 %, red beyond 20 %), only
    the most severe one is kept: saying both would tell the same thing twice.
    """
    fired: dict[str, tuple[RagRule, float]] = {}
    for rule in rules:
        value = metrics.get(rule.metric)
        if value is None or value <= rule.above:
            continue
        kept = fired.get(rule.metric)
        if kept is None or rule.status.severity > kept[0].status.severity:
            fired[rule.metric] = (rule, value)
    if not fired:
        return GREEN
    reasons = tuple(
        RagReason(rule.key, rule.status, value, language, rule)
        for rule, value in sorted(fired.values(), key=lambda fire: -fire[0].status.severity)
    )
    return RagResult(reasons[0].status, reasons)


def severity_sql(
    rules: Sequence[RagRule], metrics: Mapping[str, ColumnElement[Any]]
) -> ColumnElement[int]:
    """The severity `evaluate` gives (0 green, 1 amber, 2 red) as a SQL expression over the
    metric columns, so a portfolio's colours are counted and ranked by the database.

    The same comparisons as `evaluate`, made on the same floating-point values: a NULL
    metric never fires, as a None one does not. `evaluate` still writes the reasons.
    """
    whens = []
    for status in sorted(_SEVERITY, key=_SEVERITY.__getitem__, reverse=True):
        fired = [
            cast(metrics[rule.metric], Float) > rule.above
            for rule in rules
            if rule.status is status
        ]
        if fired:
            whens.append((or_(*fired), status.severity))
    return case(*whens, else_=Rag.GREEN.severity) if whens else literal(Rag.GREEN.severity)
