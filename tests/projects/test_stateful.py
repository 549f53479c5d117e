"""Random submissions, votes, holds and resumes by random people; invariants after each step."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from app.extensions import db
from app.projects import audit
from app.projects.models import AuditEvent, GateReview, Project, Vote
from tests.projects.conftest import TINY_PASS, WHY

STAGES = ["build", "run"]
PEOPLE = ["manager", "manager2", "gk1", "gk2", "gk3", "pmo"]
DECISIONS = ["go", "conditional_go", "hold", "recycle", "kill"]


class Governance(RuleBasedStateMachine):
    """Drives the API; the database is the model, checked against the method's invariants."""

    projects = Bundle("projects")

    def __init__(self, app: Any, api: Any) -> None:
        super().__init__()
        self.app, self.api = app, api
        self.ended: dict[int, tuple[str, str]] = {}
        self.last_stage: dict[int, int] = {}

    @initialize(target=projects, manager=st.sampled_from(["manager", "manager2"]))
    def first_project(self, manager: str) -> int:
        return self.create(manager)

    @rule(target=projects, manager=st.sampled_from(["manager", "manager2"]))
    def create(self, manager: str) -> int:
        response = self.api("post", "/projects", manager, json={"name": "P", "workflow": "tiny"})
        assert response.status_code == 201
        self.last_stage[response.json["id"]] = 0
        return response.json["id"]

    @rule(project=projects, who=st.sampled_from(PEOPLE), complete=st.booleans())
    def submit(self, project: int, who: str, complete: bool) -> None:
        body = TINY_PASS if complete else {"criteria": {"safe": False}}
        response = self.api("post", f"/projects/{project}/gate-reviews", who, json=body)
        assert response.status_code in (201, 403, 404, 409, 422)

    @rule(project=projects, who=st.sampled_from(PEOPLE), decision=st.sampled_from(DECISIONS))
    def vote(self, project: int, who: str, decision: str) -> None:
        with self.app.app_context():
            review = db.session.scalar(
                select(GateReview.id).where(GateReview.open_project_id == project)
            )
        if review is None:
            return
        body: dict[str, Any] = {"decision": decision, "comment": "because"}
        if decision == "conditional_go":
            body["conditions"] = [{"description": "fix it"}]
        response = self.api("post", f"/gate-reviews/{review}/votes", who, json=body)
        assert response.status_code in (201, 403, 404, 409)

    @rule(project=projects, move=st.sampled_from(["hold", "resume"]))
    def pmo_moves(self, project: int, move: str) -> None:
        moved = self.api("post", f"/projects/{project}/{move}", "pmo", json=WHY)
        assert moved.status_code in (200, 409)

    @rule(project=projects)
    def close_items(self, project: int) -> None:
        items = self.api("get", f"/projects/{project}/action-items", "manager").json
        for item in (items or {}).get("items", []):
            if item["status"] == "open":
                path = f"/action-items/{item['id']}/close"
                manager = "manager" if self.manager_of(project) == "manager" else "manager2"
                self.api("post", path, manager, json={"evidence": "done"})

    def manager_of(self, project: int) -> str:
        with self.app.app_context():
            return db.session.get(Project, project).manager.username

    @invariant()
    def the_method_holds(self) -> None:
        with self.app.app_context():
            for project in db.session.scalars(select(Project)):
                state = (project.stage, project.status.value)
                if project.id in self.ended:
                    assert state == self.ended[project.id], "a finished project changed"
                elif project.status.value in ("killed", "completed"):
                    self.ended[project.id] = state
                index = STAGES.index(project.stage)
                assert index - self.last_stage.get(project.id, 0) in (0, 1)
                self.last_stage[project.id] = index
            decisions = [
                e.data["review"]
                for e in db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "decision"))
            ]
            assert len(decisions) == len(set(decisions)), "a review was decided twice"
            for review in db.session.scalars(select(GateReview)):
                assert (review.decision is None) == (review.status.value == "submitted")
                assert all(v.voter_id != review.submitted_by_id for v in review.votes)
            assert (
                db.session.scalar(
                    select(Vote.id)
                    .join(GateReview)
                    .where(Vote.voter_id == GateReview.submitted_by_id)
                )
                is None
            )
            assert audit.verify().ok


@pytest.mark.slow
def test_random_governance_never_breaks_the_method(app, api, people):
    people.ensure(*PEOPLE)
    run_state_machine_as_test(
        lambda: Governance(app, api),
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
