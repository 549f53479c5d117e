"""The gate decision record: what was decided, by whom, on which exact evidence; JSON and PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.conftest import login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONDITIONS = {
    "gk1": [{"description": "Sign the supplier contract", "due_date": "2026-12-15"}],
    "gk2": [{"description": "Name a risk owner", "due_date": None}],
}


@pytest.fixture
def decided_review(api, new_project) -> tuple[int, int]:
    """A `tiny` project whose `check` gate saw the plan as a library document at version 1
    (edited to version 2 afterwards); two gatekeepers voted conditional go, each with a
    condition. Returns (project id, review id)."""
    document = api(
        "post",
        "/documents",
        "manager",
        json={"title": "Delivery plan v1", "kind": "template", "body": "Plan."},
    ).json
    project = new_project("Atlas")
    submitted = api(
        "post",
        f"/projects/{project}/gate-reviews",
        "manager",
        json={
            "criteria": {"safe": True, "value": 4},
            "deliverables": [{"key": "plan", "document": document["id"]}],
            "summary": "Ready to run.",
            "budget": {"planned": 1000, "actual": 400, "forecast": 1100},
        },
    )
    assert submitted.status_code == 201, submitted.json
    edited = api(
        "patch",
        f"/documents/{document['id']}",
        "manager",
        json={"title": "Delivery plan, revised", "reason": "after the gate"},
    )
    assert edited.status_code == 200, edited.json
    review = submitted.json["id"]
    for who, score, comment in (("gk1", 4, "Good plan."), ("gk2", 2, "Contract first.")):
        vote = api(
            "post",
            f"/gate-reviews/{review}/votes",
            who,
            json={
                "decision": "conditional_go",
                "comment": comment,
                "conditions": CONDITIONS[who],
                "scores": {"value": score},
            },
        )
        assert vote.status_code == 201, vote.json
    return project, review


def test_record_of_a_decided_review_holds_evidence_votes_decision_and_audit_hashes(
    api, decided_review
):
    project, review = decided_review
    response = api("get", f"/gate-reviews/{review}/record", "manager")
    assert response.status_code == 200, response.json
    record = response.json
    assert record["review"] == review
    assert record["project"]["id"] == project
    assert record["project"]["name"] == "Atlas"
    assert record["workflow"] == {"key": "tiny", "version": 1, "name": "Tiny"}
    gate = record["gate"]
    assert (gate["key"], gate["from"], gate["to"]) == ("check", "build", "run")
    assert (gate["pass_score"], gate["rule"], gate["min_votes"]) == (60, "majority", 2)
    assert gate["criteria"] == [
        {"key": "safe", "label": "It is safe", "must_meet": True, "weight": None, "answer": True},
        {
            "key": "value",
            "label": "It brings value",
            "must_meet": False,
            "weight": 1.0,
            "answer": 4,
        },
    ]
    assert record["score"] == 80.0
    assert record["submitted_by"] == "manager"
    assert record["submitted_by_name"] == record["project"]["manager_name"]
    assert record["budget"] == {
        "planned": "1000.00",
        "actual": "400.00",
        "forecast": "1100.00",
        "variance": "100.00",
        "variance_pct": 10.0,
    }
    assert (gate["from_name"], gate["to_name"], gate["rule_label"]) == ("Build", "Run", "majority")
    # The version seen at the gate, with the title it had then, not the later edit.
    (plan,) = record["deliverables"]
    assert plan["key"] == "plan"
    assert plan["url"] is None
    assert plan["document"]["version"] == 1
    assert plan["document"]["title"] == "Delivery plan v1"
    assert plan["document"]["link"].endswith(f"/{plan['document']['id']}/versions/1")
    assert plan["document"]["files"] == []
    votes = record["votes"]
    assert [(v["voter"], v["decision"], v["comment"]) for v in votes] == [
        ("gk1", "conditional_go", "Good plan."),
        ("gk2", "conditional_go", "Contract first."),
    ]
    assert [v["conditions"] for v in votes] == [CONDITIONS["gk1"], CONDITIONS["gk2"]]
    assert votes[0]["scores"] == {"value": 4}
    assert record["scorecard_spread"] == {"value": {"min": 2, "max": 4}}
    assert record["status"] == "decided"
    assert record["decision"] == "conditional_go"
    assert record["decided_at"]
    assert record["final"] is True
    assert record["note"] is None
    assert [
        (item["description"], item["owner"], item["due_date"], item["status"])
        for item in record["action_items"]
    ] == [
        ("Sign the supplier contract", "manager", "2026-12-15", "open"),
        ("Name a risk owner", "manager", None, "open"),
    ]
    events = api("get", f"/projects/{project}/audit?per_page=100", "manager").json["items"]
    by_kind = {}
    for event in events:
        by_kind.setdefault(event["kind"], []).append(event)
    audit = record["audit"]
    assert audit["submission"]["hash"] == by_kind["submission"][0]["hash"]
    assert audit["decision"]["hash"] == by_kind["decision"][0]["hash"]
    assert [link["hash"] for link in audit["votes"]] == [e["hash"] for e in by_kind["vote"]]
    assert audit["submission"]["prev_hash"] == by_kind["submission"][0]["prev_hash"]


def test_record_of_an_undecided_review_says_it_is_provisional(api, open_review):
    review = open_review()
    record = api("get", f"/gate-reviews/{review}/record", "gk1").json
    assert record["status"] == "submitted"
    assert (record["decision"], record["decided_at"], record["final"]) == (None, None, False)
    assert "No decision yet" in record["note"]
    assert record["votes"] == []
    assert record["scorecard_spread"] == {"value": None}
    assert record["deliverables"][0]["url"] == "https://docs.example/plan"
    assert record["deliverables"][0]["document"] is None
    assert record["audit"]["submission"] is not None
    assert record["audit"]["decision"] is None


def test_the_record_pdf_carries_criteria_evidence_votes_and_decision(api, decided_review):
    _project, review = decided_review
    response = api("get", f"/gate-reviews/{review}/record.pdf", "pmo")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=gate-decision-record-{review}.pdf"
    )
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    for expected in (
        "Gate decision record",
        "Atlas",
        "Workflow: Tiny, version 1",
        "It is safe",
        "It brings value",
        "Delivery plan v1, version 1",
        "Gate: Check, from Build to Run",
        "Decision: Conditional go",
        "Variance (forecast - planned)",
        "+10.0%",
        "Good plan.",
        "Contract first.",
        "Sign the supplier contract (Dec 15, 2026)",
        "Scorecard spread",
    ):
        assert expected in text, expected
    assert "Delivery plan, revised" not in text


def test_the_review_page_link_serves_the_pdf_to_whoever_sees_the_project(app, api, decided_review):
    _project, review = decided_review
    api.people.ensure("manager2")
    manager = app.test_client()
    login(manager, "manager")
    response = manager.get(f"/portfolio/gate-reviews/{review}/record.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    other = app.test_client()
    login(other, "manager2")
    assert other.get(f"/portfolio/gate-reviews/{review}/record.pdf").status_code == 404
    assert other.get("/portfolio/gate-reviews/999999/record.pdf").status_code == 404


@pytest.mark.parametrize("path", ["record", "record.pdf"])
def test_the_record_is_not_found_for_who_may_not_see_the_project_nor_for_an_unknown_id(
    api, open_review, snapshot, path
):
    review = open_review()
    before = snapshot()
    for who in ("manager2", "staff"):
        refused = api("get", f"/gate-reviews/{review}/{path}", who)
        assert refused.status_code == 404
        assert refused.json["error"]["code"] == "not_found"
    assert api("get", f"/gate-reviews/999999/{path}", "pmo").status_code == 404
    assert snapshot() == before


def test_openapi_documents_the_files_with_their_media_types(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    binary = {"schema": {"type": "string", "format": "binary"}}
    for path, media_type in (
        ("/api/v1/reports/status.xlsx", XLSX),
        ("/api/v1/reports/status.pdf", "application/pdf"),
        ("/api/v1/gate-reviews/{review_id}/record.pdf", "application/pdf"),
    ):
        assert paths[path]["get"]["responses"]["200"]["content"] == {media_type: binary}
    record = paths["/api/v1/gate-reviews/{review_id}/record"]["get"]["responses"]["200"]
    assert record["content"]["application/json"]["schema"]["$ref"].endswith("DecisionRecord")
    parameters = {p["name"] for p in paths["/api/v1/reports/status.xlsx"]["get"]["parameters"]}
    assert parameters == {
        "month",
        "portfolio",
        "programme",
        "workflow",
        "stage",
        "status",
        "manager",
    }
