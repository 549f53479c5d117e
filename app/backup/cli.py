"""``jalon backup FILE`` and ``jalon restore FILE``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.refusals import Refused


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write the database, the stored files and a manifest into the archive FILE (.tar.gz).

    Safe while the server runs. The search index is not included: restore rebuilds it.
    """
    from app.backup.services import create_backup

    try:
        manifest = create_backup(file)
    except Refused as error:
        raise click.ClickException(error.message) from error
    entry = manifest["database"]
    files = sum(1 for name in manifest["members"] if name.startswith("data/"))
    size = file.stat().st_size
    click.echo(
        f"Backed up the {entry['dialect']} database (revision {entry['alembic_revision'] or '-'},"
        f" {manifest['counts'].get('audit_events', 0)} audit events) and {files} file(s)"
        f" to {file} ({size / 1_048_576:.1f} MB)."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database or data directory that is not empty (drops what is there).",
)
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore the archive FILE into an empty database and data directory.

    The archive is checked against its manifest before anything is written. Then the
    database is migrated if it is older than this Jalon, the search index is rebuilt and the
    audit chain verified. Stop the server while restoring. Exit 1 if a check fails.
    """
    from app.backup.services import SUMMARY_TABLES, restore_backup

    try:
        report = restore_backup(file, force=force)
    except Refused as error:
        raise click.ClickException(error.message) from error
    except TimeoutError as error:
        raise click.ClickException(f"search index not rebuilt: {error}") from error
    manifest = report.manifest
    click.echo(
        f"Restored the archive of {manifest['created_at']} (Jalon {manifest['jalon_version']}):"
        f" {report.files} file(s)."
    )
    click.echo(
        ", ".join(
            f"{name} {report.counts[name]}" for name in SUMMARY_TABLES if name in report.counts
        )
    )
    if report.migrated_from:
        click.echo(f"Database migrated from revision {report.migrated_from}.")
    click.echo(f"Search index rebuilt: {report.indexed} documents.")
    failed = False
    if report.count_differences:
        failed = True
        for name, (expected, found) in report.count_differences.items():
            click.echo(f"Table {name}: {expected} rows in the archive, {found} restored.", err=True)
    if report.audit.ok:
        click.echo(f"Audit chain intact: {report.audit.events} events.")
    else:
        failed = True
        click.echo(
            f"Audit chain BROKEN at event {report.audit.first_broken_id}: {report.audit.reason}.",
            err=True,
        )
    if failed:
        raise SystemExit(1)
