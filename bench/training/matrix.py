"""Training matrix benchmark: 2,000 people x 40 courses, 100,000 completions.

Measures the server time and the SQL query count of the matrix API, the matrix page and
the compliance API on SQLite (a file database, warm). Run:

    .venv/bin/python -m bench.training.matrix [--people 2000 --courses 40 --completions 100000]
        [--runs 7] [--match compliance]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from app import create_app
from app.auth.models import Role, Team, TeamMembership, User, UserRole
from app.auth.services import create_user, issue_token
from app.extensions import db
from app.training.latest import rebuild_latest
from app.training.models import Completion, Course, Requirement
from bench.inprocess import print_timings

TEAMS = 20
RUNS = 7


def populate(people: int, courses: int, completions: int) -> None:
    rng = random.Random(42)
    joined = datetime(2024, 1, 1, tzinfo=UTC)
    db.session.execute(insert(Team), [{"name": f"Team {n:02d}"} for n in range(TEAMS)])
    db.session.execute(
        insert(User),
        [
            {"username": f"p{n}", "display_name": f"Person {n}", "password_hash": "!"}
            for n in range(people)
        ],
    )
    ids = [
        row[0] for row in db.session.execute(db.select(User.id).where(User.password_hash == "!"))
    ]
    team_ids = [row[0] for row in db.session.execute(db.select(Team.id))]
    db.session.execute(
        insert(UserRole),
        [
            {
                "user_id": uid,
                "role": Role.MANAGER if n % 25 == 0 else Role.STAFF,
                "granted_at": joined,
            }
            for n, uid in enumerate(ids)
        ],
    )
    db.session.execute(
        insert(TeamMembership),
        [
            {"user_id": uid, "team_id": team_ids[n % TEAMS], "joined_at": joined}
            for n, uid in enumerate(ids)
        ],
    )
    db.session.execute(
        insert(Course),
        [
            {
                "key": f"course-{n:02d}",
                "title": f"Course {n:02d}",
                "validity_months": [None, 12, 24, 36][n % 4],
            }
            for n in range(courses)
        ],
    )
    course_ids = [row[0] for row in db.session.execute(db.select(Course.id))]
    requirements = []
    for n, cid in enumerate(course_ids[: courses // 2]):
        requirements.append({"course_id": cid, "role": Role.STAFF, "due_days": 90})
        requirements.append(
            {"course_id": cid, "team_id": team_ids[n % TEAMS], "due_date": date(2025, 6, 30)}
        )
    db.session.execute(insert(Requirement), requirements)
    pairs = [(uid, cid) for uid in ids for cid in course_ids]
    rows, seen = [], set()
    while len(rows) < completions:
        uid, cid = rng.choice(pairs)
        day = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 1400))
        if (uid, cid, day) in seen:
            continue
        seen.add((uid, cid, day))
        rows.append({"user_id": uid, "course_id": cid, "completed_on": day, "source": "import"})
    db.session.execute(insert(Completion), rows)
    # Bulk inserts go around the services: recompute the latest completions they keep.
    rebuild_latest(db.session.connection())
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--completions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=RUNS, help="timed requests of each kind")
    parser.add_argument("--match", default="", help="only the requests whose label has this")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jalon-bench-training-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "JALON_DATA_DIR": str(folder),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        populate(args.people, args.courses, args.completions)
        print(f"populated in {time.perf_counter() - started:.1f} s")
        pmo = create_user("bench-pmo", "bench-password-123", roles=["pmo"])
        token, _ = issue_token(pmo, name="bench")
        db.session.commit()
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"username": "bench-pmo", "password": "bench-password-123"})
    headers = {"Authorization": f"Bearer {token}"}
    targets = {
        "GET /api/v1/training/matrix (page 1, 50 people)": ("/api/v1/training/matrix", headers),
        "GET /api/v1/training/matrix?page=20&per_page=100": (
            "/api/v1/training/matrix?page=20&per_page=100",
            headers,
        ),
        "GET /api/v1/training/matrix?per_page=500 (the largest page)": (
            "/api/v1/training/matrix?per_page=500",
            headers,
        ),
        "GET /api/v1/training/compliance": ("/api/v1/training/compliance", headers),
        "GET /training/matrix (HTML, 100 people; percentages over all)": (
            "/training/matrix",
            {},
        ),
        "GET /api/v1/training/exports/matrix.xlsx": (
            "/api/v1/training/exports/matrix.xlsx",
            headers,
        ),
    }
    print(f"{args.people} people x {args.courses} courses, {args.completions} completions, SQLite")
    selected = {label: target for label, target in targets.items() if args.match in label}
    print_timings(client, engine, selected, args.runs)


if __name__ == "__main__":
    main()
