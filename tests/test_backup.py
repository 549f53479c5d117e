"""``jalon backup`` and ``jalon restore``: a round trip on SQLite and PostgreSQL, and refusals.

The round trip builds a document with an attachment, a decided gate review and training
records through the API, archives them, restores into an empty database and data directory,
then checks the counts, the attachment's bytes, the audit chain and the search index.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import ROOT
from app.backup import database
from app.backup.archive import BackupRefused, check_member_name, extract_verified
from app.extensions import db
from tests.conftest import POSTGRES_URL
from tests.projects import conftest as governance

# The governance fixtures: the usual cast with tokens, their API calls, the `tiny` workflow.
api, people, workflows_dir = governance.api, governance.people, governance.workflows_dir
TINY_PASS = governance.TINY_PASS

#: The last two migrations: an archive made at the first is migrated to the second.
MIGRATIONS = ScriptDirectory(str(ROOT / "migrations"))
HEAD_REVISION = MIGRATIONS.get_current_head()
PREVIOUS_REVISION = MIGRATIONS.get_revision(HEAD_REVISION).down_revision
#: The restore target on PostgreSQL: created for the test and dropped after it.
RESTORE_DATABASE = "jalon_backup_dst"
#: A word only the attachment holds, to find the document by it after the restore.
ATTACHMENT_WORD = "zeppelinarium"
ATTACHMENT = f"Plan de charge du COPIL: {ATTACHMENT_WORD}.\n".encode()
#: The tables whose rows the round trip must bring back one for one.
KEY_TABLES = (
    "documents",
    "document_attachments",
    "gate_reviews",
    "votes",
    "audit_events",
    "workflow_versions",
    "courses",
    "training_completions",
)


@pytest.fixture
def app(make_app: Callable[..., Flask], workflows_dir: Path) -> Flask:
    return make_app(JALON_WORKFLOWS_DIR=str(workflows_dir))


@pytest.fixture
def empty_target(
    app: Flask, make_app: Callable[..., Flask], workflows_dir: Path, tmp_path: Path
) -> Iterator[Flask]:
    """An application on an empty database of the same engine and an empty data directory."""
    settings = {"JALON_WORKFLOWS_DIR": str(workflows_dir), "JALON_DATA_DIR": str(tmp_path / "to")}
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "sqlite":
        yield make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'restored.db'}", **settings)
        return
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{RESTORE_DATABASE}" WITH (FORCE)')
    with admin.connect() as connection:
        connection.execute(drop)
        connection.execute(text(f'CREATE DATABASE "{RESTORE_DATABASE}"'))
    url = make_url(POSTGRES_URL).set(database=RESTORE_DATABASE)
    target = make_app(SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False), **settings)
    try:
        yield target
    finally:
        with target.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()


@pytest.fixture
def governed(app: Flask, api: Callable[..., Any]) -> dict[str, Any]:
    """A document with an attachment, a decided review, a course and a completion."""
    document = {"title": "Charge", "kind": "template", "body": "Plan."}
    doc = api("post", "/documents", "manager", json=document).json
    upload = api(
        "post",
        f"/documents/{doc['id']}/attachments",
        "manager",
        data={"file": (io.BytesIO(ATTACHMENT), "charge.txt")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.json
    project = api("post", "/projects", "manager", json={"name": "Atlas", "workflow": "tiny"}).json
    review = api("post", f"/projects/{project['id']}/gate-reviews", "manager", json=TINY_PASS).json
    for who in ("gk1", "gk2"):
        vote = api("post", f"/gate-reviews/{review['id']}/votes", who, json={"decision": "go"})
        assert vote.status_code == 201, vote.json
    course = {"key": "risk", "title": "Risk management", "validity_months": 24}
    assert api("post", "/courses", "pmo", json=course).status_code == 201
    completion = {"user": "staff", "course": "risk", "completed_on": "2026-01-15", "score": 90}
    api.people.ensure("staff")  # type: ignore[attr-defined]
    assert api("post", "/training/completions", "pmo", json=completion).status_code == 201
    return {"document": doc["id"], "attachment": upload.json["id"], "review": review["id"]}


def _counts(app: Flask) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        return database.count_rows(connection)


def _backup(app: Flask, archive: Path) -> None:
    result = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert archive.is_file()


def test_backup_then_restore_brings_back_documents_reviews_training_and_the_audit_chain(
    app, empty_target, governed, api, tmp_path
):
    archive = tmp_path / "backups" / "jalon.tar.gz"
    _backup(app, archive)
    result = empty_target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Audit chain intact" in result.output

    before, after = _counts(app), _counts(empty_target)
    assert {name: after[name] for name in KEY_TABLES} == {name: before[name] for name in KEY_TABLES}
    assert after["gate_reviews"] == after["training_completions"] == 1
    runner = empty_target.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0, check.output

    client, headers = empty_target.test_client(), api.people["pmo"]
    path = f"/api/v1/documents/{governed['document']}/attachments/{governed['attachment']}"
    download = client.get(path, headers=api.people["manager"])
    assert download.status_code == 200
    assert download.get_data() == ATTACHMENT
    download.close()
    found = client.get("/api/v1/search", query_string={"q": ATTACHMENT_WORD}, headers=headers)
    assert [item["id"] for item in found.json["items"]] == [governed["document"]]
    review = client.get(f"/api/v1/gate-reviews/{governed['review']}", headers=headers).json
    assert (review["status"], review["decision"]) == ("decided", "go")


def test_restore_refuses_a_target_that_is_not_empty_unless_forced(
    app, empty_target, governed, tmp_path
):
    archive = tmp_path / "jalon.tar.gz"
    _backup(app, archive)
    runner = empty_target.test_cli_runner()
    assert runner.invoke(args=["restore", str(archive)]).exit_code == 0

    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1
    assert "not empty" in refused.output
    forced = runner.invoke(args=["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    assert _counts(empty_target)["audit_events"] == _counts(app)["audit_events"]


def _repack(source: Path, target: Path, edit: Callable[[dict[str, bytes]], None]) -> None:
    """Copy an archive, letting ``edit`` change its members (name -> bytes) on the way."""
    with tarfile.open(source, "r:gz") as tar:
        members = {info.name: tar.extractfile(info).read() for info in tar}  # type: ignore[union-attr]
    edit(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _assert_untouched(target: Flask) -> None:
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []
        data_dir = Path(target.config["JALON_DATA_DIR"])
        assert not (data_dir / "attachments").exists()


SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_a_tampered_archive_is_refused_before_anything_is_written(
    app, empty_target, governed, tmp_path
):
    archive, tampered = tmp_path / "jalon.tar.gz", tmp_path / "tampered.tar.gz"
    _backup(app, archive)

    def swap_attachment_bytes(members: dict[str, bytes]) -> None:
        name = next(name for name in members if name.startswith("data/attachments/"))
        members[name] = ATTACHMENT.replace(b"COPIL", b"CODIR")

    _repack(archive, tampered, swap_attachment_bytes)
    result = empty_target.test_cli_runner().invoke(args=["restore", str(tampered)])
    assert result.exit_code == 1
    assert "does not match its manifest" in result.output
    _assert_untouched(empty_target)


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("data/../../escaped.txt", "unsafe or unexpected member"),
        ("data/secret_key", "unexpected files in the archive"),
    ],
)
def test_an_archive_member_outside_the_stored_files_is_refused(
    app, empty_target, tmp_path, name, reason
):
    archive, hostile = tmp_path / "jalon.tar.gz", tmp_path / "hostile.tar.gz"
    _backup(app, archive)
    planted = b"planted"

    def add_member_with_its_checksum(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["members"][name] = {"sha256": hashlib.sha256(planted).hexdigest(), "size": 7}
        members["manifest.json"] = json.dumps(manifest).encode()
        members[name] = planted

    _repack(archive, hostile, add_member_with_its_checksum)
    result = empty_target.test_cli_runner().invoke(args=["restore", str(hostile)])
    assert result.exit_code == 1
    assert reason in result.output
    assert not Path(tempfile.gettempdir(), "escaped.txt").exists()
    _assert_untouched(empty_target)
    assert not (Path(empty_target.config["JALON_DATA_DIR"]) / "secret_key").exists()


@SQLITE_ONLY
def test_an_archive_of_another_engine_or_no_archive_at_all_is_refused(app, empty_target, tmp_path):
    archive, foreign = tmp_path / "jalon.tar.gz", tmp_path / "foreign.tar.gz"
    _backup(app, archive)

    def claim_postgresql(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["database"]["dialect"] = "postgresql"
        members["manifest.json"] = json.dumps(manifest).encode()

    _repack(archive, foreign, claim_postgresql)
    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_bytes(b"not a tar file")
    runner = empty_target.test_cli_runner()
    for path, reason in ((foreign, "same kind of database"), (not_an_archive, "not a readable")):
        result = runner.invoke(args=["restore", str(path)])
        assert result.exit_code == 1
        assert reason in result.output
    _assert_untouched(empty_target)


@pytest.mark.parametrize(
    "name",
    ["/etc/passwd", "data/../x", "../data/x", "data/./x", "data\\x", "elsewhere/x", "data", ""],
)
def test_member_names_that_could_escape_or_surprise_are_refused(name):
    with pytest.raises(BackupRefused):
        check_member_name(name)


def test_a_link_in_the_archive_is_refused(tmp_path):
    hostile = tmp_path / "link.tar.gz"
    with tarfile.open(hostile, "w:gz") as tar:
        link = tarfile.TarInfo("data/attachments/aa")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc"
        tar.addfile(link)
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(BackupRefused, match="not a regular file"):
        extract_verified(hostile, staging)
    assert list(staging.iterdir()) == []


def test_pg_dump_gets_the_password_from_the_environment_not_the_command_line(monkeypatch, tmp_path):
    calls = []

    class Done:
        returncode, stderr = 0, ""

    def run(args, env, **_kwargs):
        calls.append((args, env))
        return Done()

    monkeypatch.setattr(database.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(database.subprocess, "run", run)
    engine = create_engine("postgresql+psycopg://jalon:s3cret@db.example:5432/jalon")
    database._run_pg_tool("pg_dump", engine, ["--format=custom"])
    args, env = calls[0]
    assert args[:2] == ["/usr/bin/pg_dump", "--dbname=postgresql://jalon@db.example:5432/jalon"]
    assert "s3cret" not in " ".join(args)
    assert env["PGPASSWORD"] == "s3cret"


def test_a_missing_pg_dump_is_a_clear_refusal(monkeypatch):
    monkeypatch.setattr(database.shutil, "which", lambda _tool: None)
    engine = create_engine("postgresql+psycopg://jalon@db.example/jalon")
    with pytest.raises(BackupRefused, match="pg_dump was not found"):
        database._run_pg_tool("pg_dump", engine, [])


@SQLITE_ONLY
def test_an_archive_from_an_older_schema_is_migrated_on_restore(make_app, empty_target, tmp_path):
    older = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'older.db'}")
    with older.app_context():
        upgrade(revision=PREVIOUS_REVISION)
    archive = tmp_path / "older.tar.gz"
    _backup(older, archive)

    result = empty_target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"migrated from revision {PREVIOUS_REVISION}" in result.output
    with empty_target.app_context(), db.engine.connect() as connection:
        assert database.revision_of(connection) == HEAD_REVISION
