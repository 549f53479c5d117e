"""People, their roles and teams, API tokens and login attempts."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from app.extensions import db, str_enum
from app.timeutil import UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a person may do in Jalon; a person may hold several roles."""

    ADMIN = "admin"
    PMO = "pmo"
    MANAGER = "manager"
    GATEKEEPER = "gatekeeper"
    STAFF = "staff"


def holds_role(held: Collection[Role], roles: Iterable[Role | str]) -> bool:
    """True when ``held`` includes any of ``roles``; ``admin`` holds every role."""
    return Role.ADMIN in held or any(Role(role) in held for role in roles)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Login name, unique, lower-case.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: Name shown to other people.
    display_name: Mapped[str] = mapped_column(String(120))
    #: Contact address for notifications; unique when set.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    #: werkzeug scrypt hash; never the password itself.
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Inactive people cannot log in or use their tokens, but keep their history.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Preferred interface language (``en``/``fr``), else the browser's.
    locale: Mapped[str | None] = mapped_column(String(8))
    #: When the account was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Loaded when asked for: most pages show people by name only (a manager, a voter); lists
    # that show roles and teams load them with `ROLES_AND_TEAMS`.
    role_grants: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def roles(self) -> set[Role]:
        return {grant.role for grant in self.role_grants}

    @property
    def teams(self) -> list[Team]:
        return [membership.team for membership in self.memberships]

    def has_role(self, *roles: Role | str) -> bool:
        """True when the user holds any of ``roles``; ``admin`` holds every role."""
        return holds_role(self.roles, roles)

    #: The key of the browser session this user object was loaded for (not stored).
    session_key = None  # a `str` once loaded for, or signed in with, a session

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies: the key of a
        `UserSession`, so that deleting the row signs that browser out (`app.auth.sessions`)."""
        if self.session_key is None:
            raise RuntimeError("sign people in with app.auth.sessions.sign_in")
        return self.session_key

    # Identity, as for any mapped object (the session's identity map keeps one per row);
    # Flask-Login's UserMixin would compare `get_id()`, a session key most objects lack.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.username}>"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who acts, as the rules see a user: id, login name, language and roles; nothing to load.

    The API's token lookup reads it with one plain query, so a hot endpoint (the vote) builds
    no ORM object for its caller; `Principal.of` makes one from a loaded `User`.
    """

    id: int
    username: str
    locale: str | None
    roles: frozenset[Role]

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(user.id, user.username, user.locale, frozenset(user.roles))

    def has_role(self, *roles: Role | str) -> bool:
        """The same rule as `User.has_role`."""
        return holds_role(self.roles, roles)


class UserRole(db.Model):
    """A role granted to a user, with the date it was granted (training deadlines count from it)."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The role granted.
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), primary_key=True)
    #: When the role was granted.
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_grants")


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Short name, unique (used by the CLI and the API).
    name: Mapped[str] = mapped_column(String(80), unique=True)
    #: What the team does.
    description: Mapped[str] = mapped_column(String(500), default="")
    #: When the team was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class TeamMembership(db.Model):
    """A person in a team, with the date they joined (training deadlines count from it)."""

    __tablename__ = "team_members"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    #: When the person joined the team.
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship(back_populates="memberships", lazy="joined")


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Hex SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: What the token is for ("CI script", "login"), to tell tokens apart when revoking.
    name: Mapped[str] = mapped_column(String(120), default="")
    #: When it was issued.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: After this moment the token is refused.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Set when revoked; a revoked token is refused.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """A signed-in browser. Its cookies carry the key; deleting the row signs it out."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Hex SHA-256 of the key the cookies carry; the key itself is never stored.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: When the person signed in.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: After this moment the cookies are refused (longer with "keep me signed in").
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The browser's own description, to tell sessions apart.
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """An attempt to sign in, kept to throttle password guessing across all server processes.

    Recorded before the password is checked and deleted when it was right, so concurrent
    guesses are all counted.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_throttle", "username", "address", "attempted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The username tried (lower-cased), whether or not it exists.
    username: Mapped[str] = mapped_column(String(64), index=True)
    #: The client's address (IPv4 or IPv6): guesses from one place do not lock out another.
    address: Mapped[str] = mapped_column(String(45), default="")
    #: When the attempt failed.
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


#: Loader options for a list of people that shows their roles and teams (one query each).
ROLES_AND_TEAMS = (selectinload(User.role_grants), selectinload(User.memberships))
