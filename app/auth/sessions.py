"""Browser sessions that can be revoked: one `UserSession` row per signed-in browser.

Flask keeps its session in a signed cookie, and Flask-Login's remember-me cookie holds the
user's id: both used to stay valid for ever (after a logout, a password change, a removed
role). Here both cookies carry the key of a `UserSession` instead (`User.get_id`), and every
request looks that row up, so:

- signing out deletes this browser's row: a copy of its cookies is refused from then on;
- a password change, a change of roles, a deactivation and "sign out everywhere" delete every
  row of the person;
- a session without "keep me signed in" lasts `JALON_SESSION_HOURS`, one with it
  `JALON_REMEMBER_DAYS`, whatever the cookies say.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_login import login_user, logout_user
from sqlalchemy import delete, select

from app.auth.models import User, UserSession
from app.extensions import db
from app.timeutil import utcnow


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def sign_in(user: User, remember: bool = False, user_agent: str = "") -> None:
    """Open a session for this browser and give it its cookies (Flask-Login's `login_user`)."""
    config = current_app.config
    lifetime = (
        timedelta(days=config["JALON_REMEMBER_DAYS"])
        if remember
        else timedelta(hours=config["JALON_SESSION_HOURS"])
    )
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            key_hash=_digest(key),
            expires_at=utcnow() + lifetime,
            user_agent=user_agent[:200],
        )
    )
    db.session.flush()
    user.session_key = key
    login_user(user, remember=remember, duration=lifetime)


def user_of_session(key: str) -> User | None:
    """The active person whose live session has this key (Flask-Login's user loader)."""
    user = db.session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.key_hash == _digest(key),
            UserSession.expires_at > utcnow(),
            User.active.is_(True),
        )
    )
    if user is not None:
        user.session_key = key
    return user


def sign_out(user: User) -> None:
    """Close this browser's session: its cookies, and any copy of them, are refused."""
    if user.session_key is not None:
        db.session.execute(
            delete(UserSession).where(UserSession.key_hash == _digest(user.session_key))
        )
    logout_user()


def end_all_sessions(user: User) -> int:
    """Sign the person out of every browser; the number of sessions closed."""
    result = db.session.execute(
        delete(UserSession)
        .where(UserSession.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
