"""Backup and restore of a whole Jalon: the database, the stored files, and a manifest.

The archive holds the database (whose ``workflow_versions`` table keeps every workflow
definition version projects are pinned to, and whose ``audit_events`` keep the hash chain)
and the files under ``JALON_DATA_DIR`` that only exist there: attachments, training evidence
and the PMO's thesaurus. The search index is not archived: a restore rebuilds it from the
restored database. ``SECRET_KEY`` is not archived either (it only signs browser sessions).

A restore checks the whole archive in a staging folder before it touches the target, goes
only into an empty database and data directory unless forced, migrates an archive from an
older revision up to this code's, rebuilds the index and verifies the audit chain.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade

from app.backup import database
from app.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    BackupRefused,
    Member,
    describe,
    extract_verified,
    write_archive,
)
from app.extensions import db
from app.library.indexing import rebuild_index
from app.projects.audit import verify
from workflows import ChainReport

#: What ``JALON_DATA_DIR`` holds that only a backup can bring back (the index is rebuilt;
#: lock files and the instance's database and secret key are not data).
DATA_MEMBERS = ("attachments", "training-evidence", "thesaurus.txt")
#: The tables whose counts a restore prints.
SUMMARY_TABLES = (
    "users",
    "projects",
    "gate_reviews",
    "votes",
    "audit_events",
    "workflow_versions",
    "documents",
    "document_attachments",
    "courses",
    "training_completions",
)


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put back and what it found when checking the result."""

    manifest: dict[str, Any]
    counts: dict[str, int]
    count_differences: dict[str, tuple[int | None, int | None]]
    files: int
    migrated_from: str | None
    indexed: int
    audit: ChainReport


def _data_dir() -> Path:
    return Path(current_app.config["JALON_DATA_DIR"])


def _jalon_version() -> str:
    try:
        return version("jalon")
    except PackageNotFoundError:
        return "unknown"


def data_files(data_dir: Path) -> list[Member]:
    """The data directory's files to archive, under ``data/``, in a stable order.

    Symbolic links and the stores' half-written temporary files (``.upload-*``) are left out.
    """
    members = []
    for name in DATA_MEMBERS:
        root = data_dir / name
        paths = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in paths:
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                members.append(Member(f"data/{path.relative_to(data_dir).as_posix()}", path))
    return members


def create_backup(target: Path) -> dict[str, Any]:
    """Write the archive to ``target`` (atomically) and return its manifest.

    The database is copied first: attachments are stored before the rows that name them are
    committed, so every file the copy refers to is already on disk when the files are read.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".jalon-backup-") as folder:
        snap = database.snapshot(db.engine, Path(folder))
        members = [snap.member, *data_files(_data_dir())]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "jalon_version": _jalon_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {
                "dialect": snap.dialect,
                "server_version": snap.server_version,
                "alembic_revision": snap.revision,
                "file": snap.member.name,
            },
            "counts": snap.counts,
            "contents": (
                "the database (workflow definition versions are its workflow_versions rows, "
                "the audit chain its audit_events) and the files of JALON_DATA_DIR "
                f"({', '.join(DATA_MEMBERS)}); the search index is rebuilt on restore"
            ),
            "members": describe(members),
        }
        write_archive(target, manifest, members)
    return manifest


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def _check_compatible(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest's database entry, once sure this server can load it."""
    entry = manifest.get("database")
    if not isinstance(entry, dict) or entry.get("file") not in manifest["members"]:
        raise BackupRefused("the manifest does not name the archive's database file")
    roots = tuple(f"data/{name}" for name in DATA_MEMBERS)
    strays = [
        name
        for name in manifest["members"]
        if not (name == entry["file"] and name.startswith("database/"))
        and not any(name == root or name.startswith(f"{root}/") for root in roots)
    ]
    if strays:
        raise BackupRefused(f"unexpected files in the archive: {', '.join(strays[:5])}")
    dialect = db.engine.dialect.name
    if entry.get("dialect") != dialect:
        raise BackupRefused(
            f"the archive holds a {entry.get('dialect')} database and DATABASE_URL names a "
            f"{dialect} one: restore it into the same kind of database"
        )
    revision = entry.get("alembic_revision")
    known = {script.revision for script in _scripts().walk_revisions()}
    if revision is not None and revision not in known:
        raise BackupRefused(
            f"the archive's database is at revision {revision}, unknown to this Jalon "
            f"({_jalon_version()}): restore it with the version that made it, or newer"
        )
    return entry


def _occupied(data_dir: Path) -> list[str]:
    """Why the target is not empty: its tables, then its data files (a few of each)."""
    found = [f"table {name}" for name in database.table_names(db.engine)[:3]]
    found += [f"file {member.path}" for member in data_files(data_dir)[:3]]
    return found


def _clear_data(data_dir: Path) -> None:
    for name in DATA_MEMBERS:
        path = data_dir / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _move_data(staging: Path, data_dir: Path) -> int:
    """Move the staged ``data/`` files into the data directory; how many."""
    moved = 0
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            target = data_dir / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            moved += 1
    return moved


def restore_backup(archive: Path, force: bool = False) -> RestoreReport:
    """Restore ``archive`` into the configured database and data directory.

    Refuses (``BackupRefused``), before writing anything, an archive that does not match its
    manifest, an archive of another engine or of a newer schema, and a target holding any
    table or data file unless ``force`` (which replaces them). Stop the server first.
    """
    data_dir = _data_dir()
    db.session.remove()
    with tempfile.TemporaryDirectory(prefix="jalon-restore-") as folder:
        staging = Path(folder)
        manifest = extract_verified(archive, staging)
        entry = _check_compatible(manifest)
        occupied = _occupied(data_dir)
        if occupied and not force:
            raise BackupRefused(
                "the target is not empty (" + ", ".join(occupied) + "): restore into an empty "
                "database and data directory, or pass --force to replace them"
            )
        database.restore(db.engine, staging / entry["file"], force)
        if force:  # only once the database is in: a failed load leaves the files alone
            _clear_data(data_dir)
        files = _move_data(staging / "data", data_dir)
    with db.engine.connect() as connection:
        counts = database.count_rows(connection)
    expected = manifest.get("counts") or {}
    differences = {
        name: (expected.get(name), counts.get(name))
        for name in sorted(set(expected) | set(counts))
        if expected.get(name) != counts.get(name)
    }
    revision = entry.get("alembic_revision")
    migrated_from = None
    if revision is not None and revision != _scripts().get_current_head():
        upgrade()
        migrated_from = revision
    indexed = rebuild_index(wait_seconds=60)
    report = verify()
    db.session.remove()
    return RestoreReport(manifest, counts, differences, files, migrated_from, indexed, report)
