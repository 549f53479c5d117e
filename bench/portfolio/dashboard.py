"""Portfolio dashboard benchmark: 10,000 projects and 100,000 events in a SQLite file.

Builds 3 portfolios / 15 programmes / 10,000 projects on the two shipped workflows, with
their history in realistic proportions (stage periods, gate reviews, votes, action items,
audit events: about 100,000 rows), 300 people in 10 teams with training, then times warm
requests through the Flask test client (server time, no network) and counts SQL statements.

    .venv/bin/python -m bench.portfolio.dashboard [--projects 10000 --runs 7]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from app import create_app
from app.auth.models import Role, Team, TeamMembership, User, UserRole
from app.auth.services import create_user, issue_token
from app.extensions import db
from app.projects.models import ActionItem, AuditEvent, GateReview, Project, StagePeriod, Vote
from app.projects.programmes import Portfolio, Programme
from app.training.models import Completion, Course, Requirement
from bench.inprocess import Targets, print_timings
from workflows import load_definitions_dir

NOW = datetime.now(UTC)
DAY = timedelta(days=1)
DECISIONS = ["go"] * 7 + ["conditional_go"] * 2 + ["recycle", "hold", "kill"]


def populate(projects: int, rng: random.Random) -> dict[str, int]:
    """Everything the dashboard reads, bulk inserted; returns the row count per table."""
    people = _people()
    managers, voters = people[:200], people[200:260]
    db.session.execute(insert(Portfolio), [{"name": f"Portfolio {n}"} for n in range(3)])
    portfolio_ids = list(db.session.scalars(select(Portfolio.id)))
    db.session.execute(
        insert(Programme),
        [{"name": f"Programme {n:02d}", "portfolio_id": portfolio_ids[n % 3]} for n in range(15)],
    )
    programme_ids = list(db.session.scalars(select(Programme.id)))
    definitions = list(load_definitions_dir().values())
    plans = []
    for n in range(projects):
        definition = definitions[n % len(definitions)]
        # Fewer projects reach the later stages.
        reached = min(rng.randrange(len(definition.stages)), rng.randrange(len(definition.stages)))
        status = rng.choices(["active", "on_hold", "killed", "completed"], [70, 8, 10, 12])[0]
        plans.append((definition, reached, status))
    db.session.execute(
        insert(Project),
        [
            {
                "name": f"Project {n:05d}",
                "workflow": definition.key,
                "workflow_version": definition.version,
                "stage": definition.stages[reached].key,
                "status": status,
                "manager_id": managers[n % len(managers)],
                "programme_id": programme_ids[n % 15] if n % 10 else None,
                "version_id": 1,
                "created_at": NOW - 400 * DAY,
            }
            for n, (definition, reached, status) in enumerate(plans)
        ],
    )
    project_ids = list(db.session.scalars(select(Project.id).order_by(Project.id)))
    periods, reviews, events = [], [], []
    for project_id, (definition, reached, status) in zip(project_ids, plans, strict=True):
        moment = NOW - rng.randrange(200, 400) * DAY
        budget = Decimal(rng.randrange(50, 5000) * 1000)
        for index in range(reached + 1):
            days = rng.lognormvariate(3.3, 0.5)
            left = moment + days * DAY
            current = index == reached
            ended = status in ("killed", "completed")
            periods.append(
                {
                    "project_id": project_id,
                    "stage": definition.stages[index].key,
                    "entered_at": moment,
                    "left_at": None if current and not ended else min(left, NOW),
                }
            )
            gate = definition.gates[index] if index < len(definition.gates) else None
            if gate is not None and (not current or rng.random() < 0.2):
                decided = not current
                reviews.append(
                    {
                        "project_id": project_id,
                        "gate": gate.key,
                        "from_stage": gate.from_stage,
                        "to_stage": gate.to_stage,
                        "submitted_by_id": managers[project_id % len(managers)],
                        "submitted_at": min(left, NOW) - 5 * DAY if decided else NOW - 8 * DAY,
                        "status": "decided" if decided else "submitted",
                        "decision": rng.choice(DECISIONS) if decided else None,
                        "decided_at": min(left, NOW) if decided else None,
                        "budget_planned": budget,
                        "budget_actual": budget * Decimal(index) / 6,
                        "budget_forecast": budget * Decimal(rng.uniform(0.85, 1.35)),
                        "open_project_id": None if decided else project_id,
                        "criteria": {},
                        "top_risks": [],
                    }
                )
            events.append((project_id, "transition", moment))
            moment = left
    db.session.execute(insert(StagePeriod), periods)
    db.session.execute(insert(GateReview), reviews)
    review_rows = db.session.execute(
        select(GateReview.id, GateReview.project_id, GateReview.status, GateReview.decision)
    ).all()
    votes, items = [], []
    for review_id, project_id, status, decision in review_rows:
        for voter in rng.sample(voters, 1 if status == "submitted" else rng.choice((1, 2))):
            votes.append({"review_id": review_id, "voter_id": voter, "decision": decision or "go"})
        if decision == "conditional_go" or rng.random() < 0.05:
            items.append(
                {
                    "review_id": review_id,
                    "project_id": project_id,
                    "description": "Close the condition",
                    "owner_id": managers[project_id % len(managers)],
                    "due_date": (NOW + rng.randrange(-90, 60) * DAY).date(),
                    "status": rng.choice(("open", "open", "closed", "verified")),
                    "evidence": "",
                }
            )
    db.session.execute(insert(Vote), votes)
    db.session.execute(insert(ActionItem), items)
    audit = [
        {
            "project_id": project_id,
            "kind": kind,
            "actor": "bench",
            "data": {},
            "created_at": moment,
            "prev_hash": hashlib.sha256(f"{n}".encode()).hexdigest(),
            "hash": hashlib.sha256(f"{n + 1}".encode()).hexdigest(),
        }
        for n, (project_id, kind, moment) in enumerate(events)
    ]
    db.session.execute(insert(AuditEvent), audit)
    _training(people, rng)
    db.session.commit()
    return {
        "stage periods": len(periods),
        "gate reviews": len(reviews),
        "votes": len(votes),
        "action items": len(items),
        "audit events": len(audit),
    }


def _people() -> list[int]:
    """300 people: 200 managers, 60 gatekeepers, 40 staff, in 10 teams; their ids."""
    db.session.execute(
        insert(User),
        [
            {"username": f"p{n}", "display_name": f"Person {n:03d}", "password_hash": "!"}
            for n in range(300)
        ],
    )
    ids = list(db.session.scalars(select(User.id).where(User.password_hash == "!")))
    joined = NOW - 500 * DAY
    db.session.execute(insert(Team), [{"name": f"Team {n}"} for n in range(10)])
    team_ids = list(db.session.scalars(select(Team.id)))
    db.session.execute(
        insert(UserRole),
        [
            {
                "user_id": uid,
                "role": Role.MANAGER if n < 200 else Role.GATEKEEPER if n < 260 else Role.STAFF,
                "granted_at": joined,
            }
            for n, uid in enumerate(ids)
        ],
    )
    db.session.execute(
        insert(TeamMembership),
        [
            {"user_id": uid, "team_id": team_ids[n % 10], "joined_at": joined}
            for n, uid in enumerate(ids)
        ],
    )
    return ids


def _training(people: list[int], rng: random.Random) -> None:
    db.session.execute(
        insert(Course),
        [{"key": f"course-{n}", "title": f"Course {n}", "validity_months": 24} for n in range(10)],
    )
    course_ids = list(db.session.scalars(select(Course.id)))
    db.session.execute(
        insert(Requirement),
        [{"course_id": cid, "role": Role.MANAGER, "due_days": 60} for cid in course_ids[:5]],
    )
    rows = {
        (uid, cid): date(2025, 1, 1) + timedelta(days=rng.randrange(0, 600))
        for uid in people
        for cid in rng.sample(course_ids, 4)
    }
    db.session.execute(
        insert(Completion),
        [
            {"user_id": uid, "course_id": cid, "completed_on": day, "source": "import"}
            for (uid, cid), day in rows.items()
        ],
    )
    try:  # the training domain keeps each person's latest completion per course
        from app.training.latest import rebuild_latest
    except ImportError:
        return
    rebuild_latest(db.session.connection())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="cProfile one summary request")
    parser.add_argument("--database", type=Path, help="keep the data in this file, reuse it")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jalon-bench-portfolio-"))
    database = args.database or folder / "bench.db"
    reuse = database.exists()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database.resolve()}",
            "JALON_DATA_DIR": str(folder),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        if reuse:
            pmo = db.session.scalar(select(User).where(User.username == "bench-pmo"))
        else:
            db.create_all()
            started = time.perf_counter()
            counts = populate(args.projects, random.Random(42))
            print(
                f"populated in {time.perf_counter() - started:.1f} s: {args.projects} projects, "
                f"{sum(counts.values())} events {counts}"
            )
            pmo = create_user("bench-pmo", "bench-password-123", roles=["pmo"])
        token, _ = issue_token(pmo, name="bench")
        db.session.commit()
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"username": "bench-pmo", "password": "bench-password-123"})
    headers = {"Authorization": f"Bearer {token}"}
    targets: Targets = {
        "GET /api/v1/portfolio/summary": ("/api/v1/portfolio/summary", headers),
        "GET /portfolio/ (HTML page)": ("/portfolio/", {}),
        "GET /portfolio/?programme=Programme 03": ("/portfolio/?programme=Programme+03", {}),
        "GET /portfolio/projects.xlsx (all projects)": ("/portfolio/projects.xlsx", {}),
    }
    if args.profile:
        import cProfile
        import pstats

        client.get("/api/v1/portfolio/summary", headers=headers)
        profiler = cProfile.Profile()
        profiler.runcall(client.get, "/api/v1/portfolio/summary", headers=headers)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return
    print_timings(client, engine, targets, args.runs)


if __name__ == "__main__":
    main()
