"""The vote's floor: the vote request with the vote service replaced by a stub.

The stub touches no database; the request still authenticates its bearer token (in its own
transaction: `app.transactions`), parses and validates the body and serialises a vote.
Whatever the vote service does, a vote cannot be faster than this, so the floor's requests/s
against `/healthz` is the best ratio the target could reach on this stack.

Used as a gunicorn configuration file (`FLOOR=1 sh bench/votes/run.sh`) and by
`profile_votes.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def stub_vote_service() -> Callable[[], None]:
    """Make the vote endpoint call the stub; returns the function that puts `cast_vote` back."""
    from app.projects import api
    from app.projects.voting import RecordedVote
    from app.timeutil import utcnow
    from workflows import Decision

    def stub(voter, review_id, decision, comment="", conditions=(), scores=None):
        return RecordedVote(1, voter, Decision(decision), comment, [], [], utcnow())

    real, api.cast_vote = api.cast_vote, stub

    def restore() -> None:
        api.cast_vote = real

    return restore


def post_worker_init(worker: Any) -> None:
    """gunicorn hook: each worker answers votes with the stub."""
    stub_vote_service()
