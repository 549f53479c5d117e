"""Deliveries: written with the event, sent after commit, signed, retried, each sent once."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from flask import Flask
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from app.extensions import db
from app.projects.models import GateReview
from app.projects.services import after_commit
from app.timeutil import utcnow
from app.webhooks.addresses import Target
from app.webhooks.delivery import deliver_due, post
from app.webhooks.models import DeliveryState
from app.webhooks.services import enqueue, subscribers
from tests.projects.conftest import TINY_PASS


def send(app: Flask, **kwargs) -> dict[str, int]:
    with app.app_context():
        return deliver_due(**kwargs)


def decide(api, open_review) -> int:
    review_id = open_review()
    for gatekeeper in ("gk1", "gk2"):
        response = api(
            "post", f"/gate-reviews/{review_id}/votes", gatekeeper, json={"decision": "go"}
        )
        assert response.status_code == 201, response.json
    return review_id


def test_a_decision_reaches_the_receiver_signed(app, api, open_review, receiver, subscribe):
    webhook = subscribe(receiver.url, "review.decided")
    review_id = decide(api, open_review)
    assert receiver.requests == []  # nothing is sent inside the request

    assert send(app) == {"delivered": 1, "retrying": 0, "failed": 0}

    [request] = receiver.requests
    payload = Verifier(webhook["secret"]).verify(request["body"], request["headers"])
    assert payload["type"] == "review.decided"
    review = payload["data"]["review"]
    assert (review["id"], review["decision"], review["gate"]["key"]) == (review_id, "go", "check")
    assert review["url"].endswith(f"/reviews/{review_id}")
    assert payload["data"]["project"]["name"] == "Widget"
    log = api("get", f"/webhooks/{webhook['id']}/deliveries", "pmo").json["items"]
    assert [(d["event"], d["status"], d["attempts"], d["last_response_code"]) for d in log] == [
        ("review.decided", "delivered", 1, 200)
    ]
    assert log[0]["message_id"] == request["headers"]["webhook-id"]


def test_a_tampered_body_fails_verification(app, api, open_review, receiver, subscribe):
    webhook = subscribe(receiver.url, "review.submitted")
    open_review()
    send(app)

    [request] = receiver.requests
    tampered = request["body"].replace("Widget", "Gadget")
    with pytest.raises(WebhookVerificationError, match="signature"):
        Verifier(webhook["secret"]).verify(tampered, request["headers"])


def test_submission_and_stage_change_are_delivered_to_their_subscribers(
    app, api, open_review, receiver, subscribe
):
    subscribe(receiver.url, "review.submitted", "project.stage_changed")
    decide(api, open_review)

    send(app)

    types = [payload["type"] for payload in receiver.payloads()]
    assert types == ["review.submitted", "project.stage_changed"]
    stage = receiver.payloads()[1]["data"]["project"]["stage"]
    assert stage["key"] != "idea"
    assert stage["name"]


def test_a_failed_delivery_is_retried_after_the_backoff(app, api, open_review, receiver, subscribe):
    webhook = subscribe(receiver.url, "review.decided")
    decide(api, open_review)
    receiver.statuses = [500]
    now = utcnow()

    assert send(app, now=now)["retrying"] == 1
    [pending] = api("get", f"/webhooks/{webhook['id']}/deliveries", "pmo").json["items"]
    assert (pending["status"], pending["attempts"], pending["last_response_code"]) == (
        "pending",
        1,
        500,
    )
    assert pending["last_error"] == "HTTP 500"
    assert send(app, now=now + timedelta(seconds=30))["delivered"] == 0  # not due yet
    assert send(app, now=now + timedelta(minutes=1, seconds=1))["delivered"] == 1

    assert len(receiver.requests) == 2
    ids = {request["headers"]["webhook-id"] for request in receiver.requests}
    assert len(ids) == 1  # the same message, so that a receiver can drop duplicates
    [done] = api("get", f"/webhooks/{webhook['id']}/deliveries", "pmo").json["items"]
    assert (done["status"], done["attempts"], done["last_response_code"]) == ("delivered", 2, 200)


def test_a_receiver_that_keeps_failing_ends_failed(app, api, open_review, receiver, subscribe):
    subscribe(receiver.url, "review.submitted")
    open_review()
    receiver.statuses = [503] * 10
    moment = utcnow()

    outcomes = []
    for _attempt in range(6):
        outcomes.append(send(app, now=moment))
        moment += timedelta(hours=13)

    assert [o["retrying"] for o in outcomes] == [1, 1, 1, 1, 1, 0]
    assert outcomes[-1]["failed"] == 1
    assert send(app, now=moment + timedelta(days=1)) == {"delivered": 0, "retrying": 0, "failed": 0}


def test_a_refused_vote_or_submission_writes_no_delivery(
    app, api, new_project, open_review, receiver, subscribe, deliveries
):
    subscribe(receiver.url, "review.submitted", "review.decided", "project.stage_changed")
    project_id = new_project()
    unmet = {**TINY_PASS, "criteria": {"safe": False, "value": 4}}
    assert (
        api("post", f"/projects/{project_id}/gate-reviews", "manager", json=unmet).status_code
        == 422
    )
    review_id = open_review(project_id)
    before = len(deliveries())
    refused = api("post", f"/gate-reviews/{review_id}/votes", "manager", json={"decision": "go"})
    assert refused.status_code == 403
    with app.app_context():  # an event queued, then its transaction rolled back
        db.session.get(GateReview, review_id)
        after_commit("decision", {"review_id": review_id, "decision": "go"})
        db.session.rollback()
        db.session.commit()

    assert before == 1  # the accepted submission only
    assert len(deliveries()) == 1


def test_two_senders_at_once_send_each_delivery_once(app, receiver, subscribe, deliveries):
    subscribe(receiver.url, "risk.raised")
    with app.app_context():
        webhooks = subscribers()
        for number in range(8):
            enqueue("risk.raised", {"risk": {"id": number}}, webhooks)
        db.session.commit()
    results: list[dict[str, int]] = []

    def run() -> None:
        results.append(send(app))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result["delivered"] for result in results) == 8
    sent = [request["headers"]["webhook-id"] for request in receiver.requests]
    assert len(sent) == len(set(sent)) == 8
    assert {delivery.state for delivery in deliveries()} == {DeliveryState.DELIVERED}


def test_the_address_is_checked_again_when_sending(app, api, open_review, receiver, subscribe):
    webhook = subscribe(receiver.url, "review.submitted")
    open_review()
    app.config["JALON_WEBHOOKS_ALLOWED_HOSTS"] = ""  # as if the name now resolved to loopback

    assert send(app)["retrying"] == 1

    assert receiver.requests == []
    [attempt] = api("get", f"/webhooks/{webhook['id']}/deliveries", "pmo").json["items"]
    assert "JALON_WEBHOOKS_ALLOWED_HOSTS" in attempt["last_error"]
    assert attempt["last_response_code"] is None


def test_a_published_document_is_delivered(app, api, receiver, subscribe):
    subscribe(receiver.url, "document.published")
    document = api(
        "post", "/documents", "pmo", json={"title": "Gate checklist", "kind": "template"}
    ).json
    for status in ("in_review", "published"):
        moved = api("post", f"/documents/{document['id']}/transition", "pmo", json={"to": status})
        assert moved.status_code == 200, moved.json

    send(app)

    [payload] = receiver.payloads()
    assert payload["type"] == "document.published"
    assert payload["data"]["document"]["title"] == "Gate checklist"
    assert json.loads(receiver.requests[0]["body"]) == payload


def test_the_send_command_reports_what_it_did(app, runner, api, open_review, receiver, subscribe):
    subscribe(receiver.url, "review.submitted")
    open_review()

    result = runner.invoke(args=["webhooks", "send"])

    assert result.exit_code == 0, result.output
    assert "delivered 1, retrying 0, failed 0" in result.output


def test_the_post_goes_to_the_checked_address_not_to_a_new_lookup(receiver):
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    target = Target("http", "rebound.invalid", port, "127.0.0.1", "/hook")

    status = post(target, b"{}", {"content-type": "application/json"})

    assert status == 200
    assert receiver.requests[0]["headers"]["Host"] == f"rebound.invalid:{port}"
