"""Accounts, passwords, login throttling and API tokens.

Functions here flush but never commit: the request (or the CLI command) commits once.
The one exception is :func:`record_failed_login`, explained there.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from math import ceil

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload, lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import (
    ApiToken,
    LoginAttempt,
    Principal,
    Role,
    Team,
    TeamMembership,
    User,
    UserRole,
)
from app.auth.sessions import end_all_sessions
from app.extensions import db
from app.refusals import Conflict, Forbidden, Invalid
from app.timeutil import utcnow

MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "jalon_"  # noqa: S105 - a visible prefix, not a secret

# Checked against when the username does not exist, so that the time taken does not tell
# an attacker which usernames are real.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class LoginThrottled(Exception):
    """Too many failed logins for this username from this address: wait `retry_after` seconds."""

    def __init__(self, username: str, retry_after: int) -> None:
        super().__init__(username)
        self.retry_after = retry_after

    def message(self) -> str:
        """The sentence shown to someone who must wait before trying again."""
        minutes = max(1, ceil(self.retry_after / 60))
        return ngettext(
            "Too many failed attempts. Try again in %(num)d minute.",
            "Too many failed attempts. Try again in %(num)d minutes.",
            minutes,
        )


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["JALON_PASSWORD_HASH_METHOD"])


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            details={"password": ["too_short"]},
        )


def get_user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def get_or_create_team(name: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        db.session.add(team)
        db.session.flush()
    return team


def create_user(
    username: str,
    password: str,
    *,
    roles: Iterable[Role | str] = (),
    teams: Iterable[str] = (),
    display_name: str | None = None,
    email: str | None = None,
) -> User:
    """Create an account; unknown teams are created, a taken username or email is a 409."""
    username = username.strip().lower()
    if not username:
        raise Invalid(_("A username is required."), details={"username": ["required"]})
    validate_password(password)
    if get_user_by_username(username) is not None:
        raise Conflict(_("The username %(name)s is taken.", name=username))
    if email and db.session.scalar(select(User).where(User.email == email)) is not None:
        raise Conflict(_("The email address %(email)s is taken.", email=email))
    user = User(
        username=username,
        display_name=display_name or username,
        email=email or None,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    set_roles(user, roles)
    set_teams(user, teams)
    db.session.flush()
    return user


def set_roles(user: User, roles: Iterable[Role | str]) -> None:
    """Make ``roles`` the user's roles, keeping the grant date of roles already held."""
    wanted = {Role(role) for role in roles}
    user.role_grants = [grant for grant in user.role_grants if grant.role in wanted]
    held = {grant.role for grant in user.role_grants}
    for role in sorted(wanted - held):
        user.role_grants.append(UserRole(role=role))


def set_teams(user: User, team_names: Iterable[str]) -> None:
    """Make ``team_names`` the user's teams, keeping the join date of teams already joined."""
    wanted = {name.strip() for name in team_names if name.strip()}
    user.memberships = [m for m in user.memberships if m.team.name in wanted]
    joined = {m.team.name for m in user.memberships}
    for name in sorted(wanted - joined):
        user.memberships.append(TeamMembership(team=get_or_create_team(name)))


def _throttle_delay(attempts: int) -> timedelta:
    """How long to wait after the last attempt, once `attempts` were made in the window.

    Nothing up to `JALON_LOGIN_MAX_FAILURES`; then one minute, doubling with each further
    attempt, up to the whole window.
    """
    config = current_app.config
    excess = attempts - config["JALON_LOGIN_MAX_FAILURES"]
    if excess <= 0:
        return timedelta(0)
    window = timedelta(minutes=config["JALON_LOGIN_WINDOW_MINUTES"])
    return min(timedelta(minutes=2 ** min(excess - 1, 16)), window)


def _check_throttle(username: str, address: str) -> None:
    """Record this attempt, committed at once, then refuse it if it comes too soon.

    The attempt is recorded before the password is checked: of concurrent guesses, the k-th
    to commit counts at least k attempts, so none slips past the limit. It must survive the
    request, which a wrong password rolls back. Keyed by username *and* address: guesses from
    elsewhere never lock the real person out.
    """
    db.session.rollback()
    db.session.add(LoginAttempt(username=username, address=address))
    db.session.commit()
    now = utcnow()
    window = timedelta(minutes=current_app.config["JALON_LOGIN_WINDOW_MINUTES"])
    times = db.session.scalars(
        select(LoginAttempt.attempted_at)
        .where(
            LoginAttempt.username == username,
            LoginAttempt.address == address,
            LoginAttempt.attempted_at >= now - window,
        )
        .order_by(LoginAttempt.attempted_at.desc())
    ).all()
    delay = _throttle_delay(len(times))
    if delay and len(times) > 1:
        wait = times[1] + delay - now  # counted from the attempt before this one
        if wait.total_seconds() > 0:
            raise LoginThrottled(username, ceil(wait.total_seconds()))


