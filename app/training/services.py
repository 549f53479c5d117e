"""Training writes and the compliance question gates ask (``missing_training``).

Services flush, never commit: the request (or the CLI command) commits once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app.auth.models import Principal, Role, Team, TeamMembership, User
from app.auth.services import get_user_by_username
from app.extensions import db
from app.refusals import Conflict, Forbidden, Invalid, NotFound
from app.timeutil import utcnow
from app.training.latest import advance_latest
from app.training.models import Completion, CompletionSource, Course, Requirement
from app.training.status import Cell, is_valid

if TYPE_CHECKING:
    from app.training.matrix import Matrix

#: What a course key looks like (the API refuses others at creation).
COURSE_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def today() -> date:
    """Today's date in UTC, the calendar every training date uses."""
    return utcnow().date()


def missing_training(
    user: User | Principal, course_keys: Sequence[str], on: date | None = None
) -> list[str]:
    """The keys of ``course_keys`` (in order) the user holds no valid completion of on ``on``.

    Gates call this before accepting a submission or a vote. Unknown course keys count as
    missing (a definition naming a course nobody created cannot be satisfied). One query.
    """
    if not course_keys:
        return []
    on = on or today()
    rows = db.session.execute(
        select(Course.key, Course.validity_months, func.max(Completion.completed_on))
        .join(
            Completion,
            (Completion.course_id == Course.id)
            & (Completion.user_id == user.id)
            & (Completion.completed_on <= on),
        )
        .where(Course.key.in_(list(course_keys)))
        .group_by(Course.key, Course.validity_months)
    ).all()
    valid = {key for key, months, latest in rows if is_valid(latest, months, on)}
    return [key for key in course_keys if key not in valid]


def course_titles(course_keys: Sequence[str]) -> dict[str, str]:
    """Course key -> title, for the keys that name a course (gates name courses by key)."""
    rows = db.session.execute(select(Course.key, Course.title).where(Course.key.in_(course_keys)))
    return dict(rows.all())


def course_due_dates(user_id: int, course_keys: Sequence[str], on: date) -> dict[str, date]:
    """Course key -> the date by which the person must hold it, for the keys required of them."""
    cells = _matrix_of(user_id, on)[1]
    return {
        key: cell.due_date
        for key in course_keys
        if (cell := cells.get(key)) is not None and cell.due_date is not None
    }


def get_course(key: str) -> Course:
    """The course with ``key``, else 404 (a key that cannot exist is not even looked up)."""
    course = None
    if COURSE_KEY_PATTERN.fullmatch(key):
        course = db.session.scalar(select(Course).where(Course.key == key))
    if course is None:
        raise NotFound(_("No course with key %(key)s.", key=key))
    return course


def create_course(
    key: str,
    title: str,
    description: str = "",
    methodology: str = "",
    validity_months: int | None = None,
    document_ids: Sequence[int] = (),
) -> Course:
    """Create a course; 409 when the key is taken, 422 when a linked document does not exist."""
    from app.library.models import Document

    if db.session.scalar(select(Course.id).where(Course.key == key)) is not None:
        raise Conflict(_("A course with key %(key)s already exists.", key=key))
    documents = list(db.session.scalars(select(Document).where(Document.id.in_(document_ids))))
    if len(documents) != len(set(document_ids)):
        raise Invalid(_("A linked document does not exist."))
    course = Course(
        key=key,
        title=title,
        description=description,
        methodology=methodology,
        validity_months=validity_months,
        documents=documents,
    )
    db.session.add(course)
    db.session.flush()
    return course


def create_requirement(
    course: Course,
    role: Role | None = None,
    team: Team | None = None,
    due_date: date | None = None,
    due_days: int | None = None,
) -> Requirement:
    """Require ``course`` for a role and/or a team, by a fixed date, days after joining, or
    without a deadline."""
    if role is None and team is None:
        raise Invalid(_("A requirement needs a role, a team or both."))
    if due_date is not None and due_days is not None:
        raise Invalid(_("Give either a due date or a number of days, not both."))
    requirement = Requirement(
        course=course, role=role, team=team, due_date=due_date, due_days=due_days
    )
    db.session.add(requirement)
    db.session.flush()
    return requirement


