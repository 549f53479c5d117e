"""A committee always ends: no_consensus and the chair, vote changes, recusals, withdrawals."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.timeutil import utcnow
from tests.projects.committee_helpers import events, status, submit, vote


def _deadlocked(api, new_project) -> tuple[int, int]:
    """A unanimous review with a go and a recycle: (project, review)."""
    project = new_project(workflow="unanimous")
    review = submit(api, project)
    assert vote(api, review, "gk1", "go").status_code == 201
    assert vote(api, review, "gk2", "recycle").status_code == 201
    return project, review


def test_two_decisions_on_a_unanimous_gate_make_no_consensus_and_call_the_chair(
    app, api, new_project
):
    api.people.ensure("pmo", "gk3")
    project, review = _deadlocked(api, new_project)
    assert status(api, review) == "no_consensus"
    assert [e["data"]["votes"] for e in events(api, project, "no_consensus")] == [
        {"go": 1, "recycle": 1}
    ]
    with app.app_context():
        chairs = db.session.scalars(
            select(User.username)
            .join(Notification, Notification.recipient_id == User.id)
            .where(Notification.kind == "no_consensus")
        ).all()
    assert chairs == ["pmo"]  # the chair of the gate by default
    # the project cannot be submitted again while the chair has not decided
    again = api("post", f"/projects/{project}/gate-reviews", "manager", json={"criteria": {}})
    assert again.status_code == 409


def test_the_chair_decides_with_a_rationale_and_the_project_moves(api, new_project):
    project, review = _deadlocked(api, new_project)
    path = f"/gate-reviews/{review}/chair-decision"
    body = {"decision": "go", "rationale": "The market window closes in March."}
    for who in ("gk1", "manager"):
        assert api("post", path, who, json=body).status_code == 403
    assert api("post", path, "pmo", json={"decision": "go", "rationale": "  "}).status_code == 422
    assert api("post", path, "pmo", json={"decision": "go"}).status_code == 422
    decided = api("post", path, "pmo", json=body)
    assert decided.status_code == 201, decided.json
    assert decided.json["status"] == "decided"
    assert decided.json["chair_decision"]["decision"] == "go"
    assert decided.json["chair_decision"]["rationale"] == body["rationale"]
    assert decided.json["chair_decision"]["by"] == "pmo"
    assert api("get", f"/projects/{project}", "manager").json["stage"] == "run"
    assert api("post", path, "pmo", json=body).status_code == 409
    record = api("get", f"/gate-reviews/{review}/record", "pmo")
    assert record.json["chair_decision"]["rationale"] == body["rationale"]
    pdf = api("get", f"/gate-reviews/{review}/record.pdf", "pmo")
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Chair's decision" in text
    assert body["rationale"] in " ".join(text.split())
    assert [e["data"]["rationale"] for e in events(api, project, "chair_decision")] == [
        body["rationale"]
    ]


def test_the_chair_may_not_decide_a_review_the_committee_can_still_decide(api, open_review):
    review = open_review()
    body = {"decision": "go", "rationale": "hurry"}
    response = api("post", f"/gate-reviews/{review}/chair-decision", "pmo", json=body)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "not_no_consensus"


def test_a_chair_who_submitted_the_review_may_not_decide_it(api, people, token_for, new_project):
    from tests.conftest import bearer

    people["boss"] = bearer(token_for("boss", "manager", "pmo"))
    project = new_project(workflow="unanimous", who="boss")
    review = submit(api, project, who="boss")
    vote(api, review, "gk1", "go")
    vote(api, review, "gk2", "kill")
    body = {"decision": "go", "rationale": "mine"}
    response = api("post", f"/gate-reviews/{review}/chair-decision", "boss", json=body)
    assert response.status_code == 403


def test_a_chair_conditional_go_turns_its_conditions_into_action_items(api, new_project):
    project, review = _deadlocked(api, new_project)
    body = {
        "decision": "conditional_go",
        "rationale": "fine with a budget review",
        "conditions": [{"description": "Review the budget", "due_date": "2027-01-15"}],
    }
    assert (
        api("post", f"/gate-reviews/{review}/chair-decision", "pmo", json=body).status_code == 201
    )
    items = api("get", f"/projects/{project}/action-items", "manager").json["items"]
    assert [i["description"] for i in items] == ["Review the budget"]


def test_a_changed_vote_is_audited_with_the_old_one_and_may_decide(api, open_review):
    api.people.ensure("gk3")
    review = open_review()
    vote(api, review, "gk1", "go")
    vote(api, review, "gk2", "kill")
    assert status(api, review) == "submitted"
    changed = api("patch", f"/gate-reviews/{review}/votes/mine", "gk2", json={"decision": "go"})
    assert changed.status_code == 200, changed.json
    assert changed.json["decision"] == "go"
    body = api("get", f"/gate-reviews/{review}", "gk1").json
    assert (body["status"], body["decision"]) == ("decided", "go")
    trail = events(api, body["project"], "vote_changed")
    assert [(e["data"]["before"]["decision"], e["data"]["after"]["decision"]) for e in trail] == [
        ("kill", "go")
    ]
    again = api("patch", f"/gate-reviews/{review}/votes/mine", "gk1", json={"decision": "kill"})
    assert again.status_code == 409
    assert api("delete", f"/gate-reviews/{review}/votes/mine", "gk1").status_code == 409


def test_changing_the_dissenting_vote_ends_a_no_consensus(api, new_project):
    _project, review = _deadlocked(api, new_project)
    response = api("patch", f"/gate-reviews/{review}/votes/mine", "gk2", json={"decision": "go"})
    assert response.status_code == 200
    assert status(api, review) == "decided"


def test_a_withdrawn_vote_may_make_the_rule_reachable_again(api, open_review):
    api.people.ensure("gk1", "gk2")
    review = open_review()
    vote(api, review, "gk1", "go")
    vote(api, review, "gk2", "kill")
    assert status(api, review) == "no_consensus"  # every gatekeeper heard, no majority
    assert api("delete", f"/gate-reviews/{review}/votes/mine", "gk2").status_code == 204
    assert status(api, review) == "submitted"
    assert api("delete", f"/gate-reviews/{review}/votes/mine", "gk2").status_code == 404
    project = api("get", f"/gate-reviews/{review}", "gk1").json["project"]
    withdrawn = events(api, project, "vote_withdrawn")
    assert [e["data"]["before"]["decision"] for e in withdrawn] == ["kill"]
    assert [e["kind"] for e in events(api, project, "consensus_reachable")] == [
        "consensus_reachable"
    ]


def test_changing_without_a_vote_is_404_and_a_bad_change_is_422(api, open_review):
    review = open_review()
    path = f"/gate-reviews/{review}/votes/mine"
    assert api("patch", path, "gk1", json={"decision": "go"}).status_code == 404
    vote(api, review, "gk1", "go")
    assert api("patch", path, "gk1", json={"decision": "kill"}).status_code == 422  # no comment
    assert api("patch", path, "gk1", json={"decision": "maybe"}).status_code == 422


def test_a_recused_gatekeeper_no_longer_counts_and_cannot_vote(api, open_review):
    api.people.ensure("gk1", "gk2", "gk3", "pmo")
    review = open_review()
    path = f"/gate-reviews/{review}/recusal"
    assert api("post", path, "gk3", json={}).status_code == 422
    assert api("post", path, "gk3", json={"reason": " "}).status_code == 422
    assert api("post", path, "manager", json={"reason": "x"}).status_code == 403
    recused = api("post", path, "gk3", json={"reason": "I work for the supplier"})
    assert recused.status_code == 201, recused.json
    assert recused.json["voter"] == "gk3"
    assert api("post", path, "gk3", json={"reason": "again"}).status_code == 409
    assert vote(api, review, "gk3", "go").status_code == 403
    vote(api, review, "gk1", "go")
    assert api("post", path, "gk1", json={"reason": "late"}).status_code == 409  # voted
    vote(api, review, "gk2", "kill")
    assert status(api, review) == "no_consensus"  # gk3 no longer counts
    body = api("get", f"/gate-reviews/{review}", "gk1").json
    assert [r["voter"] for r in body["recusals"]] == ["gk3"]


def test_delegations_are_given_listed_and_taken_back(api):
    api.people.ensure("gk2", "manager")
    given = api(
        "post",
        "/delegations",
        "gk1",
        json={"delegate": "gk2", "starts_on": "2026-12-01", "ends_on": "2026-12-31"},
    )
    assert given.status_code == 201, given.json
    assert (given.json["delegator"], given.json["delegate"]) == ("gk1", "gk2")
    mine = api("get", "/delegations", "gk2").json
    assert ([d["id"] for d in mine["received"]], mine["given"]) == ([given.json["id"]], [])
    assert api("delete", f"/delegations/{given.json['id']}", "gk2").status_code == 404
    assert api("delete", f"/delegations/{given.json['id']}", "gk1").status_code == 204
    assert api("get", "/delegations", "gk1").json["given"] == []


def test_bad_delegations_are_refused_with_their_codes(api):
    api.people.ensure("gk2", "manager")
    window = {"starts_on": "2026-12-01", "ends_on": "2026-12-10"}
    cases = [
        ({"delegate": "gk1", **window}, 422, "self_delegation"),
        ({"delegate": "nobody", **window}, 422, "unknown_delegate"),
        ({"delegate": "manager", **window}, 422, "delegate_not_gatekeeper"),
        (
            {"delegate": "gk2", "starts_on": "2026-12-10", "ends_on": "2026-12-01"},
            422,
            "window_reversed",
        ),
    ]
    for body, code, error in cases:
        response = api("post", "/delegations", "gk1", json=body)
        assert (response.status_code, response.json["error"]["code"]) == (code, error)
    assert api("post", "/delegations", "gk1", json={"delegate": "gk2", **window}).status_code == 201
    overlap = {"delegate": "gk2", "starts_on": "2026-12-10", "ends_on": "2026-12-20"}
    response = api("post", "/delegations", "gk1", json=overlap)
    assert (response.status_code, response.json["error"]["code"]) == (409, "delegation_overlaps")
    assert (
        api("post", "/delegations", "manager", json={"delegate": "gk2", **window}).status_code
        == 403
    )


def _delegate(api, delegator: str, delegate: str, days: int = 2) -> None:
    today = utcnow().date()
    body = {
        "delegate": delegate,
        "starts_on": (today - timedelta(days=1)).isoformat(),
        "ends_on": (today + timedelta(days=days)).isoformat(),
    }
    assert api("post", "/delegations", delegator, json=body).status_code == 201


def test_a_delegate_votes_for_the_delegator_and_the_vote_shows_both(api, open_review):
    api.people.ensure("gk1", "gk2", "gk3")
    review = open_review()
    assert vote(api, review, "gk2", "go", on_behalf_of="gk1").status_code == 403
    _delegate(api, "gk1", "gk2")
    cast = vote(api, review, "gk2", "go", on_behalf_of="gk1")
    assert cast.status_code == 201, cast.json
    assert (cast.json["voter"], cast.json["on_behalf_of"]) == ("gk2", "gk1")
    assert vote(api, review, "gk1", "go").status_code == 409  # the seat is taken
    assert vote(api, review, "gk2", "go", on_behalf_of="gk1").status_code == 409
    assert vote(api, review, "gk3", "go", on_behalf_of="gk1").status_code == 403
    own = vote(api, review, "gk2", "go")  # the delegate's own vote is another seat
    assert own.status_code == 201
    assert own.json["on_behalf_of"] is None
    assert status(api, review) == "decided"


def test_a_delegate_never_votes_on_a_review_they_submitted(api, people, token_for, new_project):
    from tests.conftest import bearer

    people["mgk"] = bearer(token_for("mgk", "manager", "gatekeeper"))
    _delegate(api, "gk1", "mgk")
    project = new_project(who="mgk")
    review = submit(api, project, who="mgk")
    assert vote(api, review, "mgk", "go", on_behalf_of="gk1").status_code == 403


def test_the_submitter_withdraws_a_review_nobody_voted_on(api, new_project, open_review):
    project = new_project()
    review = open_review(project)
    path = f"/gate-reviews/{review}/withdraw"
    assert api("post", path, "gk1").status_code == 403
    withdrawn = api("post", path, "manager")
    assert withdrawn.status_code == 200, withdrawn.json
    assert withdrawn.json["status"] == "withdrawn"
    assert api("post", path, "manager").status_code == 409
    assert vote(api, review, "gk1", "go").status_code == 409
    again = open_review(project)
    vote(api, again, "gk1", "go")
    response = api("post", f"/gate-reviews/{again}/withdraw", "manager")
    assert (response.status_code, response.json["error"]["code"]) == (409, "has_votes")


def test_a_review_carries_its_vote_by_date(api, new_project, open_review):
    today = utcnow().date()
    tiny = api("get", f"/gate-reviews/{open_review()}", "pmo").json
    assert tiny["vote_by"] == (today + timedelta(days=10)).isoformat()  # the default
    review = submit(api, new_project(workflow="unanimous"))
    body = api("get", f"/gate-reviews/{review}", "pmo").json
    assert body["vote_by"] == (today + timedelta(days=3)).isoformat()
    assert body["chair_decision"] is None


def test_missing_voters_and_the_pmo_are_reminded_once_the_vote_by_date_passed(
    app, api, runner, new_project
):
    api.people.ensure("gk1", "gk2", "gk3", "pmo")
    review = submit(api, new_project(workflow="unanimous"))
    vote(api, review, "gk1", "go")
    api("post", f"/gate-reviews/{review}/recusal", "gk3", json={"reason": "away"})
    day = (utcnow().date() + timedelta(days=4)).isoformat()

    def reminded() -> list[str]:
        with app.app_context():
            return sorted(
                db.session.scalars(
                    select(User.username)
                    .join(Notification, Notification.recipient_id == User.id)
                    .where(Notification.kind == "vote_overdue")
                )
            )

    assert runner.invoke(args=["reminders", "send", "--on", day]).exit_code == 0
    assert reminded() == ["gk2", "pmo"]
    assert runner.invoke(args=["reminders", "send", "--on", day]).exit_code == 0
    assert reminded() == ["gk2", "pmo"]  # once per period


def test_the_roles_a_definition_may_name_are_the_apps_roles():
    from app.auth.models import Role
    from workflows.model import ROLES

    assert set(ROLES) == {role.value for role in Role}
