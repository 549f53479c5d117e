"""Demo projects at different stages, made through the governance services.

Going through the services (not inserting rows) makes the audit chain and the decisions real.
Only gates without training requirements are used, so the seed needs no training records.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.services import get_user_by_username
from app.extensions import db
from app.projects.definitions import engine_for
from app.projects.models import GateReview, Project
from app.projects.services import create_project, hold_project
from app.projects.submission import submit_review
from app.projects.voting import cast_vote

# name, manager, then the decision of each gate in turn ("open": submitted, one vote cast)
DEMO_PROJECTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("Smart thermostat", "manager", ("open",)),
    ("Recyclable packaging", "manager2", ("go",)),
    ("Warehouse robots", "manager2", ("conditional_go",)),
    ("Legacy CRM replacement", "manager", ("kill",)),
    ("Voice assistant", "manager", ("go", "go", "hold")),
]
COMMENTS = {"kill": "The market moved on: no business case left."}


def _submit(project: Project) -> GateReview:
    gate = engine_for(project).gate_from(project.stage)
    answers = {c.key: True if c.must_meet else 4 for c in gate.criteria}
    links = [{"key": d.key, "url": f"https://intranet.example/{d.key}"} for d in gate.deliverables]
    return submit_review(
        project.manager,
        project,
        answers,
        links,
        summary=f"{gate.name.en}: everything the gate asks is attached.",
        budget={"planned": 120000, "actual": 40000, "forecast": 125000},
        top_risks=["Supplier lead times", "Key people availability"],
    )


def _decide(review: GateReview, decision: str, voters: list) -> None:
    conditions = (
        [{"description": "Confirm the safety certification plan", "due_date": None}]
        if decision == "conditional_go"
        else []
    )
    for voter in voters[: 1 if decision == "open" else 2]:
        cast_vote(
            voter,
            review,
            "go" if decision == "open" else decision,
            comment=COMMENTS.get(decision, ""),
            conditions=conditions,
        )


def seed_projects() -> str:
    """Create the demo projects that do not exist yet."""
    existing = set(db.session.scalars(select(Project.name)))
    voters = [get_user_by_username(name) for name in ("gatekeeper", "gatekeeper2")]
    pmo = get_user_by_username("pmo")
    created = 0
    for name, manager_name, decisions in DEMO_PROJECTS:
        if name in existing:
            continue
        manager = get_user_by_username(manager_name)
        project = create_project(manager, name, "stage-gate")
        for decision in decisions:
            if decision == "hold":
                hold_project(pmo, project)
                continue
            _decide(_submit(project), decision, voters)
        created += 1
    return f"projects: {created} created, {len(DEMO_PROJECTS) - created} already there"
