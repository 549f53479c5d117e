"""Factories for governance tests: people with tokens, projects, answers that pass a gate."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.projects.models import ActionItem, AuditEvent, GateReview, Project, Vote
from tests.conftest import bearer, login
from workflows import DEFINITIONS_DIR, load_definitions_dir

STAGE_GATE = load_definitions_dir()["stage-gate"]
TEST_DEFINITIONS = Path(__file__).parent / "definitions"
#: Answers and deliverables that pass the `tiny` workflow's first gate.
TINY_PASS = {
    "criteria": {"safe": True, "value": 4},
    "deliverables": [{"key": "plan", "url": "https://docs.example/plan"}],
}

#: The reason the PMO gives for a hold or a resume (required since both need one).
WHY = {"reason": "Waiting for the budget decision."}


@pytest.fixture
def workflows_dir(tmp_path: Path) -> Path:
    """The shipped definitions plus the test ones."""
    folder = tmp_path / "workflows"
    folder.mkdir()
    for source in (*DEFINITIONS_DIR.glob("*.yaml"), *TEST_DEFINITIONS.glob("*.yaml")):
        shutil.copy(source, folder / source.name)
    return folder


@pytest.fixture
def app(make_app: Callable[..., Flask], workflows_dir: Path) -> Flask:
    return make_app(JALON_WORKFLOWS_DIR=str(workflows_dir))


def passing_answers(gate_index: int = 0, workflow: str = "stage-gate") -> dict[str, Any]:
    """Answers that meet every must-meet criterion and score 100 on the should-meet ones."""
    gate = load_definitions_dir()[workflow].gates[gate_index]
    return {c.key: True if c.must_meet else 5 for c in gate.criteria}


#: Role of each person of the usual cast.
CAST = {
    "manager": "manager",
    "manager2": "manager",
    "gk1": "gatekeeper",
    "gk2": "gatekeeper",
    "gk3": "gatekeeper",
    "pmo": "pmo",
    "staff": "staff",
}


class _Cast(dict):
    """Headers per person, created on first use (password hashing is what makes tests slow)."""

    def __init__(self, token_for: Callable[..., str]) -> None:
        super().__init__()
        self.token_for = token_for

    def ensure(self, *names: str) -> None:
        """Create these people now (to be named in a request by someone else)."""
        for name in names:
            self[name]

    def __missing__(self, name: str) -> dict[str, str]:
        self[name] = bearer(self.token_for(name, CAST[name]))
        return self[name]


@pytest.fixture
def people(token_for: Callable[..., str]) -> dict[str, dict[str, str]]:
    """Bearer headers of the usual cast (see `CAST`), made as they are first used."""
    return _Cast(token_for)


def signed_in(app: Flask, people: dict[str, dict[str, str]], username: str) -> FlaskClient:
    """A browser-like client signed in as `username` of the usual cast."""
    people.ensure(username)  # type: ignore[attr-defined]
    client = app.test_client()
    login(client, username)
    return client


@pytest.fixture
def api(client: FlaskClient, people: dict[str, dict[str, str]]) -> Callable[..., Any]:
    """`api("post", "/projects", "manager", json=...)` -> response, as that person."""

    def call(method: str, path: str, who: str, **kwargs: Any) -> Any:
        return getattr(client, method)(f"/api/v1{path}", headers=people[who], **kwargs)

    call.people = people  # type: ignore[attr-defined]
    return call


@pytest.fixture
def new_project(api: Callable[..., Any]) -> Callable[..., int]:
    def factory(name: str = "Widget", workflow: str = "tiny", who: str = "manager") -> int:
        response = api("post", "/projects", who, json={"name": name, "workflow": workflow})
        assert response.status_code == 201, response.json
        return response.json["id"]

    return factory


@pytest.fixture
def open_review(api: Callable[..., Any], new_project: Callable[..., int]) -> Callable[..., int]:
    """A project with its first gate review submitted: returns the review id."""

    def factory(project_id: int | None = None) -> int:
        project_id = project_id or new_project()
        response = api("post", f"/projects/{project_id}/gate-reviews", "manager", json=TINY_PASS)
        assert response.status_code == 201, response.json
        return response.json["id"]

    return factory


@pytest.fixture
def snapshot(app: Flask) -> Callable[[], dict[str, Any]]:
    """Counts and states of every governance table, to prove a refusal changed nothing."""

    def take() -> dict[str, Any]:
        with app.app_context():
            counts = {
                model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Project, GateReview, Vote, ActionItem, AuditEvent)
            }
            states = db.session.execute(
                select(Project.id, Project.stage, Project.status).order_by(Project.id)
            ).all()
            reviews = db.session.execute(
                select(GateReview.id, GateReview.status, GateReview.decision)
            ).all()
            return {"counts": counts, "projects": states, "reviews": reviews}

    return take
