"""Which index directory is live, and swapping in a rebuilt one atomically.

The index root holds one or more ``ix-*`` directories and a ``CURRENT`` pointer file naming
the live one with its schema version. A rebuild writes a new directory while searches go on
against the old one, then replaces the pointer with ``os.replace`` — atomic on POSIX, so every
process sees either the old index or the new one, never a mix — and deletes the other
directories. Readers notice the swap by the pointer file's identity changing, and processes
still reading an old directory keep their open files until they reopen.
"""

import json
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

POINTER_NAME = "CURRENT"
_PREFIX = "ix-"


class IndexLocation:
    """The index root directory and its ``CURRENT`` pointer."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.pointer = self.root / POINTER_NAME

    def current(self, schema_version: int) -> Path | None:
        """The live index directory, or None if there is none usable for this schema version."""
        record = self._record()
        if record is None:
            return None
        name, version = record
        directory = self.root / name
        if version != schema_version or not _is_index_dir_name(name):
            return None
        return directory if directory.is_dir() else None

    def recorded_schema(self) -> int | None:
        """The schema version the live index was built with, if the pointer can be read."""
        record = self._record()
        return None if record is None else record[1]

    def _record(self) -> tuple[str, int] | None:
        try:
            record = json.loads(self.pointer.read_text(encoding="utf-8"))
            return str(record["dir"]), int(record["schema"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def stamp(self) -> tuple[int, int] | None:
        """Identity of the pointer file; it changes on every swap (a new inode)."""
        try:
            info = self.pointer.stat()
        except OSError:
            return None
        return info.st_ino, info.st_mtime_ns

    def new_dir(self) -> Path:
        """A fresh, empty directory for a rebuild."""
        self.root.mkdir(parents=True, exist_ok=True)
        directory = self.root / f"{_PREFIX}{time.time_ns()}-{secrets.token_hex(4)}"
        directory.mkdir()
        return directory

    def switch_to(self, directory: Path, schema_version: int) -> None:
        """Make ``directory`` the live index, atomically, then delete the others."""
        record = json.dumps({"dir": directory.name, "schema": schema_version})
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".pointer-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as tmp:
                tmp.write(record)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, self.pointer)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        self.remove_others(keep=directory)

    def remove_others(self, keep: Path) -> None:
        """Delete every index directory but ``keep``: replaced ones and abandoned rebuilds."""
        for path in self.root.iterdir():
            if path != keep and path.is_dir() and _is_index_dir_name(path.name):
                shutil.rmtree(path, ignore_errors=True)


def _is_index_dir_name(name: str) -> bool:
    return name.startswith(_PREFIX) and "/" not in name and name not in (".", "..")
