"""Factories for governance tests: people with tokens, projects, answers that pass a gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.projects.models import ActionItem, AuditEvent, GateReview, Project, Vote
from tests.conftest import bearer
from workflows import load_definitions_dir

STAGE_GATE = load_definitions_dir()["stage-gate"]


def passing_answers(gate_index: int = 0, workflow: str = "stage-gate") -> dict[str, Any]:
    """Answers that meet every must-meet criterion and score 100 on the should-meet ones."""
    gate = load_definitions_dir()[workflow].gates[gate_index]
    return {c.key: True if c.must_meet else 5 for c in gate.criteria}


@pytest.fixture
def people(token_for: Callable[..., str]) -> dict[str, dict[str, str]]:
    """Headers of the usual cast: a manager, three gatekeepers, the PMO, another manager, staff."""
    cast = {
        "manager": "manager",
        "manager2": "manager",
        "gk1": "gatekeeper",
        "gk2": "gatekeeper",
        "gk3": "gatekeeper",
        "pmo": "pmo",
        "staff": "staff",
    }
    return {name: bearer(token_for(name, role)) for name, role in cast.items()}


@pytest.fixture
def api(client: FlaskClient, people: dict[str, dict[str, str]]) -> Callable[..., Any]:
    """`api("post", "/projects", "manager", json=...)` -> response, as that person."""

    def call(method: str, path: str, who: str, **kwargs: Any) -> Any:
        return getattr(client, method)(f"/api/v1{path}", headers=people[who], **kwargs)

    return call


@pytest.fixture
def new_project(api: Callable[..., Any]) -> Callable[..., int]:
    def factory(name: str = "Widget", workflow: str = "stage-gate", who: str = "manager") -> int:
        response = api("post", "/projects", who, json={"name": name, "workflow": workflow})
        assert response.status_code == 201, response.json
        return response.json["id"]

    return factory


@pytest.fixture
def open_review(api: Callable[..., Any], new_project: Callable[..., int]) -> Callable[..., int]:
    """A project with its first gate review submitted: returns the review id."""

    def factory(project_id: int | None = None) -> int:
        project_id = project_id or new_project()
        response = api(
            "post",
            f"/projects/{project_id}/gate-reviews",
            "manager",
            json={"criteria": passing_answers(), "summary": "ready"},
        )
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
