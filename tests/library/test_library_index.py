"""The index stays consistent with the database: outbox, single writer, rebuilds and checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.extensions import db
from app.library.indexing import check_index, index_root, search_service
from app.library.models import IndexTask
from docs_store.search.index_dir import POINTER_NAME
from docs_store.search.whoosh_schema import SCHEMA_VERSION
from tests.conftest import bearer


def _hits(client, token, q):
    response = client.get("/api/v1/search", query_string={"q": q}, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_every_change_is_drained_from_the_outbox_after_commit(app, new_document):
    new_document(title="Gouvernance", status="published")
    with app.app_context():
        pending = db.session.scalar(db.select(db.func.count()).where(IndexTask.done_at.is_(None)))
        assert pending == 0
        assert check_index().consistent


def test_a_commit_whose_indexing_never_ran_is_drained_by_the_next_writer(
    app, client, tokens, new_document
):
    # Simulate a worker killed right after its commit: the after-commit drain never runs.
    app.config["JALON_INDEX_AFTER_COMMIT"] = False
    doc = new_document(title="Retour d'expérience", body="leçons apprises", status="published")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).where(IndexTask.done_at.is_(None))) > 0
        assert check_index().missing == [doc["id"]]
    assert _hits(client, tokens["staff"], "leçons") == [doc["id"]]


def test_two_app_instances_writing_at_once_both_documents_findable(
    make_app, app, tokens, new_document
):
    other = make_app()  # a second worker on the same database and data directory
    first = new_document(title="Alpha", body="comité de pilotage", status="published")
    other_client = other.test_client()
    response = other_client.post(
        "/api/v1/documents",
        json={"title": "Beta", "kind": "guideline", "body": "comité de pilotage"},
        headers=bearer(tokens["pmo"]),
    )
    assert response.status_code == 201
    second = response.get_json()
    # While one instance holds the writer lock, the other's task waits in the outbox.
    with app.app_context():
        lock = __import__("docs_store.locking", fromlist=["x"]).try_writer_lock(
            search_service().lock_path
        )
        with lock:
            third = other_client.post(
                "/api/v1/documents",
                json={"title": "Gamma", "kind": "guideline", "body": "comité de pilotage"},
                headers=bearer(tokens["pmo"]),
            )
            assert third.status_code == 201
    found = _hits(app.test_client(), tokens["pmo"], "pilotage")
    assert set(found) == {first["id"], second["id"], third.get_json()["id"]}
    found_elsewhere = _hits(other_client, tokens["pmo"], "pilotage")
    assert set(found_elsewhere) == set(found)


def test_missing_index_is_rebuilt_at_start(make_app, app, tokens, new_document, caplog):
    doc = new_document(title="Charte projet", status="published")
    shutil.rmtree(index_root(app))
    restarted = make_app()
    assert "rebuilding" in caplog.text
    assert _hits(restarted.test_client(), tokens["staff"], "charte") == [doc["id"]]


def test_corrupt_index_is_rebuilt_at_start(make_app, app, tokens, new_document, caplog):
    doc = new_document(title="Charte projet", status="published")
    with app.app_context():
        search_service().backend.close()
    for path in Path(index_root(app)).rglob("*"):
        if path.is_file() and path.suffix in (".toc", ".seg", ".trm", ".pst"):
            path.write_bytes(b"\x00garbage" * 8)
    restarted = make_app()
    assert "rebuilding" in caplog.text
    assert _hits(restarted.test_client(), tokens["staff"], "charte") == [doc["id"]]


def test_index_of_an_older_schema_is_rebuilt_at_start(make_app, app, tokens, new_document, caplog):
    doc = new_document(title="Charte projet", status="published")
    with app.app_context():
        search_service().backend.close()
    # An index left by the previous release: its pointer names an older schema version.
    pointer = Path(index_root(app)) / POINTER_NAME
    record = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**record, "schema": SCHEMA_VERSION - 1}))
    restarted = make_app()
    assert f"built with schema version {SCHEMA_VERSION - 1}" in caplog.text
    assert "rebuilding" in caplog.text
    assert _hits(restarted.test_client(), tokens["staff"], "charte") == [doc["id"]]


def test_reindex_then_check_reports_no_difference(app, runner, new_document):
    for number in range(5):
        new_document(title=f"Norme {number}", status="published")
    result = runner.invoke(args=["search", "reindex", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "Indexed 5 documents." in result.output
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0, check.output
    assert "Index and database agree." in check.output


def test_check_lists_differences_and_exits_1(app, runner, new_document):
    doc = new_document(title="Norme", status="published")
    with app.app_context():
        search_service().backend.delete([doc["id"]])
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 1
    assert f"1 missing from the index: {doc['id']}" in check.output


def test_worker_once_drains_pending_tasks(app, runner, new_document):
    app.config["JALON_INDEX_AFTER_COMMIT"] = False
    new_document(title="Norme", status="published")
    result = runner.invoke(args=["search", "worker", "--once"])
    assert result.exit_code == 0
    assert "Indexed" in result.output
    with app.app_context():
        assert check_index().consistent
