"""Search latency over 200 fixed queries: the Jalon search API (Whoosh) beside SQLite FTS5.

Usage (after corpus.py and ``jalon search reindex`` on the same DATABASE_URL/JALON_DATA_DIR):
    python bench/library/latency.py

Whoosh is measured through ``GET /api/v1/search`` with a staff token (top 10, highlights,
the permission filter), warm (every query run once first). Besides wall-clock time, the CPU
time of this process per query is reported: on a machine shared with other jobs it is the
steadier figure (what the query costs, not how long it waited for a core). FTS5 indexes the
same titles and bodies in an in-memory table and answers top 10 by bm25 with ``snippet()``
and a status filter.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time

from sqlalchemy import select

from app import create_app
from app.auth.models import User
from app.auth.services import issue_token
from app.extensions import db
from app.library.models import Document
from bench.library.corpus import EN, FR, SEED, VOCABULARY

QUERY_COUNT = 200


def queries() -> list[str]:
    """200 fixed queries: words, pairs, phrases, typos, field filters, accent-less forms."""
    rng = random.Random(SEED + 1)
    out = []
    for index in range(QUERY_COUNT):
        words = FR if index % 2 else EN
        shape = index % 5
        # A PMO term and a mid-frequency word of the long tail.
        a, b = rng.choice(words), VOCABULARY[rng.randint(50, 2000)]
        if shape == 0:
            out.append(b)
        elif shape == 1:
            out.append(f"{a} {b}")
        elif shape == 2:
            out.append(f'"{a} {b}"')
        elif shape == 3:
            out.append(b[:-1] if len(b) > 5 else b)  # a typo: last letter dropped
        else:
            out.append(a.replace("é", "e").replace("è", "e"))
    return out


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1], ordered[0]


def whoosh_api(app, texts: list[str]) -> tuple[list[float], list[float]]:
    with app.app_context():
        reader = db.session.scalar(select(User).where(User.username == "reader"))
        token, _ = issue_token(reader, name="bench")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    timings, cpu = [], []
    for warm in (True, False):
        for text in texts:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get("/api/v1/search", query_string={"q": text}, headers=headers)
            elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            assert response.status_code in (200, 400), response.get_data(as_text=True)
            if not warm:
                timings.append(elapsed * 1000)
                cpu.append(elapsed_cpu * 1000)
    return timings, cpu


def fts5(app, texts: list[str]) -> tuple[list[float], float]:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, status UNINDEXED,"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    start = time.perf_counter()
    with app.app_context():
        rows = db.session.execute(
            select(Document.id, Document.title, Document.body, Document.status)
        )
        connection.executemany(
            "INSERT INTO docs(rowid, title, body, status) VALUES (?, ?, ?, ?)",
            ((r.id, r.title, r.body, r.status.value) for r in rows),
        )
    connection.commit()
    build = time.perf_counter() - start
    sql = (
        "SELECT rowid, title, snippet(docs, 1, '<b>', '</b>', '…', 12) FROM docs"
        " WHERE docs MATCH ? AND status = 'published' ORDER BY bm25(docs, 5.0, 1.0) LIMIT 10"
    )
    timings = []
    for warm in (True, False):
        for text in texts:
            match = " ".join(f'"{w}"' for w in text.replace('"', "").split())
            if text.startswith('"'):
                match = f'"{text.strip(chr(34))}"'
            start = time.perf_counter()
            connection.execute(sql, (match,)).fetchall()
            if not warm:
                timings.append((time.perf_counter() - start) * 1000)
    return timings, build


def main() -> None:
    app = create_app()
    texts = queries()
    whoosh, whoosh_cpu = whoosh_api(app, texts)
    sqlite_times, build = fts5(app, texts)
    for name, samples in (
        ("whoosh (API)", whoosh),
        ("whoosh (API), CPU time", whoosh_cpu),
        ("sqlite fts5", sqlite_times),
    ):
        median, p95, least = percentiles(samples)
        print(
            f"{name}: median {median:.1f} ms, p95 {p95:.1f} ms, min {least:.1f} ms"
            f" over {len(samples)} queries"
        )
    print(f"sqlite fts5 build: {build:.1f} s")


if __name__ == "__main__":
    main()
