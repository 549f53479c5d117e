"""Keeping the search index in step with the database through an outbox.

Every change to a document adds an ``IndexTask`` in the same transaction (``enqueue``). After
the commit, the process tries the non-blocking writer lock; whichever process holds it drains
every pending task — its own and those of any process that died after committing — reading
each document's current state from the database. Processes that miss the lock carry on: their
tasks wait in the table for the holder, for the next request, or for ``jalon search worker``.
So several gunicorn workers never open two Whoosh writers, and no committed change is lost.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.library.models import Document, IndexAction, IndexTask
from app.timeutil import utcnow
from docs_store.locking import try_writer_lock
from docs_store.plaintext import markdown_text
from docs_store.search import IndexedDocument, SearchBackend, WhooshBackend
from docs_store.thesaurus import Thesaurus

log = logging.getLogger(__name__)

EXTENSION_KEY = "jalon_search"
PENDING_FLAG = "library_index_pending"
DRAIN_BATCH = 200
THESAURUS_FILE = "thesaurus.txt"


@dataclass
class SearchService:
    """One per application (so one per worker process): the backend and the lock path."""

    backend: SearchBackend
    lock_path: Path


def index_root(app: Flask) -> Path:
    return Path(app.config["JALON_DATA_DIR"]) / "index"


def load_thesaurus(app: Flask) -> Thesaurus:
    """The shipped thesaurus plus ``<JALON_DATA_DIR>/thesaurus.txt`` when the PMO wrote one."""
    extra = Path(app.config["JALON_DATA_DIR"]) / THESAURUS_FILE
    return Thesaurus.load(*([extra] if extra.is_file() else []))


def init_search(app: Flask) -> None:
    """Open the index at start; a missing or corrupt one is rebuilt from the database."""
    root = index_root(app)
    service = SearchService(WhooshBackend(root, load_thesaurus(app)), root / "writer.lock")
    app.extensions[EXTENSION_KEY] = service
    _listen_for_commits()
    with app.app_context():
        if not inspect(db.engine).has_table(Document.__tablename__):
            return  # a database not created yet (first ``jalon db upgrade``)
        if not service.backend.ensure_usable():
            log.warning("search index missing or corrupt: rebuilding it from the database")
            try:
                count = rebuild_index()
            except TimeoutError:
                # Another worker holds the writer lock: it is rebuilding or draining, and
                # its swap makes the index usable here too.
                log.warning("search index is being rebuilt by another process")
                return
            log.warning("search index rebuilt with %s documents", count)
        drain()


def search_service() -> SearchService:
    return current_app.extensions[EXTENSION_KEY]


def enqueue(document_id: int, action: IndexAction = IndexAction.INDEX) -> None:
    """Record, in the current transaction, that a document must be (re)indexed or removed."""
    db.session.add(IndexTask(document_id=document_id, action=action))
    db.session.info[PENDING_FLAG] = True


_listening = False


def _listen_for_commits() -> None:
    # Flask-SQLAlchemy's session class is shared by every app: listen once.
    global _listening
    if not _listening:
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_rollback)
        _listening = True


def _after_commit(session: Session) -> None:
    """Index right after the commit, unless ``JALON_INDEX_AFTER_COMMIT`` is off.

    Turning it off leaves all indexing to ``jalon search worker`` and to searches, as a
    worker killed between its commit and its drain would.
    """
    pending = session.info.pop(PENDING_FLAG, False)
    if pending and has_app_context() and current_app.config.get("JALON_INDEX_AFTER_COMMIT", True):
        drain()


def _after_rollback(session: Session, _previous: object) -> None:
    session.info.pop(PENDING_FLAG, None)


def to_indexed(doc: Document) -> IndexedDocument:
    """What the index holds for a document: the text of its Markdown body and its
    attachments' text."""
    return IndexedDocument(
        id=doc.id,
        title=doc.title,
        body=markdown_text(doc.body),
        attachments=tuple(a.extracted_text for a in doc.attachments if a.extracted_text),
        summary=doc.summary,
        kind=doc.kind.value,
        language=doc.language,  # type: ignore[arg-type]
        status=doc.status.value,  # type: ignore[arg-type]
        updated_at=doc.updated_at,
        tags=tuple(doc.tags),
        methodology=doc.methodology,
        stage=doc.stage,
        owner_id=doc.owner_id,
    )


def _load(session: Session, ids: set[int]) -> list[Document]:
    statement = (
        select(Document)
        .where(Document.id.in_(ids))
        .options(selectinload(Document.attachments), selectinload(Document.tag_rows))
    )
    return list(session.scalars(statement))


