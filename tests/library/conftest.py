"""Library fixtures: tokens per role and a helper that creates documents through the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import bearer, login
from tests.docs_store.conftest import office_files  # noqa: F401 - one file of each type


@pytest.fixture
def tokens(token_for: Callable[..., str]) -> dict[str, str]:
    """One bearer token per role: ``pmo``, ``manager`` (and ``manager2``), ``staff``."""
    return {
        "pmo": token_for("pia", "pmo"),
        "manager": token_for("max", "manager"),
        "manager2": token_for("mia", "manager"),
        "staff": token_for("sam", "staff"),
    }


@pytest.fixture
def new_document(client: FlaskClient, tokens: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """Create a document through the API; ``status="published"`` walks it through review."""

    def factory(as_role: str = "manager", status: str = "draft", **fields: Any) -> dict[str, Any]:
        body = {"title": "Document", "kind": "standard", "body": "Texte.", **fields}
        response = client.post("/api/v1/documents", json=body, headers=bearer(tokens[as_role]))
        assert response.status_code == 201, response.get_json()
        doc = response.get_json()
        path = {
            "draft": [],
            "in_review": [("in_review", as_role)],
            "published": [("in_review", as_role), ("published", "pmo")],
            "obsolete": [("in_review", as_role), ("published", "pmo"), ("obsolete", "pmo")],
        }[status]
        for target, role in path:
            response = client.post(
                f"/api/v1/documents/{doc['id']}/transition",
                json={"to": target},
                headers=bearer(tokens[role]),
            )
            assert response.status_code == 200, response.get_json()
            doc = response.get_json()
        return doc

    return factory


@pytest.fixture
def pages(app):
    """``pages(username)``: a browser session signed in as ``username`` (one per user)."""
    sessions = {}

    def signed_in(username):
        if username not in sessions:
            sessions[username] = app.test_client()
            login(sessions[username], username)
        return sessions[username]

    return signed_in


@pytest.fixture
def fetch(pages):
    """``fetch(username, path, status=200)``: the page's HTML, its status checked."""

    def get(username, path, status=200):
        response = pages(username).get(path)
        assert response.status_code == status, path
        return response.get_data(as_text=True)

    return get
