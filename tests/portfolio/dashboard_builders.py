"""A hand-built portfolio whose dashboard figures are known, and a bulk builder for size tests.

The hand-built set (``build_known_portfolio``), all on the ``tiny`` test workflow (stages
build → run; gate ``check`` needs 2 votes, gate ``close`` 1):

- Alpha: ERP (Growth), run, active; budget 100/50/130; "close" waiting 3 days, no vote.
- Beta: ERP (Growth), build, active; budget 200/20/210; "check" waiting 12 days, 1 vote;
  one open item 5 days late (another not yet due, a closed one past due).
- Gamma: Stores (Growth), build, on hold; no budget; one open item 20 days late.
- Delta: Lab (no portfolio), run, completed; budget 50/55/55 (an older review said 40/10/40).
- Epsilon: no programme, build, killed.

Closed stage periods: build 2, 4, 6, 8, 10 days; run 1, 3 days (plus open ones).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from app.auth.models import User
from app.extensions import db
from app.projects.models import ActionItem, GateReview, Project, StagePeriod, Vote
from app.projects.programmes import Portfolio, Programme
from app.timeutil import utcnow


def _user_id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def build_known_portfolio(manager: str, voter: str) -> dict[str, int]:
    """Insert the set described above (commits); project name -> id."""
    now = utcnow()
    manager_id, voter_id = _user_id(manager), _user_id(voter)
    growth = Portfolio(name="Growth")
    programmes = {
        "ERP": Programme(name="ERP", portfolio=growth),
        "Stores": Programme(name="Stores", portfolio=growth),
        "Lab": Programme(name="Lab"),
    }
    db.session.add_all(programmes.values())
    db.session.flush()
    ids: dict[str, int] = {}
    for name, programme, stage, status in (
        ("Alpha", "ERP", "run", "active"),
        ("Beta", "ERP", "build", "active"),
        ("Gamma", "Stores", "build", "on_hold"),
        ("Delta", "Lab", "run", "completed"),
        ("Epsilon", None, "build", "killed"),
    ):
        project = Project(
            name=name,
            workflow="tiny",
            workflow_version=1,
            stage=stage,
            status=status,
            manager_id=manager_id,
            programme_id=programmes[programme].id if programme else None,
        )
        db.session.add(project)
        db.session.flush()
        ids[name] = project.id
    day = timedelta(days=1)
    start = now - 200 * day
    periods = [
        ("Alpha", "build", 2),
        ("Beta", "build", 4),
        ("Delta", "build", 6),
        ("Epsilon", "build", 8),
        ("Gamma", "build", 10),
        ("Alpha", "run", 1),
        ("Delta", "run", 3),
    ]
    for name, stage, days in periods:
        db.session.add(
            StagePeriod(
                project_id=ids[name], stage=stage, entered_at=start, left_at=start + days * day
            )
        )
    for name, stage in (("Alpha", "run"), ("Beta", "build"), ("Gamma", "build")):
        db.session.add(StagePeriod(project_id=ids[name], stage=stage, entered_at=now - 30 * day))

    def review(name: str, gate: str, decision: str | None, budget=None, waiting_days=0) -> int:
        planned, actual, forecast = budget or (None, None, None)
        row = GateReview(
            project_id=ids[name],
            gate=gate,
            from_stage="build" if gate == "check" else "run",
            to_stage="run" if gate == "check" else "completed",
            submitted_by_id=manager_id,
            submitted_at=now - (waiting_days or 100) * day,
            status="decided" if decision else "submitted",
            decision=decision,
            decided_at=now - 90 * day if decision else None,
            budget_planned=_money(planned),
            budget_actual=_money(actual),
            budget_forecast=_money(forecast),
            open_project_id=None if decision else ids[name],
        )
        db.session.add(row)
        db.session.flush()
        return row.id

    review("Alpha", "check", "go", (100, 50, 130))
    review("Delta", "check", "go", (40, 10, 40))
    review("Delta", "close", "go", (50, 55, 55))
    recycled = review("Beta", "check", "recycle", (200, 20, 210))
    review("Gamma", "check", "hold")
    review("Epsilon", "check", "kill")
    review("Alpha", "close", None, waiting_days=3)
    waiting = review("Beta", "check", None, waiting_days=12)
    db.session.add(Vote(review_id=waiting, voter_id=voter_id, decision="go"))
    today = now.date()
    for name, due, status in (
        ("Beta", today - 5 * day, "open"),
        ("Beta", today + 5 * day, "open"),
        ("Beta", today - 10 * day, "closed"),
        ("Gamma", today - 20 * day, "open"),
    ):
        db.session.add(
            ActionItem(
                review_id=recycled,
                project_id=ids[name],
                description=f"Fix {name} {due.isoformat()}",
                owner_id=manager_id,
                due_date=due,
                status=status,
            )
        )
    db.session.commit()
    return ids


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def bulk_projects(
    count: int, manager: str, prefix: str = "Bulk", now: datetime | None = None
) -> None:
    """`count` projects, each with stage periods, reviews (one open), a vote and action items.

    Bulk inserts (no ORM objects), so a thousand projects take well under a second.
    """
    now = now or utcnow()
    manager_id = _user_id(manager)
    programme = Programme(name=prefix, portfolio=Portfolio(name=prefix))
    db.session.add(programme)
    db.session.flush()
    statuses = ("active", "active", "on_hold", "completed", "killed")
    db.session.execute(
        insert(Project),
        [
            {
                "name": f"{prefix} {n:05d}",
                "workflow": "tiny",
                "workflow_version": 1,
                "stage": "build" if n % 2 else "run",
                "status": statuses[n % 5],
                "manager_id": manager_id,
                "programme_id": programme.id if n % 3 else None,
                "version_id": 1,
                "created_at": now,
            }
            for n in range(count)
        ],
    )
    ids = list(db.session.scalars(select(Project.id).where(Project.name.like(f"{prefix} %"))))
    day = timedelta(days=1)
    rows: dict[Any, list[dict[str, Any]]] = {StagePeriod: [], GateReview: [], ActionItem: []}
    for n, project_id in enumerate(ids):
        rows[StagePeriod] += [
            {
                "project_id": project_id,
                "stage": "build",
                "entered_at": now - (40 + n % 30) * day,
                "left_at": now - 20 * day,
            },
            {"project_id": project_id, "stage": "run", "entered_at": now - 20 * day},
        ]
        for gate, decision in (("check", ("go", "recycle", "hold")[n % 3]), ("close", None)):
            rows[GateReview].append(
                {
                    "project_id": project_id,
                    "gate": gate,
                    "from_stage": "build",
                    "to_stage": "run",
                    "submitted_by_id": manager_id,
                    "submitted_at": now - (n % 20 + 1) * day,
                    "status": "decided" if decision else "submitted",
                    "decision": decision,
                    "budget_planned": Decimal(1000 + n),
                    "budget_actual": Decimal(500),
                    "budget_forecast": Decimal(1000 + n + (n % 7) * 50),
                    "open_project_id": None if decision else project_id,
                    "criteria": {},
                    "top_risks": [],
                }
            )
    for model in (StagePeriod, GateReview):
        db.session.execute(insert(model), rows[model])
    reviews = db.session.execute(
        select(GateReview.id, GateReview.project_id).where(GateReview.project_id.in_(ids))
    ).all()
    for review_id, project_id in reviews:
        rows[ActionItem].append(
            {
                "review_id": review_id,
                "project_id": project_id,
                "description": "Bulk item",
                "owner_id": manager_id,
                "due_date": (now - (project_id % 9) * day).date(),
                "status": "open",
                "evidence": "",
            }
        )
    db.session.execute(insert(ActionItem), rows[ActionItem])
    db.session.commit()
