"""The status report runs a fixed number of SQL queries, whatever the number of projects."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from app.auth.models import User
from app.extensions import db
from app.projects.programmes import Portfolio, Programme
from app.timeutil import clock_at
from tests.portfolio.test_status_report import add_project
from workflows import Decision

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@contextmanager
def counting(app):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _add_projects(app, count: int, start: int) -> None:
    """Projects in three programmes, each with a decision, figures, an open review and items."""
    with app.app_context():
        manager = db.session.scalar(select(User).where(User.username == "manager"))
        programmes = db.session.scalars(select(Programme)).all()
        for index in range(start, start + count):
            add_project(
                f"P{index:04d}",
                manager,
                programmes[index % len(programmes)] if index % 4 else None,
                budget=("1000", "500", str(1000 + index)),
                decided=(Decision.GO, NOW - timedelta(days=index % 40)),
                waiting_since=NOW - timedelta(days=index % 15),
                open_items=(NOW.date() - timedelta(days=index % 3 - 1),),
            )
        db.session.commit()


def test_report_queries_do_not_grow_with_the_number_of_projects(app, api):
    api.people.ensure("manager")
    with app.app_context():
        growth = Portfolio(name="Growth")
        db.session.add_all([Programme(name=f"Prog {n}", portfolio=growth) for n in range(3)])
        db.session.commit()
    _add_projects(app, 10, 0)
    paths = ("/reports/status.xlsx?month=2026-11", "/reports/status.pdf?portfolio=Growth")
    with clock_at(NOW):
        for path in paths:  # warm: workflow versions stored, caches filled
            assert api("get", path, "pmo").status_code == 200
        small = {}
        for path in paths:
            with counting(app) as statements:
                assert api("get", path, "pmo").status_code == 200
            small[path] = len(statements)
        _add_projects(app, 190, 10)
        for path in paths:
            with counting(app) as statements:
                response = api("get", path, "pmo")
            assert response.status_code == 200
            assert len(statements) == small[path], path
    assert small[paths[0]] <= 14, small
