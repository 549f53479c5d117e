"""Recognise attachment types from their bytes, not from what the uploader called them.

A file name is a claim made by the user; the first bytes (and, for Office files, the zip
directory) are evidence. Storage refuses a file whose evidence contradicts its claim, and
extraction picks its parser from the evidence alone.
"""

import enum
import io
import zipfile
from pathlib import PurePath


class FileType(enum.StrEnum):
    """Attachment types the library accepts; values are MIME types."""

    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    MARKDOWN = "text/markdown"
    TEXT = "text/plain"


EXTENSIONS: dict[str, FileType] = {
    ".pdf": FileType.PDF,
    ".docx": FileType.DOCX,
    ".xlsx": FileType.XLSX,
    ".pptx": FileType.PPTX,
    ".md": FileType.MARKDOWN,
    ".markdown": FileType.MARKDOWN,
    ".txt": FileType.TEXT,
}

# The main part each Office format declares in [Content_Types].xml, and its folder in the zip.
_OFFICE_PARTS: dict[FileType, tuple[bytes, str]] = {
    FileType.DOCX: (b"wordprocessingml.document.main+xml", "word/"),
    FileType.XLSX: (b"spreadsheetml.sheet.main+xml", "xl/"),
    FileType.PPTX: (b"presentationml.presentation.main+xml", "ppt/"),
}
_TEXT_TYPES = frozenset({FileType.MARKDOWN, FileType.TEXT})


def type_from_name(filename: str) -> FileType | None:
    """The type a file name claims by its extension, or None when it claims nothing we accept."""
    return EXTENSIONS.get(PurePath(filename).suffix.lower())


def sniff(data: bytes) -> FileType | None:
    """The type the bytes really are, or None when they are none of the accepted types.

    Text is any valid UTF-8 without NUL bytes; it is reported as ``TEXT`` because Markdown and
    plain text cannot be told apart by content.
    """
    if data.startswith(b"%PDF-"):
        return FileType.PDF
    if data.startswith(b"PK\x03\x04"):
        return _sniff_office(data)
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return FileType.TEXT


def _sniff_office(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            # The manifest is tiny; cap the read so a zip bomb cannot inflate it.
            with archive.open("[Content_Types].xml") as manifest:
                content_types = manifest.read(1 << 20)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    for file_type, (main_part, folder) in _OFFICE_PARTS.items():
        if main_part in content_types and any(name.startswith(folder) for name in names):
            return file_type
    return None


def is_compatible(claimed: FileType, actual: FileType) -> bool:
    """Whether bytes of type ``actual`` may be stored under a name claiming ``claimed``."""
    if claimed in _TEXT_TYPES:
        return actual in _TEXT_TYPES
    return claimed == actual
