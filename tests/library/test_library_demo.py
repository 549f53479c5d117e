"""The demo library: enough documents, every template the workflows name, idempotent."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.library.models import Document, DocumentStatus
from tests.conftest import bearer

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows" / "definitions"


def test_demo_seed_builds_a_searchable_library_once(app, runner, token_for):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
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
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == count
    token = token_for("reader", "staff")
    response = app.test_client().get(
        "/api/v1/search", query_string={"q": "strategie risque"}, headers=bearer(token)
    )
    assert response.get_json()["total"] >= 2
