"""Attachments: size and type checks, safe storage and names, extraction into search, access."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.extensions import db
from app.library.models import Attachment
from tests.conftest import bearer


def _upload(client, token, doc_id, name, data):
    return client.post(
        f"/api/v1/documents/{doc_id}/attachments",
        data={"file": (io.BytesIO(data), name)},
        headers=bearer(token),
        content_type="multipart/form-data",
    )


def _download(client, token, doc_id, attachment_id):
    """GET an attachment; the response is closed so its file is released."""
    response = client.get(
        f"/api/v1/documents/{doc_id}/attachments/{attachment_id}", headers=bearer(token)
    )
    response.get_data()
    response.close()
    return response


def _search(client, token, q):
    response = client.get("/api/v1/search", query_string={"q": q}, headers=bearer(token))
    return [item["id"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("plan.docx", "Sponsor"),
        ("budget.xlsx", "Licences"),
        ("copil.pptx", '"Décision attendue"'),
        ("charte.pdf", "Atlas"),
        ("notes.md", "brainstorming"),
        ("notes.txt", "brainstorming"),
    ],
)
def test_text_of_each_supported_type_is_extracted_and_findable(
    client,
    tokens,
    new_document,
    office_files,
    name,
    query,
):
    files = {**office_files, "notes.md": b"# Notes\n\nbrainstorming", "notes.txt": b"brainstorming"}
    doc = new_document(title="Dossier", body="vide", status="published")
    response = _upload(client, tokens["manager"], doc["id"], name, files[name])
    assert response.status_code == 201, response.get_json()
    assert _search(client, tokens["staff"], query) == [doc["id"]]
    download = _download(client, tokens["staff"], doc["id"], response.get_json()["id"])
    assert download.status_code == 200
    assert download.data == files[name]
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_upload_makes_a_new_version(client, tokens, new_document):
    doc = new_document()
    _upload(client, tokens["manager"], doc["id"], "a.txt", b"bonjour")
    versions = client.get(
        f"/api/v1/documents/{doc['id']}/versions", headers=bearer(tokens["manager"])
    ).get_json()["items"]
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["meta"]["attachments"] == ["a.txt"]


def test_oversize_upload_is_413_and_stores_nothing(make_app, token_for):
    app = make_app(JALON_MAX_ATTACHMENT_BYTES=100)
    client = app.test_client()
    token = token_for("max", "manager")
    doc = client.post(
        "/api/v1/documents", json={"title": "D", "kind": "standard"}, headers=bearer(token)
    ).get_json()
    response = _upload(client, token, doc["id"], "big.txt", b"x" * 101)
    assert response.status_code == 413
    assert _upload(client, token, doc["id"], "ok.txt", b"x" * 100).status_code == 201
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("script.exe", b"MZ\x90\x00"),
        ("plan.docx", b"not a zip at all"),
        ("notes.txt", b"\x00\x01\x02binary\xff\xfe"),
    ],
)
def test_wrong_content_type_is_422(app, client, tokens, new_document, name, data):
    doc = new_document()
    response = _upload(client, tokens["manager"], doc["id"], name, data)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_path_like_names_are_stored_safely(app, client, tokens, new_document):
    doc = new_document(status="published")
    response = _upload(client, tokens["manager"], doc["id"], "../../etc/pass:wd.txt", b"hello")
    assert response.status_code == 201
    stored = response.get_json()
    assert stored["filename"] == "pass_wd.txt"
    data_dir = Path(app.config["JALON_DATA_DIR"])
    files = [p for p in (data_dir / "attachments").rglob("*") if p.is_file()]
    assert [p.name for p in files] == [stored["sha256"]]
    assert not (data_dir.parent / "etc").exists()
    download = _download(client, tokens["staff"], doc["id"], stored["id"])
    assert "pass_wd.txt" in download.headers["Content-Disposition"]


RLO = "\u202e"  # right-to-left override: "invoice<RLO>fdp.txt" reads "invoicetxt.pdf"


def test_bidi_controls_leave_stored_and_served_names(app, client, tokens, new_document):
    doc = new_document(status="published")
    response = _upload(client, tokens["manager"], doc["id"], f"invoice{RLO}fdp.txt", b"hello")
    assert response.status_code == 201
    stored = response.get_json()
    assert stored["filename"] == "invoicefdp.txt"
    download = _download(client, tokens["staff"], doc["id"], stored["id"])
    assert download.headers["Content-Disposition"] == "attachment; filename=invoicefdp.txt"
    with app.app_context():  # a name stored before the rule is cleaned when served
        db.session.get(Attachment, stored["id"]).filename = f"old{RLO}fdp.txt"
        db.session.commit()
    download = _download(client, tokens["staff"], doc["id"], stored["id"])
    assert download.headers["Content-Disposition"] == "attachment; filename=oldfdp.txt"


def test_staff_cannot_download_an_attachment_of_a_draft(client, tokens, new_document):
    doc = new_document()
    stored = _upload(client, tokens["manager"], doc["id"], "a.txt", b"secret").get_json()
    assert _download(client, tokens["staff"], doc["id"], stored["id"]).status_code == 404
    assert _download(client, tokens["manager"], doc["id"], stored["id"]).status_code == 200


def test_staff_cannot_upload(client, tokens, new_document):
    doc = new_document(status="published")
    assert _upload(client, tokens["staff"], doc["id"], "a.txt", b"x").status_code == 403