def authenticate(username: str, password: str, address: str = "") -> User | None:
    """Return the user for good credentials, None otherwise.

    Raises :class:`LoginThrottled` when this username was tried too often from this address,
    even when the password is right, so a guesser learns nothing from trying more.
    """
    username = (username or "").strip().lower()
    _check_throttle(username, address)
    user = get_user_by_username(username)
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if user is None or not password_ok or not user.active:
        return None
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.address == address
        )
    )
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "", ttl_days: int | None = None) -> tuple[str, ApiToken]:
    """Create a token for ``user``; the clear token is returned once, only its hash is kept."""
    ttl = ttl_days if ttl_days is not None else current_app.config["JALON_TOKEN_TTL_DAYS"]
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        token_hash=_digest(clear),
        name=name,
        expires_at=utcnow() + timedelta(days=ttl),
    )
    db.session.add(token)
    db.session.flush()
    return clear, token


@dataclass(frozen=True, slots=True)
class LiveToken:
    """A token that authenticates: its id and who it acts for."""

    id: int
    owner: Principal


def resolve_token(clear: str) -> LiveToken | None:
    """The live token matching ``clear``: not revoked, not expired, owner active.

    One query, rules in its WHERE clause, giving the owner's roles (a row per role) and no ORM
    object: what the API needs to authorise a request.
    """
    rows = db.session.execute(
        select(ApiToken.id, User.id, User.username, User.locale, UserRole.role)
        .join(User, User.id == ApiToken.user_id)
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .where(
            ApiToken.token_hash == _digest(clear),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
            User.active.is_(True),
        )
    ).all()
    if not rows:
        return None
    token_id, user_id, username, locale, _role = rows[0]
    roles = frozenset(row.role for row in rows if row.role is not None)
    return LiveToken(token_id, Principal(user_id, username, locale, roles))


def load_user(user_id: int) -> User:
    """A user with their roles, in one query (teams load only if asked for)."""
    return (
        db.session.scalars(
            select(User)
            .where(User.id == user_id)
            .options(joinedload(User.role_grants), lazyload(User.memberships))
        )
        .unique()
        .one()
    )


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.flush()


def update_user(
    user: User,
    *,
    display_name: str,
    email: str | None,
    roles: Iterable[Role | str],
    teams: Iterable[str],
    active: bool,
    password: str | None = None,
) -> User:
    """Change an account from the administration page or the API.

    A new password, a change of roles or a deactivation signs the person out of every browser.
    """
    if email and email != user.email:
        taken = db.session.scalar(select(User).where(User.email == email, User.id != user.id))
        if taken is not None:
            raise Conflict(_("The email address %(email)s is taken.", email=email))
    roles_before = set(user.roles)
    deactivated = user.active and not active
    user.display_name = display_name
    user.email = email or None
    user.active = active
    if password:
        validate_password(password)
        user.password_hash = hash_password(password)
    set_roles(user, roles)
    set_teams(user, teams)
    db.session.flush()
    if password or deactivated or set(user.roles) != roles_before:
        end_all_sessions(user)
    return user


def create_team(name: str, description: str = "") -> Team:
    name = name.strip()
    if db.session.scalar(select(Team).where(Team.name == name)) is not None:
        raise Conflict(_("The team %(name)s already exists.", name=name))
    team = Team(name=name, description=description)
    db.session.add(team)
    db.session.flush()
    return team


#: Roles that govern or decide: only an administrator grants or withdraws them.
GOVERNING_ROLES = frozenset({Role.ADMIN, Role.PMO, Role.GATEKEEPER})


def ensure_can_grant(actor: User, roles: Iterable[Role | str], target: User | None = None) -> None:
    """Separation of duties on roles: Forbidden unless `actor` may give `target` these roles.

    Nobody changes their own roles (a PMO officer cannot make themselves a gatekeeper and
    decide alone); only an administrator changes an administrator's account, and grants or
    withdraws the admin, PMO and gatekeeper roles (a PMO officer cannot make voters of
    accounts they create).
    """
    wanted = {Role(role) for role in roles}
    held = set(target.roles) if target is not None else set()
    changed = wanted ^ held
    if target is not None and target.id == actor.id and changed:
        raise Forbidden(_("Nobody may change their own roles."), code="own_roles")
    if Role.ADMIN in held and Role.ADMIN not in actor.roles:
        raise Forbidden(_("Only an administrator may grant or change the admin role."))
    if changed & GOVERNING_ROLES and Role.ADMIN not in actor.roles:
        raise Forbidden(
            _("Only an administrator may grant or withdraw the admin, PMO and gatekeeper roles."),
            code="governing_role",
        )


def change_own_password(user: User, current: str, new: str) -> None:
    """The person changes their password, proving the current one; every session closes."""
    if not check_password_hash(user.password_hash, current or ""):
        raise Invalid(
            _("The current password is wrong."),
            details=[{"field": "current", "code": "wrong_password"}],
        )
    validate_password(new)
    user.password_hash = hash_password(new)
    end_all_sessions(user)
    db.session.flush()


def revoke_all_tokens(user: User) -> int:
    """Revoke every live token of ``user`` (a leaked laptop, a departure)."""
    live = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in live:
        revoke_token(token)
    return len(live)


def display_names(usernames: Iterable[str]) -> dict[str, str]:
    """People's names by username, in one query: pages and records name people; the audit
    trail and the API keep usernames."""
    wanted = set(usernames)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(User.username, User.display_name).where(User.username.in_(wanted))
    )
    return dict(rows.all())
