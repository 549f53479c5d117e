"""The monthly status report: its content for a hand-built portfolio, its files, who may read it."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.portfolio.reports.service import build_status_report
from app.projects.models import (
    ActionItem,
    GateReview,
    Project,
    ReviewStatus,
)
from app.projects.programmes import Portfolio, Programme
from app.timeutil import clock_at
from tests.conftest import login
from workflows import Decision

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def add_project(
    name: str,
    manager: User,
    programme: Programme | None = None,
    budget: tuple[str, str, str] | None = None,
    decided: tuple[Decision, datetime] | None = None,
    waiting_since: datetime | None = None,
    open_items: tuple[date | None, ...] = (),
) -> Project:
    """A `tiny` project with, as asked, a decided review (with its budget figures), an open
    review waiting since a date, and open action items due on the given dates."""
    project = Project(
        name=name,
        workflow="tiny",
        workflow_version=1,
        stage="build",
        manager_id=manager.id,
        programme=programme,
    )
    db.session.add(project)
    db.session.flush()

    def review(**fields) -> GateReview:
        row = GateReview(
            project_id=project.id,
            gate="check",
            from_stage="build",
            to_stage="run",
            submitted_by_id=manager.id,
            criteria={"safe": True, "value": 4},
            **fields,
        )
        db.session.add(row)
        db.session.flush()
        return row

    planned, actual, forecast = (Decimal(v) for v in budget) if budget else (None, None, None)
    money = {"budget_planned": planned, "budget_actual": actual, "budget_forecast": forecast}
    source = None
    if decided:
        decision, when = decided
        source = review(
            status=ReviewStatus.DECIDED,
            decision=decision,
            decided_at=when,
            submitted_at=when - timedelta(days=3),
            **money,
        )
    if waiting_since:
        source = review(submitted_at=waiting_since, open_project_id=project.id, **money)
    for due in open_items:
        source = source or review(
            status=ReviewStatus.DECIDED,
            decision=Decision.CONDITIONAL_GO,
            decided_at=NOW - timedelta(days=60),
        )
        db.session.add(
            ActionItem(
                review_id=source.id,
                project_id=project.id,
                description="Fix it",
                owner_id=manager.id,
                due_date=due,
            )
        )
    db.session.flush()
    return project


@pytest.fixture
def portfolio(app: Flask, make_user) -> dict[str, int]:
    """Growth (ERP, Stores) and Ops (Support) portfolios, a project of no programme."""
    make_user("marc", roles=["manager"], display_name="Marc Durand")
    make_user("other", roles=["manager"], display_name="Olga Other")
    with app.app_context():
        marc = db.session.scalar(select(User).where(User.username == "marc"))
        other = db.session.scalar(select(User).where(User.username == "other"))
        growth, ops = Portfolio(name="Growth"), Portfolio(name="Ops")
        erp = Programme(name="ERP", portfolio=growth)
        stores = Programme(name="Stores", portfolio=growth)
        support = Programme(name="Support", portfolio=ops)
        db.session.add_all([growth, ops, erp, stores, support])
        ids = {
            "Atlas": add_project(
                "Atlas",
                marc,
                erp,
                budget=("100000", "60000", "125000"),
                decided=(Decision.GO, datetime(2026, 11, 5, 10, tzinfo=UTC)),
            ),
            "Borealis": add_project("Borealis", marc, erp),
            "Cygnus": add_project(
                "Cygnus",
                marc,
                stores,
                decided=(Decision.RECYCLE, datetime(2026, 10, 30, 10, tzinfo=UTC)),
                waiting_since=NOW - timedelta(days=11),
                open_items=(date(2026, 11, 1), date(2026, 12, 31)),
            ),
            "Delta": add_project("Delta", other, support),
            "Echo": add_project(
                "Echo",
                other,
                None,
                decided=(Decision.KILL, datetime(2026, 11, 30, 23, 59, tzinfo=UTC)),
            ),
        }
        db.session.commit()
        return {name: project.id for name, project in ids.items()}


def _report(
    app: Flask, username: str, filters: dict, month: date = date(2026, 11, 1), language="en"
):
    with app.test_request_context(), clock_at(NOW):
        user = db.session.scalar(select(User).where(User.username == username))
        return build_status_report(user, filters, month, language, now=NOW)


def test_report_has_a_section_per_programme_of_the_portfolio_with_figures_and_reasons(
    app, make_user, portfolio
):
    make_user("pmo", roles=["pmo"])
    report = _report(app, "pmo", {"portfolio": "Growth"})
    assert report.portfolio == "Growth"
    assert [section.name for section in report.sections] == ["ERP", "Stores"]
    atlas, borealis = report.sections[0].rows
    assert (atlas.name, borealis.name) == ("Atlas", "Borealis")
    assert atlas.manager == "Marc Durand"
    assert (atlas.workflow, atlas.stage, atlas.status) == ("Tiny", "Build", "active")
    assert (atlas.planned, atlas.actual, atlas.forecast) == (
        Decimal("100000"),
        Decimal("60000"),
        Decimal("125000"),
    )
    assert atlas.variance_pct == 25.0
    assert atlas.rag == "red"
    assert atlas.rag_reasons == ("Forecast is 25% over the planned budget (red beyond 20%).",)
    assert (atlas.last_decision, atlas.last_decision_on) == ("Go", date(2026, 11, 5))
    assert borealis.rag == "green"
    assert borealis.rag_reasons == ()
    assert borealis.last_decision is None
    (cygnus,) = report.sections[1].rows
    assert cygnus.rag == "amber"
    assert cygnus.rag_reasons == (
        "The gate review has waited 11 days for a decision (amber beyond 10).",
        "1 action item(s) past their due date.",
    )
    assert (cygnus.open_action_items, cygnus.overdue_action_items) == (2, 1)
    assert cygnus.last_decision == "Recycle"
    # Decisions of November only: Cygnus's recycle was in October; Echo is not in Growth.
    assert [(d.project, d.gate, d.decision) for d in report.decisions] == [("Atlas", "Check", "Go")]


def test_report_of_every_portfolio_puts_projects_without_programme_last(app, make_user, portfolio):
    make_user("pmo", roles=["pmo"])
    report = _report(app, "pmo", {})
    assert report.portfolio == "All portfolios"
    assert [s.name for s in report.sections] == ["ERP", "Stores", "Support", "No programme"]
    assert [row.name for row in report.sections[-1].rows] == ["Echo"]
    # The last minute of the month belongs to the month.
    assert [d.project for d in report.decisions] == ["Atlas", "Echo"]
    october = _report(app, "pmo", {}, date(2026, 10, 1))
    assert [(d.project, d.decision) for d in october.decisions] == [("Cygnus", "Recycle")]


def test_report_reasons_are_in_the_readers_language(app, make_user, portfolio):
    make_user("pmo", roles=["pmo"])
    report = _report(app, "pmo", {"programme": "Stores"}, language="fr")
    assert report.sections[0].rows[0].rag_reasons == (
        "La revue de jalon attend une décision depuis 11 jours (orange au-delà de 10).",
        "1 action(s) en retard sur leur échéance.",
    )


def test_report_honours_the_filters_and_the_readers_visibility(app, make_user, portfolio):
    make_user("pmo", roles=["pmo"])
    by_programme = _report(app, "pmo", {"programme": "Stores", "status": "active"})
    assert [row.name for s in by_programme.sections for row in s.rows] == ["Cygnus"]
    by_manager = _report(app, "pmo", {"manager": "other"})
    assert [row.name for s in by_manager.sections for row in s.rows] == ["Delta", "Echo"]
    # A manager's report holds their projects only (the service honours visibility).
    mine = _report(app, "other", {})
    assert [row.name for s in mine.sections for row in s.rows] == ["Delta", "Echo"]
    assert [d.project for d in mine.decisions] == ["Echo"]
    assert _report(app, "pmo", {"portfolio": "Nope"}).sections == ()


def _as(app: Flask, make_user, username: str, *roles: str):
    make_user(username, roles=list(roles))
    client = app.test_client()
    login(client, username)
    return client


def test_the_xlsx_download_has_a_sheet_per_programme_checked_cell_by_cell(
    app, make_user, portfolio
):
    client = _as(app, make_user, "pmo", "pmo")
    with clock_at(NOW):
        response = client.get("/portfolio/report.xlsx?portfolio=Growth&month=2026-11")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=status-report-growth-2026-11.xlsx"
    )
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["ERP", "Stores", "Decisions"]
    sheet = workbook["ERP"]
    assert sheet.freeze_panes == "B2"
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "Project",
        "Manager",
        "Workflow",
        "Stage",
        "Status",
        "RAG",
        "Why",
        "Last decision",
        "Decided on",
        "Planned",
        "Actual",
        "Forecast",
        "Variance",
        "Open actions",
        "Overdue actions",
    ]
    assert all(cell.font.bold for cell in sheet[1])
    atlas = [cell.value for cell in sheet[2]]
    assert atlas[:8] == [
        "Atlas",
        "Marc Durand",
        "Tiny",
        "Build",
        "Active",
        "Red",
        "Forecast is 25% over the planned budget (red beyond 20%).",
        "Go",
    ]
    assert atlas[8] == datetime(2026, 11, 5)
    assert atlas[9:] == [100000, 60000, 125000, 25.0, 0, 0]
    assert sheet["I2"].number_format == "yyyy-mm-dd"
    assert all("€" in sheet[f"{c}2"].number_format for c in "JKL")
    assert sheet["M2"].number_format == '0.0"%"'
    assert [cell.value for cell in sheet[3]][:6] == [
        "Borealis",
        "Marc Durand",
        "Tiny",
        "Build",
        "Active",
        "Green",
    ]
    assert sheet["J3"].value is None
    assert sheet.max_row == 3
    stores = workbook["Stores"]
    assert stores["A2"].value == "Cygnus"
    assert stores["G2"].value == (
        "The gate review has waited 11 days for a decision (amber beyond 10). "
        "1 action item(s) past their due date."
    )
    assert (stores["N2"].value, stores["O2"].value) == (2, 1)
    decisions = workbook["Decisions"]
    assert [c.value for c in decisions[1]] == ["Decided on", "Project", "Gate", "Decision"]
    assert [c.value for c in decisions[2]] == [datetime(2026, 11, 5, 10), "Atlas", "Check", "Go"]
    assert decisions["A2"].number_format == "yyyy-mm-dd"


def test_the_pdf_download_lists_projects_reasons_and_decisions(app, api, portfolio):
    with clock_at(NOW):
        response = api("get", "/reports/status.pdf?month=2026-11", "gk1")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=status-report-all-2026-11.pdf"
    )
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Status report — All portfolios" in text
    assert "November 2026" in text
    for name in ("ERP", "Stores", "Support", "No programme", "Atlas", "Cygnus", "Echo"):
        assert name in text
    assert "red beyond 20%" in text
    assert "amber beyond 10" in text
    assert "Decisions of the month" in text
    assert "Kill" in text


def test_the_report_page_shows_colour_and_text_and_links_the_downloads(app, make_user, portfolio):
    client = _as(app, make_user, "gate", "gatekeeper")
    with clock_at(NOW):
        page = client.get("/portfolio/report?portfolio=Growth&month=2026-11")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<span class="rag rag-red">Red</span>' in html
    assert '<span class="rag rag-amber">Amber</span>' in html
    assert "Forecast is 25% over the planned budget (red beyond 20%)." in html
    assert "/portfolio/report.xlsx?portfolio=Growth&amp;month=2026-11" in html
    assert "/portfolio/report.pdf?portfolio=Growth&amp;month=2026-11" in html
    assert "Delta" not in html


@pytest.mark.parametrize("username", ["staff", "manager"])
def test_staff_and_managers_may_not_read_reports(app, api, make_user, username):
    client = _as(app, make_user, f"web-{username}", username)
    for path in ("/portfolio/report", "/portfolio/report.xlsx", "/portfolio/report.pdf"):
        assert client.get(path).status_code == 403
    for path in ("/reports/status.xlsx", "/reports/status.pdf"):
        refused = api("get", path, username)
        assert refused.status_code == 403
        assert refused.json["error"]["code"] == "forbidden"


def test_a_bad_month_is_refused(app, api, make_user):
    assert api("get", "/reports/status.xlsx?month=2026-13", "pmo").status_code == 422
    client = _as(app, make_user, "boss", "pmo")
    assert client.get("/portfolio/report?month=november").status_code == 400
    assert app.test_client().get("/portfolio/report").status_code == 302  # to the login page


def test_a_french_reader_gets_the_page_and_the_pdf_in_french(app, make_user, portfolio):
    client = _as(app, make_user, "pmo", "pmo")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "pmo")).locale = "fr"
        db.session.commit()
    with clock_at(NOW):
        page = client.get("/portfolio/report?programme=Stores&month=2026-11")
        pdf = client.get("/portfolio/report.pdf?programme=Stores&month=2026-11")
    html = page.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "novembre 2026" in html
    assert "La revue de jalon attend une décision depuis 11 jours" in html
    assert pdf.headers["Content-Disposition"] == (
        "attachment; filename=status-report-all-2026-11.pdf"
    )
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    assert "novembre 2026" in text
    assert "orange au-delà de 10" in text
