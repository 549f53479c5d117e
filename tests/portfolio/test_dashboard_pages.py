"""The dashboard page and its CSV/XLSX project table: who sees what, filters, cells."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app.extensions import db
from tests.conftest import login
from tests.portfolio.dashboard_builders import build_known_portfolio


@pytest.fixture
def known(app, make_user):
    for name, role in (("pm", "manager"), ("gk", "gatekeeper"), ("boss", "pmo"), ("sam", "staff")):
        make_user(name, roles=[role])
    with app.app_context():
        ids = build_known_portfolio("pm", "gk")
        db.session.remove()
    return ids


def test_the_pmo_sees_charts_tables_and_action_links(client, known):
    login(client, "boss")
    response = client.get("/portfolio/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<svg") >= 5  # no training chart: nobody is required a course here
    for title in ("Projects by stage and status", "Decisions per gate", "Budget per programme"):
        assert f">{title}</title>" in page
    assert "Measured on closed stage periods only" in page
    assert 'class="pmo-action"' in page
    assert "Forecast is 30% over the planned budget" in page
    assert ">Tiny · Build</th><td>5</td><td>6.0</td><td>9.2</td>" in page
    assert 'href="/portfolio/projects.xlsx"' in page
    assert 'href="/portfolio/report.pdf"' in page


def test_gatekeepers_read_the_dashboard_without_pmo_actions(client, known):
    login(client, "gk")
    response = client.get("/portfolio/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Decisions per gate" in page
    assert "pmo-action" not in page
    assert "Hold or resume" not in page


@pytest.mark.parametrize("who", ["pm", "sam"])
@pytest.mark.parametrize(
    "path", ["/portfolio/", "/portfolio/projects.csv", "/portfolio/projects.xlsx"]
)
def test_managers_and_staff_may_not_open_the_dashboard(client, known, who, path):
    login(client, who)
    assert client.get(path).status_code == 403


def test_the_dashboard_needs_a_sign_in(client, known):
    response = client.get("/portfolio/")
    assert response.status_code in (302, 401)


def test_the_filter_form_offers_existing_values_and_narrows_the_figures(client, known):
    login(client, "boss")
    page = client.get("/portfolio/?programme=ERP").get_data(as_text=True)
    assert '<option value="ERP" selected>ERP</option>' in page
    assert '<option value="Stores">Stores</option>' in page
    assert '<option value="Growth">Growth</option>' in page
    assert '<strong id="total-projects">2</strong>' in page
    assert "Gamma" not in page
    assert 'href="/portfolio/projects.xlsx?programme=ERP"' in page
    assert 'href="/portfolio/report.xlsx?programme=ERP"' in page


def test_an_unknown_status_in_the_page_filter_is_ignored(client, known):
    login(client, "boss")
    page = client.get("/portfolio/?status=lost").get_data(as_text=True)
    assert '<strong id="total-projects">5</strong>' in page


def test_the_dashboard_is_in_french(client, known):
    login(client, "boss")
    client.post(
        "/language",
        data={"locale": "fr", "csrf_token": _csrf(client)},
    )
    page = client.get("/portfolio/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "La prévision dépasse le budget prévu de 30 %" in page


def _csrf(client):
    from tests.conftest import csrf_token

    return csrf_token(client, "/portfolio/")


HEADER = [
    "Project",
    "Programme",
    "Portfolio",
    "Workflow",
    "Stage",
    "Status",
    "RAG",
    "Budget variance (%)",
    "Review waiting (days)",
    "Overdue action items",
]


def test_the_xlsx_export_has_a_frozen_header_and_real_numbers(client, known):
    login(client, "boss")
    response = client.get("/portfolio/projects.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].font.bold
    by_name = {row[0]: row for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == ["Alpha", "Beta", "Delta", "Epsilon", "Gamma"]
    alpha = by_name["Alpha"]
    assert alpha[1:7] == ("ERP", "Growth", "Tiny", "Run", "Active", "Red")
    assert alpha[7] == 30.0
    assert isinstance(alpha[7], int | float)
    assert alpha[8] == pytest.approx(3.0, abs=0.1)
    assert by_name["Beta"][9] == 1
    assert isinstance(by_name["Beta"][9], int)
    assert by_name["Delta"][6] is None  # completed: no RAG
    assert by_name["Gamma"][7] is None
    assert sheet["H2"].number_format == "0.0"


def test_the_csv_export_honours_the_filters(client, known):
    login(client, "boss")
    response = client.get("/portfolio/projects.csv?portfolio=Growth&status=active")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert [(row[0], row[6], row[7]) for row in rows[1:]] == [
        ("Alpha", "Red", "30.0"),
        ("Beta", "Amber", "5.0"),
    ]


def test_the_navigation_offers_the_dashboard_to_the_pmo_and_gatekeepers_only(client, known):
    login(client, "gk")
    assert 'href="/portfolio/"' in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": _csrf(client)})
    login(client, "pm")
    assert 'href="/portfolio/"' not in client.get("/").get_data(as_text=True)
