"""Every 403/404/409/422 of the governance API, each proven to change nothing."""

from __future__ import annotations

import pytest

from tests.projects.conftest import TINY_PASS, WHY


def _vote(api, review_id: int, who: str, **body):
    return api("post", f"/gate-reviews/{review_id}/votes", who, json=body)


def _submit(api, project_id: int, body=None, who: str = "manager"):
    return api("post", f"/projects/{project_id}/gate-reviews", who, json=body or TINY_PASS)


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [
        ("staff", {"name": "X", "workflow": "tiny"}, 403),
        ("gk1", {"name": "X", "workflow": "tiny"}, 403),
        ("manager", {"name": "X", "workflow": "tiny", "manager": "manager2"}, 403),
        ("pmo", {"name": "X", "workflow": "tiny", "manager": "gk1"}, 409),
        ("pmo", {"name": "X", "workflow": "tiny", "manager": "nobody"}, 404),
        ("pmo", {"name": "X", "workflow": "tiny"}, 409),
        ("manager", {"name": "X", "workflow": "no-such-workflow"}, 404),
    ],
)
def test_project_creation_is_refused_to_the_wrong_people_and_data(
    api, people, snapshot, who, body, status
):
    people.ensure("manager2", "gk1")
    before = snapshot()
    response = api("post", "/projects", who, json=body)
    assert response.status_code == status, response.json
    assert snapshot() == before


def test_pmo_assigns_a_project_to_a_manager(api, people):
    people.ensure("manager2")
    created = api(
        "post", "/projects", "pmo", json={"name": "X", "workflow": "tiny", "manager": "manager2"}
    )
    assert created.status_code == 201
    assert created.json["manager"] == "manager2"


def test_projects_are_visible_to_their_manager_and_overseers_only(api, new_project):
    project = new_project()
    for who in ("manager", "gk1", "pmo"):
        assert api("get", f"/projects/{project}", who).status_code == 200
        assert api("get", "/projects", who).json["total"] == 1
    for who in ("manager2", "staff"):
        assert api("get", f"/projects/{project}", who).status_code == 404
        assert api("get", "/projects", who).json["total"] == 0
        assert api("get", f"/projects/{project}/audit", who).status_code == 404


def test_submission_lists_every_reason_and_changes_nothing(api, new_project, snapshot):
    project = new_project()
    before = snapshot()
    refused = _submit(api, project, {"criteria": {"safe": False, "value": 1}})
    assert refused.status_code == 422
    codes = {(d["code"], d["field"]) for d in refused.json["error"]["details"]}
    assert codes == {
        ("must_meet_unmet", "criteria.safe"),
        ("score_below_pass", "criteria"),
        ("deliverable_missing", "deliverables.plan"),
    }
    assert snapshot() == before


@pytest.mark.parametrize("who", ["gk1", "pmo"])
def test_only_the_projects_manager_submits(api, new_project, snapshot, who):
    project = new_project()
    before = snapshot()
    assert _submit(api, project, who=who).status_code == 403
    assert snapshot() == before


def test_a_second_open_review_is_a_conflict(api, new_project, snapshot):
    project = new_project()
    assert _submit(api, project).status_code == 201
    before = snapshot()
    assert _submit(api, project).status_code == 409
    assert snapshot() == before


def test_submitter_non_approver_second_vote_and_decided_review_are_refused(
    api, open_review, snapshot
):
    review = open_review()
    before = snapshot()
    assert _vote(api, review, "manager", decision="go").status_code == 403
    assert _vote(api, review, "pmo", decision="go").status_code == 403
    assert _vote(api, review, "staff", decision="go").status_code == 404
    assert snapshot() == before
    assert _vote(api, review, "gk1", decision="go").status_code == 201
    before = snapshot()
    assert _vote(api, review, "gk1", decision="go").status_code == 409
    assert snapshot() == before
    assert _vote(api, review, "gk2", decision="go").status_code == 201
    before = snapshot()
    assert _vote(api, review, "gk3", decision="go").status_code == 409
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        {"decision": "kill"},
        {"decision": "hold", "comment": "  "},
        {"decision": "recycle"},
        {"decision": "conditional_go"},
        {"decision": "go", "conditions": [{"description": "x"}]},
        {"decision": "go", "scores": {"value": 1}},
        {"decision": "kill", "comment": "no", "scores": {"nope": 1}},
        {"decision": "go", "scores": {"value": 9}},
        {"decision": "maybe"},
    ],
)
def test_votes_without_their_reasons_are_refused(api, open_review, snapshot, body):
    review = open_review()
    before = snapshot()
    assert _vote(api, review, "gk1", **body).status_code == 422
    assert snapshot() == before


def test_a_go_against_the_scorecard_passes_with_a_written_reason(api, open_review):
    review = open_review()
    vote = _vote(api, review, "gk1", decision="go", scores={"value": 1}, comment="strategic bet")
    assert vote.status_code == 201
    assert vote.json["scores"] == {"value": 1}


def test_hold_and_resume_belong_to_the_pmo(api, new_project, snapshot):
    project = new_project()
    before = snapshot()
    assert api("post", f"/projects/{project}/hold", "manager", json=WHY).status_code == 403
    assert api("post", f"/projects/{project}/resume", "pmo", json=WHY).status_code == 409
    assert snapshot() == before
    held = api("post", f"/projects/{project}/hold", "pmo", json=WHY)
    assert held.json["status"] == "on_hold"
    before = snapshot()
    assert _submit(api, project).status_code == 409
    assert api("post", f"/projects/{project}/resume", "gk1", json=WHY).status_code == 403
    assert snapshot() == before
    assert api("post", f"/projects/{project}/resume", "pmo", json=WHY).json["status"] == "active"
    assert _submit(api, project).status_code == 201
    assert api("post", f"/projects/{project}/hold", "pmo", json=WHY).status_code == 409


def test_audit_verification_is_for_the_pmo(api):
    assert api("get", "/audit/verify", "manager").status_code == 403
    assert api("get", "/audit/verify", "pmo").json["ok"] is True


def test_an_absurd_budget_is_a_422_not_a_crash(api):
    response = api(
        "post", "/projects", "manager", json={"name": "Huge", "workflow": "tiny", "budget": -2e307}
    )
    assert response.status_code == 422
    assert "budget" in response.json["error"]["details"]["json"]
