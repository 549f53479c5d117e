"""A gate's required training: 422 naming the courses for the submitter, 403 for a voter."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.training.services import create_course, create_requirement, record_completion
from tests.conftest import csrf_token, login


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
            "course": "safety",
            "title": "safety",
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


def _course(app, due_date: date | None = None) -> None:
    """The "safety" course, required of managers and gatekeepers by `due_date` when given."""
    with app.app_context():
        course = create_course("safety", "Safety at work")
        if due_date is not None:
            for role in (Role.MANAGER, Role.GATEKEEPER):
                create_requirement(course, role=role, due_date=due_date)
        db.session.commit()


def test_a_training_refusal_names_the_course_title_its_page_and_due_date(app, api, new_project):
    project = new_project(workflow="trained")
    _course(app, due_date=date(2030, 3, 1))
    refused = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    assert refused.status_code == 422
    [detail] = refused.json["error"]["details"]
    assert detail["title"] == "Safety at work"
    assert detail["url"] == "/training/courses/safety"
    assert detail["due_date"] == "2030-03-01"
    assert detail["message"] == "Training missing: Safety at work (due by March 1, 2030)"


def test_a_course_not_required_of_the_voter_has_no_due_date(app, api, people, new_project):
    people.ensure("gk1")
    project = new_project(workflow="trained")
    _train(app, "manager")  # creates the course, required of nobody
    review = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    refused = api(
        "post", f"/gate-reviews/{review.json['id']}/votes", "gk1", json={"decision": "go"}
    )
    assert refused.status_code == 403
    [detail] = refused.json["error"]["details"]
    assert detail["message"] == "Training missing: Safety at work"
    assert "due_date" not in detail
    assert detail["url"] == "/training/courses/safety"


def test_the_submission_page_links_the_missing_course(app, people, new_project):
    project = new_project(workflow="trained")
    _course(app, due_date=date(2030, 3, 1))
    manager = app.test_client()
    login(manager, "manager")
    form = f"/projects/{project}/review"
    page = manager.post(form, data={"csrf_token": csrf_token(manager, form), "summary": "ready"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "There is a problem" in html
    assert (
        '<a href="/training/courses/safety">Training missing: Safety at work '
        "(due by March 1, 2030)</a>"
    ) in html
    assert "safety</" not in html
