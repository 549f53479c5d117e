"""The backup archive: a gzipped tar of plain files described by ``manifest.json``.

Layout (every member a regular file, no directory entries, no links)::

    manifest.json              what the archive holds, with each member's SHA-256 and size
    database/jalon.sqlite3     a SQLite snapshot, or database/jalon.pgdump (pg_dump custom format)
    data/attachments/...       the library's attachment store
    data/training-evidence/... the training evidence store
    data/thesaurus.txt         the PMO's thesaurus, when there is one

Reading never trusts the archive: every member name is checked (relative, no ``..``, under a
known folder), only regular files are read, each is hashed while it is copied into a staging
folder, and the result must match the manifest exactly. Nothing here knows Flask.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from app.refusals import Refused
from docs_store.storage import atomic_file

MANIFEST = "manifest.json"
FORMAT = "jalon-backup"
FORMAT_VERSION = 1
#: The only top-level folders an archive may hold besides the manifest.
MEMBER_ROOTS = ("database", "data")
_CHUNK = 1024 * 1024
_MAX_MANIFEST_BYTES = 16 * 1024 * 1024


class BackupRefused(Refused):
    """An archive that cannot be trusted, or a target that may not be overwritten."""

    default_code = "backup_refused"


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name inside the archive and where it is on disk."""

    name: str
    path: Path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def describe(members: list[Member]) -> dict[str, dict[str, Any]]:
    """The manifest's ``members`` entry: name -> ``{"sha256", "size"}``."""
    return {
        member.name: {"sha256": _sha256(member.path), "size": member.path.stat().st_size}
        for member in members
    }


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # Who owned the files on the server says nothing useful on the restoring host.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def write_archive(target: Path, manifest: dict[str, Any], members: list[Member]) -> None:
    """Write the archive atomically: a temporary file beside ``target``, renamed when complete."""
    with (
        atomic_file(target, prefix=f".{target.name}.") as raw,
        tarfile.open(fileobj=raw, mode="w:gz") as tar,
    ):
        body = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = _normalised(tarfile.TarInfo(MANIFEST))
        info.size = len(body)
        info.mtime = int(time.time())
        tar.addfile(info, io.BytesIO(body))
        for member in members:
            tar.add(member.path, arcname=member.name, recursive=False, filter=_normalised)


def check_member_name(name: str) -> PurePosixPath:
    """The member's relative path; ``BackupRefused`` for anything that could escape the staging.

    Absolute names, ``..`` or ``.`` components, backslashes and names outside ``MEMBER_ROOTS``
    are refused whatever the rest of the archive says.
    """
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
        or (name != MANIFEST and (len(path.parts) < 2 or path.parts[0] not in MEMBER_ROOTS))
    ):
        raise BackupRefused(f"unsafe or unexpected member in the archive: {name!r}")
    return path


def extract_verified(archive: Path, staging: Path) -> dict[str, Any]:
    """Copy every member into ``staging`` and check it against the manifest; the manifest.

    Refuses (``BackupRefused``) a file that is not a gzipped tar, a member that is not a
    regular file (links, devices, folders), an unsafe name, a duplicate, a member missing from
    the manifest or from the archive, and any size or SHA-256 that differs.
    """
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for info in tar:
                path = check_member_name(info.name)
                if not info.isreg():
                    raise BackupRefused(f"archive member {info.name!r} is not a regular file")
                if info.name in seen or (info.name == MANIFEST and manifest is not None):
                    raise BackupRefused(f"archive member {info.name!r} appears twice")
                source = tar.extractfile(info)
                assert source is not None  # a regular file always has content
                if info.name == MANIFEST:
                    manifest = _read_manifest(source.read(_MAX_MANIFEST_BYTES + 1))
                    continue
                seen[info.name] = _copy_hashed(source, staging.joinpath(*path.parts))
    except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
        raise BackupRefused(
            f"{archive} is not a readable Jalon backup archive ({error})"
        ) from error
    if manifest is None:
        raise BackupRefused(f"{archive} has no {MANIFEST}: not a Jalon backup archive")
    if seen != manifest["members"]:
        names = sorted(set(seen) ^ set(manifest["members"])) or sorted(
            name for name in seen if seen[name] != manifest["members"][name]
        )
        raise BackupRefused(
            f"{archive} does not match its manifest (checksum, size or member list): "
            + ", ".join(names[:5])
        )
    return manifest


def _read_manifest(body: bytes) -> dict[str, Any]:
    if len(body) > _MAX_MANIFEST_BYTES:
        raise BackupRefused(f"{MANIFEST} is too large")
    try:
        manifest = json.loads(body)
    except ValueError as error:
        raise BackupRefused(f"{MANIFEST} is not valid JSON") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{MANIFEST} is not a Jalon backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"unsupported backup format version {manifest.get('format_version')!r} "
            f"(this Jalon reads version {FORMAT_VERSION})"
        )
    if not isinstance(manifest.get("members"), dict):
        raise BackupRefused(f"{MANIFEST} lists no members")
    return manifest


def _copy_hashed(source: Any, target: Path) -> dict[str, Any]:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}
