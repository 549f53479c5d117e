"""The governance pages: list, project page, submission form, awaiting votes, PMO buttons."""

from __future__ import annotations

from sqlalchemy import event

from app.extensions import db
from tests.conftest import csrf_token
from tests.projects.conftest import signed_in as _as


def test_manager_submits_through_the_form_and_gatekeepers_vote_on_the_review_page(
    app, api, people, new_project
):
    project = new_project()
    manager = _as(app, people, "manager")
    page = manager.get(f"/projects/{project}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "It is safe" in html
    assert "Plan" in html
    assert f"/projects/{project}/diagram.svg" in html

    form = f"/projects/{project}/review"
    refused = manager.post(form, data={"csrf_token": csrf_token(manager, form), "summary": "x"})
    assert refused.status_code == 400
    assert "Must-meet criterion not met: It is safe" in refused.get_data(as_text=True)

    submitted = manager.post(
        form,
        data={
            "csrf_token": csrf_token(manager, form),
            "summary": "ready",
            "criterion__safe": "y",
            "criterion__value": "4",
            "deliverable__plan": "https://docs.example/plan",
        },
    )
    assert submitted.status_code == 302
    review_url = submitted.headers["Location"]

    for who in ("gk1", "gk2"):
        gatekeeper = _as(app, people, who)
        assert review_url in gatekeeper.get("/reviews/awaiting").get_data(as_text=True)
        voted = gatekeeper.post(
            review_url,
            data={
                "csrf_token": csrf_token(gatekeeper, review_url),
                "decision": "go",
                "score__value": "4",
            },
        )
        assert voted.status_code == 302
    html = manager.get(f"/projects/{project}").get_data(as_text=True)
    assert "<strong>Run</strong>" in html
    svg = manager.get(f"/projects/{project}/diagram.svg")
    assert svg.mimetype == "image/svg+xml"


def test_a_vote_without_its_comment_re_renders_with_the_reason(app, api, people, open_review):
    review = open_review()
    gatekeeper = _as(app, people, "gk1")
    url = f"/reviews/{review}"
    response = gatekeeper.post(
        url, data={"csrf_token": csrf_token(gatekeeper, url), "decision": "kill"}
    )
    assert response.status_code == 400
    assert "need a comment" in response.get_data(as_text=True)
    assert api("get", f"/gate-reviews/{review}", "gk1").json["votes"] == []


def test_pages_refuse_people_who_may_not_see_or_act(app, api, people, new_project):
    project = new_project()
    other = _as(app, people, "manager2")
    assert other.get(f"/projects/{project}").status_code == 404
    assert other.get(f"/projects/{project}/diagram.svg").status_code == 404
    assert other.get("/reviews/awaiting").status_code == 403
    token = csrf_token(other, "/projects")
    assert other.post(f"/projects/{project}/hold", data={"csrf_token": token}).status_code == 403
    assert api("get", f"/projects/{project}", "manager").json["status"] == "active"
    assert other.post(f"/projects/{project}/hold", data={}).status_code in (400, 403)


def test_pmo_holds_and_resumes_after_confirming_with_a_reason(app, api, people, new_project):
    project = new_project()
    pmo = _as(app, people, "pmo")
    url = f"/projects/{project}"
    assert f'href="{url}/hold"' in pmo.get(url).get_data(as_text=True)
    confirm = pmo.get(f"{url}/hold").get_data(as_text=True)
    assert "Put the project on hold" in confirm
    assert 'name="reason"' in confirm
    token = csrf_token(pmo, f"{url}/hold")
    refused = pmo.post(f"{url}/hold", data={"csrf_token": token, "reason": "  "})
    assert refused.status_code == 400
    assert "There is a problem" in refused.get_data(as_text=True)
    assert api("get", url, "pmo").json["status"] == "active"
    held = pmo.post(f"{url}/hold", data={"csrf_token": token, "reason": "Budget freeze."})
    assert held.status_code == 302
    assert api("get", url, "pmo").json["status"] == "on_hold"
    page = pmo.get(url).get_data(as_text=True)
    assert "Budget freeze." in page
    assert f'href="{url}/resume"' in page
    pmo.post(f"{url}/resume", data={"csrf_token": token, "reason": "Budget voted."})
    assert api("get", url, "pmo").json["status"] == "active"
    assert "Budget voted." in pmo.get(url).get_data(as_text=True)
    reasons = [
        (e["kind"], e["data"]["reason"])
        for e in api("get", f"{url}/audit", "pmo").json["items"]
        if e["kind"] in ("hold", "resume")
    ]
    assert reasons == [("hold", "Budget freeze."), ("resume", "Budget voted.")]


def test_project_list_filters(app, api, people, new_project):
    new_project("Alpha")
    new_project("Beta", workflow="stage-gate")
    pmo = _as(app, people, "pmo")
    html = pmo.get("/projects?workflow=tiny").get_data(as_text=True)
    assert "Alpha" in html
    assert "Beta" not in html


def test_project_page_shows_lessons_from_other_projects_at_its_stage(app, api, people, new_project):
    first = new_project("Atlas")
    second = new_project("Borealis")
    lesson = api(
        "post",
        f"/projects/{first}/lessons",
        "manager",
        json={"title": "Book the steering committee early", "body": "Calendars fill up."},
    )
    assert lesson.status_code == 201, lesson.json
    manager = _as(app, people, "manager")
    other = manager.get(f"/projects/{second}").get_data(as_text=True)
    assert "Book the steering committee early" in other
    own = manager.get(f"/projects/{first}").get_data(as_text=True)
    assert "Book the steering committee early" not in own
    assert "No lesson recorded yet for this stage." in own


def test_project_list_page_queries_do_not_grow_with_the_number_of_projects(
    app, api, people, new_project
):
    pmo = _as(app, people, "pmo")

    def queries_for_page() -> int:
        statements = []
        with app.app_context():
            engine = db.engine

        def count(*_args) -> None:
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert pmo.get("/projects").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    for index in range(3):
        new_project(f"p{index}", who="manager2" if index % 2 else "manager")
    pmo.get("/projects")
    few = queries_for_page()
    for index in range(3, 30):
        new_project(f"p{index}", who="manager2" if index % 2 else "manager")
    assert queries_for_page() == few
