"""The demo portfolio: two portfolios, five programmes, about forty projects and their year.

The history is replayed through the real services, every step under `clock_at` its own
moment and all projects' steps in time order, so reviews, votes, decisions, stage periods,
action items and the audit chain carry past dates and the chain stays valid. Idempotent: a
portfolio, programme or project whose name exists is left alone (with its history).

Only the events of the last fortnight reach the notification outbox: messages about
decisions taken months ago would be noise on the first start.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import get_user_by_username
from app.demo.accounts import DEMO_USERS
from app.demo.history import HISTORY_DAYS, Planner, Step
from app.extensions import db
from app.library.lessons import record_lesson
from app.library.lifecycle import transition
from app.library.models import Document
from app.portfolio.services import create_portfolio, create_programme, get_portfolio_by_name
from app.projects.actions import close_action_item, verify_action_item
from app.projects.definitions import all_current, get_definition
from app.projects.models import ActionItem, ActionStatus, GateReview, Project
from app.projects.programmes import get_programme_by_name
from app.projects.services import (
    create_project,
    drop_after_commit_events,
    hold_project,
    resume_project,
)
from app.projects.submission import submit_review
from app.projects.voting import cast_vote
from app.timeutil import clock_at, utcnow
from workflows import WorkflowDefinition

DATA = Path(__file__).with_name("portfolio.yaml")
#: Events older than this are history: they notify nobody.
NOTIFY_WINDOW = timedelta(days=14)


def load_data() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def project_specs(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every project of the data, with the name of its programme."""
    return [
        {**project, "programme": programme["name"]}
        for portfolio in data["portfolios"]
        for programme in portfolio["programmes"]
        for project in programme["projects"]
    ]


def _structure(data: dict[str, Any]) -> int:
    """Create the portfolios and programmes that do not exist yet; how many were created."""
    created = 0
    for portfolio in data["portfolios"]:
        if get_portfolio_by_name(portfolio["name"]) is None:
            create_portfolio(portfolio["name"], portfolio["description"])
            created += 1
        for programme in portfolio["programmes"]:
            if get_programme_by_name(programme["name"]) is None:
                create_programme(programme["name"], programme["description"], portfolio["name"])
                created += 1
    return created


