"""Forms shown only when usable: no submission while a review is open, hold and resume only
with a confirmation and a reason (pages and API), denials for everyone else."""

from __future__ import annotations

from tests.conftest import csrf_token
from tests.projects.conftest import TINY_PASS, WHY
from tests.projects.conftest import signed_in as _as


def test_no_submission_form_while_a_review_is_open_but_a_link_to_it(
    app, api, people, new_project, snapshot
):
    project = new_project()
    review = api("post", f"/projects/{project}/gate-reviews", "manager", json=TINY_PASS).json
    manager = _as(app, people, "manager")
    html = manager.get(f"/projects/{project}").get_data(as_text=True)
    assert f'href="/reviews/{review["id"]}"' in html
    assert f'href="/projects/{project}/review"' not in html
    page = manager.get(f"/projects/{project}/review")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="summary"' not in html
    assert f'href="/reviews/{review["id"]}"' in html
    before = snapshot()
    token = csrf_token(manager, f"/projects/{project}")
    posted = manager.post(f"/projects/{project}/review", data={"csrf_token": token})
    assert posted.status_code == 409
    assert snapshot() == before


def test_the_submission_form_is_the_managers_only(app, people, new_project):
    project = new_project()
    for who in ("pmo", "gk1"):
        assert _as(app, people, who).get(f"/projects/{project}/review").status_code == 403
    assert _as(app, people, "manager2").get(f"/projects/{project}/review").status_code == 404


def test_no_submission_form_on_hold_but_the_reason(app, api, people, new_project):
    project = new_project()
    api("post", f"/projects/{project}/hold", "pmo", json=WHY)
    html = _as(app, people, "manager").get(f"/projects/{project}/review").get_data(as_text=True)
    assert 'name="summary"' not in html
    assert "The project is on hold: only resuming it is accepted." in html


def test_hold_and_resume_need_a_reason_through_the_api(api, new_project, snapshot):
    project = new_project()
    before = snapshot()
    assert api("post", f"/projects/{project}/hold", "pmo").status_code == 400  # no JSON body
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        refused = api("post", f"/projects/{project}/hold", "pmo", json=body)
        assert refused.status_code == 422, body
    assert api("post", f"/projects/{project}/hold", "manager", json=WHY).status_code == 403
    assert api("post", f"/projects/{project}/hold", "staff", json=WHY).status_code == 403
    assert snapshot() == before
    held = api("post", f"/projects/{project}/hold", "pmo", json={"reason": "Sponsor left."})
    assert held.status_code == 200
    assert held.json["status"] == "on_hold"
    assert api("post", f"/projects/{project}/resume", "pmo", json={}).status_code == 422
    resumed = api("post", f"/projects/{project}/resume", "pmo", json={"reason": "New sponsor."})
    assert resumed.json["status"] == "active"
    events = api("get", f"/projects/{project}/audit", "pmo").json["items"]
    assert [(e["kind"], e["data"].get("reason")) for e in events if e["kind"] != "transition"][
        1:
    ] == [("hold", "Sponsor left."), ("resume", "New sponsor.")]


def test_the_confirmation_pages_are_the_pmos(app, people, new_project, snapshot):
    project = new_project()
    before = snapshot()
    for who in ("manager", "gk1", "staff"):
        client = _as(app, people, who)
        assert client.get(f"/projects/{project}/hold").status_code == 403
        token = csrf_token(client, "/projects" if who != "staff" else "/")
        posted = client.post(f"/projects/{project}/hold", data={"csrf_token": token, "reason": "x"})
        assert posted.status_code == 403
    assert snapshot() == before


def test_hold_is_not_offered_while_a_review_is_open(app, api, people, open_review):
    review = open_review()
    project = api("get", f"/gate-reviews/{review}", "pmo").json["project"]
    pmo = _as(app, people, "pmo")
    assert f'href="/projects/{project}/hold"' not in pmo.get(f"/projects/{project}").get_data(
        as_text=True
    )
    token = csrf_token(pmo, f"/projects/{project}/hold")
    refused = pmo.post(f"/projects/{project}/hold", data={"csrf_token": token, "reason": "x"})
    assert refused.status_code == 409
    assert "A gate review is open: let the committee decide." in refused.get_data(as_text=True)
