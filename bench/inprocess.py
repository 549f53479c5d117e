"""Time warm requests through the Flask test client and count their SQL statements.

The test client and SQLite run in this process, so the process's CPU time during a request
is the server's work: much less sensitive than wall-clock time to other jobs on a shared
machine. Shared by the training matrix and portfolio dashboard benchmarks.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Engine, event

#: Label -> (path, extra headers).
Targets = dict[str, tuple[str, dict[str, Any]]]


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def print_timings(client: FlaskClient, engine: Engine, targets: Targets, runs: int) -> None:
    """A Markdown table: wall median/min/max, median CPU, statement counts, response size."""
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"load average before: {load_average()}")
    print("| request | median ms | min ms | max ms | median CPU ms | SQL queries | bytes |")
    print("|---|---|---|---|---|---|---|")
    for label, (path, extra) in targets.items():
        client.get(path, headers=extra)  # warm-up
        times, cpu, counts = [], [], []
        for _ in range(runs):
            statements.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, headers=extra)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            counts.append(len(statements))
            assert response.status_code == 200, (path, response.status_code)
        print(
            f"| {label} | {statistics.median(times):.0f} | {min(times):.0f} | {max(times):.0f} "
            f"| {statistics.median(cpu):.0f} | {sorted(set(counts))} | {len(response.data)} |"
        )
    print(f"load average after: {load_average()}")
