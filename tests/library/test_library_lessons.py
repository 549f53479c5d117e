"""Lessons learned linked to projects and stages, and templates for gate deliverables."""

from __future__ import annotations

from app.auth.models import User
from app.extensions import db
from app.library.lessons import relevant_lessons, templates_for
from tests.conftest import bearer


def _project(client, token, name):
    response = client.post(
        "/api/v1/projects", json={"name": name, "workflow": "stage-gate"}, headers=bearer(token)
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _lesson(client, token, project_id, **fields):
    body = {"title": "Leçon", "body": "Impliquer le sponsor tôt.", **fields}
    return client.post(f"/api/v1/projects/{project_id}/lessons", json=body, headers=bearer(token))


def test_manager_records_a_lesson_at_the_project_stage(client, tokens):
    project = _project(client, tokens["manager"], "Atlas")
    response = _lesson(client, tokens["manager"], project["id"], language="fr")
    assert response.status_code == 201
    lesson = response.get_json()
    assert lesson["kind"] == "lesson"
    assert lesson["project_id"] == project["id"]
    assert lesson["stage"] == project["stage"]
    assert lesson["status"] == "draft"


def test_only_the_project_manager_or_pmo_records_lessons(client, tokens):
    project = _project(client, tokens["manager"], "Atlas")
    assert _lesson(client, tokens["manager2"], project["id"]).status_code == 403
    assert _lesson(client, tokens["staff"], project["id"]).status_code == 403
    assert _lesson(client, tokens["pmo"], project["id"]).status_code == 201
    assert _lesson(client, tokens["manager"], 999_999).status_code == 404


def test_relevant_lessons_come_from_other_projects_at_the_stage(app, client, tokens):
    atlas = _project(client, tokens["manager"], "Atlas")
    borealis = _project(client, tokens["manager"], "Borealis")
    own = _lesson(client, tokens["manager"], atlas["id"], title="Propre").get_json()
    other = _lesson(client, tokens["manager"], borealis["id"], title="Autre").get_json()
    for step in ("in_review", "published"):
        role = "manager" if step == "in_review" else "pmo"
        for lesson in (own, other):
            client.post(
                f"/api/v1/documents/{lesson['id']}/transition",
                json={"to": step},
                headers=bearer(tokens[role]),
            )
    _lesson(client, tokens["manager"], borealis["id"], title="Brouillon")
    with app.app_context():
        staff = db.session.scalar(db.select(User).where(User.username == "sam"))
        titles = [d.title for d in relevant_lessons(atlas["stage"], atlas["id"], staff)]
        assert titles == ["Autre"]
        author = db.session.scalar(db.select(User).where(User.username == "max"))
        titles = [d.title for d in relevant_lessons(atlas["stage"], atlas["id"], author)]
        assert titles == ["Autre", "Brouillon"]


def test_templates_for_maps_deliverable_keys_to_documents(app, new_document):
    new_document(kind="template", title="Business case", template_key="tpl-business-case")
    with app.app_context():
        found = templates_for(["tpl-business-case", "tpl-unknown", ""])
        assert list(found) == ["tpl-business-case"]
        assert found["tpl-business-case"].title == "Business case"
