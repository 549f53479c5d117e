"""Stage, gate and workflow names in the reader's language, from the workflow definition a
project is pinned to (or the current one, for a document naming a workflow and a stage).

People read names, never keys: pages call these as Jinja globals and filters (registered
by the projects blueprint: ``{{ stage_name(project, project.stage) }}``), the portfolio's
tables and the decision record as functions. A key is shown only for a stage or gate the
definition does not have.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _

from app.projects.definitions import all_current, get_definition
from app.refusals import NotFound
from workflows import COMPLETED, WorkflowDefinition


def language() -> str:
    """The reader's language code (`fr`, `en`), for the definitions' labels."""
    return str(get_locale() or "en")


def definition_of(workflow: str | None, version: int | None = None) -> WorkflowDefinition | None:
    """The workflow definition `workflow` at `version` (the current one when None); None
    when unknown. Known versions come from the process cache, without a query."""
    if not workflow:
        return None
    try:
        return get_definition(workflow, version)
    except NotFound:
        return None


def workflow_stage_name(workflow: str | None, version: int | None, key: str | None) -> str:
    """The name of stage `key` of a workflow version, in the reader's language; the key
    itself only for a stage the definition does not have."""
    found = definition_of(workflow, version)
    stage = found.stage(key) if found and key else None
    if stage is not None:
        return stage.name.text(language())
    return _("Completed") if key == COMPLETED else (key or "")


def workflow_label(workflow: str, version: int | None = None) -> str:
    """The name of a workflow in the reader's language (the key if unknown)."""
    found = definition_of(workflow, version)
    return found.name.text(language()) if found else workflow


def stage_name(owner: Any, key: str | None) -> str:
    """The name of stage `key` of `owner`'s workflow (its pinned version, if any); for an
    owner naming no workflow (a library document), see `any_stage_name`."""
    workflow = getattr(owner, "workflow", None)
    if not workflow:
        return any_stage_name(key)
    return workflow_stage_name(workflow, getattr(owner, "workflow_version", None), key)


def any_stage_name(key: str | None) -> str:
    """The name of the first current workflow's stage called `key` (filters and documents
    name a stage without its workflow)."""
    for definition in all_current():
        if definition.stage(key or "") is not None:
            return workflow_stage_name(definition.key, definition.version, key)
    return key or ""


def workflow_gate_name(workflow: str | None, version: int | None, key: str) -> str:
    """The name of gate `key` of a workflow version, in the reader's language."""
    found = definition_of(workflow, version)
    gate = found.gate(key) if found else None
    return gate.name.text(language()) if gate else key


def gate_name(owner: Any, key: str) -> str:
    """The name of gate `key` of `owner`'s workflow (its pinned version, if any)."""
    return workflow_gate_name(
        getattr(owner, "workflow", None), getattr(owner, "workflow_version", None), key
    )


def workflow_name(owner: Any) -> str:
    """The name of `owner`'s workflow in the reader's language."""
    return workflow_label(owner.workflow, getattr(owner, "workflow_version", None))


NAME_FUNCTIONS = (stage_name, any_stage_name, gate_name, workflow_name, workflow_label)


def register_naming(app: Flask) -> None:
    """Each name function as a Jinja global and filter."""
    for function in NAME_FUNCTIONS:
        app.add_template_global(function)
        app.add_template_filter(function)
