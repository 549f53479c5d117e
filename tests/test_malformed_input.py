"""Malformed input is a 4xx with the contract's error shape, never a 500, on every database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.api.blueprint import MAX_JSON_DEPTH
from app.auth.models import Team, User
from app.extensions import db
from app.library.models import Document
from tests.conftest import bearer, csrf_token, login

HUGE = "10000000000000000000"
SURROGATE = "\ud800"


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert set(response.json) == {"error"}
    return response.json["error"]


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Document, Team, User)
        )


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 3000, 100_000])
def test_a_json_body_nested_too_deep_is_a_400(app, client, token_for, depth):
    token = token_for("max", "manager")
    before = _counts(app)
    body = '{"title": ' + "[" * depth + "]" * depth + ', "kind": "standard"}'
    response = client.post(
        "/api/v1/documents",
        data=body,
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    error = _error(response, 400)
    assert error["details"] == {
        "json": [f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."]
    }
    assert _counts(app) == before


def test_a_json_body_nested_within_the_limit_is_read_as_usual(client, token_for):
    token = token_for("max", "manager")
    deep = {"title": "T", "kind": "standard", "tags": [[[["a"]]]]}
    error = _error(client.post("/api/v1/documents", json=deep, headers=bearer(token)), 422)
    assert "tags" in error["details"]["json"]


DOCUMENT = {"title": "T", "kind": "standard"}


@pytest.mark.parametrize(
    ("method", "path", "role", "body", "where"),
    [
        ("post", "/api/v1/documents", "manager", {**DOCUMENT, "title": "a\ud800b"}, ["title"]),
        (
            "post",
            "/api/v1/documents",
            "manager",
            {**DOCUMENT, "tags": ["ok", "x\udfff"]},
            ["tags", "1"],
        ),
        ("post", "/api/v1/teams", "admin", {"name": "Team \ud83d"}, ["name"]),
        ("patch", "/api/v1/me", "staff", {"display_name": SURROGATE}, ["display_name"]),
        ("post", "/api/v1/projects", "manager", {"name": SURROGATE, "workflow": "x"}, ["name"]),
        (
            "post",
            "/api/v1/auth/token",
            None,
            {"username": SURROGATE, "password": "x"},
            ["username"],
        ),
    ],
)
def test_a_lone_surrogate_in_any_text_field_is_a_422_naming_it(
    app, client, token_for, method, path, role, body, where
):
    headers = bearer(token_for("someone", role)) if role else {}
    before = _counts(app)
    response = getattr(client, method)(path, json=body, headers=headers)
    error = _error(response, 422)
    assert error["code"] == "validation_error"
    details = error["details"]["json"]
    for key in where:
        details = details[key]
    assert details == ["Text may not contain a lone surrogate (\\ud800 to \\udfff)."]
    assert _counts(app) == before


def test_a_lone_surrogate_in_a_key_is_refused_too(client, token_for):
    token = token_for("max", "manager")
    body = {"title": "T", "kind": "standard", SURROGATE: 1}
    _error(client.post("/api/v1/documents", json=body, headers=bearer(token)), 422)


def test_a_surrogate_pair_is_one_character_and_is_stored(client, token_for):
    token = token_for("max", "manager")
    body = {"title": "Rocket \ud83d\ude80", "kind": "standard"}
    response = client.post("/api/v1/documents", json=body, headers=bearer(token))
    assert response.status_code == 201
    assert response.json["title"] == "Rocket 🚀"


def test_surrogates_cannot_reach_a_form_their_bytes_stay_percent_encoded(app, client, make_user):
    """A form is UTF-8, which has no lone surrogates: their bytes are kept as `%XX` text."""
    make_user("max", roles=["manager"])
    login(client, "max")
    token = csrf_token(client, "/library/new")
    body = f"csrf_token={token}&title=a%ED%A0%80b&kind=standard&language=fr".encode()
    response = client.post(
        "/library/new", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Document.title)) == "a%ED%A0%80b"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/documents",
        "/api/v1/users",
        "/api/v1/teams",
        "/api/v1/courses",
        "/api/v1/search",
    ],
)
def test_a_huge_page_number_in_the_api_is_a_422(client, token_for, path):
    token = token_for("root", "admin", "pmo")
    error = _error(client.get(f"{path}?page={HUGE}", headers=bearer(token)), 422)
    assert "page" in error["details"]["query"]


@pytest.mark.parametrize(
    "path",
    [
        "/library/",
        "/library/search?q=plan",
        "/admin/users",
        "/admin/notifications/",
        "/training/matrix",
    ],
)
def test_a_huge_page_number_on_a_page_is_brought_back_in_range(client, make_user, path):
    make_user("root", roles=["admin", "pmo"])
    login(client, "root")
    separator = "&" if "?" in path else "?"
    assert client.get(f"{path}{separator}page={HUGE}").status_code == 200
    assert client.get(f"{path}{separator}page=-3").status_code == 200


@pytest.mark.parametrize(
    "query", [f"from={10**25}", f"to={10**25}", "from=0", f"from=-{10**25}", f"to={2**31}"]
)
def test_a_history_version_out_of_range_is_a_404(client, make_user, token_for, query):
    token = token_for("max", "manager")
    doc = client.post(
        "/api/v1/documents", json={"title": "T", "kind": "standard"}, headers=bearer(token)
    ).json
    login(client, "max")
    assert client.get(f"/library/{doc['id']}/history").status_code == 200
    assert client.get(f"/library/{doc['id']}/history?{query}").status_code == 404


@pytest.mark.parametrize("score", ["NaN", "nan", "Infinity", "-inf", "1e400"])
def test_the_completion_form_refuses_a_score_that_is_not_a_number(
    app, client, make_user, token_for, score
):
    make_user("paule", roles=["pmo"])
    make_user("sam", roles=["staff"])
    client.post(
        "/api/v1/courses",
        json={"key": "gate-reviewer", "title": "Gate reviewer"},
        headers=bearer(token_for("pia", "pmo")),
    )
    login(client, "paule")
    token = csrf_token(client, "/training/completions/new")
    response = client.post(
        "/training/completions/new",
        data={
            "csrf_token": token,
            "username": "sam",
            "course": "gate-reviewer",
            "completed_on": "2026-11-20",
            "score": score,
        },
    )
    assert response.status_code == 400
    assert "Number must be between 0 and 100." in response.get_data(as_text=True)
