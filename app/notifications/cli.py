"""``jalon notifications send`` and ``jalon reminders send``: run by cron or a systemd timer.

Jalon has no timer of its own: a scheduler outside the server runs these commands, so a
restarted or scaled server never sends twice nor forgets to send.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from docs_store.locking import try_writer_lock


@click.group("notifications")
def notifications_group() -> None:
    """Deliver queued notifications."""


def _deliver() -> dict[str, int]:
    from app.notifications.services import deliver_pending

    return deliver_pending(progress=lambda items: click.progressbar(items, label="Sending"))


@notifications_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send pending messages by SMTP (or hold them when MAIL_SERVER is not set)."""
    counts = _deliver()
    click.echo(f"sent {counts['sent']}, failed {counts['failed']}, held {counts['held']}")


@click.group("reminders")
def reminders_group() -> None:
    """Reminders of what is due: action items, training, reviews awaiting votes."""


@reminders_group.command("send")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Remind action items due within this many days, and reviews waiting longer.",
)
@click.option(
    "--period",
    type=click.Choice(["week", "month"]),
    help="Remind once per ISO week or per month (default: JALON_REMINDER_PERIOD, else week).",
)
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Act as if today were this date (UTC), e.g. to catch up a missed day.",
)
@with_appcontext
def reminders_send_command(days: int, period: str | None, on: object) -> None:
    """Queue the reminders due today (once per recipient, item and period), then send the
    outbox. Safe to run as often as wanted: a reminder already written this period is skipped."""
    from app.notifications.reminders import ReminderWriter, configured_period, due_reminders
    from app.training.services import today

    day: date = on.date() if on else today()  # type: ignore[attr-defined]
    try:
        period = period or configured_period()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    # Two runs at once would write the same reminders and the second would fail on the
    # outbox's unique key: the second one waits for the next schedule instead.
    lock = try_writer_lock(Path(current_app.config["JALON_DATA_DIR"]) / "reminders.lock")
    if lock is None:
        raise click.ClickException("another `jalon reminders send` is running")
    with lock:
        writer = ReminderWriter(day, period)
        reminders = due_reminders(day, days)
        queued = 0
        with click.progressbar(reminders, label=f"Reminders for {writer.period}") as bar:
            for reminder in bar:
                queued += writer.write(reminder)
        db.session.commit()
    counts = _deliver()
    click.echo(
        f"queued {queued}, sent {counts['sent']}, held {counts['held']}, failed {counts['failed']}"
    )
