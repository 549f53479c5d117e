"""What a gate review must contain before it can be submitted, as pure functions.

`check_submission` returns every problem at once, each with a stable `code` and the `params` the
app needs to say it in the reader's language (criterion and deliverable keys, scores, counts): the
engine holds no sentence, so a project manager reads none in a language not theirs, and fixes the
whole submission in one go instead of one refusal at a time.
Whether the project's *state* allows a submission at all is the engine's business
(`WorkflowEngine.can_submit`), answered with 409 rather than 422 by the API.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from workflows.model import Gate

#: Should-meet criteria are answered on a 0..ANSWER_MAX scale.
ANSWER_MAX = 5

#: What a criterion answer may be: yes/no for must-meet, 0-5 for should-meet.
Answer = bool | int


class RefusalCode(StrEnum):
    """Stable machine code of a `Refusal`, for the app to translate and for API clients."""

    MUST_MEET_UNMET = "must_meet_unmet"
    SCORE_BELOW_PASS = "score_below_pass"  # noqa: S105 - a refusal code, not a password
    DELIVERABLE_MISSING = "deliverable_missing"
    CONDITIONS_OPEN = "conditions_open"
    TRAINING_MISSING = "training_missing"
    UNKNOWN_CRITERION = "unknown_criterion"
    CRITERION_MISSING = "criterion_missing"
    BAD_ANSWER = "bad_answer"


@dataclass(frozen=True)
class Refusal:
    """One reason a submission is refused: `field` is e.g. `criteria.budget-approved`.

    `params` by code: `criterion` (the key) for the criterion codes, with `must_meet` and, for
    `bad_answer`, the `answer` given; `score` and `pass_score` for `score_below_pass`;
    `deliverable` (the key) for `deliverable_missing`; `count` for `conditions_open`; `course`
    (the key) for `training_missing`.
    """

    code: RefusalCode
    field: str
    params: Mapping[str, Any]


def _is_valid(answer: object, must_meet: bool) -> bool:
    # bool is a subclass of int, so the two kinds of answer must be told apart explicitly.
    if must_meet:
        return isinstance(answer, bool)
    return isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer <= ANSWER_MAX


def _answer_refusals(gate: Gate, answers: Mapping[str, Answer]) -> list[Refusal]:
    refusals = [
        Refusal(RefusalCode.UNKNOWN_CRITERION, f"criteria.{key}", {"criterion": key})
        for key in answers
        if gate.criterion(key) is None
    ]
    for criterion in gate.criteria:
        params: dict[str, Any] = {"criterion": criterion.key, "must_meet": criterion.must_meet}
        answer = answers.get(criterion.key)
        if criterion.key not in answers:
            code = RefusalCode.CRITERION_MISSING
        elif not _is_valid(answer, criterion.must_meet):
            code, params["answer"] = RefusalCode.BAD_ANSWER, answer
        elif answer is False:
            code = RefusalCode.MUST_MEET_UNMET
        else:
            continue
        refusals.append(Refusal(code, f"criteria.{criterion.key}", params))
    return refusals


def score(gate: Gate, answers: Mapping[str, Answer]) -> float:
    """Weighted should-meet score as a percentage (0-100) of the best possible answers.

    A gate without should-meet criteria scores 100: there is nothing it could fall short on.
    Raises `ValueError` when a should-meet answer is missing or not a 0-5 whole number, since a
    partial score would read as a poor one.
    """
    criteria = gate.should_meet_criteria
    if not criteria:
        return 100.0
    for criterion in criteria:
        if not _is_valid(answers.get(criterion.key), must_meet=False):
            raise ValueError(f"criterion {criterion.key!r} needs a 0-{ANSWER_MAX} answer")
    total = sum(c.weight or 0 for c in criteria)
    earned = sum((c.weight or 0) * answers[c.key] / ANSWER_MAX for c in criteria)
    return 100.0 * earned / total


def check_submission(
    gate: Gate,
    criteria_answers: Mapping[str, Answer],
    deliverables: Collection[str],
    open_conditions: int = 0,
    missing_training: Sequence[str] = (),
) -> list[Refusal]:
    """Every reason a gate review cannot be submitted; an empty list means it can.

    - `criteria_answers`: criterion key -> bool (must-meet) or 0-5 int (should-meet);
    - `deliverables`: keys of the gate's deliverables that were provided (the app matches
      documents to deliverables);
    - `open_conditions`: action items from an earlier conditional go still open;
    - `missing_training`: course keys the submitter lacks among `gate.requires_training`.

    The score is only compared with `pass_score` once every should-meet answer is valid.
    """
    refusals = _answer_refusals(gate, criteria_answers)
    try:
        achieved = score(gate, criteria_answers)
    except ValueError:
        achieved = None  # a should-meet answer is missing or bad, and reported as such
    if achieved is not None and achieved < gate.pass_score:
        refusals.append(
            Refusal(
                RefusalCode.SCORE_BELOW_PASS,
                "criteria",
                {"score": achieved, "pass_score": gate.pass_score},
            )
        )
    refusals += [
        Refusal(RefusalCode.DELIVERABLE_MISSING, f"deliverables.{d.key}", {"deliverable": d.key})
        for d in gate.deliverables
        if d.key not in deliverables
    ]
    if open_conditions > 0:
        refusals.append(
            Refusal(RefusalCode.CONDITIONS_OPEN, "conditions", {"count": open_conditions})
        )
    refusals += [
        Refusal(RefusalCode.TRAINING_MISSING, f"training.{course}", {"course": course})
        for course in missing_training
    ]
    return refusals
