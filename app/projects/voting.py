"""Votes, the quorum, and the decision applied through the engine in the same transaction.

A vote locks the project row before it reads the review, its status and its ballots (see
`lock_project_of_review`), so two "last" votes arriving together are serialised: the second one
sees the review decided and gets 409. The ballots are counted per decision with one `GROUP BY`
read from the covering tally index, and the quorum rules (`decide_tally`) need only those counts.
The optimistic `version_id` of the project and the UNIQUE open-review and (review, voter)
constraints are the second line of defence should a path ever skip the lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, lazyload

from app.auth.models import Principal, User
from app.extensions import db
from app.projects import audit
from app.projects.definitions import engine_for, get_definition
from app.projects.models import (
    ActionItem,
    GateReview,
    Project,
    ReviewStatus,
    ScorecardEntry,
    Vote,
)
from app.projects.refusal_messages import training_refusal
from app.projects.services import (
    after_commit,
    can_see,
    lock_project_of_review,
    set_state,
    state_of,
)
from app.projects.submission import missing_training_of
from app.refusals import Conflict, Forbidden, Invalid, NotFound
from app.timeutil import utcnow
from workflows import ANSWER_MAX, Decision, Gate, decide_tally, score

#: Decisions that let the project through the gate.
PASSING = frozenset({Decision.GO, Decision.CONDITIONAL_GO})
#: Decisions a voter must explain.
NEEDS_COMMENT = frozenset({Decision.KILL, Decision.HOLD, Decision.RECYCLE})


def _invalid(message: str, field: str, code: str) -> Invalid:
    return Invalid(message, details=[{"field": field, "code": code, "message": message}])


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
    voter: User | Principal,
    review_id: int,
    decision: Decision | str,
    comment: str = "",
    conditions: Sequence[Mapping[str, Any]] = (),
    scores: Mapping[str, int] | None = None,
) -> Vote:
    """Record a vote; when the quorum decides, apply the decision to the project.

    NotFound: no such review, or one the voter may not see. Forbidden: the submitter, a voter
    without the gate's approver role, or missing training. Conflict: a second vote, or a review
    already decided. Invalid: missing comment or conditions, a bad scorecard. Flushes; the
    request commits.
    """
    voter = voter if isinstance(voter, Principal) else Principal.of(voter)
    decision = Decision(decision)
    scores = dict(scores or {})
    lock_project_of_review(review_id)
    review = db.session.scalars(
        select(GateReview)
        .where(GateReview.id == review_id)
        .options(lazyload("*"), joinedload(GateReview.project).lazyload("*"))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if review is None or not can_see(voter, review.project):
        raise NotFound(_("No such gate review."))
    gate = get_definition(review.project.workflow, review.project.workflow_version).gate(
        review.gate
    )
    assert gate is not None
    _check_voter(voter, review, gate)
    if review.status is ReviewStatus.DECIDED:
        raise _decided()
    ballots, mine = _ballots(review_id, voter)
    if mine:
        raise Conflict(_("You already voted on this review."), code="already_voted")
    _check_vote_content(gate, decision, comment, conditions, scores)
    vote = Vote(
        review=review,
        voter=db.session.get_one(User, voter.id, options=[lazyload("*")]),  # named in the answer
        decision=decision,
        comment=comment,
        conditions=[_condition_data(c) for c in conditions],
        scores=[ScorecardEntry(criterion=k, score=v) for k, v in sorted(scores.items())],
    )
    db.session.add(vote)
    audit.record(
        "vote",
        voter.username,
        {
            "review": review_id,
            "decision": decision.value,
            "comment": comment,
            "conditions": vote.conditions,
            "scores": scores,
        },
        review.project_id,
    )
    ballots[decision] += 1
    outcome = decide_tally(ballots, gate.approvers.min_votes, gate.rule)
    if outcome is not None:
        _apply(voter, review, outcome)
    return vote


def _ballots(review_id: int, voter: Principal) -> tuple[Counter[Decision], bool]:
    """The votes cast on the review per decision, and whether `voter` cast one.

    Read under the project's lock, so no other vote can come in before this one is counted.
    """
    rows = db.session.execute(
        select(
            Vote.decision,
            func.count(Vote.id),
            func.sum(case((Vote.voter_id == voter.id, 1), else_=0)),
        )
        .where(Vote.review_id == review_id)
        .group_by(Vote.decision)
    ).all()
    return Counter({decision: count for decision, count, _mine in rows}), any(
        mine for _d, _c, mine in rows
    )


def _check_voter(voter: Principal, review: GateReview, gate: Gate) -> None:
    if voter.id == review.submitted_by_id:
        raise Forbidden(_("You submitted this review: you cannot vote on it."))
    if not voter.has_role(gate.approvers.role):
        raise Forbidden(_("Only the gate's approvers vote."), code="not_an_approver")
    missing = missing_training_of(voter, gate.requires_training)
    if missing:
        raise training_refusal(missing, voter)


def _decided() -> Conflict:
    return Conflict(_("This review is already decided."), code="review_decided")


def _condition_data(condition: Mapping[str, Any]) -> dict[str, Any]:
    due = condition.get("due_date")
    return {
        "description": str(condition["description"]),
        "due_date": due.isoformat() if isinstance(due, date) else due,
    }


def _apply(voter: Principal, review: GateReview, outcome: Decision) -> None:
    """Decide the review and move the project, in the caller's transaction (under its lock)."""
    project = review.project  # read under the lock by `cast_vote`: its committed state
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
        _create_action_items(voter, review, project)
    after_commit("decision", {"review_id": review.id, "decision": outcome.value})


def _create_action_items(voter: Principal, review: GateReview, project: Project) -> None:
    """Each condition of each conditional go becomes an action item for the manager."""
    conditional = [vote for vote in review.votes if vote.decision is Decision.CONDITIONAL_GO]
    for vote in sorted(conditional, key=lambda vote: vote.id):
        for condition in vote.conditions:
            due = condition.get("due_date")
            item = ActionItem(
                review_id=review.id,
                project_id=project.id,
                description=condition["description"],
                owner_id=project.manager_id,
                due_date=date.fromisoformat(due) if due else None,
            )
            db.session.add(item)
            db.session.flush()
            audit.record(
                "action_item_created",
                voter.username,
                {"action_item": item.id, "description": item.description, "due_date": due},
                project.id,
            )
