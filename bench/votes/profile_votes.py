"""Profile votes in one process (no server, no contention): where does a vote's time go?

Usage: .venv/bin/python bench/votes/profile_votes.py [VOTES]   (builds its own SQLite file database)
Prints the mean time per vote and per `/healthz`, the vote's floor (the same request with the
vote service replaced by a stub that touches no database: token, body, schema, response), the
SQL statements of one vote, and the cProfile functions with the most cumulative time.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main(votes: int) -> None:
    work = Path(tempfile.mkdtemp())
    try:
        os.environ.update(
            DATABASE_URL=f"sqlite:///{work}/bench.db",
            SECRET_KEY="bench",
            JALON_DATA_DIR=str(work / "data"),
            JALON_WORKFLOWS_DIR=str(work / "workflows"),
        )
        (work / "workflows").mkdir()
        for source in [*(ROOT / "workflows/definitions").glob("*.yaml"), HERE / "bench.yaml"]:
            shutil.copy(source, work / "workflows" / source.name)
        sys.path.insert(0, str(ROOT))
        from bench.votes.setup import build

        review_ids, tokens = build(3 * votes // 50 + 2, 50)
        from app import create_app
        from app.extensions import db

        app = create_app()
        client = app.test_client()
        pairs = [(r, t) for r in review_ids for t in tokens]

        def vote(index: int) -> None:
            review, token = pairs[index]
            response = client.post(
                f"/api/v1/gate-reviews/{review}/votes",
                json={"decision": "go"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 201, response.json

        for index in range(20):  # warm caches
            vote(index)
            client.get("/healthz")
        started = time.perf_counter()
        for _ in range(votes):
            client.get("/healthz")
        hello = (time.perf_counter() - started) / votes
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        def log(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement.split("\n")[0][:110])
            if os.environ.get("STACKS"):  # where each statement comes from, in the app
                frames = traceback.extract_stack()
                statements.extend(
                    f"      {f.filename}:{f.lineno} {f.name}"
                    for f in frames
                    if "/app/" in f.filename
                )

        event.listen(engine, "before_cursor_execute", log)
        vote(20)
        event.remove(engine, "before_cursor_execute", log)
        started = time.perf_counter()
        for index in range(21, 21 + votes):
            vote(index)
        mean = (time.perf_counter() - started) / votes
        print(f"healthz {hello * 1000:.2f} ms, vote {mean * 1000:.2f} ms (not profiled)")
        floor = _floor(lambda: [vote(index) for index in range(21 + votes, 21 + 2 * votes)])
        print(
            f"floor (the vote service stubbed) {floor / votes * 1000:.2f} ms: "
            f"at best {hello * votes / floor:.0%} of /healthz's requests/s with any vote logic"
        )
        profiler = cProfile.Profile()
        profiler.enable()
        for index in range(21 + 2 * votes, 21 + 3 * votes):
            vote(index)
        profiler.disable()
        print(f"{len(statements)} SQL statements in one vote:")
        for statement in statements:
            print("  ", statement)
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("TOP", "45")))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _floor(run: Callable[[], object]) -> float:
    """Seconds `run` takes when the vote endpoint calls the stub of `floor.py`."""
    from bench.votes.floor import stub_vote_service

    restore = stub_vote_service()
    try:
        started = time.perf_counter()
        run()
        return time.perf_counter() - started
    finally:
        restore()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
