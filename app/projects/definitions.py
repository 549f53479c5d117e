"""Workflow definitions: YAML files at start, one stored row per (key, version) for ever.

The YAML is loaded and validated when the app is created, so a bad file fails start-up with its
file, line and field. Versions are stored on first use (tables may not exist at start-up) and
each new one is an audit event; projects pinned to an older version rebuild it from its row.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, g
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer

from app.extensions import db
from app.projects import audit
from app.projects.models import Project, WorkflowVersion
from app.refusals import NotFound
from workflows import (
    WorkflowDefinition,
    WorkflowEngine,
    load_definitions_dir,
    parse_definition,
)
from workflows.loader import DEFINITIONS_DIR

log = logging.getLogger(__name__)

_EXTENSION = "jalon_workflows"
#: (key, version) -> content hash of the versions known to be stored and committed.
_KNOWN = "jalon_workflow_versions_stored"


def init_app(app: Flask) -> None:
    """Load and validate the YAML definitions.

    From `JALON_WORKFLOWS_DIR` (app config, else the environment), else the shipped ones.
    """
    folder = app.config.get("JALON_WORKFLOWS_DIR") or os.environ.get("JALON_WORKFLOWS_DIR")
    files = load_definitions_dir(folder or DEFINITIONS_DIR)
    # The hash walks the whole definition: computed once here, not on every request.
    app.extensions[_EXTENSION] = {d.key: (d, d.content_hash) for d in files.values()}
    app.extensions[_KNOWN] = {}


def _files() -> dict[str, tuple[WorkflowDefinition, str]]:
    """Definition key -> (the YAML's definition, its content hash)."""
    return current_app.extensions[_EXTENSION]


def sync() -> dict[tuple[str, int], WorkflowVersion]:
    """Store each file's current version if new (once per request); every stored version."""
    stored = g.get("workflow_versions")
    if stored is not None:
        return stored
    stored = _stored()
    missing = [d for d, _hash in _files().values() if (d.key, d.version) not in stored]
    if missing:
        audit.chain_lock()  # serialises concurrent first uses across workers
        stored = _stored()
        for definition in missing:
            if (definition.key, definition.version) not in stored:
                stored[definition.key, definition.version] = _store(definition)
    for definition, content_hash in _files().values():
        row = stored[definition.key, definition.version]
        if row.content_hash != content_hash:
            log.warning(
                "%s changed without a version bump; version %s stays as first stored",
                definition.source,
                definition.version,
            )
    if not missing:  # rows read from the database, none stored by this (uncommitted) transaction
        current_app.extensions[_KNOWN].update(
            {version: row.content_hash for version, row in stored.items()}
        )
    g.workflow_versions = stored
    return stored


def _stored() -> dict[tuple[str, int], WorkflowVersion]:
    rows = db.session.scalars(select(WorkflowVersion).options(defer(WorkflowVersion.definition)))
    return {(row.key, row.version): row for row in rows}


def _store(definition: WorkflowDefinition) -> WorkflowVersion:
    row = WorkflowVersion(
        key=definition.key,
        version=definition.version,
        name=definition.name.en,
        definition=definition.to_dict(),
        content_hash=definition.content_hash,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "definition_loaded",
        "system",
        {
            "key": definition.key,
            "version": definition.version,
            "content_hash": definition.content_hash,
        },
    )
    return row


@lru_cache(maxsize=64)
def _parse(key: str, version: int, content_hash: str) -> WorkflowDefinition:
    """A stored version, parsed once per process: stored versions never change."""
    data = db.session.scalar(
        select(WorkflowVersion.definition).where(
            WorkflowVersion.key == key,
            WorkflowVersion.version == version,
            WorkflowVersion.content_hash == content_hash,
        )
    )
    return parse_definition(data, f"database: {key} v{version}")


def _from_row(row: WorkflowVersion) -> WorkflowDefinition:
    return _parse(row.key, row.version, row.content_hash)


def current_versions() -> dict[str, int]:
    """Definition key -> its current (highest stored) version."""
    versions: dict[str, int] = {}
    for key, version in sync():
        versions[key] = max(version, versions.get(key, 0))
    return versions


def get_definition(key: str, version: int | None = None) -> WorkflowDefinition:
    """A definition version (the current one by default); 404 when unknown.

    A version known to be stored is parsed from the process cache without a query: stored
    versions never change, and this is on the path of every vote and submission.
    """
    known = current_app.extensions[_KNOWN].get((key, version))
    if known is not None:
        return _parse(key, version, known)
    stored = sync()
    if version is None:
        version = current_versions().get(key)
    row = stored.get((key, version)) if version is not None else None
    if row is None:
        raise NotFound(_("No such workflow or version."))
    return _from_row(row)


def engine_for(project: Project) -> WorkflowEngine:
    """The shared engine of the version the project is pinned to."""
    return WorkflowEngine.for_definition(get_definition(project.workflow, project.workflow_version))


def all_current() -> list[WorkflowDefinition]:
    """The current version of every workflow, by key."""
    return [get_definition(key) for key in sorted(current_versions())]


def gate_dict(gate: Any) -> dict[str, Any]:
    """A gate in the API contract's shape: `min_votes` and `rule` flat on the gate."""
    data = gate.to_dict()
    data["min_votes"] = gate.approvers.min_votes
    data["approver_role"] = gate.approvers.role
    return data
