"""Each decision through the API: where the project goes, what it leaves behind."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.projects.models import AuditEvent
from tests.projects.conftest import TINY_PASS, WHY
from tests.sql import count_queries


def _decide(api, review: int, decision: str, **extra) -> None:
    for who in ("gk1", "gk2"):
        response = api(
            "post", f"/gate-reviews/{review}/votes", who, json={"decision": decision, **extra}
        )
        assert response.status_code == 201, response.json


@pytest.mark.parametrize(
    ("decision", "extra", "stage", "status"),
    [
        ("go", {}, "run", "active"),
        ("hold", {"comment": "wait for budget"}, "build", "on_hold"),
        ("recycle", {"comment": "rework the plan"}, "build", "active"),
        ("kill", {"comment": "no market"}, "build", "killed"),
    ],
)
def test_each_decision_moves_the_project_where_the_method_says(
    api, open_review, decision, extra, stage, status
):
    review = open_review()
    _decide(api, review, decision, **extra)
    body = api("get", f"/gate-reviews/{review}", "gk1").json
    assert body["decision"] == decision
    project = api("get", f"/projects/{body['project']}", "manager").json
    assert (project["stage"], project["status"]) == (stage, status)


def test_recycle_lets_the_manager_submit_the_same_gate_again(api, open_review):
    review = open_review()
    _decide(api, review, "recycle", comment="rework")
    project = api("get", f"/gate-reviews/{review}", "gk1").json["project"]
    again = api("post", f"/projects/{project}/gate-reviews", "manager", json=TINY_PASS)
    assert again.status_code == 201
    assert again.json["gate"] == "check"


def test_a_split_committee_keeps_the_review_open_until_a_majority_forms(api, open_review):
    api.people.ensure("gk3")  # a third gatekeeper who may still vote keeps the rule reachable
    review = open_review()
    votes = [("gk1", {"decision": "go"}), ("gk2", {"decision": "kill", "comment": "no market"})]
    for who, body in votes:
        assert api("post", f"/gate-reviews/{review}/votes", who, json=body).status_code == 201
    assert api("get", f"/gate-reviews/{review}", "gk1").json["status"] == "submitted"
    assert api("post", f"/gate-reviews/{review}/votes", "gk3", json={"decision": "go"}).json
    body = api("get", f"/gate-reviews/{review}", "gk1").json
    assert (body["status"], body["decision"]) == ("decided", "go")


def test_kill_is_terminal(api, open_review, snapshot):
    review = open_review()
    _decide(api, review, "kill", comment="stop")
    project = api("get", f"/gate-reviews/{review}", "gk1").json["project"]
    before = snapshot()
    assert (
        api("post", f"/projects/{project}/gate-reviews", "manager", json=TINY_PASS).status_code
        == 409
    )
    assert api("post", f"/projects/{project}/hold", "pmo", json=WHY).status_code == 409
    assert api("post", f"/projects/{project}/resume", "pmo", json=WHY).status_code == 409
    assert snapshot() == before


def test_go_at_the_last_gate_completes_the_project(api, open_review):
    review = open_review()
    _decide(api, review, "go")
    project = api("get", f"/gate-reviews/{review}", "gk1").json["project"]
    last = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    assert last.json["gate"] == "close"
    vote = api("post", f"/gate-reviews/{last.json['id']}/votes", "gk3", json={"decision": "go"})
    assert vote.status_code == 201
    done = api("get", f"/projects/{project}", "manager").json
    assert (done["stage"], done["status"]) == ("run", "completed")
    again = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    assert again.status_code == 409


def test_conditional_go_opens_action_items_that_block_the_next_gate_until_closed(api, open_review):
    review = open_review()
    conditions = [{"description": "Sign the supplier contract", "due_date": "2027-01-15"}]
    _decide(api, review, "conditional_go", conditions=conditions)
    project = api("get", f"/gate-reviews/{review}", "gk1").json["project"]
    items = api("get", f"/projects/{project}/action-items", "manager").json["items"]
    assert len(items) == 2  # one per voter's condition
    assert items[0]["owner"] == "manager"
    assert items[0]["due_date"] == "2027-01-15"

    blocked = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    assert blocked.status_code == 422
    assert [d["code"] for d in blocked.json["error"]["details"]] == ["conditions_open"]

    for item in items:
        path = f"/action-items/{item['id']}"
        assert api("post", f"{path}/close", "gk1", json={"evidence": "x"}).status_code == 403
        assert api("post", f"{path}/verify", "pmo").status_code == 409
        closed = api("post", f"{path}/close", "manager", json={"evidence": "contract.pdf"})
        assert closed.json["status"] == "closed"
        assert api("post", f"{path}/verify", "manager").status_code == 403
        assert api("post", f"{path}/verify", "pmo").json["status"] == "verified"
    submitted = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    assert submitted.status_code == 201


def test_review_shows_votes_scorecards_and_deliverables(api, open_review):
    review = open_review()
    api(
        "post",
        f"/gate-reviews/{review}/votes",
        "gk1",
        json={"decision": "go", "scores": {"value": 5}},
    )
    body = api("get", f"/gate-reviews/{review}", "pmo").json
    assert body["status"] == "submitted"
    assert body["votes"][0]["voter"] == "gk1"
    assert body["votes"][0]["scores"] == {"value": 5}
    assert body["deliverables"][0]["deliverable"] == "plan"
    assert body["deliverables"][0]["url"] == "https://docs.example/plan"


def test_workflows_show_gates_with_flat_quorum_and_a_highlighted_diagram(api, new_project):
    listed = api("get", "/workflows", "staff").json["items"]
    assert {w["key"] for w in listed} >= {"stage-gate", "it-project", "tiny"}
    stage_gate = api("get", "/workflows/stage-gate", "staff").json
    gate = stage_gate["gates"][0]
    assert (gate["min_votes"], gate["rule"], gate["from"], gate["to"]) == (
        2,
        "majority",
        "discovery",
        "scoping",
    )
    assert stage_gate["versions"] == [1]
    assert api("get", "/workflows/nope", "staff").status_code == 404
    assert api("get", "/workflows/tiny?version=9", "staff").status_code == 404

    project = new_project()
    svg = api("get", f"/workflows/tiny/diagram.svg?project={project}", "manager")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    text = svg.get_data(as_text=True)
    assert "<title" in text
    assert "<desc" in text
    assert 'class="stage current"' in text
    assert "Current stage: Build." in text
    assert api("get", f"/workflows/tiny/diagram.svg?project={project}", "staff").status_code == 404


def test_projects_stay_on_their_version_when_the_definition_is_bumped(
    api, new_project, make_app, workflows_dir
):
    project = new_project()
    tiny = workflows_dir / "tiny.yaml"
    tiny.write_text(
        tiny.read_text()
        .replace("version: 1", "version: 2")
        .replace("pass_score: 60", "pass_score: 90")
    )
    bumped = make_app(JALON_WORKFLOWS_DIR=str(workflows_dir)).test_client()
    headers = api.people["manager"]
    assert bumped.get("/api/v1/workflows/tiny", headers=headers).json["version"] == 2
    old = bumped.get("/api/v1/workflows/tiny?version=1", headers=headers).json
    assert old["gates"][0]["pass_score"] == 60
    newer = bumped.post(
        "/api/v1/projects", headers=headers, json={"name": "New", "workflow": "tiny"}
    ).json
    assert newer["workflow_version"] == 2
    # the old project is still judged by version 1: a 4/5 (80 %) passes its 60 % bar
    submitted = bumped.post(
        f"/api/v1/projects/{project}/gate-reviews", headers=headers, json=TINY_PASS
    )
    assert submitted.status_code == 201
    refused = bumped.post(
        f"/api/v1/projects/{newer['id']}/gate-reviews", headers=headers, json=TINY_PASS
    )
    assert [d["code"] for d in refused.json["error"]["details"]] == ["score_below_pass"]


def test_project_list_queries_do_not_grow_with_the_number_of_projects(app, api, new_project):
    def queries_for_list() -> int:
        api("get", "/projects", "pmo")  # warm: new accounts (manager2) drop the token cache
        with count_queries(app) as statements:
            assert api("get", "/projects?per_page=100", "pmo").status_code == 200
        return len(statements)

    new_project("one")
    few = queries_for_list()
    for index in range(8):
        new_project(f"p{index}", who="manager2" if index % 2 else "manager")
    assert queries_for_list() == few


def test_a_vote_may_be_the_first_use_of_a_new_definition_version(
    api, open_review, make_app, workflows_dir, app
):
    """A worker started after a version bump stores the new version, with its audit event, on
    its first use, even when that first use is a vote (which otherwise runs in a transaction
    of its own, where the ORM may not write)."""
    review = open_review()
    api.people.ensure("gk1")
    tiny = workflows_dir / "tiny.yaml"
    tiny.write_text(tiny.read_text().replace("version: 1", "version: 2"))
    bumped = make_app(JALON_WORKFLOWS_DIR=str(workflows_dir)).test_client()
    response = bumped.post(
        f"/api/v1/gate-reviews/{review}/votes", headers=api.people["gk1"], json={"decision": "go"}
    )
    assert response.status_code == 201, response.json
    assert api("get", "/audit/verify", "pmo").json["ok"] is True
    with app.app_context():
        loaded = db.session.scalars(
            select(AuditEvent.data).where(AuditEvent.kind == "definition_loaded")
        ).all()
    assert {"key": "tiny", "version": 2} in [{k: d[k] for k in ("key", "version")} for d in loaded]