def record_completion(
    user: User,
    course: Course,
    completed_on: date,
    *,
    recorded_by: User | None,
    score: float | None = None,
    evidence: tuple[str, str] | None = None,
    source: CompletionSource = CompletionSource.MANUAL,
    recorded_at: datetime | None = None,
) -> Completion:
    """Add a completion (a renewal adds a row, history is kept).

    422 for a future date; 409 when the same person already has this course on that day.
    ``evidence`` is ``(sha256, file name)`` of a file already in the attachment store.
    """
    if completed_on > today():
        raise Invalid(_("The completion date is in the future."))
    duplicate = db.session.scalar(
        select(Completion.id).where(
            Completion.user_id == user.id,
            Completion.course_id == course.id,
            Completion.completed_on == completed_on,
        )
    )
    if duplicate is not None:
        raise Conflict(_("This completion is already recorded for that day."))
    completion = Completion(
        user_id=user.id,
        course_id=course.id,
        completed_on=completed_on,
        score=score,
        evidence_sha256=evidence[0] if evidence else None,
        evidence_name=evidence[1] if evidence else None,
        recorded_by_id=recorded_by.id if recorded_by else None,
        recorded_at=recorded_at or utcnow(),
        source=source,
    )
    db.session.add(completion)
    db.session.flush()
    advance_latest([(user.id, course.id, completed_on, course.validity_months)])
    return completion


def readable_team_ids(user: User) -> set[int] | None:
    """Teams whose training records ``user`` may read: None = all (PMO, admin).

    A manager reads the teams they belong to; anyone else reads no team (only their own
    record, through "my training").
    """
    if user.has_role(Role.PMO):
        return None
    if user.has_role(Role.MANAGER):
        return {membership.team_id for membership in user.memberships}
    return set()


def scope_for(user: User, team_name: str | None) -> set[int] | None:
    """The team ids a matrix request covers, after checking ``user`` may read them.

    403 for staff and for a manager asking about a team that is not theirs; 404 for an
    unknown team name.
    """
    readable = readable_team_ids(user)
    if readable is not None and not readable:
        raise Forbidden(_("Only the PMO and managers see team training records."))
    if team_name is None:
        return readable
    team = db.session.scalar(select(Team).where(Team.name == team_name))
    if team is None:
        raise NotFound(_("No such team."))
    if readable is not None and team.id not in readable:
        raise Forbidden(_("You may only see the training records of your own teams."))
    return {team.id}


def get_user(username: str) -> User:
    """The account named ``username``, else 422 (used where a person is named in a body)."""
    user = get_user_by_username(username)
    if user is None:
        raise Invalid(_("Unknown person: %(name)s.", name=username))
    return user


def visible_completions(user: User, username: str | None) -> Select:
    """Completions ``user`` may list, newest first, optionally of one person.

    PMO and admins see all, managers those of their teams' members, anyone else their own;
    asking for someone out of reach is a 403, not an empty page, so it cannot be mistaken
    for "no training".
    """
    statement = select(Completion).order_by(Completion.completed_on.desc(), Completion.id.desc())
    if username is not None:
        target = get_user_by_username(username)
        if target is None:
            raise NotFound(_("No such user."))
        if target.id != user.id:
            readable = readable_team_ids(user)
            if readable is not None and not readable & {m.team_id for m in target.memberships}:
                raise Forbidden(_("You may not see this person's training record."))
        return statement.where(Completion.user_id == target.id)
    readable = readable_team_ids(user)
    if readable is None:
        return statement
    members = select(TeamMembership.user_id).where(TeamMembership.team_id.in_(readable))
    return statement.where((Completion.user_id == user.id) | Completion.user_id.in_(members))


def my_training(user: User, on: date) -> dict:
    """A person's own record: each course required of them or done by them (its ``cell``
    and the cell's values), and their history."""
    result, cells = _matrix_of(user.id, on)
    courses = [
        {
            "course": course.key,
            "title": course.title,
            "required": cell.required,
            "cell": cell,
            **_cell(cell),
        }
        for course in result.courses
        if (cell := cells[course.key]).status is not None
    ]
    history = db.session.scalars(
        select(Completion)
        .where(Completion.user_id == user.id)
        .order_by(Completion.completed_on.desc(), Completion.id.desc())
    ).all()
    return {"on": on, "courses": courses, "history": history}


def _matrix_of(user_id: int, on: date) -> tuple[Matrix, dict[str, Cell]]:
    """The matrix of one person, and their cells by course key (none if they are not found)."""
    from app.training.matrix import build_matrix

    result = build_matrix(on, user_id=user_id)
    return result, (result.people[0].cells if result.people else {})


def _cell(cell: Cell) -> dict:
    return {
        "status": cell.status,
        "valid_until": cell.valid_until,
        "completed_on": cell.completed_on,
        "due_date": cell.due_date,
    }


def course_title(key: str) -> str:
    """A course's title, for a course named by its key (a gate's `requires_training`)."""
    return db.session.scalar(select(Course.title).where(Course.key == key)) or key
