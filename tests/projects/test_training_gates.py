"""A gate's required training: 422 naming the courses for the submitter, 403 for a voter."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.training.services import create_course, record_completion


def _train(app, *usernames: str) -> None:
    with app.app_context():
        course = create_course("safety", "Safety at work")
        for username in usernames:
            user = db.session.scalar(select(User).where(User.username == username))
            record_completion(user, course, date(2026, 1, 5), recorded_by=None)
        db.session.commit()


def test_untrained_submitter_gets_422_naming_the_course(api, new_project, snapshot):
    project = new_project(workflow="trained")
    before = snapshot()
    refused = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    assert refused.status_code == 422
    assert refused.json["error"]["details"] == [
        {
            "code": "training_missing",
            "field": "training.safety",
            "message": "Training missing: safety",
        }
    ]
    assert snapshot() == before


def test_untrained_voter_gets_403_naming_the_course_and_trained_ones_decide(
    app, api, people, new_project, snapshot
):
    people.ensure("gk1", "gk2")
    project = new_project(workflow="trained")
    _train(app, "manager", "gk2")
    review = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    assert review.status_code == 201
    before = snapshot()
    refused = api(
        "post", f"/gate-reviews/{review.json['id']}/votes", "gk1", json={"decision": "go"}
    )
    assert refused.status_code == 403
    assert refused.json["error"]["message"] == "Training required to vote: Safety at work."
    assert [d["field"] for d in refused.json["error"]["details"]] == ["training.safety"]
    assert snapshot() == before
    vote = api("post", f"/gate-reviews/{review.json['id']}/votes", "gk2", json={"decision": "go"})
    assert vote.status_code == 201
    assert api("get", f"/projects/{project}", "manager").json["status"] == "completed"
