"""Every API error has the contract's shape and the right status."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import bearer


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.is_json
    body = response.json
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_unknown_api_path_is_a_json_404(client):
    _assert_error(client.get("/api/v1/does-not-exist"), 404, "not_found")


def test_wrong_method_is_a_json_405_with_allow_header(client):
    response = client.put("/api/v1/auth/token")
    _assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_malformed_json_is_a_400(client):
    response = client.post("/api/v1/auth/token", data="{not json", content_type="application/json")
    error = _assert_error(response, 400, "bad_request")
    assert error["details"] == {"json": ["Invalid JSON body."]}


def test_missing_fields_are_a_422_naming_them(client):
    error = _assert_error(client.post("/api/v1/auth/token", json={}), 422, "validation_error")
    assert set(error["details"]["json"]) == {"username", "password"}


def test_request_over_the_size_limit_is_a_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    client = app.test_client()
    response = client.post(
        "/api/v1/auth/token",
        data='{"username": "' + "a" * 4096 + '"}',
        content_type="application/json",
    )
    _assert_error(response, 413, "payload_too_large")


def test_an_unexpected_failure_is_a_json_500_without_internals(make_app, token_for):
    app: Flask = make_app()

    @app.get("/api/v1/_boom")
    def boom():
        raise RuntimeError("database password is hunter2")

    client = app.test_client()
    error = _assert_error(client.get("/api/v1/_boom"), 500, "internal_error")
    assert "hunter2" not in error["message"]


def test_html_pages_get_an_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("path", ["/api/v1/users?page=0", "/api/v1/users?per_page=1000"])
def test_bad_pagination_is_a_422(client, token_for, path):
    token = token_for("root", "admin")
    _assert_error(client.get(path, headers=bearer(token)), 422, "validation_error")


def test_openapi_document_is_served_and_describes_the_contract(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/auth/token" in spec["paths"]
    assert "/api/v1/me" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/auth/token"]["post"]["security"] == []


def test_nul_characters_are_refused_before_reaching_the_database(client, token_for):
    admin = token_for("root", "admin")
    body = client.post("/api/v1/teams", json={"name": "bad\x00team"}, headers=bearer(admin))
    _assert_error(body, 422, "validation_error")
    query = client.get("/api/v1/users?q=a%00b", headers=bearer(admin))
    _assert_error(query, 400, "bad_request")


def test_a_body_that_is_not_json_is_a_415(client, token_for):
    token = token_for("ann", "staff")
    response = client.patch("/api/v1/me", data="locale=fr", headers=bearer(token))
    _assert_error(response, 415, "unsupported_media_type")
    empty = client.patch("/api/v1/me", headers=bearer(token))
    _assert_error(empty, 400, "bad_request")
