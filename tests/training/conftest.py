"""Training fixtures: courses and completions created straight through the services."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.training import services
from app.training.models import Course
from tests.conftest import bearer


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


def populate(app: Flask, count: int, team_name: str = "Digital", start: int = 0) -> None:
    """``count`` staff members of ``team_name`` with a mix of completions (no password hashing)."""
    from app.auth.models import Role, TeamMembership, UserRole
    from app.auth.services import get_or_create_team

    with app.app_context():
        team = get_or_create_team(team_name)
        courses = db.session.scalars(select(Course).order_by(Course.id)).all()
        for number in range(start, start + count):
            user = User(
                username=f"person{number}",
                display_name=f"Person {number}",
                password_hash="!",
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(UserRole(user_id=user.id, role=Role.STAFF))
            db.session.add(TeamMembership(user_id=user.id, team_id=team.id))
            for index, course in enumerate(courses):
                if (number + index) % 3:
                    services.record_completion(
                        user, course, date(2025, 1 + (number + index) % 12, 1), recorded_by=None
                    )
        db.session.commit()


def post_import(client: FlaskClient, token: str, content: bytes, name: str = "completions.csv"):
    """POST ``content`` as the file of ``/api/v1/training/import``."""
    return client.post(
        "/api/v1/training/import",
        data={"file": (io.BytesIO(content), name)},
        headers=bearer(token),
        content_type="multipart/form-data",
    )
