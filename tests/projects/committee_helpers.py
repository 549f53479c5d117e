"""Shared steps of the committee tests: votes, a deadlocked review, the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Decisions that need a comment.
EXPLAINED = {"kill", "hold", "recycle"}


def vote(api: Callable[..., Any], review: int, who: str, decision: str, **extra: Any) -> Any:
    """POST a vote as `who` (with the comment kill, hold and recycle need)."""
    body: dict[str, Any] = {"decision": decision, **extra}
    if decision in EXPLAINED:
        body.setdefault("comment", "because")
    if decision == "conditional_go":
        body.setdefault("conditions", [{"description": "fix it"}])
    return api("post", f"/gate-reviews/{review}/votes", who, json=body)


def submit(api: Callable[..., Any], project: int, who: str = "manager") -> int:
    """Submit the project's current gate (the test workflows' gates need no criteria but
    the `tiny` check gate's)."""
    from tests.projects.conftest import TINY_PASS

    body = TINY_PASS if _workflow(api, project, who) == "tiny" else {"criteria": {}}
    response = api("post", f"/projects/{project}/gate-reviews", who, json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


def _workflow(api: Callable[..., Any], project: int, who: str) -> str:
    return api("get", f"/projects/{project}", who).json["workflow"]


def status(api: Callable[..., Any], review: int) -> str:
    return api("get", f"/gate-reviews/{review}", "pmo").json["status"]


def events(api: Callable[..., Any], project: int, kind: str) -> list[dict[str, Any]]:
    """The project's audit events of one kind, oldest first."""
    page = api("get", f"/projects/{project}/audit?per_page=100", "pmo").json
    return [event for event in page["items"] if event["kind"] == kind]
