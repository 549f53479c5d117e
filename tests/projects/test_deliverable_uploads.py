"""Deliverables done right: the picker ranks the documents that fit, never offers the blank
template, filters by title; the template is a link with its file; a manager uploads the
completed file, which becomes a draft document of the project that its committee can read."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.library.attachments import add_attachment
from app.library.documents import create_document
from app.library.models import Document, DocumentKind, DocumentStatus
from tests.conftest import csrf_token
from tests.projects.conftest import signed_in as _as

FILE = b"Charter of the project: scope, budget, sponsor.\n"


def _document(app, title, kind, *, owner="manager", template_key=None, stage=None, file=False):
    """A published library document (with a text file when `file`)."""
    with app.app_context():
        author = db.session.scalar(select(User).where(User.username == owner))
        document = create_document(
            author, kind=kind, title=title, template_key=template_key, stage=stage
        )
        if file:
            add_attachment(document, author, b"Fill me in.\n", f"{title}.txt")
        document.status = DocumentStatus.PUBLISHED
        db.session.commit()
        return document.id


def _upload(api, project, key, who="manager", name="charter.txt", data=FILE):
    return api(
        "post",
        f"/projects/{project}/deliverables/{key}/file",
        who,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _post_form(manager, project, fields=None):
    """Post the submission form with a summary and the charter's file, plus `fields`."""
    form = f"/projects/{project}/review"
    data = {
        "csrf_token": csrf_token(manager, form),
        "summary": "Signed off.",
        "file__charter": (io.BytesIO(FILE), "charter.txt"),
        **(fields or {}),
    }
    return manager.post(form, data=data, content_type="multipart/form-data")


def _closed(response):
    """The response read and closed, so the file it streamed is released."""
    response.get_data()
    response.close()
    return response


def _options(html: str, select_id: str) -> list[tuple[str, str]]:
    """(group, option text) of a select, in page order."""
    body = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    found, group = [], ""
    for match in re.finditer(r'<optgroup label="([^"]*)">|<option[^>]*>([^<]*)</option>', body):
        if match.group(1) is not None:
            group = match.group(1)
        else:
            found.append((group, match.group(2)))
    return found


def test_the_picker_puts_the_fitting_documents_first_and_never_the_blank_template(
    app, people, new_project
):
    people.ensure("manager", "pmo")
    project = new_project(workflow="templated")
    _document(app, "Blank charter", DocumentKind.TEMPLATE, owner="pmo", template_key="tpl-charter")
    _document(app, "Coding standard", DocumentKind.STANDARD)
    _document(app, "Charter of another stage", DocumentKind.TEMPLATE, stage="elsewhere")
    _document(app, "Charter at this stage", DocumentKind.TEMPLATE, stage="draft")
    html = _as(app, people, "manager").get(f"/projects/{project}/review").get_data(as_text=True)
    options = _options(html, "document__charter")
    assert [text.split(" (")[0] for _group, text in options] == [
        "No library document",
        "Charter at this stage",
        "Charter of another stage",
        "Coding standard",
    ]
    assert options[1][0] == "Suggested: Template"
    assert options[3][0] == "Other documents"
    assert "Blank charter (" not in html


def test_the_picker_filters_by_title_without_javascript(app, people, new_project):
    people.ensure("manager")
    project = new_project(workflow="templated")
    _document(app, "Coding standard", DocumentKind.STANDARD)
    _document(app, "Charter 100%_done", DocumentKind.TEMPLATE)
    manager = _as(app, people, "manager")
    html = manager.get(f"/projects/{project}/review?q=100%_").get_data(as_text=True)
    texts = [text for _group, text in _options(html, "document__charter")]
    assert [t.split(" (")[0] for t in texts] == ["No library document", "Charter 100%_done"]
    assert 'value="100%_"' in html


def test_the_template_is_a_link_with_its_download(app, people, new_project):
    people.ensure("manager", "pmo")
    project = new_project(workflow="templated")
    template = _document(
        app,
        "Blank charter",
        DocumentKind.TEMPLATE,
        owner="pmo",
        template_key="tpl-charter",
        file=True,
    )
    manager = _as(app, people, "manager")
    for url in (f"/projects/{project}", f"/projects/{project}/review"):
        html = manager.get(url).get_data(as_text=True)
        assert f'<a href="/library/{template}">Blank charter</a>' in html
        download = re.search(rf'href="(/library/{template}/attachments/\d+)" download', html)
        assert download is not None
        assert _closed(manager.get(download.group(1))).get_data() == b"Fill me in.\n"
        assert "tpl-charter" not in html


