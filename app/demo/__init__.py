"""Demo data so that a first ``make run`` shows a PMO at work.

Every seeder is idempotent: it looks up what it would create and leaves existing rows
alone, so ``jalon demo seed`` can run at every start. Later domains add their seeders
to ``SEEDERS``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from app.auth.models import User
from app.demo.accounts import DEMO_PASSWORD, DEMO_USERS, seed_accounts
from app.demo.library import seed_library
from app.demo.portfolio import seed_portfolio
from app.demo.training import seed_training
from app.extensions import db

SEEDERS: list[Callable[[], str]] = [seed_accounts, seed_training, seed_library, seed_portfolio]


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(User.id)))


def seed() -> str:
    """Run every seeder (flushes only) and return what they did, one line each."""
    return "\n".join(seeder() for seeder in SEEDERS)


__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "database_is_empty", "seed"]
