"""Demo training: courses, requirements by role and team, and a realistic mix of statuses.

Runs after the accounts (it needs the demo people) and before the projects: the demo
managers and gatekeepers hold valid completions of every course a shipped workflow
``requires_training``, so the stage-gate demo can submit and vote. Dates are relative to
the day of seeding; a (person, course) pair that already has a completion is left alone,
so seeding again adds nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Role, Team
from app.auth.services import get_user_by_username
from app.extensions import db
from app.training.models import Completion, Course, Requirement
from app.training.services import create_course, create_requirement, record_completion, today
from app.training.status import add_months

# key, title, methodology, validity in months (None: never expires), description
COURSES: list[tuple[str, str, str, int | None, str]] = [
    (
        "stage-gate-fundamentals",
        "Stage-gate fundamentals",
        "Stage-Gate",
        36,
        "Stages, gates, criteria and decisions: how a project earns its next budget.",
    ),
    (
        "gate-reviewer",
        "Gate reviewer training",
        "Stage-Gate",
        24,
        "Preparing and casting a gate vote: evidence, conditions, conflicts of interest.",
    ),
    (
        "project-method",
        "The house project method",
        "Jalon",
        None,
        "Our IT project lifecycle from cadrage to closure, deliverables and templates.",
    ),
    (
        "risk-management",
        "Risk management",
        "PMI",
        36,
        "Identify, assess and treat project risks; the risk register.",
    ),
    (
        "prince2-foundation",
        "PRINCE2 Foundation",
        "PRINCE2",
        None,
        "Principles, themes and processes of PRINCE2 (certification).",
    ),
    (
        "agile-fundamentals",
        "Agile fundamentals",
        "Agile",
        None,
        "Scrum and Kanban basics, backlogs, iterations and reviews.",
    ),
    (
        "data-protection",
        "Data protection (GDPR)",
        "Compliance",
        12,
        "Personal data in projects: lawful basis, DPIA, retention.",
    ),
    (
        "change-management",
        "Change management",
        "ADKAR",
        None,
        "Bringing people along: stakeholders, communication and adoption.",
    ),
]

GATE_COURSES = ("stage-gate-fundamentals", "project-method")
#: Who submits or votes at the demo portfolio's gates (see app/demo/portfolio.yaml).
GATE_PEOPLE = (
    *("manager", "manager2", "manager3", "manager4", "manager5", "manager6"),
    *("gatekeeper", "gatekeeper2", "gatekeeper3", "gatekeeper4"),
)


def _requirements(on: date) -> list[tuple[str, Role | None, str | None, date | None, int | None]]:
    """course, role, team, fixed due date, days after joining."""
    return [
        ("stage-gate-fundamentals", Role.MANAGER, None, None, 60),
        ("stage-gate-fundamentals", Role.GATEKEEPER, None, None, 60),
        ("gate-reviewer", Role.GATEKEEPER, None, None, 30),
        ("project-method", Role.MANAGER, None, None, 90),
        ("project-method", None, "Digital", None, 120),
        ("risk-management", Role.MANAGER, None, None, 180),
        ("agile-fundamentals", None, "Digital", None, 180),
        ("data-protection", None, "Operations", on - timedelta(days=10), None),
    ]


def _completions(on: date) -> list[tuple[str, str, date]]:
    """username, course, completion day: valid gate training, then a mix of statuses.

    The gate courses were taken before the demo portfolio's year of history begins, so every
    past submission and vote it replays found them valid.
    """
    before_history = on - timedelta(days=400)
    rows = [(name, key, before_history) for name in GATE_PEOPLE for key in GATE_COURSES]
    rows += [
        ("gatekeeper", "gate-reviewer", on - timedelta(days=100)),
        ("gatekeeper2", "gate-reviewer", on - timedelta(days=400)),
        # valid for 15 more days: on the expiring list
        ("gatekeeper3", "gate-reviewer", add_months(on + timedelta(days=15), -24)),
        ("manager", "risk-management", add_months(on + timedelta(days=20), -36)),
        ("manager2", "risk-management", add_months(on - timedelta(days=30), -36)),  # expired
        ("manager", "agile-fundamentals", on - timedelta(days=700)),
        ("manager2", "data-protection", on - timedelta(days=400)),  # expired, required
        ("gatekeeper2", "data-protection", on - timedelta(days=60)),
        ("staff", "agile-fundamentals", on - timedelta(days=30)),
        ("staff", "prince2-foundation", on - timedelta(days=900)),
        ("pmo", "prince2-foundation", on - timedelta(days=2000)),
        ("pmo", "change-management", on - timedelta(days=300)),
        ("pmo", "stage-gate-fundamentals", on - timedelta(days=50)),
    ]
    return rows


def seed_training() -> str:
    on = today()
    courses = {course.key: course for course in db.session.scalars(select(Course))}
    created_courses = 0
    for key, title, methodology, validity, description in COURSES:
        if key not in courses:
            courses[key] = create_course(key, title, description, methodology, validity)
            created_courses += 1
    created_requirements = 0
    for key, role, team_name, due_date, due_days in _requirements(on):
        team = db.session.scalar(select(Team).where(Team.name == team_name)) if team_name else None
        exists = db.session.scalar(
            select(Requirement.id).where(
                Requirement.course_id == courses[key].id,
                Requirement.role == role if role else Requirement.role.is_(None),
                Requirement.team_id == team.id if team else Requirement.team_id.is_(None),
            )
        )
        if exists is None:
            create_requirement(courses[key], role, team, due_date, due_days)
            created_requirements += 1
    pmo = get_user_by_username("pmo")
    done = {
        tuple(row) for row in db.session.execute(select(Completion.user_id, Completion.course_id))
    }
    created_completions = 0
    for username, key, day in _completions(on):
        user = get_user_by_username(username)
        if user is None or (user.id, courses[key].id) in done:
            continue
        record_completion(user, courses[key], day, recorded_by=pmo)
        done.add((user.id, courses[key].id))
        created_completions += 1
    return (
        f"training: {created_courses} courses, {created_requirements} requirements, "
        f"{created_completions} completions created"
    )
