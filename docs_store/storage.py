"""Attachment storage on disk, addressed by content.

Files live under ``<root>/<aa>/<bb>/<sha256>``: the name is the SHA-256 of the bytes, so the
same upload is stored once, nothing the user typed ever becomes part of a path, and a file can
be verified against its name. The user's file name is kept only as sanitised metadata for the
database and the download header. Writes go to a temporary file in the target directory and are
renamed into place, so a crash never leaves a half-written attachment under a valid name.

Because identical uploads share one file, deleting one needs a reference count kept by the
caller (the database knows which versions point at which hash). `discard_unless` and `keep` take
the store's lock (a ``flock`` on ``.<root name>.lock`` beside the root), so one request removing
a file it wrote for a transaction that failed, and another restoring the same file after its
commit, never interleave.
"""

import fcntl
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from docs_store.errors import AttachmentTooLarge, ContentTypeMismatch
from docs_store.filetypes import FileType, is_compatible, sniff, type_from_name
from docs_store.zipcheck import check_directory

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|]")
# Invisible characters that change how a name reads, dropped: bidi overrides, embeddings,
# isolates and marks ("invoice\u202efdp.exe" shows as "invoiceexe.pdf"), zero-width and
# other format characters (Cf), lone surrogates (Cs), line and paragraph separators.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cs", "Zl", "Zp"})
_MAX_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    """What the database records about a stored attachment."""

    sha256: str
    size: int
    content_type: FileType
    filename: str


def sanitize_filename(filename: str) -> str:
    """A display name safe for metadata and ``Content-Disposition``; never used as a path.

    Keeps the last path component only, removes invisible characters (bidi controls...),
    replaces control and reserved characters, drops leading dots, and caps the length while
    keeping the extension.
    """
    name = unicodedata.normalize("NFC", filename).replace("\\", "/")
    name = "".join(c for c in name if unicodedata.category(c) not in _INVISIBLE_CATEGORIES)
    name = PurePosixPath(name).name if name.strip("/") else ""
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".")
    if len(name) > _MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        keep = _MAX_NAME_LENGTH - len(ext) - 1
        name = f"{stem[:keep]}.{ext}" if dot and 0 < len(ext) < 16 else name[:_MAX_NAME_LENGTH]
    return name or "attachment"


class AttachmentStore:
    """Content-addressed attachment files under one root directory."""

    def __init__(self, root: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    def save(self, content: bytes | BinaryIO, filename: str) -> StoredAttachment:
        """Check and store an upload; idempotent for identical bytes (see `check`)."""
        data, stored = self.check(content, filename)
        self.write(stored.sha256, data)
        return stored

    def check(self, content: bytes | BinaryIO, filename: str) -> tuple[bytes, StoredAttachment]:
        """Read and check an upload without storing it: its bytes and what to record.

        Raises ``AttachmentTooLarge`` over the size limit, ``ContentTypeMismatch`` when the
        name's extension is not accepted or the bytes are not what the extension says (a PNG
        named ``.pdf``), and ``FileRefused`` for a zip whose directory is over its limits, so
        the caller can answer 413 or 422 without inspecting the file.
        """
        data = self._read_bounded(content)
        claimed = type_from_name(filename)
        if claimed is None:
            raise ContentTypeMismatch(f"{sanitize_filename(filename)!r}: unsupported file type")
        if data.startswith(b"PK\x03\x04"):
            check_directory(data)  # before `sniff` lists the members
        actual = sniff(data)
        if actual is None or not is_compatible(claimed, actual):
            raise ContentTypeMismatch(
                f"{sanitize_filename(filename)!r}: content is not a valid {claimed.name} file"
            )
        sha256 = hashlib.sha256(data).hexdigest()
        return data, StoredAttachment(sha256, len(data), claimed, sanitize_filename(filename))

    def write(self, sha256: str, data: bytes) -> bool:
        """Store checked bytes under their hash; whether this call created the file."""
        target = self.path_for(sha256)
        if target.exists():
            return False
        self._write_atomically(target, data)
        return True

    def discard_unless(self, sha256: str, referenced: Callable[[], bool]) -> None:
        """Remove a file written for a failed transaction unless ``referenced()`` (committed
        rows still point at it)."""
        with self._locked():
            if not referenced():
                self.delete(sha256)

    def keep(self, sha256: str, data: bytes) -> None:
        """After a commit: write the file again if a failed request's `discard_unless` took it."""
        with self._locked():
            self.write(sha256, data)

    def path_for(self, sha256: str) -> Path:
        """The file holding the attachment with this hash (which need not exist yet).

        Raises ``ValueError`` for anything but a lower-case hex SHA-256, so a hash taken from a
        URL can never address a file outside the store.
        """
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored attachment for reading; ``FileNotFoundError`` when absent."""
        return self.path_for(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        """Whether an attachment with this hash is stored."""
        return self.path_for(sha256).is_file()

    def delete(self, sha256: str) -> None:
        """Remove a stored file; the caller checks no other version still references it."""
        self.path_for(sha256).unlink(missing_ok=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.parent.mkdir(parents=True, exist_ok=True)
        with self.root.with_name(f".{self.root.name}.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _read_bounded(self, content: bytes | BinaryIO) -> bytes:
        # Read one byte past the limit so an over-size stream is detected without reading it all.
        data = content if isinstance(content, bytes) else content.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise AttachmentTooLarge(self.max_bytes)
        return data

    @staticmethod
    def _write_atomically(target: Path, data: bytes) -> None:
        with atomic_file(target, prefix=".upload-") as tmp:
            tmp.write(data)


@contextmanager
def atomic_file(target: Path, prefix: str) -> Iterator[BinaryIO]:
    """A temporary file beside ``target``, synced and renamed onto it when the block succeeds.

    Readers see the old file or the complete new one, never a part; on any exception the
    temporary file is removed and ``target`` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=prefix)
    try:
        with os.fdopen(fd, "wb") as tmp:
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
