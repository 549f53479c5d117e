"""Inbox fixtures: the governance cast of the projects tests, and ways to age what waits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.projects.models import GateReview
from app.timeutil import utcnow
from tests.notifications.conftest import vote  # noqa: F401  (fixture)
from tests.projects.conftest import (  # noqa: F401  (fixtures shared with the projects tests)
    api,
    app,
    new_project,
    open_review,
    people,
    workflows_dir,
)


@pytest.fixture
def inbox(api: Callable[..., Any]) -> Callable[[str], dict[str, Any]]:  # noqa: F811
    """`inbox("gk1")` -> that person's `GET /api/v1/me/inbox` body."""

    def read(who: str) -> dict[str, Any]:
        response = api("get", "/me/inbox", who)
        assert response.status_code == 200, response.json
        return response.json

    return read


@pytest.fixture
def age_review(app: Flask) -> Callable[[int, int], None]:  # noqa: F811
    """`age_review(review_id, 9)`: the review was submitted 9 days ago (its vote-by date too)."""

    def apply(review_id: int, days: int) -> None:
        with app.app_context():
            review = db.session.get(GateReview, review_id)
            review.submitted_at = utcnow() - timedelta(days=days)
            review.vote_by = review.vote_by - timedelta(days=days)
            db.session.commit()

    return apply
