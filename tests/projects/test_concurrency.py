"""Many "last" votes at once, from real threads on one database: exactly one decision."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from app.extensions import db
from app.projects.models import AuditEvent, GateReview, Project, Vote
from tests.conftest import bearer


def _together(count: int, action: Callable[[int], int]) -> list[int]:
    """Run `action(0)` ... `action(count - 1)` in as many threads released at once: the
    statuses they answered."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def run(index: int) -> None:
        barrier.wait()
        statuses.append(action(index))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_simultaneous_votes_make_exactly_one_decision_and_lose_no_vote(
    make_app, app, token_for, open_review
):
    review_id = open_review()
    voters = [f"racer{i}" for i in range(6)]
    tokens = [token_for(name, "gatekeeper") for name in voters]
    # Each thread is a separate application on the same database, as gunicorn workers are.
    same = app.config["JALON_WORKFLOWS_DIR"]
    workers = [make_app(JALON_WORKFLOWS_DIR=same).test_client() for _ in voters]

    def vote(index: int) -> int:
        response = workers[index].post(
            f"/api/v1/gate-reviews/{review_id}/votes",
            headers=bearer(tokens[index]),
            json={"decision": "go"},
        )
        return response.status_code

    statuses = _together(len(voters), vote)
    assert sorted(statuses) == [201, 201, 409, 409, 409, 409]
    with app.app_context():
        review = db.session.get(GateReview, review_id)
        assert review.decision == "go"
        assert db.session.get(Project, review.project_id).stage == "run"
        assert db.session.scalar(select(func.count(Vote.id))) == 2
        decisions = select(func.count(AuditEvent.id)).where(AuditEvent.kind == "decision")
        assert db.session.scalar(decisions) == 1
        transitions = select(func.count(AuditEvent.id)).where(AuditEvent.kind == "transition")
        assert db.session.scalar(transitions) == 1
    assert workers  # keep the apps alive until the end


def test_simultaneous_vote_changes_and_last_votes_make_exactly_one_decision(
    make_app, app, token_for, open_review
):
    review_id = open_review()
    names = [f"racer{i}" for i in range(20)]
    tokens = [token_for(name, "gatekeeper") for name in names]
    same = app.config["JALON_WORKFLOWS_DIR"]
    first = app.test_client()
    # Eight votes spread over four decisions: no strict majority, twelve voters to come.
    spread = ["go", "kill", "hold", "recycle"] * 2
    for token, decision in zip(tokens, spread, strict=False):
        body = {"decision": decision, "comment": "because"}
        response = first.post(
            f"/api/v1/gate-reviews/{review_id}/votes", headers=bearer(token), json=body
        )
        assert response.status_code == 201, response.json
    workers = [make_app(JALON_WORKFLOWS_DIR=same).test_client() for _ in names]

    def race(index: int) -> int:
        client, headers = workers[index], bearer(tokens[index])
        if index < len(spread):  # the eight who voted change their vote to go
            path = f"/api/v1/gate-reviews/{review_id}/votes/mine"
            response = client.patch(path, headers=headers, json={"decision": "go"})
        else:
            path = f"/api/v1/gate-reviews/{review_id}/votes"
            response = client.post(path, headers=headers, json={"decision": "go"})
        return response.status_code

    statuses = _together(len(names), race)
    assert len(statuses) == len(names)
    assert set(statuses) <= {200, 201, 409}
    assert 409 in statuses  # the decision came before the last request
    with app.app_context():
        review = db.session.get(GateReview, review_id)
        assert review.decision == "go"
        assert db.session.get(Project, review.project_id).stage == "run"
        assert db.session.scalar(select(func.count(Vote.id))) == len(spread) + statuses.count(201)
        decisions = select(func.count(AuditEvent.id)).where(AuditEvent.kind == "decision")
        assert db.session.scalar(decisions) == 1
        transitions = select(func.count(AuditEvent.id)).where(AuditEvent.kind == "transition")
        assert db.session.scalar(transitions) == 1
    assert workers
