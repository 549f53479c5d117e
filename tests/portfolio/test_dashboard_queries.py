"""The dashboard and the summary run the same number of SQL statements for 10 and 1,000 projects."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.conftest import bearer, login
from tests.portfolio.dashboard_builders import bulk_projects


def _count_queries(app, client, paths: dict) -> dict[str, int]:
    """Statements of one warm request to each path."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(*args) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", listener)
    counts = {}
    try:
        for name, (path, headers) in paths.items():
            assert client.get(path, headers=headers).status_code == 200  # warm-up
            statements.clear()
            assert client.get(path, headers=headers).status_code == 200
            counts[name] = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return counts


@pytest.mark.slow
def test_page_summary_and_export_run_a_fixed_number_of_queries(app, client, token_for):
    headers = bearer(token_for("boss", "pmo"))
    token_for("pm", "manager")
    login(client, "boss")
    paths = {
        "page": ("/portfolio/", {}),
        "filtered page": ("/portfolio/?programme=Small&status=active", {}),
        "summary": ("/api/v1/portfolio/summary", headers),
        "xlsx": ("/portfolio/projects.xlsx", {}),
    }
    with app.app_context():
        bulk_projects(10, "pm", prefix="Small")
    small = _count_queries(app, client, paths)
    with app.app_context():
        bulk_projects(990, "pm", prefix="Large")
        assert db.session.scalar(db.text("SELECT count(*) FROM projects")) == 1000
    large = _count_queries(app, client, paths)
    assert small == large
    assert large["summary"] <= 25, large
