"""The demo library: enough documents, every template the workflows name, idempotent."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from app.demo.accounts import seed_accounts
from app.demo.library import seed_library
from app.extensions import db
from app.library.models import Document, DocumentStatus
from tests.conftest import bearer

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows" / "definitions"


def _seed_library(app) -> None:
    """The people and the library only: the full demo (a year of projects) is tested elsewhere."""
    with app.app_context():
        seed_accounts()
        seed_library()
        db.session.commit()


def test_demo_seed_builds_a_searchable_library_once(app, token_for):
    _seed_library(app)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Document))
        statuses = set(db.session.scalars(select(Document.status)))
        keys = set(db.session.scalars(select(Document.template_key)))
    assert count >= 30
    assert {DocumentStatus.DRAFT, DocumentStatus.OBSOLETE, DocumentStatus.PUBLISHED} <= statuses
    named = set()
    for path in WORKFLOWS.glob("*.yaml"):
        named |= set(re.findall(r"template: (\S+)", path.read_text()))
    assert named <= keys
    _seed_library(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == count
    token = token_for("reader", "staff")
    response = app.test_client().get(
        "/api/v1/search", query_string={"q": "strategie risque"}, headers=bearer(token)
    )
    assert response.get_json()["total"] >= 2
