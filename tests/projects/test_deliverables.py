"""Library documents as deliverables: matched by kind or tag, pinned to the version submitted."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.library.models import Document, DocumentKind, DocumentVersion

CRITERIA = {"safe": True, "value": 5}


def _document(app, kind: DocumentKind, tags=(), version: int = 1) -> int:
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.username == "manager"))
        document = Document(kind=kind, title="Plan", owner_id=owner.id, current_version=version)
        document.tags = list(tags)
        document.versions = [
            DocumentVersion(number=n, title="Plan", author_id=owner.id)
            for n in range(1, version + 1)
        ]
        db.session.add(document)
        db.session.commit()
        return document.id


def _submit(api, project: int, deliverables):
    body = {"criteria": CRITERIA, "deliverables": deliverables}
    return api("post", f"/projects/{project}/gate-reviews", "manager", json=body)


def test_a_document_id_is_matched_by_kind_and_its_current_version_recorded(app, api, new_project):
    project = new_project()
    document = _document(app, DocumentKind.TEMPLATE, version=3)
    review = _submit(api, project, [document])
    assert review.status_code == 201, review.json
    with app.app_context():
        db.session.get(Document, document).current_version = 4
        db.session.commit()
    shown = api("get", f"/gate-reviews/{review.json['id']}", "manager").json["deliverables"]
    assert shown == [
        {"deliverable": "plan", "document_id": document, "document_version": 3, "url": None}
    ]


def test_the_object_form_names_the_deliverable(app, api, new_project):
    project = new_project()
    document = _document(app, DocumentKind.STANDARD)
    assert _submit(api, project, {"plan": document}).status_code == 201


def test_a_tag_matches_a_document_of_another_kind(app, api, new_project):
    project = new_project()
    document = _document(app, DocumentKind.LESSON, tags=["plan"])
    assert _submit(api, project, [document]).status_code == 201


def test_unknown_and_unmatched_documents_are_refused_with_every_reason(
    app, api, new_project, snapshot
):
    project = new_project()
    lesson = _document(app, DocumentKind.LESSON)
    before = snapshot()
    refused = _submit(api, project, [lesson, 999_999])
    assert refused.status_code == 422
    fields = [d["field"] for d in refused.json["error"]["details"]]
    assert fields == ["deliverables[0]", "deliverables[1]", "deliverables.plan"]
    assert snapshot() == before
