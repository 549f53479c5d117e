"""Training fixtures: courses and completions created straight through the services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import event, select

from app.auth.models import User
from app.extensions import db
from app.training import services
from app.training.models import Course


@pytest.fixture
def make_course(app: Flask) -> Callable[..., None]:
    """``make_course("risk", validity_months=24)`` creates and commits a course."""

    def factory(key: str, title: str | None = None, validity_months: int | None = None) -> None:
        with app.app_context():
            services.create_course(key, title or key.title(), validity_months=validity_months)
            db.session.commit()

    return factory


@pytest.fixture
def complete(app: Flask) -> Callable[..., None]:
    """``complete("ann", "risk", date(2026, 1, 2))`` records and commits a completion."""

    def factory(username: str, key: str, on: date, score: float | None = None) -> None:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            course = db.session.scalar(select(Course).where(Course.key == key))
            services.record_completion(user, course, on, recorded_by=None, score=score)
            db.session.commit()

    return factory


@contextmanager
def count_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements run on the app's engine inside the block."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
