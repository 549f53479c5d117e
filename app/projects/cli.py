"""`jalon audit verify` and `jalon workflows list`."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from app.extensions import db


@click.group("audit")
def audit_group() -> None:
    """Check the audit trail."""


@audit_group.command("verify")
@with_appcontext
def verify_command() -> None:
    """Check the hash chain; exit 1 naming the first broken event when it was tampered with."""
    from app.projects.audit import report_dict, verify

    report = verify()
    if report.ok:
        click.echo(f"Audit chain intact: {report.events} events.")
        return
    click.echo(
        f"Audit chain BROKEN at event {report.first_broken_id}: {report.reason} "
        f"({report.events} events read).",
        err=True,
    )
    click.echo(json.dumps(report_dict(report)))
    raise SystemExit(1)


@click.group("workflows")
def workflows_group() -> None:
    """Workflow definitions."""


@workflows_group.command("list")
@with_appcontext
def list_command() -> None:
    """Store new definition versions and list every stored one."""
    from app.projects.definitions import sync

    rows = sync()
    db.session.commit()
    for (key, version), row in sorted(rows.items()):
        click.echo(f"{key}\tv{version}\t{row.content_hash[:12]}\t{row.name}")
