"""`jalon reminders send`: once per recipient, item and period; held without mail; retried."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth.models import Role, Team, User
from app.extensions import db
from app.notifications import services
from app.notifications.reminders import period_key
from app.timeutil import utcnow
from app.training.services import create_course, create_requirement, record_completion
from docs_store.locking import try_writer_lock

DUE = "2026-11-30"  # a Monday (ISO week 49)


@pytest.fixture
def mail_runner(make_app, workflows_dir, monkeypatch):
    """A CLI runner with mail on, whose SMTP is `sent` (list) or raises for `refused` people."""
    app = make_app(
        JALON_WORKFLOWS_DIR=str(workflows_dir),
        MAIL_SERVER="smtp.invalid",
        JALON_BASE_URL="https://jalon.example.org",
    )
    runner = app.test_cli_runner()
    runner.sent, runner.refused = [], set()

    def fake_smtp(message):
        if message["To"] in runner.refused:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"mailbox unavailable")})
        runner.sent.append(message)

    monkeypatch.setattr(services, "_send_by_smtp", fake_smtp)
    return runner


@pytest.fixture
def action_item(open_review, vote, give_emails, runner):
    """An open action item due on `DUE`, owned by the manager; earlier messages already held."""
    review_id = open_review()
    dated = {"description": "Sign the supplier contract", "due_date": DUE}
    undated = {"description": "Keep the risk log current"}  # never reminded: no due date
    for voter, condition in (("gk1", dated), ("gk2", undated)):
        assert vote(review_id, voter, "conditional_go", conditions=[condition]).status_code == 201
    give_emails()
    runner.invoke(args=["notifications", "send"])  # mail off: the decision messages are held


def _remind(runner, on, *options):
    result = runner.invoke(args=["reminders", "send", "--on", on, *options])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_periods_are_iso_weeks_or_months():
    assert period_key(date(2026, 11, 29), "week") == "2026-W48"
    assert period_key(date(2026, 11, 30), "week") == "2026-W49"
    assert period_key(date(2027, 1, 1), "week") == "2026-W53"
    assert period_key(date(2026, 11, 30), "month") == "2026-11"


def test_an_action_item_is_reminded_once_per_week_and_again_the_next_week(
    action_item, mail_runner, outbox
):
    assert _remind(mail_runner, "2026-11-27") == "queued 1, sent 1, held 0, failed 0"
    assert _remind(mail_runner, "2026-11-27") == "queued 0, sent 0, held 0, failed 0"
    assert _remind(mail_runner, "2026-11-29") == "queued 0, sent 0, held 0, failed 0"
    assert _remind(mail_runner, "2026-11-30") == "queued 1, sent 1, held 0, failed 0"

    assert [m["Subject"] for m in mail_runner.sent] == [
        "Action item due on November 30, 2026: Widget",
        "Action item due on November 30, 2026: Widget",
    ]
    assert mail_runner.sent[0]["To"] == "manager@example.org"
    assert "Sign the supplier contract" in mail_runner.sent[0].get_content()
    assert "Open: https://jalon.example.org/projects/1" in mail_runner.sent[0].get_content()
    assert [m["key"] for m in outbox("action_item_due")] == [
        "action-1:2026-W48",
        "action-1:2026-W49",
    ]


def test_monthly_period_reminds_once_a_month(action_item, mail_runner):
    assert _remind(mail_runner, "2026-11-27", "--period", "month").startswith("queued 1,")
    assert _remind(mail_runner, "2026-11-30", "--period", "month").startswith("queued 0,")
    assert _remind(mail_runner, "2026-12-01", "--period", "month").startswith("queued 1,")
    assert mail_runner.sent[-1]["Subject"] == "Action item overdue since November 30, 2026: Widget"


def test_nothing_is_due_far_from_the_due_date(action_item, mail_runner):
    assert _remind(mail_runner, "2026-11-26") == "queued 0, sent 0, held 0, failed 0"
    assert _remind(mail_runner, "2026-11-26", "--days", "4").startswith("queued 1,")


def test_with_mail_disabled_reminders_are_held_for_admins(action_item, runner, outbox):
    assert _remind(runner, "2026-11-27") == "queued 1, sent 0, held 1, failed 0"
    assert _remind(runner, "2026-11-27") == "queued 0, sent 0, held 0, failed 0"
    assert [m["state"] for m in outbox("action_item_due")] == ["held"]


def test_a_failed_delivery_keeps_the_message_with_its_error_and_retries(
    action_item, mail_runner, outbox
):
    mail_runner.refused.add("manager@example.org")
    assert _remind(mail_runner, "2026-11-27") == "queued 1, sent 0, held 0, failed 1"
    [message] = outbox("action_item_due")
    assert message["state"] == "failed"
    assert "mailbox unavailable" in message["error"]

    mail_runner.refused.clear()
    assert _remind(mail_runner, "2026-11-27") == "queued 0, sent 1, held 0, failed 0"
    assert outbox("action_item_due")[0]["state"] == "sent"


def test_a_closed_action_item_is_not_reminded(action_item, api, mail_runner):
    response = api("post", "/action-items/1/close", "manager", json={"evidence": "Signed."})
    assert response.status_code in (200, 201), response.json
    assert _remind(mail_runner, "2026-11-27") == "queued 0, sent 0, held 0, failed 0"


def _train(app, *, completed_on, validity_months=12, due_date=None):
    """Course "safety" required for staff; `staff` (team Ops, managed by `boss`) did it."""
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == "staff"))
        team = db.session.scalar(select(Team).where(Team.name == "Ops"))
        course = create_course("safety", "Site safety", validity_months=validity_months)
        create_requirement(course, role=Role.STAFF, due_date=due_date or date(2020, 1, 1))
        if completed_on:
            record_completion(person, course, completed_on, recorded_by=None)
        db.session.commit()
        return team


@pytest.fixture
def trained_people(app, make_user):
    make_user("staff", roles=["staff"], teams=["Ops"], email="staff@example.org")
    make_user("boss", roles=["manager"], teams=["Ops"], email="boss@example.org", display_name="Bo")
    make_user("other", roles=["manager"], teams=["Sales"], email="other@example.org")


def test_expiring_training_reminds_the_person_and_their_manager(app, trained_people, mail_runner):
    today = utcnow().date()
    _train(app, completed_on=today - timedelta(days=350))  # valid 12 months: expires in ~2 weeks

    line = _remind(mail_runner, today.isoformat())

    assert line == "queued 2, sent 2, held 0, failed 0"
    to = {m["To"]: m for m in mail_runner.sent}
    assert set(to) == {"staff@example.org", "boss@example.org"}
    assert to["staff@example.org"]["Subject"] == "Training reminder: Site safety"
    assert "Your training Site safety expires on" in to["staff@example.org"].get_content()
    assert to["boss@example.org"]["Subject"] == "Training reminder: Site safety (staff)"
    assert _remind(mail_runner, today.isoformat()).startswith("queued 0,")


def test_overdue_training_reminds_too_and_compliant_training_does_not(
    app, trained_people, mail_runner, outbox
):
    _train(app, completed_on=None)
    today = utcnow().date()
    assert _remind(mail_runner, today.isoformat()).startswith("queued 2,")
    assert {m["kind"] for m in outbox()} == {"training_overdue"}


def test_compliant_training_is_not_reminded(app, trained_people, mail_runner):
    _train(app, completed_on=utcnow().date() - timedelta(days=10))
    assert _remind(mail_runner, utcnow().date().isoformat()).startswith("queued 0,")


def test_a_review_waiting_for_days_reminds_the_approvers_who_have_not_voted(
    open_review, vote, people, give_emails, runner, mail_runner
):
    people.ensure("gk1", "gk2", "gk3")
    review_id = open_review()
    vote(review_id, "gk1", "go")
    give_emails()
    runner.invoke(args=["notifications", "send"])  # hold the submission messages
    today = utcnow().date()

    assert _remind(mail_runner, today.isoformat()).startswith("queued 0,")
    assert _remind(mail_runner, (today + timedelta(days=4)).isoformat()).startswith("queued 2,")

    assert sorted(m["To"] for m in mail_runner.sent) == ["gk2@example.org", "gk3@example.org"]
    assert mail_runner.sent[0]["Subject"] == "Gate review awaiting your vote: Widget, Check"


def test_a_french_person_is_reminded_in_french(action_item, give_emails, mail_runner):
    give_emails(manager="fr")
    _remind(mail_runner, "2026-11-27")
    [message] = mail_runner.sent
    assert "30 novembre 2026" in message["Subject"]


def test_an_unknown_period_is_refused(make_app, workflows_dir):
    app = make_app(JALON_WORKFLOWS_DIR=str(workflows_dir), JALON_REMINDER_PERIOD="fortnight")
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 1
    assert "JALON_REMINDER_PERIOD must be week or month" in result.output


def test_a_second_run_at_the_same_time_is_refused(app, runner):
    lock = try_writer_lock(Path(app.config["JALON_DATA_DIR"]) / "reminders.lock")
    with lock:
        result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 1
    assert "another `jalon reminders send` is running" in result.output
