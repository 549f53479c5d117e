"""What a gate review must contain before it can be submitted."""

from collections.abc import Callable

import pytest

from workflows import Gate, RefusalCode, WorkflowDefinition, check_submission, score

GOOD_ANSWERS = {"fit": True, "value": 4, "risk": 3}
ALL_DELIVERABLES = {"charter", "plan"}


def test_complete_submission_has_no_refusal(make_gate: Callable[..., Gate]) -> None:
    assert check_submission(make_gate(), GOOD_ANSWERS, ALL_DELIVERABLES) == []


def test_score_is_the_weighted_percentage_of_the_best_answers(
    make_gate: Callable[..., Gate],
) -> None:
    # value: weight 3, 4/5; risk: weight 1, 3/5 -> (3*0.8 + 1*0.6) / 4 = 75 %
    assert score(make_gate(), GOOD_ANSWERS) == pytest.approx(75.0)
    assert score(make_gate(), {"value": 5, "risk": 5}) == pytest.approx(100.0)
    assert score(make_gate(), {"value": 0, "risk": 0}) == 0.0


def test_gate_without_should_meet_criteria_scores_full_marks(
    make_gate: Callable[..., Gate],
) -> None:
    gate = make_gate()
    assert score(make_gate(criteria=gate.must_meet_criteria), {"fit": True}) == 100.0


def test_score_refuses_a_missing_should_meet_answer(make_gate: Callable[..., Gate]) -> None:
    with pytest.raises(ValueError, match="risk"):
        score(make_gate(), {"value": 4})


def test_every_reason_is_reported_at_once(make_gate: Callable[..., Gate]) -> None:
    refusals = check_submission(
        make_gate(),
        {"fit": False, "value": 1, "risk": 0, "colour": 3},
        {"plan"},
        open_conditions=2,
        missing_training=["project-method"],
    )
    assert [(r.code, r.field) for r in refusals] == [
        (RefusalCode.UNKNOWN_CRITERION, "criteria.colour"),
        (RefusalCode.MUST_MEET_UNMET, "criteria.fit"),
        (RefusalCode.SCORE_BELOW_PASS, "criteria"),
        (RefusalCode.DELIVERABLE_MISSING, "deliverables.charter"),
        (RefusalCode.CONDITIONS_OPEN, "conditions"),
        (RefusalCode.TRAINING_MISSING, "training.project-method"),
    ]
    assert [r.params for r in refusals] == [
        {"criterion": "colour"},
        {"criterion": "fit", "must_meet": True},
        {"score": pytest.approx(15.0), "pass_score": 60},
        {"deliverable": "charter"},
        {"count": 2},
        {"course": "project-method"},
    ]


def test_refusals_carry_codes_and_parameters_never_sentences(
    make_gate: Callable[..., Gate],
) -> None:
    """The app says them in the reader's language: no English sentence leaves the engine."""
    refusals = check_submission(make_gate(), {"fit": 1, "value": "4"}, set(), open_conditions=1)
    for refusal in refusals:
        assert not hasattr(refusal, "message")
        assert all(not isinstance(v, str) or " " not in v for v in refusal.params.values())
    bad = [r for r in refusals if r.code is RefusalCode.BAD_ANSWER]
    assert [r.params for r in bad] == [
        {"criterion": "fit", "must_meet": True, "answer": 1},
        {"criterion": "value", "must_meet": False, "answer": "4"},
    ]
    missing = next(r for r in refusals if r.code is RefusalCode.CRITERION_MISSING)
    assert missing.params == {"criterion": "risk", "must_meet": False}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"fit": 1, "value": 4, "risk": 3}, "criteria.fit"),  # must-meet answered with a number
        ({"fit": True, "value": True, "risk": 3}, "criteria.value"),  # should-meet with a boolean
        ({"fit": True, "value": 6, "risk": 3}, "criteria.value"),  # above the 0-5 scale
        ({"fit": True, "value": -1, "risk": 3}, "criteria.value"),
        ({"fit": True, "value": 4.5, "risk": 3}, "criteria.value"),
        ({"fit": True, "value": "4", "risk": 3}, "criteria.value"),
    ],
)
def test_answer_of_the_wrong_kind_is_a_bad_answer(
    make_gate: Callable[..., Gate], answers: dict, field: str
) -> None:
    refusals = check_submission(make_gate(), answers, ALL_DELIVERABLES)
    assert [(r.code, r.field) for r in refusals] == [(RefusalCode.BAD_ANSWER, field)]


def test_missing_answers_are_reported_and_the_score_is_not_guessed(
    make_gate: Callable[..., Gate],
) -> None:
    refusals = check_submission(make_gate(), {"value": 0}, ALL_DELIVERABLES)
    assert [(r.code, r.field) for r in refusals] == [
        (RefusalCode.CRITERION_MISSING, "criteria.fit"),
        (RefusalCode.CRITERION_MISSING, "criteria.risk"),
    ]


def test_score_exactly_at_pass_score_passes(make_gate: Callable[..., Gate]) -> None:
    gate = make_gate(pass_score=75)
    assert check_submission(gate, GOOD_ANSWERS, ALL_DELIVERABLES) == []


def test_idea_screen_of_stage_gate_passes_without_any_document(
    stage_gate: WorkflowDefinition,
) -> None:
    gate = stage_gate.gates[0]
    answers = {c.key: True if c.must_meet else 3 for c in gate.criteria}
    assert check_submission(gate, answers, set()) == []
