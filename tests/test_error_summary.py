"""Every form that fails re-renders with "There is a problem" at its top: each error a link
to its field, and the first field in error focused (`autofocus`, no JavaScript needed)."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.projects.services import create_project
from tests.conftest import csrf_token, login

#: (who signs in, the form's page, the field whose error comes first).
FORMS = [
    (None, "/login", "username"),
    ("manager", "/account", "current"),
    ("admin", "/admin/users/new", "username"),
    ("admin", "/admin/teams", "name"),
    ("manager", "/library/new", "title"),
    ("pmo", "/training/completions/new", "username"),
    ("pmo", "/training/import", "file"),
    ("manager", "/projects/new", "name"),
    ("manager", "/projects/{project}/review", "summary"),
    ("pmo", "/projects/{project}/hold", "reason"),
]


def _tag(html: str, field_id: str) -> str:
    """The opening tag of the element with `field_id`."""
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    assert match is not None, field_id
    return match.group(0)


@pytest.mark.parametrize(("who", "path", "first"), FORMS)
def test_an_invalid_form_shows_the_error_summary_linking_and_focusing_its_fields(
    app, make_user, who, path, first
):
    manager = make_user("manager", roles=["manager"])
    if who is not None and who != "manager":
        make_user(who, roles=[who])
    with app.app_context():
        project = create_project(db.session.merge(manager), "Heat pump", "stage-gate").id
        db.session.commit()
    client = app.test_client()
    if who is not None:
        login(client, who)
    url = path.format(project=project)
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = html.split("There is a problem", 1)
    assert len(summary) == 2, url
    assert html.index("There is a problem") < html.index(f'id="{first}"')
    assert f'<a href="#{first}">' in summary[1]
    assert "autofocus" in _tag(html, first)
    assert html.count("autofocus") == 1


def test_a_valid_page_has_no_summary_and_no_focus(client):
    html = client.get("/login").get_data(as_text=True)
    assert "There is a problem" not in html
    assert "autofocus" not in html
