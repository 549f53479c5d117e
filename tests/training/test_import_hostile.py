"""Imports of hostile or oversized files are refused by name; parallel imports never 500."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.training.importing import MAX_IMPORT_ROWS
from app.training.models import Completion
from tests import hostile_files
from tests.training.conftest import post_import


@pytest.fixture
def pmo(app, make_user, make_course, token_for) -> str:
    for name in ("ann", "bob", "eve"):
        make_user(name)
    make_course("risk-management")
    return token_for("paule", "pmo")


def _laughs_xlsx() -> bytes:
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData/></worksheet>"
    )
    base = hostile_files.xlsx_bytes([["username"]])
    return hostile_files.with_member(base, "xl/worksheets/sheet1.xml", sheet.encode())


@pytest.mark.parametrize(
    ("name", "build", "code"),
    [
        ("rows.xlsx", lambda: hostile_files.rows_xlsx(MAX_IMPORT_ROWS + 1), "sheet_rows"),
        (
            "rows.csv",
            lambda: (
                b"username,course,completed_on\n" + b"ann,x,2026-01-01\n" * (MAX_IMPORT_ROWS + 1)
            ),
            "sheet_rows",
        ),
        ("laughs.xlsx", _laughs_xlsx, "xml_dtd"),
        (
            "method.xlsx",
            lambda: hostile_files.patched(
                hostile_files.xlsx_bytes([["a"]]), "xl/workbook.xml", method=99
            ),
            "zip_compression",
        ),
        ("cut.xlsx", lambda: hostile_files.xlsx_bytes([["a"]])[:3000], "malformed_file"),
    ],
)
def test_hostile_import_is_422_naming_the_limit(app, client, pmo, name, build, code):
    response = post_import(client, pmo, build(), name)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == code
    with app.app_context():
        assert db.session.scalar(select(func.count(Completion.id))) == 0


def test_parallel_imports_of_one_file_import_each_row_once(make_app, app, pmo):
    content = (
        b"username,course,completed_on\n"
        b"ann,risk-management,2026-01-05\n"
        b"bob,risk-management,2026-01-06\n"
        b"eve,risk-management,2026-01-07\n"
    )
    workers = [make_app().test_client() for _ in range(5)]
    barrier = threading.Barrier(len(workers))
    results: list[tuple[int, int]] = []

    def run(client) -> None:
        barrier.wait()
        response = post_import(client, pmo, content)
        body = response.get_json()
        results.append((response.status_code, body.get("imported", 0)))

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert {status for status, _ in results} <= {200, 409}
    assert sum(imported for _, imported in results) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count(Completion.id))) == 3
