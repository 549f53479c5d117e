"""Bulk import: good rows in, bad rows reported by line and reason, idempotent."""

from __future__ import annotations

import io
from datetime import date

import pytest
from freezegun import freeze_time
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.training.models import Completion, CompletionSource
from tests.training.conftest import post_import

DONE_WHEN_CSV = (
    "username,course,completed_on,score\n"
    "ann,risk-management,2026-03-01,88\n"
    "bob,risk-management,2026-04-15,\n"
    "ann,project-method,01/02/2026,75.5\n"
    "nobody,risk-management,2026-03-01,\n"
    "bob,project-method,2026-13-45,\n"
    "bob,gate-reviewer,2025-11-30,90\n"
)


@pytest.fixture
def setup(app, make_user, make_course, token_for) -> str:
    make_user("ann", email="ann@example.org")
    make_user("bob", email="Bob@Example.org")
    make_course("risk-management", validity_months=24)
    make_course("project-method")
    make_course("gate-reviewer", validity_months=12)
    return token_for("paule", "pmo")


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Completion.id)))


@freeze_time("2026-11-21 23:00:00")
def test_done_when_six_rows_two_bad_imports_four_then_nothing(app, client, setup) -> None:
    first = post_import(client, setup, DONE_WHEN_CSV.encode())
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert body["imported"] == 4
    assert body["duplicates"] == 0
    assert body["rejected"] == [
        {"line": 5, "error": "unknown person: nobody"},
        {
            "line": 6,
            "error": "bad date: 2026-13-45 (expected YYYY-MM-DD or DD/MM/YYYY)",
        },
    ]
    assert _count(app) == 4
    with app.app_context():
        imported = db.session.scalars(select(Completion)).all()
        assert {c.source for c in imported} == {CompletionSource.IMPORT}
        assert {c.recorded_by.username for c in imported} == {"paule"}
        assert date(2026, 2, 1) in {c.completed_on for c in imported}  # dd/mm/yyyy read

    again = post_import(client, setup, DONE_WHEN_CSV.encode()).get_json()
    assert again["imported"] == 0
    assert again["duplicates"] == 4
    assert [reject["line"] for reject in again["rejected"]] == [5, 6]
    assert _count(app) == 4


@freeze_time("2026-11-21 23:00:00")
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_semicolon_csv_with_or_without_bom_reports_every_kind_of_bad_row(
    app, client, setup, bom: bytes
) -> None:
    content = (
        "Email;Course;Completed_On;Score\r\n"
        "ann@example.org;risk-management;15/01/2026;85,5\r\n"
        "bob@example.org;unknown-course;2026-01-15;\r\n"
        "ann@example.org;project-method;2026-12-01;\r\n"
        "ann@example.org;project-method;2026-01-15;150\r\n"
        "\r\n"
        "bob@example.org;gate-reviewer;2026-01-15;\r\n"
        "BOB@example.org;gate-reviewer;15/01/2026;\r\n"
    )
    body = post_import(client, setup, bom + content.encode()).get_json()
    assert body["imported"] == 2
    assert body["rejected"] == [
        {"line": 3, "error": "unknown course: unknown-course"},
        {"line": 4, "error": "future date: 2026-12-01"},
        {"line": 5, "error": "bad score: 150 (expected 0 to 100)"},
        {"line": 8, "error": "duplicate of line 7"},
    ]
    with app.app_context():
        scores = db.session.scalars(select(Completion.score)).all()
    assert sorted(scores, key=str) == sorted([85.5, None], key=str)


@freeze_time("2026-11-21 23:00:00")
def test_xlsx_with_date_cells_and_text_dates_is_imported_and_bad_rows_reported(
    app, client, setup
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["username", "course", "completed_on", "score"])
    sheet.append(["ann", "risk-management", date(2026, 5, 4), 70])
    sheet.append(["bob", "project-method", "04/05/2026", None])
    sheet.append(["bob", "risk-management", "yesterday", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    body = post_import(client, setup, buffer.getvalue(), "export.xlsx").get_json()
    assert body["imported"] == 2
    assert body["rejected"] == [
        {"line": 4, "error": "bad date: yesterday (expected YYYY-MM-DD or DD/MM/YYYY)"}
    ]


@freeze_time("2026-11-21 23:00:00")
def test_file_with_only_bad_rows_changes_nothing(app, client, setup) -> None:
    content = b"username,course,completed_on\nzed,risk-management,2026-01-01\nann,nope,2026-01-01\n"
    body = post_import(client, setup, content).get_json()
    assert body == {
        "imported": 0,
        "duplicates": 0,
        "rejected": [
            {"line": 2, "error": "unknown person: zed"},
            {"line": 3, "error": "unknown course: nope"},
        ],
    }
    assert _count(app) == 0


def test_file_without_required_columns_is_refused_whole(app, client, setup) -> None:
    response = post_import(client, setup, b"person,course\nann,risk-management\n")
    assert response.status_code == 422
    assert "completed_on" in response.get_json()["error"]["message"]
    assert post_import(client, setup, b"\xff\xfe\x00garbage").status_code == 422
    assert post_import(client, setup, b"PK\x03\x04broken", "x.xlsx").status_code == 422
    assert _count(app) == 0


def test_import_is_refused_to_managers_and_staff(app, client, setup, token_for) -> None:
    for username, role in [("marc", "manager"), ("sam", "staff")]:
        response = post_import(client, token_for(username, role), DONE_WHEN_CSV.encode())
        assert response.status_code == 403
    assert _count(app) == 0


def test_line_numbers_count_physical_lines_of_quoted_multiline_fields(app, client, setup) -> None:
    content = (
        b"username,course,completed_on,note\n"
        b'ann,risk-management,2020-01-01,"two\nlines"\n'
        b"zed,x,2020-01-01,\n"
    )
    body = post_import(client, setup, content).get_json()
    assert body["imported"] == 1
    assert [reject["line"] for reject in body["rejected"]] == [4]


@freeze_time("2026-11-21 23:00:00")
def test_cli_import_reports_bad_lines_and_is_idempotent(app, runner, setup, tmp_path) -> None:
    path = tmp_path / "completions.csv"
    path.write_text(DONE_WHEN_CSV, encoding="utf-8")
    result = runner.invoke(args=["training", "import", str(path), "--by", "paule"])
    assert result.exit_code == 1
    assert "line 5: unknown person: nobody" in result.output
    assert "4 imported, 0 already recorded, 2 rejected." in result.output
    again = runner.invoke(args=["training", "import", str(path)])
    assert "0 imported, 4 already recorded, 2 rejected." in again.output
    assert _count(app) == 4
