"""Index lifecycle: atomic rebuilds, recovery from a lost or corrupt index, the writer lock."""

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest

from docs_store.errors import IndexUnavailable
from docs_store.locking import try_writer_lock
from docs_store.search import SearchQuery, WhooshBackend
from docs_store.search.index_dir import POINTER_NAME
from docs_store.search.whoosh_schema import SCHEMA_VERSION
from tests.docs_store.conftest import BACKEND_FACTORIES, make_doc

FACTORIES = sorted(BACKEND_FACTORIES)


def index_dirs(root: Path) -> list[Path]:
    return sorted(path for path in root.iterdir() if path.is_dir())


@pytest.mark.parametrize("engine", FACTORIES)
def test_rebuild_swaps_in_a_new_directory_and_removes_the_old(tmp_path: Path, engine: str) -> None:
    backend = BACKEND_FACTORIES[engine](tmp_path)
    backend.rebuild([make_doc(1, "Ancien référentiel")])
    before = index_dirs(tmp_path)
    reader = BACKEND_FACTORIES[engine](tmp_path)  # another process's view
    assert reader.search(SearchQuery("référentiel")).total == 1

    seen: list[int] = []
    docs = [make_doc(n, f"Nouveau guide {n}") for n in range(2, 7)]
    assert backend.rebuild(iter(docs), batch_size=2, progress=seen.append) == 5

    assert seen == [2, 4, 5]
    assert reader.search(SearchQuery("référentiel")).total == 0
    assert reader.search(SearchQuery("guide")).total == 5
    after = index_dirs(tmp_path)
    assert len(after) == 1
    assert after != before


@pytest.mark.parametrize("engine", FACTORIES)
def test_failed_rebuild_keeps_the_live_index(tmp_path: Path, engine: str) -> None:
    backend = BACKEND_FACTORIES[engine](tmp_path)
    backend.rebuild([make_doc(1, "Référentiel")])

    def broken():
        yield make_doc(2, "Partiel")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken())
    assert backend.search(SearchQuery("référentiel")).total == 1
    assert len(index_dirs(tmp_path)) == 1


@pytest.mark.parametrize("engine", FACTORIES)
def test_missing_index_is_reported_then_rebuilt(tmp_path: Path, engine: str) -> None:
    backend = BACKEND_FACTORIES[engine](tmp_path / "index")
    assert backend.ensure_usable() is False
    with pytest.raises(IndexUnavailable):
        backend.search(SearchQuery("jalon"))
    backend.rebuild([make_doc(1, "Jalon")])
    assert backend.ensure_usable() is True
    shutil.rmtree(index_dirs(tmp_path / "index")[0])
    assert backend.ensure_usable() is False


def _corrupt(root: Path) -> None:
    for path in index_dirs(root)[0].iterdir():
        if path.suffix in {".seg", ".toc"}:
            path.write_bytes(path.read_bytes()[:10])


@pytest.mark.parametrize("engine", FACTORIES)
def test_corrupt_index_is_detected_and_rebuilt(tmp_path: Path, engine: str) -> None:
    backend = BACKEND_FACTORIES[engine](tmp_path)
    docs = [make_doc(1, "Gouvernance"), make_doc(2, "Comité de pilotage")]
    backend.rebuild(docs)
    backend.close()
    _corrupt(tmp_path)

    fresh = BACKEND_FACTORIES[engine](tmp_path)
    assert fresh.ensure_usable() is False
    fresh.rebuild(docs)
    assert fresh.ensure_usable() is True
    assert fresh.search(SearchQuery("COPIL")).total == 1


@pytest.mark.parametrize("engine", FACTORIES)
def test_writes_of_one_worker_are_seen_by_another(tmp_path: Path, engine: str) -> None:
    writer, reader = (BACKEND_FACTORIES[engine](tmp_path) for _ in range(2))
    writer.rebuild([])
    assert reader.search(SearchQuery("charte")).total == 0
    writer.index([make_doc(1, "Charte projet")])
    assert reader.search(SearchQuery("charte")).total == 1
    writer.delete([1])
    assert reader.search(SearchQuery("charte")).total == 0


def _hold_lock(path: str, held: multiprocessing.Event, release: multiprocessing.Event) -> None:
    lock = try_writer_lock(path)
    assert lock is not None
    with lock:
        held.set()
        release.wait(10)


def test_writer_lock_is_exclusive_across_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "index.lock")
    context = multiprocessing.get_context("fork")
    held, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(path, held, release))
    holder.start()
    try:
        assert held.wait(10)
        assert try_writer_lock(path) is None
    finally:
        release.set()
        holder.join(10)
    assert holder.exitcode == 0
    lock = try_writer_lock(path)
    assert lock is not None
    with lock:
        assert try_writer_lock(path) is None
    again = try_writer_lock(path)
    assert again is not None
    with again:
        pass


def test_index_of_an_older_schema_is_reported_then_rebuilt(tmp_path: Path, caplog) -> None:
    backend = WhooshBackend(tmp_path)
    backend.rebuild([make_doc(1, "Jalon")])
    backend.close()
    # What an index built by the previous release looks like: the pointer names schema 1.
    pointer = tmp_path / POINTER_NAME
    record = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**record, "schema": SCHEMA_VERSION - 1}))

    fresh = WhooshBackend(tmp_path)
    assert fresh.ensure_usable() is False
    assert f"schema version {SCHEMA_VERSION - 1}" in caplog.text
    fresh.rebuild([make_doc(1, "Jalon")])
    assert fresh.ensure_usable() is True
    assert fresh.search(SearchQuery("jalon")).total == 1
