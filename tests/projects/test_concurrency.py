"""Many "last" votes at once, from real threads on one database: exactly one decision."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.extensions import db
from app.projects.models import AuditEvent, GateReview, Project, Vote
from tests.conftest import bearer


def test_simultaneous_votes_make_exactly_one_decision_and_lose_no_vote(
    make_app, app, token_for, open_review
):
    review_id = open_review()
    voters = [f"racer{i}" for i in range(6)]
    tokens = [token_for(name, "gatekeeper") for name in voters]
    # Each thread is a separate application on the same database, as gunicorn workers are.
    same = app.config["JALON_WORKFLOWS_DIR"]
    workers = [make_app(JALON_WORKFLOWS_DIR=same).test_client() for _ in voters]
    barrier = threading.Barrier(len(voters))
    statuses: list[int] = []

    def vote(client, token) -> None:
        barrier.wait()
        response = client.post(
            f"/api/v1/gate-reviews/{review_id}/votes",
            headers=bearer(token),
            json={"decision": "go"},
        )
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=vote, args=pair) for pair in zip(workers, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

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
