"""The PMO opens the portfolio dashboard, filters it by programme and downloads the XLSX."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.portfolio.dashboard_builders import build_known_portfolio
from tests.projects.conftest import workflows_dir  # noqa: F401  (fixture)


@pytest.fixture
def app(make_app, workflows_dir):  # noqa: F811
    """The app with the `tiny` test workflow the known portfolio uses."""
    return make_app(JALON_WORKFLOWS_DIR=str(workflows_dir))


def test_pmo_filters_the_dashboard_by_programme_and_downloads_the_xlsx(
    app, live_server, page, make_user, tmp_path
):
    make_user("paula", roles=["pmo"], display_name="Paula PMO")
    make_user("pm", roles=["manager"])
    make_user("gk", roles=["gatekeeper"])
    with app.app_context():
        build_known_portfolio("pm", "gk")
        db.session.remove()

    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("paula")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")
    page.get_by_role("navigation").get_by_role("link", name="Portfolio").click()
    assert page.locator("#total-projects").inner_text() == "5"
    assert page.get_by_role("img", name="Decisions per gate").count() == 1

    page.get_by_label("Programme", exact=True).select_option("ERP")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/portfolio/?*programme=ERP*")
    assert page.locator("#total-projects").inner_text() == "2"
    table = page.locator("#project-table")
    assert table.get_by_role("link", name="Alpha").count() == 1
    assert table.get_by_role("link", name="Gamma").count() == 0

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Project table as XLSX").click()
    path = tmp_path / "projects.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == "Project"
    assert [(row[0], row[1], row[6]) for row in rows[1:]] == [
        ("Alpha", "ERP", "Red"),
        ("Beta", "ERP", "Amber"),
    ]
