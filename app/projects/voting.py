"""Votes, the quorum, and the decision applied through the engine in the same transaction.

A vote is the API's busiest write (a committee votes within minutes, scripts vote in bulk), so
a vote that does not decide runs on a few plain statements built once per process and loads no
ORM object: the lock, the review with its project and its votes counted per decision, the
vote's insert and the audit append, in a transaction of its own past the ORM session
(`app.transactions`). The vote that makes the quorum goes on through the ORM (`_apply`): it is
one vote in several, and it moves the project through the engine.

A vote locks the project row before it reads the review, its status and its votes (see
`lock_project_of_review`), so two "last" votes arriving together are serialised: the second one
sees the review decided and gets 409. One read under the lock gives both who may vote and the
tally: a refused vote holds the lock only until its request rolls back. The optimistic
`version_id` of the project and the UNIQUE open-review and (review, voter) constraints are the
second line of defence should a path ever skip the lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Row, bindparam, case, func, insert, select

from app.auth.models import Principal, User
from app.errors import ApiError
from app.extensions import db
from app.hotsql import HotStatement
from app.projects import audit
from app.projects.definitions import engine_for, get_definition, store_new_versions
from app.projects.models import (
    ActionItem,
    GateReview,
    Project,
    ReviewStatus,
    ScorecardEntry,
    Vote,
)
from app.projects.services import (
    after_commit,
    can_see,
    lock_project,
    lock_project_of_review,
    set_state,
    state_of,
)
from app.projects.submission import missing_training_of
from app.timeutil import utcnow
from app.transactions import own_transaction
from workflows import ANSWER_MAX, Decision, Gate, decide_tally, score

#: Decisions that let the project through the gate.
PASSING = frozenset({Decision.GO, Decision.CONDITIONAL_GO})
#: Decisions a voter must explain.
NEEDS_COMMENT = frozenset({Decision.KILL, Decision.HOLD, Decision.RECYCLE})

#: Read under the lock: who may vote (the review and its project), the review's status, and
#: the votes cast per decision with whether `voter` cast one (a row per decision; a review
#: without votes gives one row with a NULL decision). The quorum rules need only the counts, so
#: a review with many voters still reads a few rows.
_BALLOT_BOX = HotStatement(
    select(
        GateReview.gate,
        GateReview.status,
        GateReview.submitted_by_id,
        GateReview.project_id,
        Project.manager_id,
        Project.workflow,
        Project.workflow_version,
        Vote.decision,
        func.count(Vote.id).label("votes"),
        func.sum(case((Vote.voter_id == bindparam("voter"), 1), else_=0)).label("mine"),
    )
    .join(Project, Project.id == GateReview.project_id)
    .outerjoin(Vote, Vote.review_id == GateReview.id)
    .where(GateReview.id == bindparam("review"))
    .group_by(GateReview.id, Project.id, Vote.decision)
)
_INSERT_VOTE = HotStatement(
    insert(Vote.__table__),
    ["review_id", "voter_id", "decision", "comment", "conditions", "created_at"],
    returns_id=True,
)
_INSERT_SCORE = HotStatement(insert(ScorecardEntry.__table__), ["vote_id", "criterion", "score"])


class Score(NamedTuple):
    """One line of a voter's scorecard (the shape of a `ScorecardEntry`)."""

    criterion: str
    score: int


@dataclass(frozen=True, slots=True)
class RecordedVote:
    """A vote as written, with the attributes of a loaded `Vote` that `VoteSchema` reads."""

    id: int
    voter: Principal
    decision: Decision
    comment: str
    conditions: list[dict[str, Any]]
    scores: list[Score]
    created_at: datetime


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


class _Ballot(NamedTuple):
    """What a voter casts."""

    decision: Decision
    comment: str
    conditions: Sequence[Mapping[str, Any]]
    scores: dict[str, int]


class _DecidingVote(Exception):
    """The vote would decide the review: it goes through the ORM instead (see `cast_vote`)."""


