"""Portfolios and programmes: the PMO creates them, everyone reads them."""

from __future__ import annotations

from tests.conftest import bearer


def test_pmo_creates_a_portfolio_and_a_programme_in_it(client, token_for):
    pmo = token_for("paule", "pmo")
    created = client.post(
        "/api/v1/portfolios", json={"name": "Transformation"}, headers=bearer(pmo)
    )
    assert created.status_code == 201
    programme = client.post(
        "/api/v1/programmes",
        json={"name": "ERP roll-out", "portfolio": "Transformation"},
        headers=bearer(pmo),
    )
    assert programme.status_code == 201
    assert programme.json["portfolio"] == "Transformation"
    listed = client.get("/api/v1/programmes", headers=bearer(pmo)).json
    assert [item["name"] for item in listed["items"]] == ["ERP roll-out"]


def test_unknown_portfolio_is_422_and_duplicates_409(client, token_for):
    pmo = token_for("paule", "pmo")
    unknown = client.post(
        "/api/v1/programmes", json={"name": "X", "portfolio": "Nope"}, headers=bearer(pmo)
    )
    assert unknown.status_code == 422
    assert unknown.json["error"]["details"] == {"portfolio": ["unknown"]}
    client.post("/api/v1/portfolios", json={"name": "P"}, headers=bearer(pmo))
    again = client.post("/api/v1/portfolios", json={"name": "P"}, headers=bearer(pmo))
    assert again.status_code == 409


def test_staff_and_managers_read_but_cannot_create(client, token_for):
    staff = token_for("sam", "staff")
    manager = token_for("marc", "manager")
    for token in (staff, manager):
        denied = client.post("/api/v1/portfolios", json={"name": "Mine"}, headers=bearer(token))
        assert denied.status_code == 403
        assert client.get("/api/v1/portfolios", headers=bearer(token)).status_code == 200
