"""How a review ends: the quorum's decision, `no_consensus` and the chair, or a withdrawal.

Every change to what the committee said (a vote, a vote changed or withdrawn, a recusal) ends
with `settle`, under the project's lock: the quorum decides, or the review becomes
`no_consensus` when the votes still to come can no longer meet the gate's rule, or it goes back
to `submitted` when they can again (a withdrawn vote, a changed one). Re-evaluating after every
change is the whole rule: a `no_consensus` review stays open to changes until the chair decides,
and the chair may only decide while it is `no_consensus`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from app.auth.models import Principal, User, UserRole
from app.extensions import db
from app.projects import audit
from app.projects.committee_models import Recusal
from app.projects.definitions import engine_for, get_definition
from app.projects.models import (
    OPEN_STATUSES,
    ActionItem,
    GateReview,
    Project,
    ReviewStatus,
    Vote,
)
from app.projects.services import after_commit, can_see, lock_project_of_review, set_state, state_of
from app.refusals import Conflict, Invalid, NotFound
from app.timeutil import utcnow
from workflows import Decision, Gate, can_still_decide, decide_tally


def locked_review(actor: User | Principal, review_id: int) -> tuple[GateReview, Gate]:
    """The review and its gate, read after locking its project (404 when not visible)."""
    lock_project_of_review(review_id)
    review = db.session.scalars(
        select(GateReview)
        .where(GateReview.id == review_id)
        .options(lazyload("*"), joinedload(GateReview.project).lazyload("*"))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if review is None or not can_see(actor, review.project):
        raise NotFound(_("No such gate review."))
    return review, gate_of(review)


def gate_of(review: GateReview) -> Gate:
    """The review's gate in the workflow version its project is pinned to."""
    project = review.project
    gate = get_definition(project.workflow, project.workflow_version).gate(review.gate)
    assert gate is not None  # a review is only made at a gate of its definition
    return gate


def ensure_open(review: GateReview) -> None:
    """409 once the review is decided or withdrawn: nothing the committee says counts then."""
    if review.status is ReviewStatus.DECIDED:
        raise Conflict(_("This review is already decided."), code="review_decided")
    if review.status is ReviewStatus.WITHDRAWN:
        raise Conflict(_("This review was withdrawn."), code="review_withdrawn")


def invalid(message: str, field: str, code: str) -> Invalid:
    """A 422 naming the one field at fault."""
    return Invalid(message, details=[{"field": field, "code": code, "message": message}])


def tally_of(review_id: int) -> Counter[Decision]:
    """The votes cast on the review, per decision."""
    rows = db.session.execute(
        select(Vote.decision, func.count(Vote.id))
        .where(Vote.review_id == review_id)
        .group_by(Vote.decision)
    )
    return Counter(dict(rows.all()))


def remaining_voters(review: GateReview, gate: Gate) -> int:
    """Eligible voters who have not voted: active holders of the gate's approver role, minus
    the submitter, minus those who recused themselves, minus those whose vote is in."""
    voted = select(Vote.voter_id).where(Vote.review_id == review.id)
    recused = select(Recusal.user_id).where(Recusal.review_id == review.id)
    return db.session.scalar(
        select(func.count(User.id))
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == gate.approvers.role,
            User.active,
            User.id != review.submitted_by_id,
            User.id.not_in(voted),
            User.id.not_in(recused),
        )
    )


def settle(
    actor: User | Principal, review: GateReview, gate: Gate, tally: Counter[Decision]
) -> None:
    """Decide the review, or mark it `no_consensus`, or open it again; under the lock.

    The eligible voters are only counted when the votes cast alone no longer show the rule
    can be met (most votes never need it).
    """
    outcome = decide_tally(tally, gate.approvers.min_votes, gate.rule)
    if outcome is not None:
        conditional = outcome is Decision.CONDITIONAL_GO
        apply_decision(actor, review, outcome, conditions_of_votes(review) if conditional else ())
        return
    reachable = can_still_decide(tally, gate.rule, 0) or can_still_decide(
        tally, gate.rule, remaining_voters(review, gate)
    )
    status = ReviewStatus.SUBMITTED if reachable else ReviewStatus.NO_CONSENSUS
    if status is review.status:
        return
    review.status = status
    kind = "consensus_reachable" if reachable else "no_consensus"
    votes = {decision.value: count for decision, count in sorted(tally.items()) if count}
    audit.record(kind, actor.username, {"review": review.id, "votes": votes}, review.project_id)
    if not reachable:
        after_commit("no_consensus", {"review_id": review.id})


def conditions_of_votes(review: GateReview) -> list[dict[str, Any]]:
    """The conditions of every conditional go cast, in the order they were cast."""
    conditional = select(Vote).where(
        Vote.review_id == review.id, Vote.decision == Decision.CONDITIONAL_GO
    )
    votes = db.session.scalars(conditional.order_by(Vote.id).options(lazyload("*")))
    return [condition for vote in votes for condition in vote.conditions]


def apply_decision(
    actor: User | Principal,
    review: GateReview,
    outcome: Decision,
    conditions: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Decide the review and move the project, in the caller's transaction (under its lock).

    A conditional go turns each of `conditions` into an action item for the manager.
    """
    project = review.project  # read under the lock: its committed state
    review.status = ReviewStatus.DECIDED
    review.decision = outcome
    review.decided_at = utcnow()
    review.open_project_id = None
    db.session.flush()
    data = {"review": review.id, "gate": review.gate, "decision": outcome.value}
    if review.chair_id is not None:
        data["by_chair"] = True
    audit.record("decision", actor.username, data, project.id)
    new_state = engine_for(project).apply_decision(state_of(project), outcome)
    set_state(project, new_state, actor, outcome.value)
    if outcome is Decision.CONDITIONAL_GO:
        _create_action_items(actor, review, project, conditions)
    after_commit("decision", {"review_id": review.id, "decision": outcome.value})


def _create_action_items(
    actor: User | Principal,
    review: GateReview,
    project: Project,
    conditions: Sequence[Mapping[str, Any]],
) -> None:
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
            actor.username,
            {"action_item": item.id, "description": item.description, "due_date": due},
            project.id,
        )


def is_open(review: GateReview) -> bool:
    """Still awaiting its decision (submitted or no_consensus)."""
    return review.status in OPEN_STATUSES


def chair_decision_of(review: GateReview) -> dict[str, Any] | None:
    """`{"decision", "rationale", "by", "by_name", "at"}` when the chair decided the review, else
    None (`by` the username, `by_name` the display name)."""
    if review.chair_id is None or review.decision is None:
        return None
    return {
        "decision": review.decision.value,
        "rationale": review.chair_rationale,
        "by": review.chair.username,
        "by_name": review.chair.display_name,
        "at": review.decided_at.isoformat() if review.decided_at else None,
    }


def recusals_of(review: GateReview) -> list[Recusal]:
    """Who recused themselves from the review, in order."""
    statement = select(Recusal).where(Recusal.review_id == review.id).order_by(Recusal.id)
    return list(db.session.scalars(statement))
