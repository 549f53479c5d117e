"""Exports: opened with openpyxl and csv and checked cell by cell."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from tests.conftest import bearer, login
from tests.formulas import PAYLOADS, assert_csv_neutralised, assert_xlsx_keeps_text


@pytest.fixture
@freeze_time("2026-11-21 08:00:00")
def pmo(app, client, token_for, make_course, complete) -> dict[str, str]:
    token = token_for("paule", "pmo")
    make_course("gate-reviewer", "Gate reviewer", validity_months=12)
    make_course("project-method", "Project method")
    token_for("marc", "manager", teams=("Digital",))
    token_for("ann", "staff", teams=("Digital",))
    token_for("olga", "staff", teams=("Operations",))
    body = {"course": "project-method", "role": "staff", "due_date": "2026-11-01"}
    client.post("/api/v1/training/requirements", json=body, headers=bearer(token))
    complete("ann", "gate-reviewer", date(2026, 1, 15))
    complete("olga", "project-method", date(2026, 2, 3))
    return bearer(token)


def _get(client, path: str, headers: dict[str, str]):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


@freeze_time("2026-11-21 08:00:00")
def test_matrix_xlsx_has_a_bold_frozen_header_and_one_sheet_per_team(client, pmo) -> None:
    response = _get(client, "/api/v1/training/exports/matrix.xlsx", pmo)
    assert "training-matrix-2026-11-21.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Digital", "Operations", "No team"]
    digital = workbook["Digital"]
    header = [cell.value for cell in digital[1]]
    assert header == [
        "Username",
        "Name",
        "Teams",
        "gate-reviewer",
        "gate-reviewer valid until",
        "project-method",
        "project-method valid until",
    ]
    assert all(cell.font.bold for cell in digital[1])
    assert digital.freeze_panes == "D2"
    rows = {row[0].value: row for row in digital.iter_rows(min_row=2)}
    assert set(rows) == {"ann", "marc"}
    ann = rows["ann"]
    assert ann[2].value == "Digital"
    assert ann[3].value == "compliant"
    assert ann[4].value == datetime(2027, 1, 15)  # a real Excel date, not text
    assert ann[4].number_format == "yyyy-mm-dd"
    assert ann[5].value == "overdue"
    assert ann[6].value is None
    assert rows["marc"][3].value is None
    olga = next(workbook["Operations"].iter_rows(min_row=2))
    assert [cell.value for cell in olga[:7]] == [
        "olga",
        "olga",
        "Operations",
        None,
        None,
        "compliant",
        None,
    ]
    assert [row[0].value for row in workbook["No team"].iter_rows(min_row=2)] == ["paule"]


@freeze_time("2026-11-21 08:00:00")
def test_overdue_csv_lists_required_courses_past_due_with_managers(client, pmo) -> None:
    response = _get(client, "/api/v1/training/exports/overdue.csv", pmo)
    assert response.data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert lines == [
        [
            "Username",
            "Name",
            "Teams",
            "Course",
            "Title",
            "Status",
            "Due date",
            "Valid until",
            "Managers",
        ],
        [
            "ann",
            "ann",
            "Digital",
            "project-method",
            "Project method",
            "overdue",
            "2026-11-01",
            "",
            "marc",
        ],
    ]


@freeze_time("2026-11-21 08:00:00")
def test_overdue_xlsx_and_matrix_csv(client, pmo) -> None:
    workbook = load_workbook(
        io.BytesIO(_get(client, "/api/v1/training/exports/overdue.xlsx", pmo).data)
    )
    digital = workbook["Digital"]
    assert digital.freeze_panes == "D2"
    assert digital["A2"].value == "ann"
    assert digital["G2"].value == datetime(2026, 11, 1)
    assert digital["I2"].value == "marc"
    assert workbook["Operations"].max_row == 1  # header only: olga is compliant
    text = _get(client, "/api/v1/training/exports/matrix.csv", pmo).data.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert rows["olga"][5:7] == ["compliant", ""]
    assert rows["ann"][3:5] == ["compliant", "2027-01-15"]


@pytest.fixture
@freeze_time("2026-11-21 08:00:00")
def hostile(client, token_for, make_user, make_course) -> dict[str, str]:
    """People, a team and a late course all named with formula payloads."""
    token = bearer(token_for("paule", "pmo"))
    make_course("risk", PAYLOADS[0])
    for number, payload in enumerate(PAYLOADS):
        make_user(f"evil{number}", roles=["staff"], teams=[payload], display_name=payload)
    body = {"course": "risk", "role": "staff", "due_date": "2026-11-01"}
    assert client.post("/api/v1/training/requirements", json=body, headers=token).status_code == 201
    return token


@freeze_time("2026-11-21 08:00:00")
@pytest.mark.parametrize("name", ["matrix", "overdue"])
def test_xlsx_exports_write_formula_payloads_as_plain_text(client, hostile, name) -> None:
    response = _get(client, f"/api/v1/training/exports/{name}.xlsx", hostile)
    assert_xlsx_keeps_text(response.data)
    sheet = load_workbook(io.BytesIO(response.data))[PAYLOADS[1]]  # the team "+1"
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("+1", "s")


@freeze_time("2026-11-21 08:00:00")
@pytest.mark.parametrize("name", ["matrix", "overdue"])
def test_csv_exports_quote_formula_payloads(client, hostile, name) -> None:
    response = _get(client, f"/api/v1/training/exports/{name}.csv", hostile)
    assert_csv_neutralised(response.data)


@freeze_time("2026-11-21 08:00:00")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_page_downloads_keep_formula_payloads_as_text(client, hostile, fmt) -> None:
    login(client, "paule")
    response = client.get(f"/training/exports/matrix.{fmt}")
    assert response.status_code == 200
    check = assert_xlsx_keeps_text if fmt == "xlsx" else assert_csv_neutralised
    check(response.data)
