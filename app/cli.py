"""The ``jalon`` command: a Flask CLI group (``flask --app wsgi`` is the same).

Each domain adds its own click group here (``jalon users``, ``jalon tokens`` ...);
Flask-Migrate provides ``jalon db``.
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from app.auth.models import Role
from app.extensions import db
from app.refusals import Refused


def _create_app() -> Flask:
    from app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Jalon, the governance server of a PMO."""


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([role.value for role in Role]),
    help="A role to grant (repeat for several).",
)
@click.option("--team", "teams", multiple=True, help="A team to join (created if new).")
@click.option("--password", help="The password (prefer --password-stdin in scripts).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--display-name", help="Name shown to others (default: the username).")
@click.option("--email", help="Contact address.")
@with_appcontext
def create_user_command(
    username: str,
    roles: tuple[str, ...],
    teams: tuple[str, ...],
    password: str | None,
    password_stdin: bool,
    display_name: str | None,
    email: str | None,
) -> None:
    """Create the account USERNAME."""
    from app.admin.roles import record_role_change
    from app.auth.services import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise click.UsageError("give --password or --password-stdin")
    try:
        user = create_user(
            username, password, roles=roles, teams=teams, display_name=display_name, email=email
        )
        record_role_change("system", user, set())
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        raise click.ClickException(refusal.message) from refusal
    roles_text = ", ".join(sorted(role.value for role in user.roles)) or "no role"
    click.echo(f"Created {user.username} ({roles_text}).")


@click.group("tokens")
def tokens_group() -> None:
    """Manage API tokens."""


@tokens_group.command("create")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@click.option("--days", type=click.IntRange(1, 3650), help="Validity in days.")
@with_appcontext
def create_token_command(username: str, name: str, days: int | None) -> None:
    """Issue an API token for USERNAME and print it (it is shown only once)."""
    from app.auth.services import get_user_by_username, issue_token

    user = get_user_by_username(username)
    if user is None:
        raise click.ClickException(f"no user named {username}")
    clear, token = issue_token(user, name=name, ttl_days=days)
    db.session.commit()
    click.echo(clear)
    click.echo(f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC", err=True)


@tokens_group.command("revoke")
@click.argument("username")
@with_appcontext
def revoke_tokens_command(username: str) -> None:
    """Revoke every live token of USERNAME."""
    from app.auth.services import get_user_by_username, revoke_all_tokens

    user = get_user_by_username(username)
    if user is None:
        raise click.ClickException(f"no user named {username}")
    count = revoke_all_tokens(user)
    db.session.commit()
    click.echo(f"Revoked {count} token(s) of {user.username}.")


@click.group("demo")
def demo_group() -> None:
    """Demonstration data."""


@demo_group.command("seed")
@click.option("--if-empty", is_flag=True, help="Seed only when there is no account yet.")
@with_appcontext
def seed_command(if_empty: bool) -> None:
    """Create demo people, teams and data; running it again changes nothing."""
    from app.demo import DEMO_PASSWORD, DEMO_USERS, database_is_empty, seed

    if if_empty and not database_is_empty():
        click.echo("Demo data not seeded: the database already has accounts.")
    else:
        click.echo(seed())
        db.session.commit()
    click.echo(f"Demo logins (password {DEMO_PASSWORD!r} for each):")
    for username, _name, roles, _teams in DEMO_USERS:
        click.echo(f"  {username:<12} {', '.join(roles)}")


def register_commands(app: Flask) -> None:
    from app.domains import COMMAND_GROUPS, load

    for reference in COMMAND_GROUPS:
        app.cli.add_command(load(reference))
