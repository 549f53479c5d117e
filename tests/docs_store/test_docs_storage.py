"""Attachment storage: content-addressed, atomic, bounded, typed by content."""

import io
import zipfile
from pathlib import Path

import pytest

from docs_store.errors import AttachmentTooLarge, ContentTypeMismatch
from docs_store.filetypes import FileType
from docs_store.storage import AttachmentStore, sanitize_filename

PDF = b"%PDF-1.4\n%minimal\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_same_bytes_are_stored_once_under_their_hash(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path)
    first = store.save(PDF, "plan.pdf")
    second = store.save(io.BytesIO(PDF), "copie.pdf")
    assert first.sha256 == second.sha256
    path = store.path_for(first.sha256)
    assert path == tmp_path / first.sha256[:2] / first.sha256[2:4] / first.sha256
    assert path.read_bytes() == PDF
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [path]
    assert second.filename == "copie.pdf"


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\boot.ini.txt", "/abs/x.txt"])
def test_path_like_names_never_leave_the_store(tmp_path: Path, name: str) -> None:
    store = AttachmentStore(tmp_path / "files")
    stored = store.save(b"hello", name)
    assert "/" not in stored.filename
    assert "\\" not in stored.filename
    assert not stored.filename.startswith(".")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [store.path_for(stored.sha256)]


def test_sanitized_names_keep_something_readable() -> None:
    assert sanitize_filename("../../etc/passwd") == "passwd"
    assert sanitize_filename("..") == "attachment"
    assert sanitize_filename("a\x00b:c.pdf") == "a_b_c.pdf"
    assert sanitize_filename("x" * 300 + ".docx").endswith(".docx")
    assert len(sanitize_filename("x" * 300 + ".docx")) <= 200


BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
OTHER_INVISIBLE = ["\u200e", "\u200f", "\u061c", "\u200b", "\ufeff", "\u2028", "\u2029", "\ud800"]


@pytest.mark.parametrize("invisible", [*BIDI_CONTROLS, *OTHER_INVISIBLE])
def test_bidi_and_other_invisible_characters_leave_names(invisible: str) -> None:
    assert sanitize_filename(f"invoice{invisible}fdp.exe") == "invoicefdp.exe"


def test_c1_control_characters_are_replaced_like_c0_ones() -> None:
    assert sanitize_filename("a\x85b\x9bc.pdf") == "a_b_c.pdf"


def test_hash_lookups_reject_anything_but_a_digest(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        AttachmentStore(tmp_path).path_for("../../etc/passwd")


def test_size_limit(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path, max_bytes=10)
    with pytest.raises(AttachmentTooLarge):
        store.save(b"x" * 11, "big.txt")
    with pytest.raises(AttachmentTooLarge):
        store.save(io.BytesIO(b"x" * 11), "big.txt")
    assert store.save(b"x" * 10, "ok.txt").size == 10


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PNG, "report.pdf"),
        (PDF, "report.docx"),
        (b"\x00\x01binary", "notes.txt"),
        (b"\xff\xfe not utf-8", "notes.md"),
        (PDF, "report.exe"),
    ],
)
def test_content_must_match_the_claimed_type(tmp_path: Path, content: bytes, name: str) -> None:
    with pytest.raises(ContentTypeMismatch):
        AttachmentStore(tmp_path).save(content, name)


def test_a_zip_is_not_an_office_file(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ContentTypeMismatch):
        AttachmentStore(tmp_path).save(buffer.getvalue(), "fake.docx")


def test_office_types_are_recognised(tmp_path: Path, office_files: dict[str, bytes]) -> None:
    store = AttachmentStore(tmp_path)
    for name, content in office_files.items():
        assert store.save(content, name).content_type is FileType[name.split(".")[1].upper()]


def test_delete_and_exists(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path)
    stored = store.save(b"# Titre", "page.md")
    assert stored.content_type is FileType.MARKDOWN
    assert store.exists(stored.sha256)
    with store.open(stored.sha256) as handle:
        assert handle.read() == b"# Titre"
    store.delete(stored.sha256)
    assert not store.exists(stored.sha256)
