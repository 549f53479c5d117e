"""Forms of the committee: whose seat a vote fills, recusal, the chair's decision, delegations."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.labels import DECISION_LABELS
from app.projects import limits
from app.projects.forms import parse_conditions
from app.projects.models import Vote
from workflows import Decision, Gate


def decision_choices() -> list[SelectChoice]:
    return [SelectChoice(d.value, label) for d, label in DECISION_LABELS.items()]


def vote_data(vote: Vote, gate: Gate) -> dict[str, Any]:
    """A cast vote as the vote form's data, to prefill the form that changes it."""
    scores = {entry.criterion: str(entry.score) for entry in vote.scores}
    conditions = "\n".join(
        c["description"] + (f" | {c['due_date']}" if c.get("due_date") else "")
        for c in vote.conditions
    )
    data: dict[str, Any] = {
        "decision": Decision(vote.decision).value,
        "comment": vote.comment,
        "conditions": conditions,
    }
    for criterion in gate.should_meet_criteria:
        data[f"score__{criterion.key}"] = scores.get(criterion.key, "")
    return data


class SeatForm(FlaskForm):
    """Whose vote the vote form casts: mine ("") or a delegator's (their username).

    Part of the vote form's `<form>`, which carries the CSRF token.
    """

    class Meta:
        csrf = False

    seat = SelectField(_l("Vote"), choices=[], validate_choice=False)


class RecusalForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for recusing yourself"),
        validators=[DataRequired(), Length(max=limits.COMMENT_MAX)],
    )


class ChairForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=decision_choices())
    rationale = TextAreaField(
        _l("Rationale"), validators=[DataRequired(), Length(max=limits.COMMENT_MAX)]
    )
    conditions = TextAreaField(
        _l("Conditions (one per line, optionally '| YYYY-MM-DD')"),
        validators=[Length(max=limits.lines_max(limits.CONDITIONS_MAX, limits.CONDITION_MAX))],
    )

    def validate_conditions(self, field: TextAreaField) -> None:
        parse_conditions(field.data or "")


class DelegationForm(FlaskForm):
    delegate = SelectField(_l("Delegate"), choices=[], validate_choice=True)
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("Until (included)"), validators=[InputRequired()])
