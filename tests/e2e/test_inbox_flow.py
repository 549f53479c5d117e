"""A gatekeeper signs in and the home page tells them a vote is waiting, with the link to it."""

from __future__ import annotations

from tests.e2e.conftest import sign_in
from tests.inbox.conftest import age_review  # noqa: F401  (fixture)
from tests.projects.conftest import (  # noqa: F401  (fixtures)
    api,
    app,
    new_project,
    open_review,
    people,
    workflows_dir,
)


def test_the_inbox_shows_a_waiting_vote_and_leads_to_it(
    live_server,
    page,
    api,  # noqa: F811
    new_project,  # noqa: F811
    open_review,  # noqa: F811
    age_review,  # noqa: F811
):
    review_id = open_review(new_project("Heat pump"))
    age_review(review_id, 3)
    api.people.ensure("gk1")

    sign_in(page, live_server, "gk1")
    votes = page.locator("#votes-awaiting")
    assert votes.get_by_text("1 vote is waiting for you, for 3 days.").is_visible()
    votes.get_by_role("link", name="Heat pump — Check").click()
    page.wait_for_url(f"{live_server}/reviews/{review_id}")
