"""The demo portfolio: a year of gate governance replayed through the real services."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Team, User
from app.demo.history import Planner, parse_story
from app.demo.portfolio import load_data, plan, project_specs
from app.extensions import db
from app.library.models import Document, DocumentKind
from app.portfolio.metrics import project_figures
from app.portfolio.rag import Rag, evaluate, load_rules
from app.projects import audit
from app.projects.models import (
    ActionItem,
    ActionStatus,
    AuditEvent,
    GateReview,
    Project,
    ReviewStatus,
    StagePeriod,
    Vote,
)
from app.projects.programmes import Portfolio, Programme
from app.timeutil import utcnow
from workflows import Decision, Status
from workflows.loader import load_definitions_dir

NOW = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)


def _plan(now: datetime) -> list:
    data = load_data()
    planner = Planner(load_definitions_dir(), data["texts"], now)
    gatekeepers = ["gatekeeper", "gatekeeper2", "gatekeeper3", "gatekeeper4"]
    return [step for spec in project_specs(data) for step in planner.plan(spec, gatekeepers)]


def test_story_moves_and_their_age_are_parsed() -> None:
    assert parse_story("go cgo open:12") == (["go", "cgo", "open"], 12)
    assert parse_story("go go") == (["go", "go"], None)
    assert parse_story(":5") == ([], 5)


@pytest.mark.parametrize("hours", [0, 12, 30, 60, 85, 108, 131, 150])
def test_demo_plan_stays_in_the_last_twelve_months_in_office_hours(hours: int) -> None:
    now = NOW + timedelta(hours=hours)
    steps = _plan(now)
    assert all(now - timedelta(days=365) < step.at < now for step in steps)
    past = [step.at for step in steps if step.at.date() < now.date()]
    assert all(time(7) <= moment.time() <= time(18) for moment in past)
    assert all(moment.weekday() < 5 for moment in past if moment.date() < now.date() - timedelta(3))
    for name in {step.project for step in steps}:
        moments = [step.at for step in steps if step.project == name]
        assert moments == sorted(moments), name
        assert len(set(moments)) == len(moments), name
    months = {step.at.strftime("%Y-%m") for step in steps if step.action == "submit"}
    assert len(months) >= 10


def test_demo_plan_is_the_same_every_time() -> None:
    assert [(s.at, s.project, s.action, s.args) for s in _plan(NOW)] == [
        (s.at, s.project, s.action, s.args) for s in _plan(NOW)
    ]


def test_demo_plan_gives_comments_and_conditions_where_the_rules_ask() -> None:
    votes = [step.args for step in _plan(NOW) if step.action == "vote"]
    for vote in votes:
        if vote["decision"] in ("kill", "hold", "recycle"):
            assert vote["comment"].strip()
        assert bool(vote.get("conditions")) == (vote["decision"] == "conditional_go")
    assert sum(1 for vote in votes if vote.get("scores")) > len(votes) / 2


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _assert_realistic_portfolio() -> None:
    now = utcnow()
    assert _count(Portfolio) == 2
    assert _count(Programme) == 5
    projects = db.session.scalars(select(Project)).all()
    assert 35 <= len(projects) <= 45
    assert all(project.programme is not None for project in projects)
    assert {p.workflow for p in projects} == {"it-project", "stage-gate"}
    assert {p.status for p in projects} == set(Status)
    assert set(db.session.scalars(select(GateReview.decision).distinct())) - {None} == set(Decision)
    statuses = set(db.session.scalars(select(GateReview.status).distinct()))
    assert {ReviewStatus.SUBMITTED, ReviewStatus.DECIDED} <= statuses
    assert set(db.session.scalars(select(ActionItem.status).distinct())) == set(ActionStatus)
    decided = db.session.scalars(
        select(GateReview.decided_at).where(GateReview.decided_at.is_not(None))
    )
    months = {moment.strftime("%Y-%m") for moment in decided if moment > now - timedelta(days=366)}
    assert len(months) >= 10
    assert all(p.created_at < now - timedelta(days=1) for p in projects)
    ended = [p.id for p in projects if p.status in (Status.KILLED, Status.COMPLETED)]
    lessons = select(Document.project_id).where(Document.kind == DocumentKind.LESSON)
    assert set(ended) <= set(db.session.scalars(lessons))
    assert db.session.scalar(select(func.min(StagePeriod.entered_at))) < now - timedelta(days=300)


def _assert_amber_and_red_projects() -> None:
    now = utcnow()
    figures = project_figures(select(Project.id), now)
    rules = load_rules()
    fired = {
        reason.rule
        for result in (evaluate(f.rag_metrics(), rules) for f in figures.values())
        for reason in result.reasons
    }
    assert {"budget-red", "budget-amber", "review-waiting", "overdue-actions"} <= fired
    statuses = [evaluate(f.rag_metrics(), rules).status for f in figures.values()]
    assert statuses.count(Rag.GREEN) > len(statuses) / 2


def _assert_audit_chain_in_time_order() -> None:
    report = audit.verify()
    assert report.ok, report
    moments = list(db.session.scalars(select(AuditEvent.created_at).order_by(AuditEvent.id)))
    assert moments == sorted(moments)
    assert report.events == len(moments) > 500


@pytest.mark.slow
def test_demo_seed_replays_a_year_of_portfolio_governance_once(app, runner) -> None:
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "jalon-demo" in first.output
    people = (User, Team)
    with app.app_context():
        accounts = [_count(model) for model in people]
        _assert_realistic_portfolio()
        _assert_amber_and_red_projects()
        _assert_audit_chain_in_time_order()
        counts = [_count(model) for model in (Project, GateReview, Vote, AuditEvent, ActionItem)]
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    assert "0 projects created" in second.output
    with app.app_context():
        assert [_count(m) for m in (Project, GateReview, Vote, AuditEvent, ActionItem)] == counts
        assert [_count(model) for model in people] == accounts
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0
    assert f"Audit chain intact: {counts[3]} events." in verified.output


def test_demo_plan_is_replayed_in_time_order_across_projects() -> None:
    data = load_data()
    steps = plan(project_specs(data), data["texts"], load_definitions_dir())
    moments = [step.at for step in steps]
    assert moments == sorted(moments)
    assert len({step.project for step in steps}) == len(project_specs(data))
