"""A worker's cache of bearer-token lookups, dropped in every worker by any change to accounts.

Every API request is authenticated by its bearer token: one query for the live token, its
owner and the owner's roles (`app.auth.services.resolve_token`). Under gunicorn that query
re-read a quarter of a vote's database pages after other workers' commits (bench/votes, ninth
and tenth rounds). A worker may keep the answer only if revoking a token, deactivating a person or
taking a role away in any worker (or in `jalon` on the command line) stops the token in every
worker before its next request. On a SQLite file, where every worker runs on the host that
holds the file, this module keeps that promise:

- A *generation file* beside the database (``jalon.db.auth-generation``) holds 8 random
  bytes. After the commit of any change that touches tokens, people or their roles through
  the ORM session, the committing process writes new ones. The session's changes are seen
  wherever they come from: objects flushed, and `insert`/`update`/`delete` statements run
  with `session.execute`.
- An entry keeps the bytes read *before* its query, and is used only while the file still
  holds them: one `open` and `pread`, about 5 µs against the query's 120. A change committed
  after the query writes the file after its commit, so the entry is dropped; a change
  committed before it, the query saw. Only a lookup made in a transaction of its own is kept,
  since a transaction begun earlier may read from a snapshot older than the bytes.
- The token's expiry is kept and checked on every use.
- An entry lives at most ``JALON_TOKEN_CACHE_SECONDS`` (30 by default; 0 turns the cache off).
  That is the backstop for what cannot write the file: SQL typed by hand, raw connections,
  a restored database.
- Only live tokens are kept. An unknown, revoked or expired token is looked up every time, so
  a new token works at once and a guesser gains nothing.

PostgreSQL deployments may run workers on several hosts that share no file: there is no
cache there, and every request looks its token up.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from app.auth.models import ApiToken, User, UserRole
from app.timeutil import utcnow

if TYPE_CHECKING:
    from app.auth.services import LiveToken

log = logging.getLogger(__name__)

#: `app.extensions` keys: the database's generation file (SQLite files only), and the cache.
GENERATION_KEY = "jalon_auth_generation"
CACHE_KEY = "jalon_token_cache"
#: The generation file's name: the database file's, with this after it.
GENERATION_SUFFIX = ".auth-generation"
#: Entries per worker at most; past it the oldest goes (a worker serves a few hundred tokens).
MAX_ENTRIES = 10_000
#: What a bearer token's lookup reads: a change to any of them drops every worker's entries.
_ACCOUNT_MODELS = (ApiToken, User, UserRole)
_ACCOUNT_TABLES = frozenset(model.__tablename__ for model in _ACCOUNT_MODELS)
#: `Session.info` key: the session's transaction changed accounts; write the file at commit.
_ACCOUNTS_CHANGED = "jalon_accounts_changed"


class GenerationFile:
    """The bytes that say which account changes a cached entry has seen (see above)."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def read(self) -> bytes | None:
        """The current bytes (empty before the first change); None when the file is unreadable.

        Opened on every read rather than kept open: a file removed or replaced is seen at
        once, and nothing is left open in a forked worker or by the test suite's many apps.
        """
        try:
            descriptor = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return b""
        except OSError:
            return None
        try:
            return os.pread(descriptor, 8, 0)
        finally:
            os.close(descriptor)

    def bump(self) -> None:
        """Write new random bytes: every worker's entries read before now are dropped."""
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.pwrite(descriptor, os.urandom(8), 0)
            finally:
                os.close(descriptor)
        except OSError as error:
            log.error(
                "Cannot write %s (%s): other workers keep their token lookups for up to "
                "JALON_TOKEN_CACHE_SECONDS after this change to accounts.",
                self.path,
                error,
            )


@dataclass(frozen=True, slots=True)
class Lookup:
    """A live token as its query found it."""

    token: LiveToken
    expires_at: float
    #: The query ran in a transaction of its own, begun after the generation was read.
    fresh: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    generation: bytes
    #: `time.monotonic()` past which the entry is looked up again whatever the file says.
    kept_until: float
    #: The token's own expiry, as a POSIX timestamp.
    expires_at: float
    token: LiveToken


class TokenCache:
    """One worker's live tokens by digest, each used while the generation file agrees."""

    def __init__(self, generation: GenerationFile, seconds: float) -> None:
        self.generation = generation
        self.seconds = seconds
        self._entries: dict[str, _Entry] = {}

    def resolve(self, digest: str, look_up: Callable[[str], Lookup | None]) -> LiveToken | None:
        """The live token with this digest: kept, or looked up with ``look_up`` and kept."""
        generation = self.generation.read()  # before the query: see the module's docstring
        now = time.monotonic()
        entry = self._entries.get(digest)
        if (
            entry is not None
            and entry.generation == generation
            and now < entry.kept_until
            and utcnow().timestamp() < entry.expires_at
        ):
            return entry.token
        found = look_up(digest)
        if found is None or not found.fresh or generation is None:
            self._entries.pop(digest, None)
            return found.token if found is not None else None
        if digest not in self._entries and len(self._entries) >= MAX_ENTRIES:
            # The oldest goes; on a threaded server another thread may change the dict
            # between `iter` and `next`: the cache then holds one entry more for a while.
            with suppress(RuntimeError, StopIteration):
                self._entries.pop(next(iter(self._entries)), None)
        kept_until = now + self.seconds
        self._entries[digest] = _Entry(generation, kept_until, found.expires_at, found.token)
        return found.token


def init_token_cache(app: Flask, engine: Engine) -> None:
    """Give a SQLite file its generation file and, unless turned off, the app its cache.

    Every process on a SQLite file writes the generation file after account changes, even
    one whose own cache is off (a `jalon` command run with ``JALON_TOKEN_CACHE_SECONDS=0``):
    the servers' caches depend on it.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    generation = app.extensions[GENERATION_KEY] = GenerationFile(database + GENERATION_SUFFIX)
    seconds = float(app.config["JALON_TOKEN_CACHE_SECONDS"])
    if seconds > 0:
        app.extensions[CACHE_KEY] = TokenCache(generation, seconds)


def current_token_cache() -> TokenCache | None:
    """The current app's cache; None on PostgreSQL or when turned off."""
    return current_app.extensions.get(CACHE_KEY)


@event.listens_for(Session, "after_flush")
def _note_flushed_account_changes(session: Session, _context: Any) -> None:
    """Objects of the token's query were written (the lists still show what was flushed)."""
    if session.info.get(_ACCOUNTS_CHANGED):
        return
    for changed in (session.new, session.dirty, session.deleted):
        if any(isinstance(instance, _ACCOUNT_MODELS) for instance in changed):
            session.info[_ACCOUNTS_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statement_account_changes(state: ORMExecuteState) -> None:
    """An `insert`, `update` or `delete` of the token's tables run with `session.execute`."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _ACCOUNT_TABLES:
            state.session.info[_ACCOUNTS_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _bump_after_account_changes(session: Session) -> None:
    """After the commit, never before: a worker reading the new bytes must find the change."""
    if session.info.pop(_ACCOUNTS_CHANGED, False) and has_app_context():
        generation: GenerationFile | None = current_app.extensions.get(GENERATION_KEY)
        if generation is not None:
            generation.bump()


@event.listens_for(Session, "after_transaction_end")
def _forget_rolled_back_changes(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_ACCOUNTS_CHANGED, None)
