"""The issue's "done when", walked through the API only."""

from __future__ import annotations

from sqlalchemy import text

from app.extensions import db
from tests.projects.conftest import STAGE_GATE, passing_answers


def test_stage_gate_project_walks_the_first_gate_then_dies_and_the_chain_catches_tampering(
    app, api, runner
):
    created = api("post", "/projects", "manager", json={"name": "Ion", "workflow": "stage-gate"})
    assert created.status_code == 201
    assert created.json["stage"] == "discovery"
    assert created.json["status"] == "active"
    project = created.json["id"]

    review = api(
        "post",
        f"/projects/{project}/gate-reviews",
        "manager",
        json={"criteria": passing_answers(0), "deliverables": [], "summary": "idea"},
    )
    assert review.status_code == 201
    assert review.json["gate"] == "gate-1-idea-screen"
    assert review.json["status"] == "submitted"
    review_id = review.json["id"]

    assert (
        api(
            "post", f"/gate-reviews/{review_id}/votes", "manager", json={"decision": "go"}
        ).status_code
        == 403
    )
    assert (
        api("post", f"/gate-reviews/{review_id}/votes", "gk1", json={"decision": "go"}).status_code
        == 201
    )
    assert (
        api("post", f"/gate-reviews/{review_id}/votes", "gk1", json={"decision": "go"}).status_code
        == 409
    )
    assert (
        api("post", f"/gate-reviews/{review_id}/votes", "gk2", json={"decision": "go"}).status_code
        == 201
    )

    assert api("get", f"/projects/{project}", "manager").json["stage"] == "scoping"
    decided = api("get", f"/gate-reviews/{review_id}", "gk1").json
    assert decided["status"] == "decided"
    assert decided["decision"] == "go"

    answers = passing_answers(1)
    answers["strategic-alignment"] = False
    refused = api(
        "post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": answers}
    )
    assert refused.status_code == 422
    fields = [d["field"] for d in refused.json["error"]["details"]]
    assert "criteria.strategic-alignment" in fields

    # kill at gate 2: submit with URL deliverables, then two kill votes
    gate2 = STAGE_GATE.gates[1]
    deliverables = [
        {"key": d.key, "url": f"https://docs.example/{d.key}"} for d in gate2.deliverables
    ]
    second = api(
        "post",
        f"/projects/{project}/gate-reviews",
        "manager",
        json={"criteria": passing_answers(1), "deliverables": deliverables},
    )
    assert second.status_code == 201, second.json
    for who in ("gk1", "gk2"):
        vote = api(
            "post",
            f"/gate-reviews/{second.json['id']}/votes",
            who,
            json={"decision": "kill", "comment": "market gone"},
        )
        assert vote.status_code == 201
    assert api("get", f"/projects/{project}", "manager").json["status"] == "killed"
    after = api(
        "post",
        f"/projects/{project}/gate-reviews",
        "manager",
        json={"criteria": passing_answers(1)},
    )
    assert after.status_code == 409

    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output
    with app.app_context():
        victim = db.session.scalar(text("SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET 3"))
        db.session.execute(
            text("UPDATE audit_events SET actor = 'mallory' WHERE id = :id"), {"id": victim}
        )
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"event {victim}" in result.output
    report = api("get", "/audit/verify", "pmo").json
    assert report["ok"] is False
    assert report["first_broken"] == victim
