"""The latest completion of each (person, course): kept on write, read by the matrix.

Every path that adds completions calls ``advance_latest`` in the same transaction: one
completion (``services.record_completion``, used by the API, the page and the demo seed)
and the bulk import (``importing.import_completions``, behind the API, the page and
``jalon training import``). So the table never lags the history, and the matrix reads
ready rows instead of grouping 100,000 completions. A completion older than the latest
one (history typed in late) changes nothing.

Readers ask about a day ``on``. Completions are never recorded in the future, so the
latest row is normally on or before ``on``, which one query checks through the index on
``completed_on``; only when a past day is asked for are the pairs whose latest completion
is newer looked up in the history (one query more).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.training.models import Completion, Course, LatestCompletion
from app.training.status import is_valid, valid_until

#: A new completion: person id, course id, day, the course's validity in months.
Entry = tuple[int, int, date, int | None]
#: The people a read covers: a query of user ids, or the ids themselves.
UserIds = Select[Any] | Sequence[int]

_UPSERT_DIALECTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def advance_latest(entries: Iterable[Entry]) -> None:
    """Move each pair's latest completion forward to the newest of ``entries``.

    One INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL) that only ever moves a
    date forward, so two requests recording the same pair at once cannot collide.
    """
    newest: dict[tuple[int, int], tuple[date, int | None]] = {}
    for user_id, course_id, day, months in entries:
        known = newest.get((user_id, course_id))
        if known is None or day > known[0]:
            newest[user_id, course_id] = (day, months)
    if not newest:
        return
    statement = _UPSERT_DIALECTS[db.session.get_bind().dialect.name](LatestCompletion)
    statement = statement.on_conflict_do_update(
        index_elements=[LatestCompletion.user_id, LatestCompletion.course_id],
        set_={
            "completed_on": statement.excluded.completed_on,
            "expires_on": statement.excluded.expires_on,
        },
        where=statement.excluded.completed_on > LatestCompletion.completed_on,
    )
    db.session.execute(statement, [_row(*pair, *latest) for pair, latest in newest.items()])


def rebuild_latest(connection: Connection) -> int:
    """Recompute every row from the history; returns how many there are.

    For data written around ``advance_latest`` (bulk loads such as the benchmark's, or a
    database upgraded from before the table existed); takes a plain connection so that
    a migration can call it.
    """
    rows = connection.execute(_history_latest()).all()
    connection.execute(delete(LatestCompletion))
    if rows:
        connection.execute(insert(LatestCompletion), [_row(*row) for row in rows])
    return len(rows)


def _row(user_id: int, course_id: int, day: date, months: int | None) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "course_id": course_id,
        "completed_on": day,
        "expires_on": valid_until(day, months),
    }


def latest_completions(user_ids: UserIds, on: date) -> list[tuple[int, int, date]]:
    """(person, course, day) of each person's latest completion made by ``on``."""
    rows = db.session.execute(
        select(
            LatestCompletion.user_id, LatestCompletion.course_id, LatestCompletion.completed_on
        ).where(LatestCompletion.user_id.in_(user_ids), LatestCompletion.completed_on <= on)
    ).all()
    return [
        *rows,
        *((user_id, course_id, day) for user_id, course_id, day, _ in _before(user_ids, on)),
    ]


def valid_courses(user_ids: UserIds, on: date, course_ids: Select[Any]) -> dict[int, set[int]]:
    """Person id -> the courses, among ``course_ids``, they hold a valid completion of on
    ``on`` (compliant or expiring, as ``status.compute`` would say).

    The course ids come as one comma-separated string per person: 2,000 rows to turn into
    Python values rather than tens of thousands.
    """
    courses = func.aggregate_strings(cast(LatestCompletion.course_id, String), ",")
    rows = db.session.execute(
        select(LatestCompletion.user_id, courses)
        .where(
            LatestCompletion.user_id.in_(user_ids),
            LatestCompletion.course_id.in_(course_ids),
            LatestCompletion.completed_on <= on,
            or_(LatestCompletion.expires_on.is_(None), LatestCompletion.expires_on >= on),
        )
        .group_by(LatestCompletion.user_id)
    )
    valid = {user_id: set(map(int, text.split(","))) for user_id, text in rows}
    for user_id, course_id, day, months in _before(user_ids, on):
        if is_valid(day, months, on):
            valid.setdefault(user_id, set()).add(course_id)
    return valid


def _before(user_ids: UserIds, on: date) -> list[tuple[int, int, date, int | None]]:
    """For pairs whose latest completion is after ``on``: the latest one made by ``on``.

    The check reads the index on ``completed_on`` and normally finds nothing (only a day in
    the past has newer completions); the history is read only when it finds some.
    """
    newer = select(LatestCompletion.user_id, LatestCompletion.course_id).where(
        LatestCompletion.completed_on > on
    )
    if db.session.execute(newer.limit(1)).first() is None:
        return []
    return db.session.execute(
        _history_latest(
            tuple_(Completion.user_id, Completion.course_id).in_(newer),
            Completion.user_id.in_(user_ids),
            Completion.completed_on <= on,
        )
    ).all()


def _history_latest(*conditions: ColumnElement[bool]) -> Select[Any]:
    """(person, course, latest day, validity in months) from the history's matching rows."""
    return (
        select(
            Completion.user_id,
            Completion.course_id,
            func.max(Completion.completed_on),
            Course.validity_months,
        )
        .join(Course, Course.id == Completion.course_id)
        .where(*conditions)
        .group_by(Completion.user_id, Completion.course_id, Course.validity_months)
    )
