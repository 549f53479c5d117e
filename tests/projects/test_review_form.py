"""The submission page: library documents or links as deliverables, and lessons learned."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.library.models import Document, DocumentKind, DocumentStatus, DocumentVersion
from app.projects.models import GateReview, GateReviewDeliverable
from tests.conftest import csrf_token, login


def _as(app, people, username):
    people.ensure(username)
    client = app.test_client()
    login(client, username)
    return client


def _document(app, owner: str, title: str, version: int = 1, status=DocumentStatus.DRAFT) -> int:
    with app.app_context():
        owner_id = db.session.scalar(select(User.id).where(User.username == owner))
        document = Document(
            kind=DocumentKind.TEMPLATE,
            title=title,
            owner_id=owner_id,
            current_version=version,
            status=status,
        )
        document.versions = [
            DocumentVersion(number=n, title=title, author_id=owner_id)
            for n in range(1, version + 1)
        ]
        db.session.add(document)
        db.session.commit()
        return document.id


#: A lesson learned as the form's first row posts it.
LESSON = {"lessons-0-title": "Book the room early", "lessons-0-body": "Committees fill up."}
PLAN_LINK = "https://docs.example/plan"


def _post(client, project: int, **fields):
    url = f"/projects/{project}/review"
    data = {"csrf_token": csrf_token(client, url), "summary": "ready", "criterion__value": "4"}
    return client.post(url, data={**data, **fields})


def _lessons(app) -> list[Document]:
    with app.app_context():
        return list(db.session.scalars(select(Document).where(Document.kind == "lesson")))


def test_a_library_document_picked_on_the_form_is_recorded_at_its_version(app, people, new_project):
    project = new_project()
    manager = _as(app, people, "manager")
    document = _document(app, "manager", "Delivery plan", version=3)
    page = manager.get(f"/projects/{project}/review").get_data(as_text=True)
    assert "Delivery plan (v3, Draft)" in page

    response = _post(manager, project, criterion__safe="y", document__plan=str(document))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        handed_in = db.session.scalars(select(GateReviewDeliverable)).one()
        assert (handed_in.deliverable, handed_in.document_id) == ("plan", document)
        assert (handed_in.document_version, handed_in.url) == (3, None)


def test_a_document_the_manager_cannot_see_is_refused_and_the_form_shown_again(
    app, people, new_project
):
    project = new_project()
    people.ensure("manager2")
    hidden = _document(app, "manager2", "Someone else's draft")
    manager = _as(app, people, "manager")
    assert "Someone else&#39;s draft" not in manager.get(f"/projects/{project}/review").get_data(
        as_text=True
    )

    response = _post(manager, project, criterion__safe="y", document__plan=str(hidden))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The gate review cannot be submitted." in html
    assert f"No such document: {hidden}" in html
    assert 'name="summary"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(GateReview.id))) == 0


def test_a_link_still_serves_as_a_deliverable(app, people, new_project):
    project = new_project()
    manager = _as(app, people, "manager")
    response = _post(manager, project, criterion__safe="y", deliverable__plan=PLAN_LINK)
    assert response.status_code == 302
    with app.app_context():
        handed_in = db.session.scalars(select(GateReviewDeliverable)).one()
        assert (handed_in.document_id, handed_in.url) == (None, PLAN_LINK)


def test_a_lesson_given_with_the_submission_becomes_a_lesson_of_the_project_and_stage(
    app, people, new_project
):
    project = new_project()
    manager = _as(app, people, "manager")
    response = _post(manager, project, criterion__safe="y", deliverable__plan=PLAN_LINK, **LESSON)
    assert response.status_code == 302
    [lesson] = _lessons(app)
    assert (lesson.title, lesson.body) == ("Book the room early", "Committees fill up.")
    assert (lesson.project_id, lesson.stage, lesson.workflow) == (project, "build", "tiny")
    assert lesson.status == DocumentStatus.DRAFT


def test_a_refused_submission_records_no_lesson(app, people, new_project):
    project = new_project()
    manager = _as(app, people, "manager")
    response = _post(manager, project, deliverable__plan=PLAN_LINK, **LESSON)
    assert response.status_code == 400
    assert "Must-meet criterion not met: It is safe" in response.get_data(as_text=True)
    assert _lessons(app) == []


def test_a_lesson_without_its_text_is_a_form_error(app, people, new_project):
    project = new_project()
    manager = _as(app, people, "manager")
    half = {"lessons-1-title": "Half a lesson"}
    response = _post(manager, project, criterion__safe="y", deliverable__plan=PLAN_LINK, **half)
    assert response.status_code == 400
    assert "A lesson needs both its title and its text." in response.get_data(as_text=True)
    assert _lessons(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(GateReview.id))) == 0


def test_the_api_records_lessons_with_the_submission(app, api, new_project):
    project = new_project()
    body = {
        "criteria": {"safe": True, "value": 4},
        "deliverables": [{"key": "plan", "url": PLAN_LINK}],
        "lessons": [{"title": "Involve ops", "body": "From day one.", "language": "en"}],
    }
    response = api("post", f"/projects/{project}/gate-reviews", "manager", json=body)
    assert response.status_code == 201, response.json
    [lesson] = _lessons(app)
    assert (lesson.project_id, lesson.stage, lesson.language) == (project, "build", "en")


def test_the_api_refuses_a_document_the_manager_cannot_see_as_unknown(
    app, api, new_project, snapshot
):
    project = new_project()
    api.people.ensure("manager2")
    hidden = _document(app, "manager2", "Someone else's draft")
    before = snapshot()
    body = {"criteria": {"safe": True, "value": 4}, "deliverables": [hidden]}
    response = api("post", f"/projects/{project}/gate-reviews", "manager", json=body)
    assert response.status_code == 422
    assert {
        "code": "deliverable_missing",
        "field": "deliverables[0]",
        "message": f"No such document: {hidden}",
    } in response.json["error"]["details"]
    assert snapshot() == before