def pending_count() -> int:
    with Session(db.engine) as session:
        return session.scalar(select(func.count()).where(IndexTask.done_at.is_(None))) or 0


def drain() -> int:
    """Apply every pending task if this process gets the writer lock; returns how many.

    After letting the lock go, looks once more: a task committed by a process that found the
    lock taken just before it was released would otherwise wait for the next writer. A pass
    that drained nothing ends the loop: failing tasks stay pending for the next writer.
    """
    service = search_service()
    done = 0
    while True:
        lock = try_writer_lock(service.lock_path)
        if lock is None:
            return done
        with lock:
            drained = _drain_locked(service.backend)
        done += drained
        # Look again only after progress: a task that keeps failing must not spin forever.
        if drained == 0 or pending_count() == 0:
            return done


def _drain_locked(backend: SearchBackend) -> int:
    done = 0
    while True:
        with Session(db.engine) as session:
            tasks = list(
                session.scalars(
                    select(IndexTask)
                    .where(IndexTask.done_at.is_(None))
                    .order_by(IndexTask.id)
                    .limit(DRAIN_BATCH)
                )
            )
            if not tasks:
                return done
            ids = {task.document_id for task in tasks}
            # The database's current state wins, whatever the task says: idempotent.
            docs = _load(session, ids)
            try:
                if docs:
                    backend.index(to_indexed(doc) for doc in docs)
                gone = ids - {doc.id for doc in docs}
                if gone:
                    backend.delete(gone)
            except Exception:
                log.exception("search indexing failed; tasks stay pending")
                session.rollback()
                for task in session.scalars(
                    select(IndexTask).where(IndexTask.id.in_(t.id for t in tasks))
                ):
                    task.attempts += 1
                session.commit()
                return done
            now = utcnow()
            for task in tasks:
                task.done_at = now
            session.commit()
            done += len(tasks)


def iter_documents(batch_size: int = 500) -> Iterator[IndexedDocument]:
    """Every document, streamed by id in batches so memory stays flat on big libraries."""
    last_id = 0
    while True:
        with Session(db.engine) as session:
            ids = list(
                session.scalars(
                    select(Document.id)
                    .where(Document.id > last_id)
                    .order_by(Document.id)
                    .limit(batch_size)
                )
            )
            if not ids:
                return
            for doc in sorted(_load(session, set(ids)), key=lambda d: d.id):
                yield to_indexed(doc)
            last_id = ids[-1]


def document_count() -> int:
    with Session(db.engine) as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def rebuild_index(
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    wait_seconds: float = 0,
) -> int:
    """Rebuild the index in a new directory and swap it in, then drain the outbox.

    Waits up to ``wait_seconds`` for the writer lock; ``TimeoutError`` if it stays taken.
    Tasks are marked done only by the drain that follows, which re-reads their documents.
    """
    service = search_service()
    deadline = time.monotonic() + wait_seconds
    while (lock := try_writer_lock(service.lock_path)) is None:
        if time.monotonic() >= deadline:
            raise TimeoutError("another process holds the search writer lock")
        time.sleep(0.2)
    with lock:
        count = service.backend.rebuild(iter_documents(batch_size), batch_size, progress)
        _drain_locked(service.backend)
    return count


@dataclass(frozen=True)
class IndexReport:
    """Differences between the index and the database, and how far the outbox lags."""

    missing: list[int]
    extra: list[int]
    stale: list[int]
    pending: int
    oldest_pending: datetime | None

    @property
    def consistent(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def check_index() -> IndexReport:
    """Compare every document's version stamp in the database with the index's."""
    indexed = search_service().backend.doc_ids()
    with Session(db.engine) as session:
        stored = {
            row[0]: row[1] for row in session.execute(select(Document.id, Document.updated_at))
        }
        pending = session.execute(
            select(func.count(), func.min(IndexTask.created_at)).where(IndexTask.done_at.is_(None))
        ).one()
    oldest = pending[1]
    if oldest is not None and oldest.tzinfo is None:  # SQLite aggregates lose the column type
        oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=utcnow().tzinfo)
    return IndexReport(
        missing=sorted(set(stored) - set(indexed)),
        extra=sorted(set(indexed) - set(stored)),
        stale=sorted(i for i in set(stored) & set(indexed) if stored[i] != indexed[i]),
        pending=pending[0],
        oldest_pending=oldest,
    )
