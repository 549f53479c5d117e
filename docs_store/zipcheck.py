"""Checks on an Office file's zip before any parser opens it.

DOCX, XLSX and PPTX are zips of XML: a small upload can inflate without bound, hide an entity
bomb in a DTD, or use features the parsers mishandle. `check_archive` refuses at the first limit
passed, naming it: the member count and central directory size (read from the end record, before
`zipfile` builds an object per member), encrypted members and compression methods other than
stored and deflate, the declared inflated sizes and each member's compression ratio. It then reads
every member once: `zipfile` stops at the declared size and checks the CRC, so a member that lies
about its size is refused as malformed; XML parts are scanned for a DTD (refused, whatever the
parser would do with it) and the shared strings of a workbook are counted.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from docs_store.errors import FileRefused

_END_RECORD = b"PK\x05\x06"
_ENCRYPTED = 0x1
_CHUNK = 1 << 20
_SHARED_STRING = re.compile(rb"<si[\s>/]")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)")
_OVERLAP = 16
# Small members compress by any ratio (a run of blank cells); only larger ones are judged by it.
_RATIO_FLOOR = 1 << 20


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Caps on an Office archive; a real document stays far below each."""

    members: int = 2_000
    directory_bytes: int = 1 << 20
    inflated_bytes: int = 100 * 1024 * 1024
    ratio: int = 100
    shared_strings: int = 200_000


def declared_members(data: bytes) -> tuple[int, int] | None:
    """The member count and central directory size the end record declares; None if absent."""
    position = data.rfind(_END_RECORD, max(0, len(data) - 65_557))
    if position < 0 or len(data) < position + 22:
        return None
    count, directory_size = struct.unpack_from("<HI", data, position + 10)
    return count, directory_size


def check_directory(data: bytes, limits: ZipLimits = ZipLimits()) -> None:
    """Refuse a zip whose end record declares too many members or too big a directory."""
    declared = declared_members(data)
    if declared is None:
        raise FileRefused("malformed_file")
    count, directory_size = declared
    if count > limits.members or directory_size > limits.directory_bytes:
        raise FileRefused("zip_members", limits.members)


def check_archive(data: bytes, limits: ZipLimits = ZipLimits()) -> None:
    """Raise `FileRefused` unless ``data`` is a zip every parser may open safely."""
    check_directory(data, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_declared(members, limits)
            for member in members:
                _read_member(archive, member, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise FileRefused("malformed_file") from None


def _check_declared(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(members) > limits.members:
        raise FileRefused("zip_members", limits.members)
    total = 0
    for member in members:
        if member.flag_bits & _ENCRYPTED:
            raise FileRefused("zip_encrypted")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileRefused("zip_compression")
        total += member.file_size
        if total > limits.inflated_bytes:
            raise FileRefused("zip_inflated_size", limits.inflated_bytes)
        if member.file_size > max(_RATIO_FLOOR, limits.ratio * member.compress_size):
            raise FileRefused("zip_ratio", limits.ratio)


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: ZipLimits) -> None:
    is_xml = member.filename.endswith((".xml", ".rels"))
    counts_strings = member.filename.endswith("sharedStrings.xml")
    strings = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            if not is_xml:
                continue
            if not tail and chunk[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
                raise FileRefused("xml_encoding")  # UTF-16 would hide a DTD from the scan
            window = tail + chunk
            if _DTD.search(window):
                raise FileRefused("xml_dtd")
            if counts_strings:
                strings += len(_SHARED_STRING.findall(window)) - len(_SHARED_STRING.findall(tail))
                if strings > limits.shared_strings:
                    raise FileRefused("xlsx_shared_strings", limits.shared_strings)
            tail = window[-_OVERLAP:]
