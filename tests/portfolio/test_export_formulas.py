"""Portfolio exports (projects table, status report) keep names people typed as plain text.

The names go in through the API, as a client would type them, and the files come out of the
pages and the API the PMO downloads them from.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import login
from tests.formulas import PAYLOADS, assert_csv_neutralised, assert_xlsx_keeps_text


@pytest.fixture
def hostile(app, api, make_user, open_review) -> dict[str, list[str]]:
    """A portfolio, a programme, a manager and projects named with formula payloads (one of
    them decided this month, for the report's decisions sheet); the names as stored."""
    api.people.ensure("manager", "gk1", "gk2")
    make_user("evil", roles=["manager"], display_name=PAYLOADS[3])
    portfolio = api("post", "/portfolios", "pmo", json={"name": PAYLOADS[1]}).json["name"]
    body = {"name": PAYLOADS[2], "portfolio": portfolio}
    programme = api("post", "/programmes", "pmo", json=body).json["name"]
    projects = []
    for payload in PAYLOADS:
        body = {"name": payload, "workflow": "tiny", "programme": programme, "manager": "evil"}
        if payload == PAYLOADS[0]:
            body["manager"] = "manager"  # who submits the review decided below
        response = api("post", "/projects", "pmo", json=body)
        assert response.status_code == 201, response.json
        projects.append(response.json["name"])
        if payload == PAYLOADS[0]:
            review = open_review(response.json["id"])
            for gatekeeper in ("gk1", "gk2"):
                vote = api(
                    "post", f"/gate-reviews/{review}/votes", gatekeeper, json={"decision": "go"}
                )
                assert vote.status_code == 201, vote.json
    return {
        "table": [portfolio, programme, *projects],  # the projects table's cells
        "report": [PAYLOADS[3], *projects],  # the status report's (manager, projects)
    }


@pytest.fixture
def pmo_client(app, hostile):
    client = app.test_client()
    login(client, "pmo")
    return client


def test_projects_xlsx_writes_formula_payloads_as_plain_text(pmo_client, hostile):
    response = pmo_client.get("/portfolio/projects.xlsx")
    assert response.status_code == 200
    assert_xlsx_keeps_text(response.data, hostile["table"])


def test_projects_csv_quotes_formula_payloads(pmo_client, hostile):
    response = pmo_client.get("/portfolio/projects.csv")
    assert response.status_code == 200
    assert_csv_neutralised(response.data, [name for name in hostile["table"] if name != "#N/A"])


def test_status_report_page_download_writes_formula_payloads_as_plain_text(pmo_client, hostile):
    response = pmo_client.get("/portfolio/report.xlsx")
    assert response.status_code == 200
    assert_xlsx_keeps_text(response.data, hostile["report"])
    decided = load_workbook(io.BytesIO(response.data))["Decisions"]["B2"]
    assert (decided.value, decided.data_type) == (PAYLOADS[0], "s")


def test_status_report_api_writes_formula_payloads_as_plain_text(api, hostile):
    response = api("get", "/reports/status.xlsx", "pmo")
    assert response.status_code == 200
    assert_xlsx_keeps_text(response.data, hostile["report"])
