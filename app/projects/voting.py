"""Votes cast, changed and withdrawn; the quorum settled in the same transaction.

A vote locks the project row before it reads the review, its status and its ballots (see
`lock_project_of_review`), so two "last" votes arriving together are serialised: the second one
sees the review decided and gets 409. The ballots are counted per decision with one `GROUP BY`
read from the covering tally index, and the quorum rules (`decide_tally`) need only those counts.
The optimistic `version_id` of the project and the UNIQUE open-review and (review, voter)
constraints are the second line of defence should a path ever skip the lock.

A vote belongs to a seat (`Vote.voter`): the gatekeeper it counts for. A delegate voting
`on_behalf_of` someone fills that person's seat and is kept as `Vote.cast_by`; the seat's
holder may then change or withdraw it as their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import joinedload, lazyload

from app.auth.models import Principal, User
from app.extensions import db
from app.projects import audit
from app.projects.committee import ensure_open, gate_of, invalid, locked_review, settle, tally_of
from app.projects.committee_models import Recusal
from app.projects.delegations import active_delegation
from app.projects.models import GateReview, ScorecardEntry, Vote
from app.projects.refusal_messages import training_refusal
from app.projects.services import can_see, lock_project_of_review
from app.projects.submission import missing_training_of
from app.refusals import Conflict, Forbidden, NotFound
from app.timeutil import utcnow
from workflows import ANSWER_MAX, Decision, Gate, score

#: Decisions that let the project through the gate.
PASSING = frozenset({Decision.GO, Decision.CONDITIONAL_GO})
#: Decisions a voter must explain.
NEEDS_COMMENT = frozenset({Decision.KILL, Decision.HOLD, Decision.RECYCLE})


def _check_scores(gate: Gate, scores: Mapping[str, Any]) -> None:
    keys = {c.key for c in gate.should_meet_criteria}
    for key, value in scores.items():
        if key not in keys:
            raise invalid(_("%(key)s is not a should-meet criterion.", key=key), key, "unknown")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= ANSWER_MAX:
            raise invalid(_("Scores are whole numbers from 0 to 5."), key, "bad_score")


def _check_vote_content(
    gate: Gate,
    decision: Decision,
    comment: str,
    conditions: Sequence[Mapping[str, Any]],
    scores: Mapping[str, int],
) -> None:
    if decision in NEEDS_COMMENT and not comment.strip():
        raise invalid(_("Say why: kill, hold and recycle need a comment."), "comment", "required")
    if decision is Decision.CONDITIONAL_GO and not conditions:
        raise invalid(_("A conditional go needs its conditions."), "conditions", "required")
    if decision is not Decision.CONDITIONAL_GO and conditions:
        raise invalid(_("Only a conditional go carries conditions."), "conditions", "not_allowed")
    _check_scores(gate, scores)
    full = scores and len(scores) == len(gate.should_meet_criteria)
    if full and not comment.strip():
        passes = score(gate, scores) >= gate.pass_score
        if passes != (decision in PASSING):
            raise invalid(
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
    on_behalf_of: str | None = None,
) -> Vote:
    """Record a vote; then the quorum decides, or finds `no_consensus` (see `committee`).

    `on_behalf_of`: the username of a gatekeeper whose delegation to `voter` is active today;
    the vote fills their seat. NotFound: no such review, or one the voter may not see.
    Forbidden: the submitter (as voter or as the one represented), a voter without the gate's
    approver role, a recused voter, missing training, no active delegation. Conflict: a second
    vote for the seat, or a review decided or withdrawn. Invalid: missing comment or
    conditions, a bad scorecard. Flushes; the request commits.
    """
    voter = voter if isinstance(voter, Principal) else Principal.of(voter)
    decision = Decision(decision)
    scores = dict(scores or {})
    seat = _seat(voter, on_behalf_of)
    lock_project_of_review(review_id)
    row = db.session.execute(
        select(GateReview, _recused(review_id, voter.id, seat.id))
        .where(GateReview.id == review_id)
        .options(lazyload("*"), joinedload(GateReview.project).lazyload("*"))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None or not can_see(voter, row[0].project):
        raise NotFound(_("No such gate review."))
    review, recused = row
    gate = gate_of(review)
    _check_voter(voter, review, gate)
    if seat.id != voter.id:
        _check_seat(seat, review, gate)
    if recused:
        raise Forbidden(_("You recused yourself from this review."), code="recused")
    ensure_open(review)
    ballots, mine = _ballots(review_id, seat)
    if mine:
        raise Conflict(_("You already voted on this review."), code="already_voted")
    _check_vote_content(gate, decision, comment, conditions, scores)
    vote = Vote(
        review=review,
        voter=_user(seat.id),  # named in the answer
        cast_by=_user(voter.id) if seat.id != voter.id else None,
        decision=decision,
        comment=comment,
        conditions=[condition_data(c) for c in conditions],
        scores=[ScorecardEntry(criterion=k, score=v) for k, v in sorted(scores.items())],
    )
    db.session.add(vote)
    data = _vote_data(review_id, vote, scores)
    if seat.id != voter.id:
        data["on_behalf_of"] = seat.username
    audit.record("vote", voter.username, data, review.project_id)
    ballots[decision] += 1
    settle(voter, review, gate, ballots)
    return vote


def _user(user_id: int) -> User:
    return db.session.get_one(User, user_id, options=[lazyload("*")])


def _seat(voter: Principal, on_behalf_of: str | None) -> Principal:
    """Whose vote this is: the voter's own, or the delegator's under an active delegation."""
    if on_behalf_of is None or on_behalf_of == voter.username:
        return voter
    delegation = active_delegation(voter, on_behalf_of)
    if delegation is None:
        raise Forbidden(
            _("%(name)s has not delegated their vote to you for today.", name=on_behalf_of),
            code="no_delegation",
        )
    return Principal.of(delegation.delegator)


def _recused(review_id: int, *user_ids: int) -> Any:
    """A column: whether one of `user_ids` recused themselves from the review."""
    return (
        exists()
        .where(Recusal.review_id == review_id, Recusal.user_id.in_(set(user_ids)))
        .label("recused")
    )


def _vote_data(review_id: int, vote: Vote, scores: Mapping[str, int]) -> dict[str, Any]:
    """What the audit trail keeps of a vote."""
    return {
        "review": review_id,
        "decision": Decision(vote.decision).value,
        "comment": vote.comment,
        "conditions": vote.conditions,
        "scores": dict(scores),
    }


def _ballots(review_id: int, voter: Principal) -> tuple[Counter[Decision], bool]:
    """The votes cast on the review per decision, and whether `voter`'s seat is filled.

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


