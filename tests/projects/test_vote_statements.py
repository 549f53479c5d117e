"""The statements of a vote stay within a fixed budget, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.projects.conftest import TINY_PASS
from tests.sql import count_queries

#: Statements a vote may run: the token, the lock, the review, the tally, the voter, the vote
#: and its scores, the audit chain's lock, last event and append.
VOTE_BUDGET = 12
#: The vote that decides also closes the review, moves the project (stage periods) and audits
#: the decision and the transition.
DECIDING_VOTE_BUDGET = 24


@pytest.mark.parametrize("scores", [{}, {"value": 4}])
def test_a_vote_runs_a_fixed_number_of_statements(app, api, open_review, scores):
    review = open_review()
    api.people.ensure("gk1")
    with count_queries(app) as statements:
        response = api(
            "post",
            f"/gate-reviews/{review}/votes",
            "gk1",
            json={"decision": "go", "scores": scores},
        )
    assert response.status_code == 201, response.json
    assert response.json["scores"] == scores
    assert len(statements) <= VOTE_BUDGET, statements


def test_the_vote_that_decides_moves_the_project_within_a_budget(app, api, open_review):
    review = open_review()
    api.people.ensure("gk2")
    assert api("post", f"/gate-reviews/{review}/votes", "gk1", json={"decision": "go"}).json
    with count_queries(app) as statements:
        response = api("post", f"/gate-reviews/{review}/votes", "gk2", json={"decision": "go"})
    assert response.status_code == 201, response.json
    assert len(statements) <= DECIDING_VOTE_BUDGET, statements


def test_a_submission_asks_every_approver_with_one_statement_each_at_most(
    app, api, new_project, make_user
):
    """Each gatekeeper gets a message: one row each, and no query per gatekeeper besides."""

    def submission_statements() -> int:
        project = new_project()
        with count_queries(app) as statements:
            response = api("post", f"/projects/{project}/gate-reviews", "manager", json=TINY_PASS)
        assert response.status_code == 201, response.json
        return len(statements)

    api.people.ensure("gk1")
    few = submission_statements()
    for index in range(12):
        make_user(f"keeper{index}", roles=["gatekeeper"])
    assert submission_statements() <= few + 12  # the twelve messages' rows
