"""The statements of a vote: the API's busiest write stays a short, fixed list."""

from __future__ import annotations

import pytest
from flask import request_finished
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.projects.models import Vote
from app.projects.schemas import VoteSchema
from tests.sql import count_queries


def _shape(statement: str) -> str:
    """`SELECT <first table>` (`FOR UPDATE`), `INSERT INTO <table>`, else the first two words."""
    words = statement.split()
    if words[0] == "SELECT" and "FROM" in words:
        lock = " FOR UPDATE" if " FOR UPDATE" in statement else ""
        return f"SELECT {words[words.index('FROM') + 1]}{lock}"
    return " ".join(words[:3] if words[0] == "INSERT" else words[:2])


@pytest.mark.parametrize(
    ("scores", "scorecard"),
    [({}, []), ({"value": 4}, ["INSERT INTO scorecard_entries"])],
)
def test_a_first_vote_reads_three_times_and_writes_the_vote_and_its_audit_event(
    app, api, open_review, database_url, scores, scorecard
):
    postgresql = database_url.startswith("postgresql")
    review = open_review()
    api.people.ensure("gk1")
    body = {"decision": "go", "scores": scores}
    with count_queries(app) as statements:
        response = api("post", f"/gate-reviews/{review}/votes", "gk1", json=body)
    assert response.status_code == 201, response.json
    assert response.json["scores"] == scores
    assert [_shape(s) for s in statements] == [
        "SELECT api_tokens",  # the live token, its owner and their roles
        # the project's lock: SQLite's write lock, PostgreSQL's row lock
        "SELECT projects FOR UPDATE" if postgresql else "BEGIN IMMEDIATE",
        # under the lock: who may vote (review, project), the review's status and its ballots
        "SELECT gate_reviews",
        "INSERT INTO votes",  # its id: SQLite's lastrowid, PostgreSQL's RETURNING
        *scorecard,
        *(["SELECT pg_advisory_xact_lock(%(key)s)"] if postgresql else []),  # the chain's lock
        "SELECT audit_events",  # the last hash of the chain
        "INSERT INTO audit_events",
    ]


def test_the_vote_that_decides_also_moves_the_project(app, api, open_review):
    review = open_review()
    api.people.ensure("gk2")
    assert api("post", f"/gate-reviews/{review}/votes", "gk1", json={"decision": "go"}).json
    with count_queries(app) as statements:
        response = api("post", f"/gate-reviews/{review}/votes", "gk2", json={"decision": "go"})
    assert response.status_code == 201, response.json
    shapes = [_shape(s) for s in statements]
    assert shapes.count("INSERT INTO audit_events") == 3  # the vote, the decision, the transition
    assert {"UPDATE gate_reviews", "UPDATE projects"} <= set(shapes)


def test_a_vote_is_committed_before_its_response_is_built(app, api, open_review, monkeypatch):
    """Its locks are gone while the response is serialised: another connection sees the vote."""
    review = open_review()
    api.people.ensure("gk1")
    seen_while_serialising = []
    dump = VoteSchema.dump

    def watching_dump(schema, vote, *args, **kwargs):
        with db.engine.connect() as other:  # another transaction, as another worker would
            seen_while_serialising.append(
                other.scalar(select(func.count()).select_from(Vote).where(Vote.id == vote.id))
            )
        return dump(schema, vote, *args, **kwargs)

    monkeypatch.setattr(VoteSchema, "dump", watching_dump)
    response = api("post", f"/gate-reviews/{review}/votes", "gk1", json={"decision": "go"})
    assert response.status_code == 201, response.json
    assert seen_while_serialising == [1]


def test_a_vote_that_does_not_decide_never_begins_the_session(app, api, open_review):
    """Its token and its writes run in transactions of their own (`app.transactions`): the
    request never even makes its session, so it has nothing to commit or close, and the
    vote is kept."""
    review = open_review()
    api.people.ensure("gk1")
    begun: list[Session] = []
    session_made: list[bool] = []

    def on_begin(session, _transaction, _connection) -> None:
        begun.append(session)

    def note_the_session(_sender, response) -> None:  # before the app context's teardown
        session_made.append(db.session.registry.has())

    event.listen(Session, "after_begin", on_begin)
    try:
        with request_finished.connected_to(note_the_session, app):
            response = api("post", f"/gate-reviews/{review}/votes", "gk1", json={"decision": "go"})
    finally:
        event.remove(Session, "after_begin", on_begin)
    assert response.status_code == 201, response.json
    assert begun == []
    assert session_made == [False]
    with app.app_context():
        assert db.session.get(Vote, response.json["id"]).decision.value == "go"
