"""The navigation of the web pages, per role.

Each domain appends its entries to ``NAV_ITEMS``; the base layout shows those the
signed-in person may open (the views still check roles themselves).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.models import Role
from app.labels import register_labels


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any
    description: Any
    roles: tuple[Role, ...] = ()  # empty: every signed-in person


NAV_ITEMS: list[NavItem] = [
    NavItem("main.home", _l("Home"), _l("What awaits you.")),
    NavItem(
        "library.browse",
        _l("Library"),
        _l("Standards, guidelines, templates and lessons learned."),
    ),
    NavItem(
        "library.search",
        _l("Search the library"),
        _l("Find documents in French or English, with typos forgiven."),
    ),
    # Those who see projects (`app.projects.services.can_see`): managers see their own.
    NavItem(
        "projects.projects",
        _l("Projects"),
        _l("Projects, their gates and decisions."),
        (Role.MANAGER, Role.PMO, Role.GATEKEEPER),
    ),
    NavItem(
        "projects.awaiting",
        _l("Awaiting my vote"),
        _l("Gate reviews waiting for your decision."),
        (Role.GATEKEEPER,),
    ),
    NavItem("training.mine", _l("My training"), _l("Your courses, their status and history.")),
    NavItem(
        "training.matrix",
        _l("Training matrix"),
        _l("Who is trained, team by team, and who is overdue."),
        (Role.PMO, Role.MANAGER),
    ),
    NavItem(
        "portfolio.dashboard",
        _l("Portfolio"),
        _l("Projects by stage, decisions, budgets, RAG and training, with exports."),
        (Role.PMO, Role.GATEKEEPER),
    ),
    NavItem(
        "admin.users",
        _l("People"),
        _l("Accounts, roles and teams of the people using Jalon."),
        (Role.ADMIN, Role.PMO),
    ),
    NavItem(
        "admin.teams",
        _l("Teams"),
        _l("The teams people belong to."),
        (Role.ADMIN, Role.PMO),
    ),
    NavItem(
        "notifications.outbox",
        _l("Message outbox"),
        _l("Every message Jalon sent or holds, with delivery errors."),
        (Role.ADMIN,),
    ),
]


def navigation() -> list[dict[str, Any]]:
    if not current_user.is_authenticated:
        return []
    return [
        {
            "endpoint": item.endpoint,
            "url": url_for(item.endpoint),
            "label": item.label,
            "description": item.description,
            "active": request.endpoint == item.endpoint,
        }
        for item in NAV_ITEMS
        if not item.roles or current_user.has_role(*item.roles)
    ]


def register_template_helpers(app: Flask) -> None:
    register_labels(app)

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {
            "navigation": navigation,
            "current_locale": lambda: str(get_locale() or "en"),
        }
