"""The documents API: creation, edits as versions, lifecycle and who may do what."""

from __future__ import annotations

from app.extensions import db
from app.library.models import Document, DocumentVersion
from tests.conftest import bearer


def test_manager_creates_a_draft_with_version_one(client, tokens):
    response = client.post(
        "/api/v1/documents",
        json={"title": "Charte", "kind": "standard", "body": "# Titre\n\nTexte", "tags": ["Gouv"]},
        headers=bearer(tokens["manager"]),
    )
    assert response.status_code == 201
    doc = response.get_json()
    assert doc["status"] == "draft"
    assert doc["current_version"] == 1
    assert doc["tags"] == ["gouv"]
    assert "<h1>Titre</h1>" in doc["html"]
    assert doc["body"] == "# Titre\n\nTexte"


def test_staff_cannot_create_documents_and_nothing_is_stored(app, client, tokens):
    response = client.post(
        "/api/v1/documents",
        json={"title": "X", "kind": "standard", "body": "x"},
        headers=bearer(tokens["staff"]),
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0


def test_patch_makes_a_new_version_with_author_and_reason(client, tokens, new_document):
    doc = new_document(title="Plan", body="v1")
    response = client.patch(
        f"/api/v1/documents/{doc['id']}",
        json={"body": "v2", "reason": "Clarified"},
        headers=bearer(tokens["manager"]),
    )
    assert response.status_code == 200
    assert response.get_json()["current_version"] == 2
    versions = client.get(
        f"/api/v1/documents/{doc['id']}/versions", headers=bearer(tokens["manager"])
    ).get_json()["items"]
    assert [(v["number"], v["body"], v["author"]) for v in versions] == [
        (1, "v1", "max"),
        (2, "v2", "max"),
    ]
    assert versions[1]["reason"] == "Clarified"


def test_patch_without_change_makes_no_version(client, tokens, new_document):
    doc = new_document(body="same")
    response = client.patch(
        f"/api/v1/documents/{doc['id']}", json={"body": "same"}, headers=bearer(tokens["manager"])
    )
    assert response.get_json()["current_version"] == 1


def test_another_manager_cannot_see_or_edit_a_draft(app, client, tokens, new_document):
    doc = new_document(body="secret")
    assert (
        client.get(f"/api/v1/documents/{doc['id']}", headers=bearer(tokens["manager2"])).status_code
        == 404
    )
    response = client.patch(
        f"/api/v1/documents/{doc['id']}", json={"body": "x"}, headers=bearer(tokens["manager2"])
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Document, doc["id"]).body == "secret"


def test_another_manager_cannot_edit_a_published_document(app, client, tokens, new_document):
    doc = new_document(status="published", body="official")
    response = client.patch(
        f"/api/v1/documents/{doc['id']}", json={"body": "x"}, headers=bearer(tokens["manager2"])
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(DocumentVersion)) == 1


def test_lifecycle_author_submits_pmo_publishes_and_retires(client, tokens, new_document):
    doc = new_document()
    url = f"/api/v1/documents/{doc['id']}/transition"
    assert (
        client.post(url, json={"to": "published"}, headers=bearer(tokens["manager"])).status_code
        == 409
    )
    assert (
        client.post(url, json={"to": "in_review"}, headers=bearer(tokens["manager"])).status_code
        == 200
    )
    denied = client.post(url, json={"to": "published"}, headers=bearer(tokens["manager"]))
    assert denied.status_code == 403
    assert (
        client.get(f"/api/v1/documents/{doc['id']}", headers=bearer(tokens["manager"])).get_json()[
            "status"
        ]
        == "in_review"
    )
    assert (
        client.post(url, json={"to": "published"}, headers=bearer(tokens["pmo"])).status_code == 200
    )
    assert (
        client.post(url, json={"to": "obsolete"}, headers=bearer(tokens["staff"])).status_code
        == 403
    )
    response = client.post(url, json={"to": "obsolete"}, headers=bearer(tokens["pmo"]))
    assert response.get_json()["status"] == "obsolete"
    edit = client.patch(
        f"/api/v1/documents/{doc['id']}", json={"body": "x"}, headers=bearer(tokens["pmo"])
    )
    assert edit.status_code == 409


def test_staff_sees_published_documents_only_in_the_list_and_by_id(client, tokens, new_document):
    draft = new_document(title="Brouillon")
    published = new_document(title="Publié", status="published")
    obsolete = new_document(title="Ancien", status="obsolete")
    listing = client.get("/api/v1/documents", headers=bearer(tokens["staff"])).get_json()
    assert [item["id"] for item in listing["items"]] == [published["id"]]
    for hidden in (draft, obsolete):
        response = client.get(f"/api/v1/documents/{hidden['id']}", headers=bearer(tokens["staff"]))
        assert response.status_code == 404
        versions = client.get(
            f"/api/v1/documents/{hidden['id']}/versions", headers=bearer(tokens["staff"])
        )
        assert versions.status_code == 404
    everything = client.get("/api/v1/documents", headers=bearer(tokens["pmo"])).get_json()
    assert everything["total"] == 3


def test_list_filters_by_kind_and_tag(client, tokens, new_document):
    new_document(kind="template", tags=["risque"], status="published")
    new_document(kind="standard", tags=["risque"], status="published")
    response = client.get(
        "/api/v1/documents?kind=template&tag=risque", headers=bearer(tokens["staff"])
    ).get_json()
    assert [item["kind"] for item in response["items"]] == ["template"]


def test_duplicate_template_key_is_a_conflict(client, tokens, new_document):
    new_document(kind="template", template_key="tpl-business-case")
    response = client.post(
        "/api/v1/documents",
        json={"title": "B", "kind": "template", "template_key": "tpl-business-case"},
        headers=bearer(tokens["pmo"]),
    )
    assert response.status_code == 409
