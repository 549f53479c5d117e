"""Pause Python's cyclic garbage collector while a request builds many short-lived objects.

The portfolio dashboard reads tens of thousands of rows into tuples, numbers and dates; each
700 allocations the collector runs, and now and then a full collection walks the whole heap
of the application, adding 50-150 ms to one request at random (bench/portfolio). None of
these objects form reference cycles, so reference counting frees them all: pausing the
collector for the duration of the computation loses nothing, and it resumes afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Run the block without cyclic collections; restore the collector's state afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
