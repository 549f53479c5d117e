"""The committee section of the review page and the delegations page, as people use them."""

from __future__ import annotations

from datetime import timedelta

from app.timeutil import utcnow
from tests.conftest import csrf_token, login
from tests.projects.committee_helpers import status, submit, vote


def _as(app, people, username):
    people.ensure(username)
    client = app.test_client()
    login(client, username)
    return client


def test_after_voting_the_page_shows_my_vote_with_change_and_withdraw_not_the_form(
    app, api, people, open_review
):
    review = open_review()
    gk1 = _as(app, people, "gk1")
    before = gk1.get(f"/reviews/{review}").get_data(as_text=True)
    assert 'id="vote"' in before
    assert 'id="recusal"' in before
    vote(api, review, "gk1", "hold", comment="budget first")
    page = gk1.get(f"/reviews/{review}").get_data(as_text=True)
    assert 'id="vote"' not in page
    assert 'id="recusal"' not in page
    assert "You voted Hold on" in page
    assert 'id="change-vote"' in page
    assert 'id="withdraw-vote"' in page
    assert "budget first</textarea>" in page  # the change form is prefilled
    assert "Vote by" in page


def test_a_gatekeeper_changes_their_vote_on_the_page(app, api, people, open_review):
    review = open_review()
    vote(api, review, "gk1", "go")
    gk1 = _as(app, people, "gk1")
    url = f"/reviews/{review}"
    token = csrf_token(gk1, url)
    refused = gk1.post(
        f"{url}/vote/change", data={"change-csrf_token": token, "change-decision": "kill"}
    )
    assert refused.status_code == 400
    assert "kill, hold and recycle need a comment" in refused.get_data(as_text=True)
    changed = gk1.post(
        f"{url}/vote/change",
        data={"change-csrf_token": token, "change-decision": "kill", "change-comment": "no"},
    )
    assert changed.status_code == 302
    body = api("get", f"/gate-reviews/{review}", "gk1").json
    assert [v["decision"] for v in body["votes"]] == ["kill"]
    gone = gk1.post(f"{url}/vote/withdraw", data={"withdraw-vote-csrf_token": token})
    assert gone.status_code == 302
    assert api("get", f"/gate-reviews/{review}", "gk1").json["votes"] == []


def test_only_the_chair_sees_the_chair_form_and_a_rationale_is_required(
    app, api, people, new_project
):
    review = submit(api, new_project(workflow="unanimous"))
    vote(api, review, "gk1", "go")
    vote(api, review, "gk2", "kill")
    url = f"/reviews/{review}"
    assert 'id="chair"' not in _as(app, people, "gk1").get(url).get_data(as_text=True)
    pmo = _as(app, people, "pmo")
    page = pmo.get(url).get_data(as_text=True)
    assert 'id="chair"' in page
    assert "No consensus" in page
    token = csrf_token(pmo, url)
    data = {"chair-csrf_token": token, "chair-decision": "recycle", "chair-rationale": ""}
    assert pmo.post(f"{url}/chair", data=data).status_code == 400
    data["chair-rationale"] = "Rework the plan with the supplier."
    assert pmo.post(f"{url}/chair", data=data).status_code == 302
    assert status(api, review) == "decided"
    page = pmo.get(url).get_data(as_text=True)
    assert "Rework the plan with the supplier." in page
    assert 'id="chair"' not in page


def test_the_page_is_in_french_for_a_french_reader(app, api, people, new_project):
    review = submit(api, new_project(workflow="unanimous"))
    vote(api, review, "gk1", "go")
    vote(api, review, "gk2", "kill")
    pmo = _as(app, people, "pmo")
    page = pmo.get(f"/reviews/{review}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Pas de consensus : le président décide" in page
    assert "Décider en tant que président" in page
    assert "no_consensus" not in page.split('id="committee"')[1]


def test_a_delegate_votes_on_behalf_from_the_page(app, api, people, open_review):
    review = open_review()
    today = utcnow().date()
    window = {"starts_on": today.isoformat(), "ends_on": (today + timedelta(days=1)).isoformat()}
    people.ensure("gk2")
    assert api("post", "/delegations", "gk1", json={"delegate": "gk2", **window}).status_code == 201
    gk2 = _as(app, people, "gk2")
    url = f"/reviews/{review}"
    page = gk2.get(url).get_data(as_text=True)
    assert "On behalf of" in page
    token = csrf_token(gk2, url)
    posted = gk2.post(url, data={"csrf_token": token, "seat": "gk1", "decision": "go"})
    assert posted.status_code == 302
    votes = api("get", f"/gate-reviews/{review}", "gk1").json["votes"]
    assert [(v["voter"], v["on_behalf_of"]) for v in votes] == [("gk2", "gk1")]
    assert "voted on behalf of" in gk2.get(url).get_data(as_text=True)


def test_a_gatekeeper_manages_delegations_on_their_page(app, people):
    people.ensure("gk2")
    gk1 = _as(app, people, "gk1")
    token = csrf_token(gk1, "/delegations")
    data = {
        "csrf_token": token,
        "delegate": "gk2",
        "starts_on": "2026-12-01",
        "ends_on": "2026-11-01",
    }
    refused = gk1.post("/delegations", data=data)
    assert refused.status_code == 400
    assert "must end on or after" in refused.get_data(as_text=True)
    data["ends_on"] = "2026-12-20"
    assert gk1.post("/delegations", data=data).status_code == 302
    page = gk1.get("/delegations").get_data(as_text=True)
    assert 'id="given"' in page
    assert "gk2" in page.split('id="given"')[1].split("</table>")[0]


def test_the_submitter_withdraws_from_the_page_while_nobody_voted(app, api, people, open_review):
    review = open_review()
    manager = _as(app, people, "manager")
    url = f"/reviews/{review}"
    assert 'id="withdraw-review"' in manager.get(url).get_data(as_text=True)
    token = csrf_token(manager, url)
    assert (
        manager.post(f"{url}/withdraw", data={"withdraw-review-csrf_token": token}).status_code
        == 302
    )
    assert status(api, review) == "withdrawn"
