"""Random submissions, votes, vote changes and withdrawals, recusals, chair decisions, review
withdrawals, holds and resumes by random people; invariants after each step."""

from __future__ import annotations

from datetime import timedelta
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
from app.projects.committee import gate_of, remaining_voters, tally_of
from app.projects.models import OPEN_STATUSES, AuditEvent, GateReview, Project, ReviewStatus, Vote
from app.timeutil import utcnow
from tests.projects.conftest import TINY_PASS, WHY
from workflows import deadlocked

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

    def open_review(self, project: int) -> int | None:
        with self.app.app_context():
            return db.session.scalar(
                select(GateReview.id).where(GateReview.open_project_id == project)
            )

    @rule(
        project=projects,
        who=st.sampled_from(PEOPLE),
        decision=st.sampled_from(DECISIONS),
        on_behalf_of=st.sampled_from([None, None, "gk1"]),
    )
    def vote(self, project: int, who: str, decision: str, on_behalf_of: str | None) -> None:
        review = self.open_review(project)
        if review is None:
            return
        body = _vote_body(decision)
        if on_behalf_of:
            body["on_behalf_of"] = on_behalf_of
        response = self.api("post", f"/gate-reviews/{review}/votes", who, json=body)
        assert response.status_code in (201, 403, 404, 409)

    @rule(project=projects, who=st.sampled_from(PEOPLE), decision=st.sampled_from(DECISIONS))
    def change_vote(self, project: int, who: str, decision: str) -> None:
        review = self.open_review(project)
        if review is None:
            return
        path = f"/gate-reviews/{review}/votes/mine"
        response = self.api("patch", path, who, json=_vote_body(decision))
        assert response.status_code in (200, 404, 409)

    @rule(project=projects, who=st.sampled_from(PEOPLE))
    def withdraw_vote(self, project: int, who: str) -> None:
        review = self.open_review(project)
        if review is None:
            return
        response = self.api("delete", f"/gate-reviews/{review}/votes/mine", who)
        assert response.status_code in (204, 404, 409)

    @rule(project=projects, who=st.sampled_from(PEOPLE))
    def recuse(self, project: int, who: str) -> None:
        review = self.open_review(project)
        if review is None:
            return
        body = {"reason": "conflict of interest"}
        response = self.api("post", f"/gate-reviews/{review}/recusal", who, json=body)
        assert response.status_code in (201, 403, 404, 409)

    @rule(project=projects, who=st.sampled_from(PEOPLE), decision=st.sampled_from(DECISIONS))
    def chair_decides(self, project: int, who: str, decision: str) -> None:
        review = self.open_review(project)
        if review is None:
            return
        body = {"decision": decision, "rationale": "the chair's reason"}
        if decision == "conditional_go":
            body["conditions"] = [{"description": "fix it"}]
        response = self.api("post", f"/gate-reviews/{review}/chair-decision", who, json=body)
        assert response.status_code in (201, 403, 404, 409)

    @rule(project=projects, who=st.sampled_from(PEOPLE))
    def withdraw_review(self, project: int, who: str) -> None:
        review = self.open_review(project)
        if review is None:
            return
        response = self.api("post", f"/gate-reviews/{review}/withdraw", who)
        assert response.status_code in (200, 403, 404, 409)

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
                assert (review.decision is None) == (review.status is not ReviewStatus.DECIDED)
                assert (review.open_project_id is not None) == (review.status in OPEN_STATUSES)
                assert all(v.voter_id != review.submitted_by_id for v in review.votes)
                if review.status in OPEN_STATUSES:
                    self.always_ends(review)
            assert (
                db.session.scalar(
                    select(Vote.id)
                    .join(GateReview)
                    .where(Vote.voter_id == GateReview.submitted_by_id)
                )
                is None
            )
            assert audit.verify().ok

    def always_ends(self, review: GateReview) -> None:
        """An open review either may still be decided by the votes to come, or is
        `no_consensus` and awaits the chair: never stuck."""
        gate = gate_of(review)
        stuck = deadlocked(
            tally_of(review.id), gate.approvers.min_votes, gate.rule, remaining_voters(review, gate)
        )
        expected = ReviewStatus.NO_CONSENSUS if stuck else ReviewStatus.SUBMITTED
        assert review.status is expected, "a review's status disagrees with its votes"


def _vote_body(decision: str) -> dict[str, Any]:
    body: dict[str, Any] = {"decision": decision, "comment": "because"}
    if decision == "conditional_go":
        body["conditions"] = [{"description": "fix it"}]
    return body


@pytest.mark.slow
def test_random_governance_never_breaks_the_method(app, api, people):
    people.ensure(*PEOPLE)
    today = utcnow().date()
    window = {"starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat()}
    assert api("post", "/delegations", "gk1", json={"delegate": "gk2", **window}).status_code == 201
    run_state_machine_as_test(
        lambda: Governance(app, api),
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
