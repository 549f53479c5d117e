"""Issue 26's "done when" sentences about the committee, walked through the API only."""

from __future__ import annotations

from datetime import timedelta

from app.timeutil import utcnow
from tests.projects.committee_helpers import events, status, submit, vote


def test_the_committee_always_ends_as_the_issue_says(api, new_project, open_review):
    api.people.ensure("gk1", "gk2", "gk3", "pmo")

    # On a unanimous gate, votes Go then Recycle make the review no_consensus.
    project = new_project(workflow="unanimous")
    review = submit(api, project)
    assert vote(api, review, "gk1", "go").status_code == 201
    assert vote(api, review, "gk2", "recycle").status_code == 201
    assert status(api, review) == "no_consensus"

    # A chair decision without a rationale is 422.
    chair = f"/gate-reviews/{review}/chair-decision"
    assert api("post", chair, "pmo", json={"decision": "go"}).status_code == 422
    # The chair's go with a rationale advances the project.
    decided = api("post", chair, "pmo", json={"decision": "go", "rationale": "Window closes."})
    assert decided.status_code == 201
    assert api("get", f"/projects/{project}", "manager").json["stage"] == "run"

    # A chair decision on a submitted review is 409.
    submitted = open_review()
    body = {"decision": "go", "rationale": "Too early."}
    assert (
        api("post", f"/gate-reviews/{submitted}/chair-decision", "pmo", json=body).status_code
        == 409
    )

    # A gatekeeper changes their vote before the decision; the audit trail has both.
    assert vote(api, submitted, "gk1", "kill").status_code == 201
    path = f"/gate-reviews/{submitted}/votes/mine"
    assert api("patch", path, "gk1", json={"decision": "go"}).status_code == 200
    tiny_project = api("get", f"/gate-reviews/{submitted}", "gk1").json["project"]
    votes = [e["data"]["decision"] for e in events(api, tiny_project, "vote")]
    changes = events(api, tiny_project, "vote_changed")
    assert votes == ["kill"]
    assert [(c["data"]["before"]["decision"], c["data"]["after"]["decision"]) for c in changes] == [
        ("kill", "go")
    ]

    # A delegate votes during the window and the vote shows on_behalf_of; without: 403.
    assert vote(api, submitted, "gk3", "go", on_behalf_of="gk2").status_code == 403
    today = utcnow().date()
    window = {"starts_on": today.isoformat(), "ends_on": (today + timedelta(days=7)).isoformat()}
    assert api("post", "/delegations", "gk2", json={"delegate": "gk3", **window}).status_code == 201
    cast = vote(api, submitted, "gk3", "go", on_behalf_of="gk2")
    assert cast.status_code == 201
    assert (cast.json["voter"], cast.json["on_behalf_of"]) == ("gk3", "gk2")

    # On a majority gate with one Go and one Kill, the recusal of the other gatekeepers makes
    # the review no_consensus.
    majority = open_review()
    assert vote(api, majority, "gk1", "go").status_code == 201
    assert vote(api, majority, "gk2", "kill").status_code == 201
    assert status(api, majority) == "submitted"
    recusal = f"/gate-reviews/{majority}/recusal"
    assert api("post", recusal, "gk3", json={"reason": "conflict of interest"}).status_code == 201
    assert status(api, majority) == "no_consensus"
