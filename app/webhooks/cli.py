"""`jalon webhooks send`: run every minute by cron or a systemd timer, like notifications."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("webhooks")
def webhooks_group() -> None:
    """Deliver queued webhook events."""


@webhooks_group.command("send")
@with_appcontext
def send_command() -> None:
    """Post the deliveries that are due; failed ones are retried later with backoff."""
    from app.webhooks.delivery import deliver_due

    counts = deliver_due()
    click.echo(
        f"delivered {counts['delivered']}, retrying {counts['retrying']}, failed {counts['failed']}"
    )
