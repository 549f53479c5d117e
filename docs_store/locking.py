"""A non-blocking, inter-process writer lock.

Whoosh allows one writer per index and fails at once with ``LockError`` when a second one
opens. Rather than retry in a background thread (``AsyncWriter`` loses writes when its process
dies), every process that has index work tries this lock without waiting: whichever gets it
drains the outbox for everybody; the others carry on, since their tasks are in the database.
The lock is released by the kernel when its holder dies, so a killed worker never leaves the
index stuck.
"""

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path


@contextlib.contextmanager
def _held(fd: int) -> Iterator[None]:
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def try_writer_lock(path: Path | str) -> AbstractContextManager[None] | None:
    """Take the lock at ``path`` if it is free: a context manager that releases it, else None.

    Usage::

        lock = try_writer_lock(data_dir / "index.lock")
        if lock is not None:
            with lock:
                drain_outbox()

    The lock is an ``flock`` on the file (created if missing), so it is per open file and works
    between processes and between threads that each call this function.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return _held(fd)
