"""Governance fixtures of the projects tests (tiny workflow, the usual cast), plus mail helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification
from tests.projects.conftest import (  # noqa: F401  (fixtures shared with the projects tests)
    api,
    app,
    new_project,
    open_review,
    people,
    workflows_dir,
)


@pytest.fixture
def give_emails(app: Flask) -> Callable[..., None]:  # noqa: F811
    """Give every person an address (`name@example.org`) and set some people's language."""

    def apply(**locales: str) -> None:
        with app.app_context():
            db.session.execute(update(User).values(email=User.username + "@example.org"))
            for username, locale in locales.items():
                db.session.execute(
                    update(User).where(User.username == username).values(locale=locale)
                )
            db.session.commit()

    return apply


@pytest.fixture
def outbox(app: Flask) -> Callable[..., list[dict[str, Any]]]:  # noqa: F811
    """The outbox rows (optionally of one kind) as plain dicts, oldest first."""

    def read(kind: str | None = None) -> list[dict[str, Any]]:
        with app.app_context():
            statement = select(Notification, User.username).join(User).order_by(Notification.id)
            if kind:
                statement = statement.where(Notification.kind == kind)
            return [
                {
                    "to": username,
                    "kind": row.kind,
                    "key": row.dedup_key,
                    "subject": row.subject,
                    "body": row.body,
                    "state": row.state.value,
                    "error": row.last_error,
                }
                for row, username in db.session.execute(statement)
            ]

    return read


@pytest.fixture
def vote(api: Callable[..., Any]) -> Callable[..., Any]:  # noqa: F811
    """`vote(review_id, "gk1", "go", conditions=[...])` -> the response."""

    def cast(review_id: int, who: str, decision: str, **fields: Any) -> Any:
        if decision in ("kill", "hold", "recycle"):
            fields.setdefault("comment", "Not ready.")
        return api(
            "post", f"/gate-reviews/{review_id}/votes", who, json={"decision": decision, **fields}
        )

    return cast
