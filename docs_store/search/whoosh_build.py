"""Full rebuilds of the Whoosh index, spread over several processes.

Whoosh analyses and writes documents in pure Python, one at a time (a few milliseconds of CPU
for a 300-word document), so a rebuild of 50,000 documents is CPU-bound. ``build_index`` hands
batches of documents to worker processes that each write their own segment of the new
directory; the parent only reads the documents and finally commits the table of contents that
lists every segment. The index then has one segment per worker, which searches read as one.

Two costs of Whoosh's writer are also cut for bulk work (``BulkWriter``): its posting pool,
once over ``limitmb``, spills sorted runs to disk with one ``pickle`` call per posting (a
rebuild spills about 17 million of them), here pickled in chunks; and writing the postings
looks each document's field length up in a file, here read once into memory.

Small rebuilds (tests, a new library) stay in the calling process.
"""

import gc
import itertools
import multiprocessing
import pickle
import queue
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.context import ForkProcess
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from docs_store.search.types import IndexedDocument
from docs_store.search.whoosh_schema import build_schema, to_fields

# Below this many documents a rebuild does not start processes.
PARALLEL_MIN_DOCS = 2_000
# Documents per job handed to a worker.
JOB_SIZE = 100
_POLL_SECONDS = 1.0


def build_index(
    directory: Path,
    docs: Iterable[IndexedDocument],
    *,
    procs: int,
    limitmb: int,
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> int:
    """Create an index in the empty ``directory`` holding ``docs``; returns how many.

    ``limitmb`` bounds the posting pool of each writing process. On any error the directory
    is left half-written for the caller to remove.
    """
    ix = whoosh_index.create_in(str(directory), build_schema())
    try:
        iterator = iter(docs)
        head = list(itertools.islice(iterator, PARALLEL_MIN_DOCS))
        if procs < 2 or len(head) < PARALLEL_MIN_DOCS:
            writer = BulkWriter(ix, limitmb=limitmb)
            try:
                count = _feed(itertools.chain(head, iterator), batch_size, progress, writer.add)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            return count
        with _Workers(str(directory), procs, max(16, limitmb // procs)) as workers:
            count = _feed(itertools.chain(head, iterator), batch_size, progress, workers.add)
            segments = workers.finish()
        writer = ix.writer()
        writer._close_segment()
        writer._commit_toc(segments)
        writer._finish()
        return count
    finally:
        ix.close()


def _feed(
    docs: Iterator[IndexedDocument],
    batch_size: int,
    progress: Callable[[int], None] | None,
    add: Callable[[IndexedDocument], None],
) -> int:
    count = 0
    for doc in docs:
        add(doc)
        count += 1
        if progress is not None and count % max(1, batch_size) == 0:
            progress(count)
    if progress is not None and count % max(1, batch_size):
        progress(count)
    return count


class BulkWriter(SegmentWriter):
    """A ``SegmentWriter`` for bulk indexing (see the module docstring)."""

    def __init__(self, ix: whoosh_index.Index, **kwargs: object) -> None:
        super().__init__(ix, **kwargs)
        self.pool = ChunkedPostingPool(
            self._tempstorage, self.newsegment, limitmb=kwargs.get("limitmb", 128)
        )

    def add(self, doc: IndexedDocument) -> None:
        self.add_document(**to_fields(doc))

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader()
        lengths = _Lengths(reader, self.schema.scorable_names(), self.docnum)
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        reader.close()


class ChunkedPostingPool(PostingPool):
    """Whoosh's posting pool, writing its sorted runs as pickled lists of postings."""

    CHUNK = 20_000

    def add(self, item: tuple) -> None:
        # Whoosh's own size estimate, without its type assertions on every posting.
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f: object, items: Iterable[tuple]) -> None:
        iterator = iter(items)
        while chunk := list(itertools.islice(iterator, self.CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[tuple]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)  # noqa: S301 (our own temporary run file)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class _Lengths:
    """Each document's field lengths, read once per field from the segment just written."""

    def __init__(self, reader: object, fieldnames: Iterable[str], doc_count: int) -> None:
        self._lengths: dict[str, bytes] = {}
        for fieldname in fieldnames:
            column = reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is not None:
                self._lengths[fieldname] = bytes(column[docnum] for docnum in range(doc_count))

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None or docnum >= len(lengths):
            return default
        return byte_to_length(lengths[docnum])


class _Workers:
    """Processes that each index the jobs they take into a segment of their own."""

    def __init__(self, directory: str, procs: int, limitmb: int) -> None:
        context = multiprocessing.get_context("fork")
        self.jobs = context.Queue(procs * 2)
        self.results = context.Queue()
        self.buffer: list[IndexedDocument] = []
        # Forked children must not collect the parent's garbage (database connections...).
        gc.collect()
        gc.freeze()
        try:
            self.processes: list[ForkProcess] = [
                context.Process(
                    target=_work, args=(directory, self.jobs, self.results, limitmb), daemon=True
                )
                for _ in range(procs)
            ]
            for process in self.processes:
                process.start()
        finally:
            gc.unfreeze()

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        self.jobs.close()
        self.results.close()

    def add(self, doc: IndexedDocument) -> None:
        self.buffer.append(doc)
        if len(self.buffer) >= JOB_SIZE:
            self._send(self.buffer)
            self.buffer = []

    def _send(self, job: list[IndexedDocument] | None) -> None:
        while True:
            try:
                self.jobs.put(job, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                self._check_alive()

    def _check_alive(self, finishing: bool = False) -> None:
        """Raise if a worker died; when ``finishing``, also if every worker has stopped."""
        codes = [process.exitcode for process in self.processes]
        if any(code not in (None, 0) for code in codes):
            raise RuntimeError("a search indexing process died")
        if finishing and None not in codes:
            raise RuntimeError("search indexing processes stopped without a result")

    def finish(self) -> list[Segment]:
        """Send the last documents, wait for every worker's segment and return them."""
        if self.buffer:
            self._send(self.buffer)
        for _ in self.processes:
            self._send(None)
        segments = []
        while len(segments) < len(self.processes):
            try:
                outcome = self.results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                self._check_alive(finishing=True)
                continue
            if isinstance(outcome, str):
                raise RuntimeError(f"search indexing failed: {outcome}")
            segments.append(outcome)
        return [segment for segment in segments if segment.doc_count_all()]


def _work(
    directory: str, jobs: multiprocessing.Queue, results: multiprocessing.Queue, limitmb: int
) -> None:
    """A worker: index jobs until ``None``, then send back the segment (or an error text)."""
    try:
        ix = whoosh_index.open_dir(directory)
        # Not a compound file: copying a big segment into one file is I/O for nothing.
        writer = BulkWriter(ix, _lk=False, limitmb=limitmb, compound=False)
        while (job := jobs.get()) is not None:
            for doc in job:
                writer.add(doc)
        results.put(writer._finalize_segment())
    except BaseException as exc:  # reported to the parent, which raises
        results.put(f"{type(exc).__name__}: {exc}")
