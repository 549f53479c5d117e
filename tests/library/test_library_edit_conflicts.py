"""Edits of one document never collide: one at a time, and a stale one is an `edit_conflict`."""

from __future__ import annotations

import threading

from sqlalchemy import select

from app.extensions import db
from app.library.models import DocumentVersion
from tests.conftest import bearer, csrf_token


def _patch(client, token, doc_id, body, **headers):
    return client.patch(
        f"/api/v1/documents/{doc_id}", json=body, headers={**bearer(token), **headers}
    )


def _race(make_app, token, doc_id, bodies):
    """Send one PATCH per body at once, each from its own application (as gunicorn workers)."""
    workers = [make_app().test_client() for _ in bodies]
    barrier = threading.Barrier(len(workers))
    answers: list = []

    def edit(client, body) -> None:
        barrier.wait()
        answers.append(_patch(client, token, doc_id, body))

    threads = [
        threading.Thread(target=edit, args=pair) for pair in zip(workers, bodies, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _version_numbers(app, doc_id):
    with app.app_context():
        return db.session.scalars(
            select(DocumentVersion.number)
            .where(DocumentVersion.document_id == doc_id)
            .order_by(DocumentVersion.number)
        ).all()


def test_ten_parallel_edits_all_succeed_with_contiguous_versions(
    make_app, app, tokens, new_document
):
    doc = new_document(title="Plan", body="v1")
    bodies = [{"body": f"edit {n}"} for n in range(10)]
    answers = _race(make_app, tokens["manager"], doc["id"], bodies)
    assert [answer.status_code for answer in answers] == [200] * 10
    assert _version_numbers(app, doc["id"]) == list(range(1, 12))


def test_ten_parallel_edits_of_the_same_version_let_one_through(
    make_app, app, tokens, new_document
):
    doc = new_document(title="Plan", body="v1")
    bodies = [{"body": f"edit {n}", "version": 1} for n in range(10)]
    answers = _race(make_app, tokens["manager"], doc["id"], bodies)
    assert sorted(answer.status_code for answer in answers) == [200] + [409] * 9
    for answer in answers:
        if answer.status_code == 409:
            error = answer.get_json()["error"]
            assert error["code"] == "edit_conflict"
            assert error["details"]["current_version"] == 2
    assert _version_numbers(app, doc["id"]) == [1, 2]


def test_get_gives_the_version_as_etag_and_if_match_guards_the_edit(client, tokens, new_document):
    doc = new_document(title="Plan", body="v1")
    token = tokens["manager"]
    etag = client.get(f"/api/v1/documents/{doc['id']}", headers=bearer(token)).headers["ETag"]
    assert etag == 'W/"1"'

    saved = _patch(client, token, doc["id"], {"body": "v2"}, **{"If-Match": etag})
    assert saved.status_code == 200
    assert saved.headers["ETag"] == 'W/"2"'

    stale = _patch(client, token, doc["id"], {"body": "v2 bis"}, **{"If-Match": etag})
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "edit_conflict"
    assert error["details"]["current_version"] == 2
    assert "2" in error["message"]

    strong = _patch(client, token, doc["id"], {"body": "v3"}, **{"If-Match": '"2"'})
    assert strong.status_code == 200
    star = _patch(client, token, doc["id"], {"body": "v4"}, **{"If-Match": "*"})
    assert star.status_code == 200
    current = client.get(f"/api/v1/documents/{doc['id']}", headers=bearer(token)).get_json()
    assert (current["body"], current["current_version"]) == ("v4", 4)


def test_a_stale_version_in_the_body_is_refused_and_changes_nothing(client, tokens, new_document):
    doc = new_document(title="Plan", body="v1")
    token = tokens["manager"]
    assert _patch(client, token, doc["id"], {"body": "v2", "version": 1}).status_code == 200
    stale = _patch(client, token, doc["id"], {"body": "lost", "version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["details"]["current_version"] == 2
    current = client.get(f"/api/v1/documents/{doc['id']}", headers=bearer(token)).get_json()
    assert (current["body"], current["current_version"]) == ("v2", 2)


def test_an_if_match_that_names_no_version_is_a_400(client, tokens, new_document):
    doc = new_document()
    token = tokens["manager"]
    for header in ('"abc"', '"1", "2"'):
        answer = _patch(client, token, doc["id"], {"body": "x"}, **{"If-Match": header})
        assert answer.status_code == 400, header


def test_a_body_version_and_an_if_match_that_disagree_are_a_conflict(client, tokens, new_document):
    doc = new_document()
    token = tokens["manager"]
    disagree = _patch(client, token, doc["id"], {"body": "x", "version": 1}, **{"If-Match": '"2"'})
    assert disagree.status_code == 409
    error = disagree.get_json()["error"]
    assert (error["code"], error["details"]["current_version"]) == ("edit_conflict", 1)


def test_the_openapi_document_describes_etag_and_if_match(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = spec["paths"]["/api/v1/documents/{document_id}"]
    assert "ETag" in operations["get"]["responses"]["200"]["headers"]
    names = [parameter["name"] for parameter in operations["patch"]["parameters"]]
    assert "If-Match" in names
    assert "409" in operations["patch"]["responses"]


def test_a_stale_save_on_the_edit_page_keeps_what_was_typed(pages, client, tokens, new_document):
    doc = new_document(title="Plan", body="v1")
    browser = pages("max")
    path = f"/library/{doc['id']}/edit"
    form_page = browser.get(path).get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form_page
    token = csrf_token(browser, path)
    _patch(client, tokens["manager"], doc["id"], {"body": "saved meanwhile"})

    form = {
        "csrf_token": token,
        "title": "Plan",
        "kind": "standard",
        "language": "fr",
        "body": "my careful rewrite",
        "version": "1",
    }
    response = browser.post(path, data=form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone saved this document meanwhile (version 2)" in page
    assert "my careful rewrite" in page
    assert 'name="version" type="hidden" value="2"' in page

    again = browser.post(path, data={**form, "version": "2"})
    assert again.status_code == 302
    current = client.get(f"/api/v1/documents/{doc['id']}", headers=bearer(tokens["manager"]))
    assert current.get_json()["body"] == "my careful rewrite"
