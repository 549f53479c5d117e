"""A manager submits a gate review through the form; two gatekeepers vote through the pages."""

from __future__ import annotations

from app.extensions import db
from app.projects.services import create_project
from tests.e2e.conftest import sign_in


def test_manager_submits_and_two_gatekeepers_vote_go_through_the_pages(
    app, live_server, page, make_user
):
    manager = make_user("marc", roles=["manager"], display_name="Marc Durand")
    make_user("gaelle", roles=["gatekeeper"])
    make_user("gerard", roles=["gatekeeper"])
    with app.app_context():
        manager = db.session.merge(manager)
        project_id = create_project(manager, "Heat pump", "stage-gate").id
        db.session.commit()

    sign_in(page, live_server, "marc")
    page.goto(f"{live_server}/projects/{project_id}")
    page.get_by_role("link", name="Submit the gate review").click()
    for label in (
        "The idea fits the business strategy",
        "Technical feasibility is plausible",
        "No legal, safety or ethical showstopper",
    ):
        page.get_by_label(label).check()
    for label in (
        "Market attractiveness",
        "Unique product advantage for customers",
        "Leverages our core competencies",
    ):
        page.get_by_label(label).select_option("4")
    page.get_by_label("Summary").fill("A clear customer pull and a plausible design.")
    page.get_by_role("button", name="Submit").click()
    assert page.locator("#review-status").inner_text() == "Awaiting votes"

    for gatekeeper in ("gaelle", "gerard"):
        sign_in(page, live_server, gatekeeper)
        page.get_by_role("navigation").get_by_role("link", name="Awaiting my vote").click()
        page.get_by_role("link", name="Heat pump").click()
        page.get_by_label("Decision").select_option("go")
        page.get_by_role("button", name="Vote").click()
        page.get_by_text("Vote recorded.").wait_for()

    assert page.locator("#review-status").inner_text() == "Decided"
    sign_in(page, live_server, "marc")
    page.goto(f"{live_server}/projects/{project_id}")
    assert page.locator("#current-stage").inner_text() == "Current stage: Scoping"
