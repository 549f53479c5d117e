"""The embedded SQLite database: its WAL is checkpointed by a connection back in the pool."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from app.extensions import db
from app.sqlite import CHECKPOINT_AFTER_CHANGES


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "jalon.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def _write_rows(count: int) -> None:
    for _ in range(count):
        db.session.execute(text("INSERT INTO filler (body) VALUES (:body)"), {"body": "x" * 400})
    db.session.commit()  # the connection goes back to the pool


def test_pages_reach_the_database_file_after_enough_writes_not_at_each_commit(app):
    with app.app_context():
        database = Path(db.engine.url.database)
        connection = db.session.connection().connection.dbapi_connection
        connection.execute("PRAGMA wal_autocheckpoint=0")  # SQLite's own checkpoint: off
        db.session.execute(text("CREATE TABLE filler (body TEXT)"))
        db.session.commit()
        size = database.stat().st_size
        _write_rows(CHECKPOINT_AFTER_CHANGES - 1)
        assert database.stat().st_size == size  # the new pages are still in the WAL only
        _write_rows(1)
        assert database.stat().st_size > size  # checkpointed: copied into the database file
        rows = db.session.execute(text("SELECT count(*) FROM filler")).scalar()
        assert rows == CHECKPOINT_AFTER_CHANGES
