"""What else may happen to an open review: a recusal, the chair's decision, a withdrawal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import Principal, User
from app.extensions import db
from app.projects import audit
from app.projects.committee import (
    apply_decision,
    conditions_of_votes,
    ensure_open,
    invalid,
    locked_review,
    settle,
    tally_of,
)
from app.projects.committee_models import Recusal
from app.projects.models import GateReview, ReviewStatus, Vote
from app.projects.voting import condition_data
from app.refusals import Conflict, Forbidden
from workflows import Decision


def _principal(actor: User | Principal) -> Principal:
    return actor if isinstance(actor, Principal) else Principal.of(actor)


def recuse(actor: User | Principal, review_id: int, reason: str) -> Recusal:
    """Step out of a review with a reason: I no longer count among its eligible voters.

    403 unless I am one of its approvers (and not its submitter); 409 once decided or
    withdrawn, after voting (withdraw the vote first), or when already recused; 422 without a
    reason. The review may become `no_consensus`.
    """
    actor = _principal(actor)
    review, gate = locked_review(actor, review_id)
    if actor.id == review.submitted_by_id or not actor.has_role(gate.approvers.role):
        raise Forbidden(_("Only the gate's approvers recuse themselves."), code="not_an_approver")
    ensure_open(review)
    if not reason.strip():
        raise invalid(_("Give the reason you recuse yourself."), "reason", "required")
    if db.session.scalar(
        select(Vote.id).where(Vote.review_id == review.id, Vote.voter_id == actor.id)
    ):
        raise Conflict(_("Withdraw your vote before you recuse yourself."), code="already_voted")
    if db.session.scalar(
        select(Recusal.id).where(Recusal.review_id == review.id, Recusal.user_id == actor.id)
    ):
        raise Conflict(_("You already recused yourself."), code="already_recused")
    recusal = Recusal(review_id=review.id, user_id=actor.id, reason=reason.strip())
    db.session.add(recusal)
    db.session.flush()
    audit.record(
        "recusal",
        actor.username,
        {"review": review.id, "reason": recusal.reason},
        review.project_id,
    )
    settle(actor, review, gate, tally_of(review.id))
    return recusal


def chair_decide(
    actor: User | Principal,
    review_id: int,
    decision: Decision | str,
    rationale: str,
    conditions: Sequence[Mapping[str, Any]] = (),
) -> GateReview:
    """The gate's chair decides a `no_consensus` review, with a written rationale.

    403 unless I hold the gate's chair role and did not submit the review; 409 unless the
    review is `no_consensus`; 422 without a rationale, or for a conditional go without
    conditions (the chair's own, else those of the conditional go votes). The decision moves
    the project exactly as a quorum's would.
    """
    actor = _principal(actor)
    decision = Decision(decision)
    review, gate = locked_review(actor, review_id)
    if actor.id == review.submitted_by_id or not actor.has_role(gate.chair):
        raise Forbidden(_("Only the gate's chair decides here."), code="not_the_chair")
    if review.status is not ReviewStatus.NO_CONSENSUS:
        raise Conflict(
            _("The chair decides only when the committee cannot."), code="not_no_consensus"
        )
    if not rationale.strip():
        raise invalid(_("Give the rationale of your decision."), "rationale", "required")
    given = [condition_data(c) for c in conditions]
    if decision is Decision.CONDITIONAL_GO and not given:
        given = conditions_of_votes(review)
        if not given:
            raise invalid(_("A conditional go needs its conditions."), "conditions", "required")
    review.chair_id = actor.id
    review.chair_rationale = rationale.strip()
    audit.record(
        "chair_decision",
        actor.username,
        {"review": review.id, "decision": decision.value, "rationale": review.chair_rationale},
        review.project_id,
    )
    apply_decision(actor, review, decision, given if decision is Decision.CONDITIONAL_GO else ())
    return review


def withdraw_review(actor: User | Principal, review_id: int) -> GateReview:
    """The submitter (or the project's manager) takes back a review nobody voted on.

    403 for anyone else; 409 once a vote is in, or when it is no longer open. The project may
    then be submitted again.
    """
    actor = _principal(actor)
    review, _gate = locked_review(actor, review_id)
    if actor.id not in (review.submitted_by_id, review.project.manager_id):
        raise Forbidden(_("Only the submitter withdraws a review."), code="not_the_submitter")
    ensure_open(review)
    if db.session.scalar(select(Vote.id).where(Vote.review_id == review.id).limit(1)):
        raise Conflict(_("Votes are in: the review can no longer be withdrawn."), code="has_votes")
    review.status = ReviewStatus.WITHDRAWN
    review.open_project_id = None
    db.session.flush()
    audit.record("review_withdrawn", actor.username, {"review": review.id}, review.project_id)
    return review
