"""The team x course matrix and the overdue/expiring lists.

A matrix is opened once per request (courses, teams, requirements: three queries), then
filled with every person it covers or with one page of them, from a fixed number of
queries whatever the number of people (people, roles, teams, latest completions,
managers). Each cell is ``status.compute`` of the person's latest completion (ready rows
kept by ``app.training.latest``, no GROUP BY over the history) and their deadline. The
percentages, which cover everyone, are counted apart without cells
(``app.training.compliance``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from app.auth.models import Role, Team, TeamMembership, User, UserRole
from app.extensions import db
from app.training.latest import UserIds, latest_completions
from app.training.models import Course, Requirement
from app.training.status import NO_DEADLINE, Cell, Status, compute


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


@dataclass(frozen=True, slots=True)
class Rule:
    """A requirement as plain values: the matrix evaluates it for every person."""

    course_id: int
    role: Role | None
    team_id: int | None
    due_date: date | None
    due_days: int | None

    def applies(self, team_ids: Collection[int], roles: Collection[Role]) -> bool:
        """Whether it requires the course of someone in ``team_ids`` holding ``roles``."""
        return (self.team_id is None or self.team_id in team_ids) and (
            self.role is None or self.role in roles
        )

    def due(self, person: Person) -> date | None:
        """The person's deadline under this rule, or None when it does not apply to them."""
        if not self.applies(person.joined, person.granted):
            return None
        if self.due_date is not None:
            return self.due_date
        if self.due_days is None:
            return NO_DEADLINE
        anchors = [person.joined[self.team_id]] if self.team_id is not None else []
        if self.role is not None:
            anchors.append(person.granted[self.role])
        return max(anchors) + timedelta(days=self.due_days or 0)


@dataclass(slots=True)
class Matrix:
    """People x courses on a given day: opened once, then filled with people."""

    on: date
    courses: list[Course]
    teams: list[Team]
    #: Requirements by course id.
    rules: dict[int, list[Rule]]
    #: Query of the ids of every person the matrix covers (active ones, of its teams).
    scope: Select[Any]
    #: Everyone covered, or one page of them (see ``fill``).
    people: list[Person] = field(default_factory=list)
    #: How many people the matrix covers, whatever the page.
    total: int = 0


def open_matrix(
    on: date, team_ids: Collection[int] | None = None, user_id: int | None = None
) -> Matrix:
    """Courses, teams and requirements (three queries) for the active people of
    ``team_ids`` (everyone when None), or for ``user_id`` alone; no person loaded yet."""
    scope = select(User.id).where(User.active)
    if user_id is not None:
        scope = select(User.id).where(User.id == user_id)
    teams_statement = select(Team).order_by(Team.name)
    if team_ids is not None:
        scope = scope.where(
            User.id.in_(select(TeamMembership.user_id).where(TeamMembership.team_id.in_(team_ids)))
        )
        teams_statement = teams_statement.where(Team.id.in_(team_ids))
    courses = list(db.session.scalars(select(Course).order_by(Course.title)))
    teams = list(db.session.scalars(teams_statement))
    rules: dict[int, list[Rule]] = defaultdict(list)
    for row in db.session.execute(
        select(
            Requirement.course_id,
            Requirement.role,
            Requirement.team_id,
            Requirement.due_date,
            Requirement.due_days,
        )
    ):
        rules[row.course_id].append(Rule(*row))
    return Matrix(on, courses, teams, dict(rules), scope)


def fill(matrix: Matrix, page: int | None = None, per_page: int = 50) -> Matrix:
    """Load every person of ``matrix`` by name, or page ``page`` of ``per_page`` of them,
    with their cells; a fixed number of queries either way."""
    statement = (
        select(User.id, User.username, User.display_name)
        .where(User.id.in_(matrix.scope))
        .order_by(User.display_name, User.username)
    )
    if page is not None:
        statement = statement.limit(per_page).offset((page - 1) * per_page)
    people = [Person(*row) for row in db.session.execute(statement)]
    user_ids: UserIds = matrix.scope
    matrix.total = len(people)
    if page is not None:
        user_ids = [person.id for person in people]
        count = select(func.count()).select_from(matrix.scope.subquery())
        matrix.total = db.session.scalar(count) or 0
    _load_roles_and_teams({person.id: person for person in people}, user_ids)
    _fill_cells(matrix, people, latest_completions(user_ids, matrix.on))
    _attach_managers(people, {team_id for person in people for team_id in person.team_ids})
    matrix.people = people
    return matrix


def build_matrix(
    on: date, team_ids: Collection[int] | None = None, user_id: int | None = None
) -> Matrix:
    """Every active person (of ``team_ids``, or just ``user_id``, when given) x every course."""
    return fill(open_matrix(on, team_ids, user_id))


def _load_roles_and_teams(people: dict[int, Person], user_ids: UserIds) -> None:
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


def _fill_cells(matrix: Matrix, people: list[Person], done: list[tuple[int, int, date]]) -> None:
    """A cell per person and course, from plain values and two caches: people with the
    same teams, roles and dates share their deadlines, and identical (completion,
    validity, deadline) share one cell."""
    latest: dict[int, dict[int, date]] = defaultdict(dict)
    for user_id, course_id, day in done:
        latest[user_id][course_id] = day
    columns = [
        (course.id, course.key, course.validity_months, matrix.rules.get(course.id, []))
        for course in matrix.courses
    ]
    deadlines: dict[tuple, list[date | None]] = {}
    cells: dict[tuple[date | None, int | None, date | None], Cell] = {}
    for person in people:
        profile = (tuple(sorted(person.joined.items())), tuple(sorted(person.granted.items())))
        dues = deadlines.get(profile)
        if dues is None:
            dues = deadlines[profile] = [
                min((due for rule in rules if (due := rule.due(person)) is not None), default=None)
                for *_, rules in columns
            ]
        days = latest.get(person.id, {})
        for (course_id, key, months, _rules), due in zip(columns, dues, strict=True):
            signature = (days.get(course_id), months, due)
            cell = cells.get(signature)
            if cell is None:
                cell = cells[signature] = compute(*signature, matrix.on)
            person.cells[key] = cell


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
