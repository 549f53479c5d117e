"""Submissions and decisions notify in their own transaction; delivery waits for the CLI."""

from __future__ import annotations

from sqlalchemy import select, update

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.projects.voting import cast_vote
from tests.conftest import bearer
from tests.projects.conftest import TINY_PASS

CONDITION = {"description": "Sign the supplier contract", "due_date": "2026-11-30"}


def test_a_submission_notifies_each_approver_but_not_the_submitter(
    app, api, people, token_for, new_project, outbox
):
    people["boss"] = bearer(token_for("boss", "manager", "gatekeeper"))
    people.ensure("gk1", "gk2", "gk3", "pmo", "staff")
    with app.app_context():  # gk3 left: inactive people are not written to
        db.session.execute(update(User).where(User.username == "gk3").values(active=False))
        db.session.commit()
    project_id = new_project(name="Atlas", who="boss")

    response = api("post", f"/projects/{project_id}/gate-reviews", "boss", json=TINY_PASS)

    assert response.status_code == 201
    messages = outbox()
    assert sorted(m["to"] for m in messages) == ["gk1", "gk2"]
    assert {m["kind"] for m in messages} == {"review_submitted"}
    assert messages[0]["subject"] == "Gate review to decide: Atlas, Check"
    assert "boss submitted the gate review Check of the project Atlas." in messages[0]["body"]
    assert f"/reviews/{response.json['id']}" in messages[0]["body"]


def test_messages_wait_in_the_outbox_for_the_delivery_command(
    make_app, workflows_dir, people, api, open_review, outbox, give_emails
):
    mail_app = make_app(JALON_WORKFLOWS_DIR=str(workflows_dir), MAIL_SERVER="smtp.invalid")
    people.ensure("gk1", "gk2")
    give_emails()
    mail_client = mail_app.test_client()
    project_id = mail_client.post(
        "/api/v1/projects", headers=people["manager"], json={"name": "Atlas", "workflow": "tiny"}
    ).json["id"]

    mail_client.post(
        f"/api/v1/projects/{project_id}/gate-reviews", headers=people["manager"], json=TINY_PASS
    )

    assert [m["state"] for m in outbox()] == ["pending", "pending"]


def test_a_decision_notifies_the_manager_with_its_conditions(open_review, vote, outbox):
    review_id = open_review()
    vote(review_id, "gk1", "conditional_go", conditions=[CONDITION])
    assert outbox("decision") == []

    response = vote(review_id, "gk2", "conditional_go", conditions=[CONDITION])

    assert response.status_code == 201
    [message] = outbox("decision")
    assert message["to"] == "manager"
    assert message["subject"] == "Decision at Check for Widget: Conditional go"
    assert "Conditional go" in message["body"]
    assert "- Sign the supplier contract (due November 30, 2026)" in message["body"]


def test_a_refused_submission_writes_no_message(api, people, new_project, outbox):
    people.ensure("gk1", "gk2")
    project_id = new_project()
    unmet = {**TINY_PASS, "criteria": {"safe": False, "value": 4}}

    response = api("post", f"/projects/{project_id}/gate-reviews", "manager", json=unmet)

    assert response.status_code == 422
    assert outbox() == []


def test_a_refused_vote_writes_no_message(open_review, vote, outbox):
    review_id = open_review()
    before = outbox()
    vote(review_id, "gk1", "go")

    refused = vote(review_id, "manager", "go")  # the submitter
    second = vote(review_id, "gk1", "go")  # a second vote

    assert (refused.status_code, second.status_code) == (403, 409)
    assert outbox() == before


def test_a_decision_rolled_back_leaves_no_message(app, people, open_review, vote, outbox):
    people.ensure("gk2")
    review_id = open_review()
    vote(review_id, "gk1", "kill")
    with app.app_context():
        voter = db.session.scalar(select(User).where(User.username == "gk2"))
        cast_vote(voter, review_id, "kill", comment="No market.")
        db.session.rollback()
        assert (
            db.session.scalar(select(Notification).where(Notification.kind == "decision")) is None
        )
        # The same vote committed writes the manager's message with it.
        voter = db.session.scalar(select(User).where(User.username == "gk2"))
        cast_vote(voter, review_id, "kill", comment="No market.")
        db.session.commit()
    assert [m["to"] for m in outbox("decision")] == ["manager"]


def test_a_french_manager_reads_the_decision_in_french(
    open_review, vote, outbox, give_emails, people
):
    review_id = open_review()
    give_emails(manager="fr")
    vote(review_id, "gk1", "conditional_go", conditions=[CONDITION])
    vote(review_id, "gk2", "conditional_go", conditions=[CONDITION])

    [message] = outbox("decision")

    assert "Go conditionnel" in message["subject"]
    assert "30 novembre 2026" in message["body"]
    assert "Conditional go" not in message["body"]