def cast_vote(
    voter: User | Principal,
    review_id: int,
    decision: Decision | str,
    comment: str = "",
    conditions: Sequence[Mapping[str, Any]] = (),
    scores: Mapping[str, int] | None = None,
) -> RecordedVote:
    """Record a vote; when the quorum decides, apply the decision to the project.

    404: no such review, or one the voter may not see. 403: the submitter, a voter without the
    gate's approver role, or missing training. 409: a second vote, or a review already
    decided. 422: missing comment or conditions, a bad scorecard.

    A vote that is the first database work of its request (the API's) runs in a transaction
    of its own and is committed when this returns. The vote that would decide is rolled back
    there before it wrote anything, and cast again in the session's transaction, where the
    decision moves the project through the ORM; the caller commits that one, as it commits
    any vote cast once the session had begun.
    """
    voter = voter if isinstance(voter, Principal) else Principal.of(voter)
    ballot = _Ballot(Decision(decision), comment, conditions, dict(scores or {}))
    store_new_versions()  # a version's first use writes through the ORM: then in the session
    try:
        with own_transaction() as own:
            return _record_vote(voter, review_id, ballot, may_decide=not own)
    except _DecidingVote:
        return _record_vote(voter, review_id, ballot, may_decide=True)


def _record_vote(
    voter: Principal, review_id: int, ballot: _Ballot, may_decide: bool
) -> RecordedVote:
    """`cast_vote` in the current transaction; `_DecidingVote` when it would decide and may not."""
    decision, comment, conditions, scores = ballot
    lock_project_of_review(review_id)
    tally = _BALLOT_BOX.rows({"review": review_id, "voter": voter.id})
    review = tally[0] if tally else None
    if review is None or not can_see(voter, review):
        raise ApiError(404, _("No such gate review."))
    gate = get_definition(review.workflow, review.workflow_version).gate(review.gate)
    assert gate is not None
    _check_voter(voter, review, gate)
    if review.status is ReviewStatus.DECIDED:
        raise _decided()
    if any(row.mine for row in tally):
        raise ApiError(409, _("You already voted on this review."), code="already_voted")
    _check_vote_content(gate, decision, comment, conditions, scores)
    # The project lock keeps other votes out until commit: the votes counted above are all.
    ballots = Counter({row.decision: row.votes for row in tally if row.decision is not None})
    ballots[decision] += 1
    outcome = decide_tally(ballots, gate.approvers.min_votes, gate.rule)
    if outcome is not None and not may_decide:
        raise _DecidingVote
    vote = _insert_vote(voter, review_id, ballot)
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
    if outcome is not None:
        _apply(voter, review_id, outcome)
    return vote


def _check_voter(voter: Principal, review: Row[Any], gate: Gate) -> None:
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


def _decided() -> ApiError:
    return ApiError(409, _("This review is already decided."), code="review_decided")


def _insert_vote(voter: Principal, review_id: int, ballot: _Ballot) -> RecordedVote:
    decision, comment, conditions, scores = ballot
    created_at = utcnow()
    stored_conditions = [_condition_data(c) for c in conditions]
    vote_id = _INSERT_VOTE.inserted_id(
        {
            "review_id": review_id,
            "voter_id": voter.id,
            "decision": decision,
            "comment": comment,
            "conditions": stored_conditions,
            "created_at": created_at,
        },
    )
    entries = [Score(criterion, value) for criterion, value in sorted(scores.items())]
    for entry in entries:
        _INSERT_SCORE.rows({"vote_id": vote_id, **entry._asdict()})
    return RecordedVote(vote_id, voter, decision, comment, stored_conditions, entries, created_at)


def _condition_data(condition: Mapping[str, Any]) -> dict[str, Any]:
    due = condition.get("due_date")
    return {
        "description": str(condition["description"]),
        "due_date": due.isoformat() if isinstance(due, date) else due,
    }


def _apply(voter: Principal, review_id: int, outcome: Decision) -> None:
    """Decide the review and move the project, in the caller's transaction (under its lock)."""
    review = db.session.get_one(GateReview, review_id)
    project = lock_project(review.project)  # the lock is held: this re-reads its version
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
    # Read from the table: the votes were inserted without the ORM, so a `review.votes`
    # loaded earlier in the session would miss them.
    conditional = db.session.scalars(
        select(Vote.conditions)
        .where(Vote.review_id == review.id, Vote.decision == Decision.CONDITIONAL_GO)
        .order_by(Vote.id)
    )
    for conditions in conditional:
        for condition in conditions:
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
