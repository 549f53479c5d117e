"""schemathesis fuzzes every operation of the OpenAPI document with a valid admin token.

No input may produce a 5xx, and every response must match the documented schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import issue_token, set_roles
from app.extensions import db


@pytest.fixture
def api_schema(app: Flask, make_user):
    make_user("fuzzer", roles=["admin"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    class FreshAdminToken:
        """A token per case, so that no case runs with a token an earlier one revoked."""

        def get(self, case, context) -> str:
            return _fresh_admin_token(app)

        def set(self, case, data: str, context) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    schema.auth(refresh_interval=None)(FreshAdminToken)
    return schema


def _fresh_admin_token(app: Flask) -> str:
    """A new token for an active admin: fuzzed calls may revoke tokens or demote the admin."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "fuzzer"))
        user.active = True
        set_roles(user, ["admin"])
        clear, _token = issue_token(user, name="fuzz")
        db.session.commit()
        return clear


schema = schemathesis.pytest.from_fixture("api_schema")

# Operations that refuse well-formed data by a business rule with a 422, as the contract
# says (a must-meet criterion unmet, a deliverable missing, an unknown person or course
# named in the body, a stage not in the project's workflow, a completion in the future,
# a file whose content is not of an accepted type, a kill vote without its comment, a
# search query the parser cannot read — a 400 by contract, a hold or resume whose reason is
# only blanks, a webhook URL that is not a public https address; a chair decision, a recusal
# without its reason, a delegation to oneself or to no gatekeeper): schema-valid is not enough.
BUSINESS_RULES = {
    "POST /api/v1/projects",
    "POST /api/v1/projects/{project_id}/gate-reviews",
    "POST /api/v1/courses",
    "POST /api/v1/training/requirements",
    "POST /api/v1/training/completions",
    "POST /api/v1/training/import",
    "POST /api/v1/documents/{document_id}/attachments",
    "POST /api/v1/projects/{project_id}/deliverables/{key}/file",
    "POST /api/v1/projects/{project_id}/hold",
    "POST /api/v1/projects/{project_id}/resume",
    "POST /api/v1/projects/{project_id}/lessons",
    "POST /api/v1/programmes",
    "POST /api/v1/gate-reviews/{review_id}/votes",
    "PATCH /api/v1/gate-reviews/{review_id}/votes/mine",
    "POST /api/v1/gate-reviews/{review_id}/chair-decision",
    "POST /api/v1/gate-reviews/{review_id}/recusal",
    "POST /api/v1/delegations",
    "GET /api/v1/search",
    "POST /api/v1/webhooks",
}


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,  # the same examples on every run: CI failures reproduce
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_fails_and_matches_its_schema(case):
    excluded = [positive_data_acceptance] if case.operation.label in BUSINESS_RULES else []
    case.call_and_validate(excluded_checks=excluded)