class Replay:
    """Applies planned steps through the services, remembering each project's objects."""

    def __init__(self, specs: dict[str, dict[str, Any]], texts: dict[str, Any]) -> None:
        self.specs = specs
        self.texts = texts
        self.people: dict[str, User] = {}
        self.pmo = self.person("pmo")
        self.projects: dict[str, Project] = {}
        self.reviews: dict[str, GateReview] = {}
        self.counts = {"submit": 0, "vote": 0}

    def person(self, username: str) -> User:
        """A demo account, read once."""
        if username not in self.people:
            user = get_user_by_username(username)
            if user is None:
                raise LookupError(f"demo portfolio: no account {username!r}; seed accounts first")
            self.people[username] = user
        return self.people[username]

    def apply(self, step: Step) -> None:
        getattr(self, f"_{step.action}")(step.project, **step.args)
        self.counts[step.action] = self.counts.get(step.action, 0) + 1

    def _create(self, name: str) -> None:
        spec = self.specs[name]
        manager = self.person(spec["manager"])
        self.projects[name] = create_project(
            manager,
            name,
            spec["workflow"],
            manager=manager,
            programme=get_programme_by_name(spec["programme"]),
            budget=Decimal(spec["budget"]),
        )

    def _submit(
        self,
        name: str,
        gate: str,
        criteria: dict[str, Any],
        summary: str,
        budget: dict[str, float],
        top_risks: list[str],
    ) -> None:
        project = self.projects[name]
        definition = get_definition(project.workflow, project.workflow_version)
        deliverables = [self._deliverable(project, d) for d in definition.gate(gate).deliverables]
        self.reviews[name] = submit_review(
            project.manager,
            project,
            criteria,
            deliverables,
            summary=summary,
            budget={key: Decimal(str(value)) for key, value in budget.items()},
            top_risks=top_risks,
        )

    def _deliverable(self, project: Project, deliverable: Any) -> dict[str, Any]:
        """A lesson learned written for the occasion, else a link to the project's site."""
        if deliverable.kind == "lesson":
            return {"key": deliverable.key, "document": self._lesson(project.name).id}
        site = f"https://projets.jalon.example/p{project.id}"
        return {"key": deliverable.key, "url": f"{site}/{deliverable.key}"}

    def _texts(self, project: Project) -> tuple[str, dict[str, Any]]:
        """The language of the project's demo texts, and those texts."""
        language = "fr" if project.workflow == "it-project" else "en"
        return language, self.texts[language]

    def _lesson(self, name: str, stopped: bool = False) -> Document:
        """The manager's lessons learned at the project's stage, published by the PMO."""
        project = self.projects[name]
        language, texts = self._texts(project)
        lesson = record_lesson(
            project,
            project.stage,
            project.manager,
            texts["lesson_title"].format(project=name),
            texts["stopped_lesson" if stopped else "lesson"].format(project=name),
            language,
            tags=["demo"],
        )
        for status in ("in_review", "published"):
            transition(lesson, self.pmo, status)
        return lesson

    def _vote(self, name: str, voter: str, decision: str, comment: str, **extra: Any) -> None:
        conditions = [
            {"description": c["description"], "due_date": utcnow().date() + timedelta(c["due_in"])}
            for c in extra.get("conditions", ())
        ]
        cast_vote(
            self.person(voter),
            self.reviews[name].id,
            decision,
            comment=comment,
            conditions=conditions,
            scores=extra.get("scores"),
        )

    def _close(self, name: str, evidence: str) -> None:
        project = self.projects[name]
        close_action_item(project.manager, self._item(project, ActionStatus.OPEN), evidence)

    def _verify(self, name: str) -> None:
        verify_action_item(self.pmo, self._item(self.projects[name], ActionStatus.CLOSED))

    def _hold(self, name: str) -> None:
        project = self.projects[name]
        hold_project(self.pmo, project, self._texts(project)[1]["pause"])

    def _resume(self, name: str) -> None:
        project = self.projects[name]
        resume_project(self.pmo, project, self._texts(project)[1]["resume"])

    @staticmethod
    def _item(project: Project, status: ActionStatus) -> ActionItem:
        """The project's oldest action item in `status`."""
        return db.session.scalars(
            select(ActionItem)
            .where(ActionItem.project_id == project.id, ActionItem.status == status)
            .order_by(ActionItem.id)
            .limit(1)
        ).one()


def plan(
    specs: list[dict[str, Any]], texts: dict[str, Any], definitions: dict[str, WorkflowDefinition]
) -> list[Step]:
    """Every step of every project in `specs`, in the order they happened."""
    gatekeepers = [name for name, _n, roles, _t in DEMO_USERS if "gatekeeper" in roles]
    planner = Planner(definitions, texts, utcnow())
    steps = [step for spec in specs for step in planner.plan(spec, gatekeepers)]
    order = {spec["name"]: index for index, spec in enumerate(specs)}
    return sorted(steps, key=lambda step: (step.at, order[step.project]))


def seed_portfolio() -> str:
    """Create what is missing of the demo portfolio and replay the new projects' history.

    Every project is planned (one random sequence, whatever exists), the new ones replayed.
    """
    data = load_data()
    structure = _structure(data)
    specs = project_specs(data)
    existing = set(db.session.scalars(select(Project.name))) & {s["name"] for s in specs}
    new = {spec["name"]: spec for spec in specs if spec["name"] not in existing}
    replay = Replay(new, data["texts"])
    if new:
        # The workflow versions are stored (and audited) before the history starts.
        with clock_at(utcnow() - timedelta(days=HISTORY_DAYS + 1)):
            definitions = {d.key: d for d in all_current()}
        recent = utcnow() - NOTIFY_WINDOW
        for step in plan(specs, data["texts"], definitions):
            if step.project not in new:
                continue
            with clock_at(step.at):
                replay.apply(step)
            if step.at < recent:
                drop_after_commit_events(db.session)
    return (
        f"portfolio: {structure} portfolios and programmes, {len(new)} projects created "
        f"({len(existing)} already there), {replay.counts['submit']} gate reviews, "
        f"{replay.counts['vote']} votes"
    )
