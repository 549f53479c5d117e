"""Where each domain plugs into the application: one line per blueprint or command group.

A new domain adds its web blueprint, its API blueprint and its CLI group here, so the
factory stays the same size whatever the number of domains.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# "module:attribute" of each web blueprint (flask.Blueprint).
WEB_BLUEPRINTS = [
    "app.main:bp",
    "app.auth:bp",
    "app.admin:bp",
    "app.library:bp",
    "app.notifications:bp",
    "app.notifications:personal_bp",
    "app.training:bp",
    "app.projects:bp",
    "app.portfolio:bp",
]

# "module:attribute" of each API blueprint (app.api.blueprint.ApiBlueprint), under /api/v1.
API_BLUEPRINTS = [
    "app.auth.api:blp",
    "app.main.api:blp",
    "app.notifications.api:blp",
    "app.admin.api:blp",
    "app.projects.api:blp",
    "app.projects.committee_api:blp",
    "app.library.api:blp",
    "app.training.api:blp",
    "app.portfolio.api:blp",
    "app.portfolio.reports.api:blp",
    "app.webhooks.api:blp",
]

# "module:attribute" of each click group (or lone command) added to the ``jalon`` command.
COMMAND_GROUPS = [
    "app.cli:users_group",
    "app.cli:tokens_group",
    "app.cli:demo_group",
    "app.training.cli:training_group",
    "app.library.cli:search_group",
    "app.notifications.cli:notifications_group",
    "app.notifications.cli:reminders_group",
    "app.webhooks.cli:webhooks_group",
    "app.projects.cli:audit_group",
    "app.projects.cli:workflows_group",
    "app.backup.cli:backup_command",
    "app.backup.cli:restore_command",
]


def load(reference: str) -> Any:
    """Import ``module:attribute``."""
    module_name, _sep, attribute = reference.partition(":")
    return getattr(import_module(module_name), attribute)
