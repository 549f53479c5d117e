"""Completion percentages per team and per course, counted without building cells.

Whether a course is required of a person depends only on their teams and roles (never on
dates), and whether it is valid only on their latest completion. So the counts need the
teams and roles of the people covered and the (person, course) pairs holding a valid
completion: integers, read in four queries whatever the number of people, then counted
person by person with the required courses shared between people of the same profile.
The statuses themselves stay decided in ``app.training.status``: a cell is "valid" when
its status is compliant or expiring, which is what ``latest.valid_courses`` selects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import Role, TeamMembership, UserRole
from app.extensions import db
from app.training.latest import valid_courses
from app.training.matrix import Matrix
from app.training.models import Requirement


@dataclass(frozen=True, slots=True)
class Percent:
    """Required cells and how many of them hold a valid completion."""

    label: str
    required: int
    valid: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.valid / self.required, 1) if self.required else None


@dataclass(frozen=True, slots=True)
class Compliance:
    """Per team of the matrix (by name) and per course (by title), on the matrix's day."""

    teams: list[Percent]
    courses: list[Percent]


def count_compliance(matrix: Matrix) -> Compliance:
    """Percentages over every person ``matrix`` covers, whatever page it holds.

    A person counts once per course in each of their teams the matrix shows, and once per
    course overall; people with neither a team nor a role are required nothing.
    """
    teams_of: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in db.session.execute(
        select(TeamMembership.user_id, TeamMembership.team_id).where(
            TeamMembership.user_id.in_(matrix.scope)
        )
    ):
        teams_of[user_id].add(team_id)
    roles_of: dict[int, set[Role]] = defaultdict(set)
    for user_id, role in db.session.execute(
        select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(matrix.scope))
    ):
        roles_of[user_id].add(role)
    valid_of = valid_courses(matrix.scope, matrix.on, select(Requirement.course_id))
    rules = [rule for course_rules in matrix.rules.values() for rule in course_rules]
    required_by_profile: dict[tuple[frozenset[int], frozenset[Role]], frozenset[int]] = {}
    team_totals = {team.id: [0, 0] for team in matrix.teams}
    required_count: Counter[int] = Counter()
    valid_count: Counter[int] = Counter()
    for user_id in teams_of.keys() | roles_of.keys():
        profile = (frozenset(teams_of.get(user_id, ())), frozenset(roles_of.get(user_id, ())))
        required = required_by_profile.get(profile)
        if required is None:
            required = required_by_profile[profile] = frozenset(
                rule.course_id for rule in rules if rule.applies(*profile)
            )
        if not required:
            continue
        valid = required & valid_of.get(user_id, set())
        required_count.update(required)
        valid_count.update(valid)
        for team_id in profile[0]:
            if (totals := team_totals.get(team_id)) is not None:
                totals[0] += len(required)
                totals[1] += len(valid)
    return Compliance(
        teams=[Percent(team.name, *team_totals[team.id]) for team in matrix.teams],
        courses=[
            Percent(course.key, required_count[course.id], valid_count[course.id])
            for course in matrix.courses
        ],
    )
