"""Project list filters as choices (manager by name, stage by label grouped by workflow,
programme, status in words), unknown values ignored, and no Projects menu for those who see
no project."""

from __future__ import annotations

import pytest

from tests.projects.conftest import signed_in as _as


def test_the_filters_are_dropdowns_in_words(app, people, new_project):
    new_project("Alpha")
    html = _as(app, people, "pmo").get("/projects").get_data(as_text=True)
    for name in ("workflow", "stage", "status", "programme", "portfolio", "manager"):
        assert f'<select id="f-{name}" name="{name}">' in html
    assert '<optgroup label="Tiny">' in html
    assert '<option value="build">Build</option>' in html
    assert '<option value="on_hold">On hold</option>' in html
    assert '<option value="manager">manager</option>' in html  # the display name


def test_filtering_by_manager_and_stage_chosen_in_the_dropdowns(app, people, new_project):
    new_project("Alpha")
    new_project("Beta", who="manager2")
    pmo = _as(app, people, "pmo")
    html = pmo.get("/projects?manager=manager2&stage=build").get_data(as_text=True)
    assert "Beta" in html
    assert "Alpha" not in html
    assert '<option value="manager2" selected>' in html
    assert '<option value="build" selected>Build</option>' in html


@pytest.mark.parametrize(
    "query",
    [
        "status=nonsense",
        "stage=Recette",
        "manager=Marc%20Durand",
        "programme=%00",
        "page=-4",
        "workflow=" + "x" * 5000,
        "status=on_hold&status=active",
    ],
)
def test_unknown_filter_values_never_fail(app, people, new_project, query):
    new_project("Alpha")
    response = _as(app, people, "pmo").get(f"/projects?{query}")
    assert response.status_code in (200, 400)


def test_an_unknown_status_is_ignored(app, people, new_project):
    new_project("Alpha")
    html = _as(app, people, "pmo").get("/projects?status=nonsense").get_data(as_text=True)
    assert "Alpha" in html


def test_a_manager_is_offered_only_the_managers_of_projects_they_see(app, people, new_project):
    new_project("Alpha")
    new_project("Beta", who="manager2")
    html = _as(app, people, "manager").get("/projects").get_data(as_text=True)
    assert '<option value="manager">' in html
    assert '<option value="manager2">' not in html


@pytest.mark.parametrize(
    ("who", "shown"), [("staff", False), ("manager", True), ("gk1", True), ("pmo", True)]
)
def test_the_projects_menu_is_for_those_who_see_projects(app, people, who, shown):
    html = _as(app, people, who).get("/").get_data(as_text=True)
    assert ('href="/projects"' in html) is shown
