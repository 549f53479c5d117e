"""Votes, the quorum, and the decision applied through the engine in the same transaction.

A vote locks the project row before it reads the review's status and ballots (see
`lock_project`), so two "last" votes arriving together are serialised: the second one sees the
review decided and gets 409. Who may vote is checked before, outside the critical section. The
optimistic `version_id` of the project and the UNIQUE open-review and (review, voter)
constraints are the second line of defence should a path ever skip the lock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.errors import ApiError
from app.extensions import db
from app.projects import audit
from app.projects.definitions import engine_for
from app.projects.models import (
    ActionItem,
    GateReview,
    ReviewStatus,
    ScorecardEntry,
    Vote,
)
from app.projects.services import after_commit, lock_project, set_state, state_of
from app.projects.submission import missing_training_of
from app.timeutil import utcnow
from workflows import ANSWER_MAX, Decision, Gate, decide, score

#: Decisions that let the project through the gate.
PASSING = frozenset({Decision.GO, Decision.CONDITIONAL_GO})
#: Decisions a voter must explain.
NEEDS_COMMENT = frozenset({Decision.KILL, Decision.HOLD, Decision.RECYCLE})


def _invalid(message: str, field: str, code: str) -> ApiError:
    return ApiError(422, message, details=[{"field": field, "code": code, "message": message}])


def _check_scores(gate: Gate, scores: Mapping[str, Any]) -> None:
    keys = {c.key for c in gate.should_meet_criteria}
    for key, value in scores.items():
        if key not in keys:
            raise _invalid(_("%(key)s is not a should-meet criterion.", key=key), key, "unknown")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= ANSWER_MAX:
            raise _invalid(_("Scores are whole numbers from 0 to 5."), key, "bad_score")


def _check_vote_content(
    gate: Gate,
    decision: Decision,
    comment: str,
    conditions: Sequence[Mapping[str, Any]],
    scores: Mapping[str, int],
) -> None:
    if decision in NEEDS_COMMENT and not comment.strip():
        raise _invalid(_("Say why: kill, hold and recycle need a comment."), "comment", "required")
    if decision is Decision.CONDITIONAL_GO and not conditions:
        raise _invalid(_("A conditional go needs its conditions."), "conditions", "required")
    if decision is not Decision.CONDITIONAL_GO and conditions:
        raise _invalid(_("Only a conditional go carries conditions."), "conditions", "not_allowed")
    _check_scores(gate, scores)
    full = scores and len(scores) == len(gate.should_meet_criteria)
    if full and not comment.strip():
        passes = score(gate, scores) >= gate.pass_score
        if passes != (decision in PASSING):
            raise _invalid(
                _("Your decision goes against your scorecard total: give your reason."),
                "comment",
                "contradicts_scorecard",
            )


def cast_vote(
    voter: User,
    review: GateReview,
    decision: Decision | str,
    comment: str = "",
    conditions: Sequence[Mapping[str, Any]] = (),
    scores: Mapping[str, int] | None = None,
) -> Vote:
    """Record a vote; when the quorum decides, apply the decision to the project.

    403: the submitter, a voter without the gate's approver role, or missing training.
    409: a second vote, or a review already decided. 422: missing comment or conditions.
    """
    decision = Decision(decision)
    scores = dict(scores or {})
    # Who may vote does not change with the votes: checked before queueing for the lock.
    gate = engine_for(review.project).definition.gate(review.gate)
    assert gate is not None
    if voter.id == review.submitted_by_id:
        raise ApiError(403, _("You submitted this review: you cannot vote on it."))
    if not voter.has_role(gate.approvers.role):
        raise ApiError(403, _("Only the gate's approvers vote."), code="not_an_approver")
    missing = missing_training_of(voter, gate.requires_training)
    if missing:
        raise ApiError(
            403,
            _("Training required to vote: %(courses)s.", courses=", ".join(missing)),
            code="training_missing",
            details=[
                {"field": f"training.{course}", "code": "training_missing"} for course in missing
            ],
        )
    project = lock_project(review.project)
    # An open review's row changes only when it is decided: its status is all to read again.
    status = db.session.scalar(select(GateReview.status).where(GateReview.id == review.id))
    if ReviewStatus.DECIDED in (review.status, status):
        raise ApiError(409, _("This review is already decided."), code="review_decided")
    ballots = _ballots(review)
    if voter.id in ballots:
        raise ApiError(409, _("You already voted on this review."), code="already_voted")
    _check_vote_content(gate, decision, comment, conditions, scores)
    vote = Vote(
        review_id=review.id,
        voter_id=voter.id,
        voter=voter,
        decision=decision,
        comment=comment,
        conditions=[_condition_data(c) for c in conditions],
        scores=[ScorecardEntry(criterion=k, score=v) for k, v in sorted(scores.items())],
    )
    db.session.add(vote)
    db.session.flush()
    audit.record(
        "vote",
        voter.username,
        {
            "review": review.id,
            "decision": decision.value,
            "comment": comment,
            "conditions": vote.conditions,
            "scores": scores,
        },
        project.id,
    )
    # The project lock keeps other votes out until commit: the ballots read above are all.
    ballots[voter.id] = decision
    outcome = decide(list(ballots.values()), gate.approvers.min_votes, gate.rule)
    if outcome is not None:
        _apply(voter, review, outcome)
    return vote


def _ballots(review: GateReview) -> dict[int, Decision]:
    """Voter id -> decision on the review, read without loading the votes."""
    rows = db.session.execute(
        select(Vote.voter_id, Vote.decision).where(Vote.review_id == review.id).order_by(Vote.id)
    )
    return {voter_id: decision for voter_id, decision in rows}  # noqa: C416 (typed rows)


def _condition_data(condition: Mapping[str, Any]) -> dict[str, Any]:
    due = condition.get("due_date")
    return {
        "description": str(condition["description"]),
        "due_date": due.isoformat() if isinstance(due, date) else due,
    }


def _apply(voter: User, review: GateReview, outcome: Decision) -> None:
    """Decide the review and move the project, in the caller's transaction."""
    project = review.project
    review.status = ReviewStatus.DECIDED
    review.decision = outcome
    review.decided_at = utcnow()
    review.open_project_id = None
    db.session.flush()
    audit.record(
        "decision",
        voter.username,
        {"review": review.id, "gate": review.gate, "decision": outcome.value},
        project.id,
    )
    new_state = engine_for(project).apply_decision(state_of(project), outcome)
    set_state(project, new_state, voter, outcome.value)
    if outcome is Decision.CONDITIONAL_GO:
        _create_action_items(voter, review)
    after_commit("decision", {"review_id": review.id, "decision": outcome.value})


def _create_action_items(voter: User, review: GateReview) -> None:
    for vote in review.votes:
        if vote.decision is not Decision.CONDITIONAL_GO:
            continue
        for condition in vote.conditions:
            due = condition.get("due_date")
            item = ActionItem(
                review_id=review.id,
                project_id=review.project_id,
                description=condition["description"],
                owner_id=review.project.manager_id,
                due_date=date.fromisoformat(due) if due else None,
            )
            db.session.add(item)
            db.session.flush()
            audit.record(
                "action_item_created",
                voter.username,
                {"action_item": item.id, "description": item.description, "due_date": due},
                review.project_id,
            )
