"""``jalon training import FILE``: bulk import of completions with a progress bar."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.auth.services import get_user_by_username
from app.extensions import db
from app.refusals import Refused


@click.group("training")
def training_group() -> None:
    """Training records."""


@training_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "recorded_by", help="Username recorded as having imported the file.")
@with_appcontext
def import_command(file: Path, recorded_by: str | None) -> None:
    """Import completions from FILE (CSV or XLSX: username or email, course, completed_on,
    score). Bad rows are listed with their line number; the command exits 1 if any."""
    from app.training.importing import import_completions, read_rows

    by = None
    if recorded_by:
        by = get_user_by_username(recorded_by)
        if by is None:
            raise click.ClickException(f"unknown user {recorded_by}")
    try:
        rows = read_rows(file.read_bytes(), file.name)
        with click.progressbar(length=len(rows), label="Importing") as bar:
            result = import_completions(rows, by, on_row=lambda: bar.update(1))
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        raise click.ClickException(refusal.message) from refusal
    for reject in result.rejected:
        click.echo(f"line {reject['line']}: {reject['error']}", err=True)
    click.echo(
        f"{result.imported} imported, {result.duplicates} already recorded, "
        f"{len(result.rejected)} rejected."
    )
    if result.rejected:
        raise SystemExit(1)
