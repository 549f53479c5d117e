"""Run a query one page at a time, answering the contract's page shape."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db


def paginate(statement: Select[Any], page: int, per_page: int) -> dict[str, Any]:
    """``{"items", "total", "page", "per_page"}`` for ``statement`` (two queries)."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "total": total or 0, "page": page, "per_page": per_page}
