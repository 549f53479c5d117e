"""The team x course matrix, compliance percentages and the overdue/expiring lists.

Everything is built from a fixed number of queries (people, their roles, their teams,
courses, requirements, latest completions, managers) whatever the number of people, then
each cell is computed by ``status.compute``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app.auth.models import Role, Team, TeamMembership, User, UserRole
from app.extensions import db
from app.training.models import Completion, Course, Requirement
from app.training.status import Cell, Status, compute


@dataclass(slots=True)
class Person:
    """One matrix row: a person, their teams and roles, and a cell per course key."""

    id: int
    username: str
    display_name: str
    teams: list[str] = field(default_factory=list)
    team_ids: set[int] = field(default_factory=set)
    joined: dict[int, date] = field(default_factory=dict)
    granted: dict[Role, date] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    managers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Matrix:
    """People x courses on a given day."""

    on: date
    courses: list[Course]
    people: list[Person]
    teams: list[Team]


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
class _Rule:
    """A requirement as plain values: the matrix evaluates it for every person."""

    course_id: int
    role: Role | None
    team_id: int | None
    due_date: date | None
    due_days: int | None


def _due_date(rule: _Rule, person: Person) -> date | None:
    """The person's deadline under ``rule``, or None when it does not apply to them."""
    anchors: list[date] = []
    if rule.team_id is not None:
        if rule.team_id not in person.joined:
            return None
        anchors.append(person.joined[rule.team_id])
    if rule.role is not None:
        if rule.role not in person.granted:
            return None
        anchors.append(person.granted[rule.role])
    if rule.due_date is not None:
        return rule.due_date
    return max(anchors) + timedelta(days=rule.due_days or 0)


def _deadline(rules: list[_Rule], person: Person) -> date | None:
    """The earliest deadline among the rules that apply to the person (None: not required)."""
    return min(
        (due for rule in rules if (due := _due_date(rule, person)) is not None), default=None
    )


def _load_people(user_ids: select) -> list[Person]:  # type: ignore[valid-type]
    people = {
        row.id: Person(row.id, row.username, row.display_name)
        for row in db.session.execute(
            select(User.id, User.username, User.display_name)
            .where(User.id.in_(user_ids))
            .order_by(User.display_name, User.username)
        )
    }
    for user_id, role, granted_at in db.session.execute(
        select(UserRole.user_id, UserRole.role, UserRole.granted_at).where(
            UserRole.user_id.in_(user_ids)
        )
    ):
        people[user_id].granted[role] = granted_at.date()
    for user_id, team_id, team_name, joined_at in db.session.execute(
        select(TeamMembership.user_id, Team.id, Team.name, TeamMembership.joined_at)
        .join(Team)
        .where(TeamMembership.user_id.in_(user_ids))
        .order_by(Team.name)
    ):
        person = people[user_id]
        person.teams.append(team_name)
        person.team_ids.add(team_id)
        person.joined[team_id] = joined_at.date()
    return list(people.values())


def _attach_managers(people: list[Person], team_ids: set[int]) -> None:
    """A person's managers: holders of the manager role in one of their teams (not themselves)."""
    by_team: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for team_id, user_id, name in db.session.execute(
        select(TeamMembership.team_id, User.id, User.display_name)
        .join(User, User.id == TeamMembership.user_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.MANAGER, User.active, TeamMembership.team_id.in_(team_ids))
        .order_by(User.display_name)
    ):
        by_team[team_id].append((user_id, name))
    for person in people:
        names = {
            name
            for team_id in person.team_ids
            for user_id, name in by_team[team_id]
            if user_id != person.id
        }
        person.managers = sorted(names)


