"""The training demo: every workflow course exists and the gate people hold it validly."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.services import get_user_by_username
from app.demo.accounts import seed_accounts
from app.demo.training import GATE_PEOPLE, seed_training
from app.extensions import db
from app.training.matrix import build_matrix
from app.training.models import Completion, Course
from app.training.services import missing_training, today
from app.training.status import Status
from workflows.loader import load_definitions_dir


def _workflow_courses() -> list[str]:
    keys = {
        key
        for definition in load_definitions_dir().values()
        for gate in definition.gates
        for key in gate.requires_training
    }
    return sorted(keys)


def test_demo_creates_every_workflow_course_and_gate_people_hold_them(app) -> None:
    with app.app_context():
        seed_accounts()
        seed_training()
        keys = _workflow_courses()
        assert {"project-method", "stage-gate-fundamentals"} <= set(keys)
        existing = set(db.session.scalars(select(Course.key)))
        assert set(keys) <= existing
        for username in GATE_PEOPLE:
            assert missing_training(get_user_by_username(username), keys) == [], username


def test_demo_gives_a_mix_of_statuses_and_is_idempotent(app) -> None:
    with app.app_context():
        seed_accounts()
        first = seed_training()
        count = db.session.scalar(select(func.count(Completion.id)))
        second = seed_training()
        assert db.session.scalar(select(func.count(Completion.id))) == count
        assert "0 courses, 0 requirements, 0 completions" in second
        assert first != second
        statuses = {
            cell.status for person in build_matrix(today()).people for cell in person.cells.values()
        }
        assert {
            Status.COMPLIANT,
            Status.EXPIRING,
            Status.EXPIRED,
            Status.OVERDUE,
            Status.MISSING,
        } <= statuses
