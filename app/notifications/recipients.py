"""Who receives what: a gate's approvers and a person's managers, as User rows.

Approvers are the active people granted the gate's approver role. Admins may vote (they hold
every role) but are not written to unless they were granted the role itself: an admin account
is usually an operator's, and every gate review would otherwise land in its mailbox.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.auth.models import Role, TeamMembership, User, UserRole
from app.extensions import db
from app.projects.committee_models import Recusal
from app.projects.definitions import engine_for
from app.projects.models import GateReview, Vote
from workflows import Gate


def gate_of(review: GateReview) -> Gate:
    """The gate of `review`, in the workflow version its project is pinned to."""
    gate = engine_for(review.project).definition.gate(review.gate)
    assert gate is not None  # a review is only ever made at a gate of its definition
    return gate


def holders_of(role: str, excluding: Collection[int] = ()) -> list[User]:
    """Active people granted `role`, except the ids in `excluding`."""
    statement = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role(role), User.active)
        .order_by(User.id)
        .options(lazyload("*"))  # messages need addresses and languages, not roles and teams
    )
    if excluding:
        statement = statement.where(User.id.not_in(list(excluding)))
    return list(db.session.scalars(statement))


def approvers_to_vote(review: GateReview) -> list[User]:
    """The approvers of the review's gate who may still vote: not the submitter, not yet
    voted, not recused."""
    voted = db.session.scalars(
        select(Vote.voter_id)
        .where(Vote.review_id == review.id)
        .union(select(Recusal.user_id).where(Recusal.review_id == review.id))
    )
    return holders_of(gate_of(review).approvers.role, {review.submitted_by_id, *voted})


def managers_of(people: Iterable[tuple[int, Collection[int]]]) -> dict[int, list[User]]:
    """Person id -> their managers, from (person id, team ids) pairs; one query.

    The rule is the training lists' (`app.training.matrix`): the active holders of the manager
    role in one of the person's teams, never the person themselves.
    """
    people = list(people)
    team_ids = {team_id for _person, teams in people for team_id in teams}
    by_team: dict[int, list[User]] = defaultdict(list)
    if team_ids:
        rows = db.session.execute(
            select(TeamMembership.team_id, User)
            .join(User, User.id == TeamMembership.user_id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.MANAGER, User.active, TeamMembership.team_id.in_(team_ids))
            .order_by(User.id)
        )
        for team_id, user in rows:
            by_team[team_id].append(user)
    result: dict[int, list[User]] = {}
    for person_id, teams in people:
        managers = {m.id: m for team_id in teams for m in by_team[team_id] if m.id != person_id}
        result[person_id] = list(managers.values())
    return result