def build_matrix(
    on: date, team_ids: Collection[int] | None = None, user_id: int | None = None
) -> Matrix:
    """Active people (of ``team_ids``, or just ``user_id``, when given) x every course."""
    user_ids = select(User.id).where(User.active)
    if user_id is not None:
        user_ids = select(User.id).where(User.id == user_id)
    teams_statement = select(Team).order_by(Team.name)
    if team_ids is not None:
        user_ids = user_ids.where(
            User.id.in_(select(TeamMembership.user_id).where(TeamMembership.team_id.in_(team_ids)))
        )
        teams_statement = teams_statement.where(Team.id.in_(team_ids))
    people = _load_people(user_ids)
    teams = list(db.session.scalars(teams_statement))
    courses = list(db.session.scalars(select(Course).order_by(Course.title)))
    rules: dict[int, list[_Rule]] = defaultdict(list)
    for row in db.session.execute(
        select(
            Requirement.course_id,
            Requirement.role,
            Requirement.team_id,
            Requirement.due_date,
            Requirement.due_days,
        )
    ):
        rules[row.course_id].append(_Rule(*row))
    latest: dict[int, dict[int, date]] = defaultdict(dict)
    for user_id, course_id, completed_on in db.session.execute(
        select(Completion.user_id, Completion.course_id, func.max(Completion.completed_on))
        .where(Completion.user_id.in_(user_ids), Completion.completed_on <= on)
        .group_by(Completion.user_id, Completion.course_id)
    ):
        latest[user_id][course_id] = completed_on
    # Plain values and two caches keep 80,000 cells fast: people with the same teams, roles
    # and dates share their deadlines, and identical (completion, validity, deadline) share
    # one cell.
    columns = [
        (course.id, course.key, course.validity_months, rules[course.id]) for course in courses
    ]
    deadlines: dict[tuple, list[date | None]] = {}
    cells: dict[tuple[date | None, int | None, date | None], Cell] = {}
    for person in people:
        profile = (tuple(sorted(person.joined.items())), tuple(sorted(person.granted.items())))
        dues = deadlines.get(profile)
        if dues is None:
            dues = deadlines[profile] = [
                _deadline(course_rules, person) for *_, course_rules in columns
            ]
        done = latest.get(person.id, {})
        for (course_id, key, months, _rules), due in zip(columns, dues, strict=True):
            signature = (done.get(course_id), months, due)
            cell = cells.get(signature)
            if cell is None:
                cell = cells[signature] = compute(*signature, on)
            person.cells[key] = cell
    _attach_managers(people, {team_id for person in people for team_id in person.team_ids})
    return Matrix(on, courses, people, teams)


def team_percentages(matrix: Matrix) -> list[Percent]:
    """Per team: required cells of its members and how many are valid."""
    totals = {team.name: [0, 0] for team in matrix.teams}
    for person in matrix.people:
        required = [cell for cell in person.cells.values() if cell.required]
        valid = sum(cell.valid for cell in required)
        for team in person.teams:
            if team in totals:
                totals[team][0] += len(required)
                totals[team][1] += valid
    return [Percent(name, required, valid) for name, (required, valid) in totals.items()]


def course_percentages(matrix: Matrix) -> list[Percent]:
    """Per course: people it is required of and how many hold a valid completion."""
    result = []
    for course in matrix.courses:
        cells = [person.cells[course.key] for person in matrix.people]
        required = [cell for cell in cells if cell.required]
        result.append(Percent(course.key, len(required), sum(cell.valid for cell in required)))
    return result


@dataclass(frozen=True, slots=True)
class ListEntry:
    """A line of the overdue or expiring list."""

    person: Person
    course: Course
    cell: Cell


#: Statuses on the overdue list: a required course that is not valid and past its deadline.
OVERDUE_LIST_STATUSES = frozenset({Status.OVERDUE, Status.EXPIRED})


def action_list(matrix: Matrix, statuses: Collection[Status]) -> list[ListEntry]:
    """Cells with one of ``statuses`` (expired only when required), person by person."""
    return [
        ListEntry(person, course, cell)
        for person in matrix.people
        for course in matrix.courses
        if (cell := person.cells[course.key]).status in statuses
        and (cell.status is not Status.EXPIRED or cell.required)
    ]
