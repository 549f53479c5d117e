"""SQLite writers queue on a file lock: the next one goes as soon as SQLite has committed."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.extensions import db
from app.writelock import _queue_descriptor, lock_for_writing

_NOT_ON_SQLITE = text("SELECT 1")  # the lock PostgreSQL would take


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """The queue exists on SQLite only (PostgreSQL's row locks queue by themselves)."""
    path = tmp_path / "jalon.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def _queue_is_free(app: Flask) -> bool:
    """Whether another writer would get the queue now, without waiting."""
    descriptor = os.open(f"{db.engine.url.database}.writers", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)


@pytest.fixture
def free_after_commit(app: Flask) -> Iterator[list[bool]]:
    """Whether the queue was free in each `after_commit` hook that runs after the queue's own."""
    seen: list[bool] = []

    def probe(_session: Session) -> None:
        seen.append(_queue_is_free(app))

    event.listen(Session, "after_commit", probe)
    yield seen
    event.remove(Session, "after_commit", probe)


def test_the_next_writer_may_go_once_sqlite_has_committed(app, free_after_commit):
    with app.app_context():
        lock_for_writing(_NOT_ON_SQLITE)
        assert not _queue_is_free(app)
        db.session.commit()
        assert free_after_commit == [True]  # before the ORM's bookkeeping and the response


def test_a_savepoint_commit_keeps_the_queue_until_the_transaction_ends(app, free_after_commit):
    with app.app_context():
        lock_for_writing(_NOT_ON_SQLITE)
        with db.session.begin_nested():
            db.session.execute(text("SELECT 1"))
        assert free_after_commit == [False]  # the savepoint's commit: the transaction goes on
        assert not _queue_is_free(app)
        db.session.commit()
        assert free_after_commit == [False, True]


def test_a_rollback_frees_the_queue(app):
    with app.app_context():
        lock_for_writing(_NOT_ON_SQLITE)
        db.session.rollback()
        assert _queue_is_free(app)


def _other_writer_would_wait(database: str) -> bool:
    """Whether a writer here (this thread, this process) would queue, by its own queue file."""
    try:
        fcntl.flock(_queue_descriptor(database), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(_queue_descriptor(database), fcntl.LOCK_UN)
    return False


def test_a_writer_in_another_thread_queues_behind_the_holder(app):
    with app.app_context():
        lock_for_writing(_NOT_ON_SQLITE)
        database = db.engine.url.database
        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(_other_writer_would_wait, database).result()
        db.session.commit()
        with ThreadPoolExecutor(1) as pool:
            assert not pool.submit(_other_writer_would_wait, database).result()


def test_a_forked_worker_queues_behind_its_parent(app):
    """A fork inherits the parent's thread state: its writers must not share the parent's lock."""
    with app.app_context():
        lock_for_writing(_NOT_ON_SQLITE)
        child = os.fork()
        if child == 0:  # pragma: no cover (the child process)
            os._exit(0 if _other_writer_would_wait(db.engine.url.database) else 1)
        _pid, status = os.waitpid(child, 0)
        db.session.commit()
    assert os.waitstatus_to_exitcode(status) == 0
