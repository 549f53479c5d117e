"""Run a parser on untrusted bytes in a child process, with a time and a memory limit.

A hostile upload (a zip bomb, a PDF of endless text operators) must cost the server at most a
bounded time and memory, and never the process answering other requests. `run` calls a function
in a child forked from a *forkserver* that has already imported the parsers, so a call costs a
fork and a pipe round trip rather than an interpreter start. The child sets ``RLIMIT_AS`` (its
whole address space, about 70 MB of which are the interpreter and the parsers) and ``RLIMIT_CPU``
before it reads anything; the parent waits at most the wall-clock limit, then kills it. While it
waits, the parent's thread sleeps in `poll`, so its other threads keep answering.

The function runs with its arguments pickled across; only its return value comes back, so it
must be small and picklable. A `FileRefused` it raises is raised again in the parent; any other
exception means the file could not be parsed (`FileRefused("malformed_file")`); running out of
time or memory is `ExtractionAborted`.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import resource
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from docs_store.errors import ExtractionAborted, FileRefused

T = TypeVar("T")

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["docs_store.parsers"])
_MAIN_SWAP = threading.Lock()


@dataclass(frozen=True, slots=True)
class Limits:
    """What one parse may use: wall-clock seconds and bytes of address space."""

    seconds: float = 8.0
    memory_bytes: int = 256 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def run(function: Callable[..., T], *args: Any, limits: Limits = DEFAULT_LIMITS) -> T:
    """``function(*args)`` in a limited child; raises `FileRefused` or `ExtractionAborted`."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(sender, limits, function, args), daemon=True)
    with _main_script_hidden():
        child.start()
    sender.close()
    try:
        outcome = receiver.recv() if receiver.poll(limits.seconds) else ("aborted", "time_limit")
    except EOFError:  # the child died without answering: killed by a limit
        child.join()
        code = "time_limit" if child.exitcode == -signal.SIGXCPU else "memory_limit"
        outcome = ("aborted", code)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    kind, *rest = outcome
    if kind == "ok":
        return rest[0]
    if kind == "refused":
        raise FileRefused(*rest)
    raise ExtractionAborted(rest[0])


@contextlib.contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Start a child without the parent's main script.

    multiprocessing has each child import the parent's ``__main__`` again (its forkserver does
    not preload it), which under gunicorn or pytest means importing the server or the test
    runner on every call, hundreds of milliseconds; the parsers need nothing from it.
    """
    with _MAIN_SWAP:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def _child(sender: Connection, limits: Limits, function: Callable[..., Any], args: tuple) -> None:
    memory = limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = math.ceil(limits.seconds) + 1  # the parent's wall clock normally stops it first
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    try:
        outcome: tuple = ("ok", function(*args))
    except FileRefused as refusal:
        outcome = ("refused", refusal.code, refusal.limit)
    except MemoryError:
        outcome = ("aborted", "memory_limit")
    except Exception:  # whatever a parser raises on a broken file
        outcome = ("refused", "malformed_file", None)
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("aborted", "memory_limit"))
    finally:
        sender.close()
