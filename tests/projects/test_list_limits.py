"""Lists in review and vote bodies have a maximum length, said in the OpenAPI document, and
the forms refuse what the API refuses."""

from __future__ import annotations

import pytest

from app.projects import limits
from tests.conftest import csrf_token, login
from tests.projects.conftest import TINY_PASS

TOO_MANY_CONDITIONS = [{"description": f"Condition {n}"} for n in range(limits.CONDITIONS_MAX + 1)]


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("conditions", {"decision": "conditional_go", "conditions": TOO_MANY_CONDITIONS}),
        (
            "scores",
            {"decision": "go", "scores": {f"c{n}": 1 for n in range(limits.SCORES_MAX + 1)}},
        ),
    ],
)
def test_a_vote_over_a_list_maximum_is_a_422_naming_the_field(
    api, open_review, snapshot, field, body
):
    review = open_review()
    before = snapshot()
    refused = api("post", f"/gate-reviews/{review}/votes", "gk1", json=body)
    assert refused.status_code == 422
    assert field in refused.json["error"]["details"]["json"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("top_risks", ["risk"] * (limits.TOP_RISKS_MAX + 1)),
        (
            "deliverables",
            [{"key": "plan", "url": "https://docs.example/plan"}] * (limits.DELIVERABLES_MAX + 1),
        ),
        ("deliverables", {f"d{n}": 1 for n in range(limits.DELIVERABLES_MAX + 1)}),
        ("criteria", {f"c{n}": True for n in range(limits.CRITERIA_MAX + 1)}),
    ],
)
def test_a_submission_over_a_list_maximum_is_a_422_naming_the_field(
    api, new_project, snapshot, field, value
):
    project = new_project()
    before = snapshot()
    refused = api(
        "post", f"/projects/{project}/gate-reviews", "manager", json={**TINY_PASS, field: value}
    )
    assert refused.status_code == 422
    assert field in refused.json["error"]["details"]["json"]
    assert snapshot() == before


def test_openapi_says_the_list_maximums(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    vote = schemas["VoteCreate"]["properties"]
    assert vote["conditions"]["maxItems"] == limits.CONDITIONS_MAX
    assert vote["scores"]["maxProperties"] == limits.SCORES_MAX
    review = schemas["ReviewCreate"]["properties"]
    assert review["top_risks"]["maxItems"] == limits.TOP_RISKS_MAX
    assert review["lessons"]["maxItems"] == limits.LESSONS_MAX
    assert review["criteria"]["maxProperties"] == limits.CRITERIA_MAX
    shapes = review["deliverables"]["oneOf"]
    assert [shape.get("maxItems", shape.get("maxProperties")) for shape in shapes] == [
        limits.DELIVERABLES_MAX,
        limits.DELIVERABLES_MAX,
    ]


def _post_form(app, people, username: str, url: str, **fields):
    """`fields` posted to the form at `url` by `username`, signed in, with the CSRF token."""
    people.ensure(username)
    client = app.test_client()
    login(client, username)
    return client.post(url, data={"csrf_token": csrf_token(client, url), **fields})


def _lines(word: str, count: int) -> str:
    return "\n".join(f"{word} {n}" for n in range(count))


#: Each form's fields besides the list under test.
FORM_FIELDS = {
    "vote": {"decision": "conditional_go"},
    "submission": {"summary": "ready", "criterion__safe": "y", "criterion__value": "4"},
}


@pytest.mark.parametrize(
    ("form", "field", "value", "message"),
    [
        (
            "vote",
            "conditions",
            _lines("Condition", limits.CONDITIONS_MAX + 1),
            f"At most {limits.CONDITIONS_MAX} lines.",
        ),
        (
            "vote",
            "conditions",
            "x" * (limits.CONDITION_MAX + 1),
            f"at most {limits.CONDITION_MAX} characters",
        ),
        (
            "submission",
            "top_risks",
            _lines("Risk", limits.TOP_RISKS_MAX + 1),
            f"At most {limits.TOP_RISKS_MAX} lines.",
        ),
        (
            "submission",
            "top_risks",
            "r" * (limits.TOP_RISK_MAX + 1),
            f"at most {limits.TOP_RISK_MAX} characters",
        ),
    ],
)
def test_the_forms_refuse_what_the_api_refuses(
    app, people, new_project, open_review, snapshot, form, field, value, message
):
    if form == "vote":
        who, url = "gk1", f"/reviews/{open_review()}"
    else:
        who, url = "manager", f"/projects/{new_project()}/review"
    before = snapshot()
    response = _post_form(app, people, who, url, **FORM_FIELDS[form], **{field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert snapshot() == before


def test_the_vote_form_takes_the_most_conditions_the_api_takes(app, api, people, open_review):
    review = open_review()
    lines = [f"{n:02d}" + "x" * (limits.CONDITION_MAX - 2) for n in range(limits.CONDITIONS_MAX)]
    response = _post_form(
        app,
        people,
        "gk1",
        f"/reviews/{review}",
        decision="conditional_go",
        conditions="\r\n".join(f"{line} | 2027-01-31" for line in lines),
    )
    assert response.status_code == 302
    (vote,) = api("get", f"/gate-reviews/{review}", "gk1").json["votes"]
    assert len(vote["conditions"]) == limits.CONDITIONS_MAX
