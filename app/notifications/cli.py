"""``jalon notifications send``: deliver the outbox (cron or a systemd timer runs it)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("notifications")
def notifications_group() -> None:
    """Deliver queued notifications."""


@notifications_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send pending messages by SMTP (or hold them when MAIL_SERVER is not set)."""
    from app.notifications.services import deliver_pending

    counts = deliver_pending()
    click.echo(f"sent {counts['sent']}, failed {counts['failed']}, held {counts['held']}")
