"""Copying a whole database out and back in, with each engine's own tool.

SQLite: the online backup API (``sqlite3.Connection.backup``) both ways, so a running server's
WAL is read consistently and a restore replaces every page in one transaction. PostgreSQL:
``pg_dump --format=custom`` out and ``pg_restore --single-transaction`` in, which must be of
the server's major version or newer. An archive restores into the engine it was taken from.
Nothing here knows Flask; the caller passes the SQLAlchemy engine.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import URL, Connection, Engine, create_engine, func, inspect, select, table, text

from app.backup.archive import BackupRefused, Member

SQLITE_MEMBER = "database/jalon.sqlite3"
POSTGRES_MEMBER = "database/jalon.pgdump"
ALEMBIC_TABLE = "alembic_version"


@dataclass(frozen=True)
class Snapshot:
    """A consistent copy of the database and what was in it at that instant."""

    member: Member
    dialect: str
    server_version: str
    revision: str | None
    counts: dict[str, int]


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows of every table of the connection's schema, by table name."""
    return {
        name: connection.scalar(select(func.count()).select_from(table(name))) or 0
        for name in sorted(inspect(connection).get_table_names())
    }


def revision_of(connection: Connection) -> str | None:
    """The Alembic revision the database is at; None when it was not built by migrations."""
    if not inspect(connection).has_table(ALEMBIC_TABLE):
        return None
    return connection.scalar(text(f"SELECT version_num FROM {ALEMBIC_TABLE}"))  # noqa: S608


def table_names(engine: Engine) -> list[str]:
    """The tables already in the target: a restore goes only into a database with none."""
    with engine.connect() as connection:
        return sorted(inspect(connection).get_table_names())


def snapshot(engine: Engine, folder: Path) -> Snapshot:
    """Copy the database into ``folder`` while it may be in use; its counts from the same copy."""
    if engine.dialect.name == "sqlite":
        return _snapshot_sqlite(engine, folder)
    if engine.dialect.name == "postgresql":
        return _snapshot_postgres(engine, folder)
    raise BackupRefused(f"backup of a {engine.dialect.name} database is not supported")


def restore(engine: Engine, dump: Path, force: bool) -> None:
    """Load ``dump`` into the engine's database; ``force`` first drops what is there.

    PostgreSQL with ``force`` drops the connection's current schema (``public``) with
    everything in it and creates it again: the database must be Jalon's alone. SQLite needs
    no drop: the backup API replaces every page of the file.
    """
    engine.dispose()
    if engine.dialect.name == "sqlite":
        with closing(sqlite3.connect(dump)) as source, closing(_sqlite_connect(engine)) as target:
            source.backup(target)
    else:
        if force:
            with engine.begin() as connection:
                schema = connection.scalar(text("SELECT current_schema()"))
                quoted = engine.dialect.identifier_preparer.quote_identifier(schema)
                connection.execute(text(f"DROP SCHEMA {quoted} CASCADE"))
                connection.execute(text(f"CREATE SCHEMA {quoted}"))
        flags = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        _run_pg_tool("pg_restore", engine, [*flags, str(dump)])
    engine.dispose()


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise BackupRefused("only a SQLite database in a file can be backed up or restored")
    return path


def _sqlite_connect(engine: Engine) -> sqlite3.Connection:
    return sqlite3.connect(_sqlite_path(engine), timeout=30)


def _snapshot_sqlite(engine: Engine, folder: Path) -> Snapshot:
    copy = folder / Path(SQLITE_MEMBER).name
    source_uri = f"file:{quote(_sqlite_path(engine))}?mode=ro"
    with (
        closing(sqlite3.connect(source_uri, uri=True, timeout=30)) as source,
        closing(sqlite3.connect(copy)) as target,
    ):
        source.backup(target)
        # One self-contained file (no -wal beside it), whatever mode the server runs in.
        target.execute("PRAGMA journal_mode=DELETE").close()
    copy_engine = create_engine(f"sqlite:///{copy}")
    try:
        with copy_engine.connect() as connection:
            counts, revision = count_rows(connection), revision_of(connection)
    finally:
        copy_engine.dispose()
    return Snapshot(Member(SQLITE_MEMBER, copy), "sqlite", sqlite3.sqlite_version, revision, counts)


def _snapshot_postgres(engine: Engine, folder: Path) -> Snapshot:
    """``pg_dump`` runs in a snapshot exported by the transaction that counts the rows."""
    dump = folder / Path(POSTGRES_MEMBER).name
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot_id = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts, revision = count_rows(connection), revision_of(connection)
            server_version = connection.scalar(text("SHOW server_version")) or ""
            flags = ["--format=custom", "--no-owner", "--no-privileges"]
            _run_pg_tool("pg_dump", engine, [*flags, f"--snapshot={snapshot_id}", f"--file={dump}"])
    return Snapshot(Member(POSTGRES_MEMBER, dump), "postgresql", server_version, revision, counts)


def _libpq_target(engine: Engine) -> tuple[str, dict[str, str]]:
    """The engine's database as a libpq URL without the password, and an environment with it.

    The password goes through ``PGPASSWORD`` so it never shows in the process list.
    """
    url = engine.url
    libpq = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return libpq.render_as_string(hide_password=False), env


def _run_pg_tool(tool: str, engine: Engine, arguments: list[str]) -> None:
    """Run ``pg_dump`` or ``pg_restore`` on the engine's database; refuse with its message."""
    program = shutil.which(tool)
    if program is None:
        raise BackupRefused(
            f"{tool} was not found on PATH: install the PostgreSQL client tools of the "
            "server's major version (Debian: postgresql-client)"
        )
    dbname, env = _libpq_target(engine)
    result = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
        [program, f"--dbname={dbname}", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        message = " ".join(result.stderr.split()) or f"exit status {result.returncode}"
        hint = ""
        if "version mismatch" in message:
            hint = f" (use the {tool} of the server's major version or newer)"
        raise BackupRefused(f"{tool} failed: {message}{hint}")
