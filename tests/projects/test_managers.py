"""The PMO puts projects in a manager's hands: on creation, and by handing them over later."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.projects.models import AuditEvent, Project
from tests.conftest import csrf_token, login


def _as(app, people, username):
    people.ensure(username)
    client = app.test_client()
    login(client, username)
    return client


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _manager_of(app, project: int) -> str:
    with app.app_context():
        return db.session.get(Project, project).manager.username


def _create(client, manager_id: int, token: str | None = None):
    """Post the new-project form naming `manager_id` as the manager."""
    data = {"name": "Atlas", "workflow": "tiny", "programme": "", "manager": str(manager_id)}
    data["csrf_token"] = token or csrf_token(client, "/projects/new")
    return client.post("/projects/new", data=data)


def test_the_pmo_chooses_the_manager_on_the_new_project_form(app, people):
    people.ensure("manager", "manager2", "gk1")
    pmo = _as(app, people, "pmo")
    page = pmo.get("/projects/new").get_data(as_text=True)
    assert 'name="manager"' in page
    assert "manager2" in page
    assert "gk1" not in page  # not a manager
    response = _create(pmo, _user_id(app, "manager2"))
    assert response.status_code == 302
    project = int(response.headers["Location"].rsplit("/", 1)[1])
    assert _manager_of(app, project) == "manager2"


def test_the_pmo_cannot_pick_someone_who_is_not_a_manager(app, people, snapshot):
    people.ensure("gk1")
    pmo = _as(app, people, "pmo")
    token = csrf_token(pmo, "/projects/new")  # the first page stores the workflow versions
    before = snapshot()
    response = _create(pmo, _user_id(app, "gk1"), token)
    assert response.status_code == 400
    assert snapshot() == before


def test_a_manager_is_not_offered_the_choice_and_manages_what_they_create(app, people):
    people.ensure("manager2")
    manager = _as(app, people, "manager")
    assert 'name="manager"' not in manager.get("/projects/new").get_data(as_text=True)
    response = _create(manager, _user_id(app, "manager2"))  # ignored: not on their form
    assert response.status_code == 302
    project = int(response.headers["Location"].rsplit("/", 1)[1])
    assert _manager_of(app, project) == "manager"


def test_the_pmo_hands_a_project_to_another_manager_through_the_api(app, api, new_project):
    project = new_project()
    api.people.ensure("manager2")
    response = api("patch", f"/projects/{project}", "pmo", json={"manager": "manager2"})
    assert response.status_code == 200, response.json
    assert response.json["manager"] == "manager2"
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "manager_changed")
        ).one()
        assert (event.project_id, event.actor) == (project, "pmo")
        assert event.data == {"from": "manager", "to": "manager2"}
    assert api("get", "/audit/verify", "pmo").json["ok"] is True
    # the new manager now sees and runs the project; the former one no longer sees it
    assert api("get", f"/projects/{project}", "manager2").status_code == 200
    assert api("get", f"/projects/{project}", "manager").status_code == 404


def test_only_the_pmo_hands_projects_over(app, api, new_project, snapshot):
    project = new_project()
    api.people.ensure("manager2")
    before = snapshot()
    for who in ("manager", "manager2", "gk1", "staff"):
        response = api("patch", f"/projects/{project}", who, json={"manager": "manager2"})
        assert response.status_code == 403, who
    assert snapshot() == before
    assert _manager_of(app, project) == "manager"


def test_handing_over_to_a_non_manager_is_a_conflict_and_an_unknown_user_not_found(
    app, api, new_project, snapshot
):
    project = new_project()
    api.people.ensure("gk1")
    before = snapshot()
    refused = api("patch", f"/projects/{project}", "pmo", json={"manager": "gk1"})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "not_a_manager"
    missing = api("patch", f"/projects/{project}", "pmo", json={"manager": "nobody"})
    assert missing.status_code == 404
    assert snapshot() == before


def test_the_pmo_changes_the_manager_from_the_project_page(app, api, people, new_project):
    project = new_project()
    people.ensure("manager2", "gk1")
    pmo = _as(app, people, "pmo")
    url = f"/projects/{project}"
    assert "Change manager" in pmo.get(url).get_data(as_text=True)
    token = csrf_token(pmo, url)
    refused = pmo.post(f"{url}/manager", data={"csrf_token": token, "manager": "999999"})
    assert refused.status_code == 302
    assert _manager_of(app, project) == "manager"
    done = pmo.post(
        f"{url}/manager", data={"csrf_token": token, "manager": str(_user_id(app, "manager2"))}
    )
    assert done.status_code == 302
    assert _manager_of(app, project) == "manager2"


def test_a_manager_neither_sees_the_form_nor_may_post_it(app, api, people, new_project):
    project = new_project()
    people.ensure("manager2")
    manager = _as(app, people, "manager")
    url = f"/projects/{project}"
    assert "Change manager" not in manager.get(url).get_data(as_text=True)
    response = manager.post(
        f"{url}/manager",
        data={"csrf_token": csrf_token(manager, url), "manager": str(_user_id(app, "manager2"))},
    )
    assert response.status_code == 403
    assert _manager_of(app, project) == "manager"