def test_a_manager_uploads_a_deliverable_through_the_api_and_submits_it(
    app, api, people, new_project
):
    project = new_project(workflow="templated")
    uploaded = _upload(api, project, "test-report", name="report.txt")
    assert uploaded.status_code == 201, uploaded.json
    document = uploaded.json
    assert document["status"] == "draft"
    assert document["kind"] == "standard"  # "report" is not a library kind
    assert document["tags"] == ["test-report"]
    assert document["current_version"] == 2
    charter = _upload(api, project, "charter").json
    assert charter["kind"] == "template"
    body = {"criteria": {}, "deliverables": [charter["id"], document["id"]]}
    review = api("post", f"/projects/{project}/gate-reviews", "manager", json=body)
    assert review.status_code == 201, review.json
    shown = api("get", f"/gate-reviews/{review.json['id']}", "gk1").json["deliverables"]
    assert {(d["deliverable"], d["document_id"], d["document_version"]) for d in shown} == {
        ("charter", charter["id"], 2),
        ("test-report", document["id"], 2),
    }


def test_the_committee_reads_the_draft_and_others_do_not(app, api, people, new_project):
    project = new_project(workflow="templated")
    document = _upload(api, project, "charter").json["id"]
    attachment = api("get", f"/documents/{document}", "manager").json["attachments"][0]["id"]
    file_url = f"/documents/{document}/attachments/{attachment}"
    for who in ("manager", "gk1", "pmo"):
        assert api("get", f"/documents/{document}", who).status_code == 200, who
        assert _closed(api("get", file_url, who)).status_code == 200, who
    for who in ("staff", "manager2"):
        assert api("get", f"/documents/{document}", who).status_code == 404, who
        assert _closed(api("get", file_url, who)).status_code == 404, who
        listed = api("get", "/documents", who).json["items"]
        assert document not in [d["id"] for d in listed]
    assert _as(app, people, "staff").get(f"/library/{document}").status_code == 404
    assert _as(app, people, "gk1").get(f"/library/{document}").status_code == 200


def test_only_the_manager_uploads_for_an_existing_deliverable(api, new_project, snapshot):
    project = new_project(workflow="templated")
    before = snapshot()
    assert _upload(api, project, "charter", who="manager2").status_code == 404
    assert _upload(api, project, "charter", who="pmo").status_code == 403
    assert _upload(api, project, "charter", who="staff").status_code == 403
    assert _upload(api, project, "nope").status_code == 404
    assert _upload(api, project, "charter", name="charter.pdf").status_code == 422
    missing = api("post", f"/projects/{project}/deliverables/charter/file", "manager", json={})
    assert missing.status_code == 422
    assert snapshot() == before


def test_the_upload_endpoint_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/projects/{project_id}/deliverables/{key}/file"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert "201" in operation["responses"]


def test_a_manager_uploads_the_completed_file_with_the_submission_form(
    app, api, people, new_project
):
    project = new_project(workflow="templated")
    submitted = _post_form(
        _as(app, people, "manager"), project, {"deliverable__test-report": "https://x.example/r"}
    )
    assert submitted.status_code == 302, submitted.get_data(as_text=True)
    review = submitted.headers["Location"].rsplit("/", 1)[1]
    [charter] = [
        d
        for d in api("get", f"/gate-reviews/{review}", "gk1").json["deliverables"]
        if d["deliverable"] == "charter"
    ]
    with app.app_context():
        document = db.session.get(Document, charter["document_id"])
        assert document.project_id == project
        assert document.status == DocumentStatus.DRAFT
        assert document.attachments[0].filename == "charter.txt"


def test_a_refused_submission_keeps_no_uploaded_file(app, api, people, new_project):
    project = new_project(workflow="templated")
    refused = _post_form(_as(app, people, "manager"), project)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert '<a href="#document__test-report">Deliverable missing: Test report</a>' in html
    assert "The files you chose were not kept: choose them again." in html
    with app.app_context():
        assert db.session.scalar(select(Document.id).where(Document.project_id == project)) is None
