"""``jalon search``: rebuild, check and keep the library's search index up to date."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from app.library.indexing import check_index, document_count, drain, rebuild_index


@click.group("search")
def search_group() -> None:
    """Manage the library's search index."""


@search_group.command("reindex")
@click.option("--batch-size", default=500, show_default=True, help="Documents per batch.")
@with_appcontext
def reindex_command(batch_size: int) -> None:
    """Rebuild the index in a new directory and swap it in; searches keep working meanwhile."""
    total = document_count()
    with click.progressbar(length=total, label="Indexing documents") as bar:
        done = 0

        def progress(count: int) -> None:
            nonlocal done
            bar.update(count - done)
            done = count

        try:
            count = rebuild_index(batch_size, progress, wait_seconds=60)
        except TimeoutError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Indexed {count} documents.")


@search_group.command("check")
@with_appcontext
def check_command() -> None:
    """Compare the index with the database; exit 1 when they differ."""
    report = check_index()
    for label, ids in (
        ("missing from the index", report.missing),
        ("in the index but not in the database", report.extra),
        ("indexed at an older version", report.stale),
    ):
        if ids:
            click.echo(f"{len(ids)} {label}: {', '.join(map(str, ids[:50]))}")
    oldest = report.oldest_pending.isoformat() if report.oldest_pending else "-"
    click.echo(f"Outbox: {report.pending} pending task(s), oldest {oldest}.")
    if not report.consistent:
        raise SystemExit(1)
    click.echo("Index and database agree.")


@search_group.command("worker")
@click.option("--interval", default=0.5, show_default=True, help="Seconds between polls.")
@click.option("--once", is_flag=True, help="Drain the outbox once and stop.")
@with_appcontext
def worker_command(interval: float, once: bool) -> None:
    """Drain the index outbox in a loop (covers changes whose writer could not index them)."""
    while True:
        done = drain()
        if done:
            click.echo(f"Indexed {done} task(s).")
        if once:
            return
        time.sleep(interval)