def _check_seat(voter: Principal, review: GateReview, gate: Gate) -> None:
    """Whether a vote may count for `voter`: an approver of the gate, not the submitter."""
    if voter.id == review.submitted_by_id:
        raise Forbidden(_("You submitted this review: you cannot vote on it."))
    if not voter.has_role(gate.approvers.role):
        raise Forbidden(_("Only the gate's approvers vote."), code="not_an_approver")


def _check_voter(voter: Principal, review: GateReview, gate: Gate) -> None:
    """`_check_seat`, and the training the gate asks of whoever judges."""
    _check_seat(voter, review, gate)
    missing = missing_training_of(voter, gate.requires_training)
    if missing:
        raise training_refusal(missing, voter)


def condition_data(condition: Mapping[str, Any]) -> dict[str, Any]:
    due = condition.get("due_date")
    return {
        "description": str(condition["description"]),
        "due_date": due.isoformat() if isinstance(due, date) else due,
    }


def _my_vote(voter: Principal, review_id: int) -> tuple[GateReview, Gate, Vote]:
    """Under the lock: the open review and the voter's vote on it (404 when there is none)."""
    review, gate = locked_review(voter, review_id)
    ensure_open(review)
    vote = db.session.scalars(
        select(Vote).where(Vote.review_id == review.id, Vote.voter_id == voter.id)
    ).one_or_none()
    if vote is None:
        raise NotFound(_("You have no vote on this review."), code="no_vote")
    return review, gate, vote


def change_vote(
    voter: User | Principal,
    review_id: int,
    decision: Decision | str,
    comment: str = "",
    conditions: Sequence[Mapping[str, Any]] = (),
    scores: Mapping[str, int] | None = None,
) -> Vote:
    """Replace my vote before the decision; the audit trail keeps the old one and the new.

    The change may decide the review, make it `no_consensus`, or open it again. 404 without a
    vote of mine, 409 once decided or withdrawn, 422 as for a new vote.
    """
    voter = voter if isinstance(voter, Principal) else Principal.of(voter)
    decision = Decision(decision)
    scores = dict(scores or {})
    review, gate, vote = _my_vote(voter, review_id)
    _check_vote_content(gate, decision, comment, conditions, scores)
    before = _vote_data(review.id, vote, {s.criterion: s.score for s in vote.scores})
    vote.decision = decision
    vote.comment = comment
    vote.conditions = [condition_data(c) for c in conditions]
    vote.created_at = utcnow()
    _set_scores(vote, scores)
    db.session.flush()
    after = _vote_data(review.id, vote, scores)
    data = {"review": review.id, "before": before, "after": after}
    audit.record("vote_changed", voter.username, data, review.project_id)
    settle(voter, review, gate, tally_of(review.id))
    return vote


def _set_scores(vote: Vote, scores: Mapping[str, int]) -> None:
    """Update the scorecard in place (a criterion's row is kept: it is unique per vote)."""
    entries = {entry.criterion: entry for entry in vote.scores}
    for criterion, entry in entries.items():
        if criterion in scores:
            entry.score = scores[criterion]
        else:
            vote.scores.remove(entry)
    vote.scores.extend(
        ScorecardEntry(criterion=k, score=v) for k, v in sorted(scores.items()) if k not in entries
    )


def withdraw_vote(voter: User | Principal, review_id: int) -> None:
    """Take my vote back before the decision; the audit trail keeps what it was.

    A `no_consensus` review may become reachable again, and so `submitted`.
    """
    voter = voter if isinstance(voter, Principal) else Principal.of(voter)
    review, gate, vote = _my_vote(voter, review_id)
    before = _vote_data(review.id, vote, {s.criterion: s.score for s in vote.scores})
    db.session.delete(vote)
    db.session.flush()
    data = {"review": review.id, "before": before}
    audit.record("vote_withdrawn", voter.username, data, review.project_id)
    settle(voter, review, gate, tally_of(review.id))
