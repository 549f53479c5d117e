"""Hostile files built in the test, never committed: zip and XML bombs, lying or broken zips.

Each builder starts from a real document made by the library that reads it, then swaps or
patches one member, so the file passes every check but the one it targets.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import openpyxl

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"


def docx_bytes(text: str = "Plan de projet") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    """``data`` with member ``name`` replaced (or added), deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def patched(
    data: bytes,
    name: str,
    *,
    flags: int | None = None,
    method: int | None = None,
    size: int | None = None,
) -> bytes:
    """Rewrite the flags, compression method or declared size of ``name`` in both its headers."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, flag_at, method_at, size_at, name_at in (
        (_LOCAL, 6, 8, 22, 30),
        (_CENTRAL, 8, 10, 24, 46),
    ):
        position = out.find(signature)
        while position >= 0:
            if out[position + name_at : position + name_at + len(encoded)] == encoded:
                if flags is not None:
                    struct.pack_into("<H", out, position + flag_at, flags)
                if method is not None:
                    struct.pack_into("<H", out, position + method_at, method)
                if size is not None:
                    struct.pack_into("<I", out, position + size_at, size)
            position = out.find(signature, position + 4)
    return bytes(out)


def shared_strings_bomb(inflated: int = 250 * 1024 * 1024) -> bytes:
    """An XLSX whose shared strings inflate to ``inflated`` bytes from a few hundred KB."""
    out = io.BytesIO()
    base = xlsx_bytes([["Poste", "Montant"]])
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                target.writestr(info, source.read(info))
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as member:
            chunk = b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>" * 25_000
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def billion_laughs_docx() -> bytes:
    """A DOCX whose main part declares the classic nested entities."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    body = (
        '<?xml version="1.0"?><!DOCTYPE w:document [' + "".join(entities) + "]>"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return with_member(docx_bytes(), "word/document.xml", body.encode())


def many_members_docx(count: int) -> bytes:
    """A DOCX padded with ``count`` empty members."""
    out = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(out, "a") as archive:
        for index in range(count):
            archive.writestr(f"customXml/p{index}", b"")
    return out.getvalue()


def lying_size_docx() -> bytes:
    """A DOCX with a member that declares 1 KB and inflates to 50 MB."""
    data = with_member(docx_bytes(), "word/media/blob.bin", b"\x00" * (50 * 1024 * 1024))
    return patched(data, "word/media/blob.bin", size=1024)


def truncated_part_docx() -> bytes:
    """A DOCX whose main part stops in the middle of its XML."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        body = archive.read("word/document.xml")
    return with_member(docx_bytes(), "word/document.xml", body[: len(body) // 2])


def encrypted_member_docx() -> bytes:
    return patched(docx_bytes(), "word/document.xml", flags=0x1)


def unknown_compression_docx() -> bytes:
    return patched(docx_bytes(), "word/document.xml", method=99)


def rows_xlsx(count: int) -> bytes:
    """An import file with a header and ``count`` identical rows, written straight as XML."""
    rows = "".join(
        f'<row r="{line}"><c r="A{line}" t="inlineStr"><is><t>ana</t></is></c></row>'
        for line in range(2, count + 2)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>username</t></is></c></row>'
        f"{rows}</sheetData></worksheet>"
    )
    return with_member(xlsx_bytes([["username"]]), "xl/worksheets/sheet1.xml", sheet.encode())


def huge_stream_pdf(operators: int = 400_000) -> bytes:
    """A one-page PDF whose content stream is ``operators`` text-showing operators, deflated."""
    return one_page_pdf(
        b"BT /F1 12 Tf 72 720 Td " + b"(Jalon) Tj 0 -1 Td " * operators + b"ET", deflate=True
    )


def one_page_pdf(stream: bytes, deflate: bool = False) -> bytes:
    """A minimal valid PDF: one page showing ``stream`` in Helvetica."""
    content = zlib.compress(stream) if deflate else stream
    filters = b" /Filter /FlateDecode" if deflate else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(content), filters) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)


#: Office files every reader refuses, by the code of the refusal (``.docx`` unless named).
REFUSED_OFFICE_FILES = {
    "declares more than the total": (
        lambda: patched(docx_bytes(), "word/document.xml", size=200 * 1024 * 1024),
        "zip_inflated_size",
    ),
    "compressed a thousand to one": (
        lambda: with_member(docx_bytes(), "word/media/zeros.bin", b"\x00" * (5 << 20)),
        "zip_ratio",
    ),
    "billion laughs": (billion_laughs_docx, "xml_dtd"),
    "too many members": (lambda: many_members_docx(2_001), "zip_members"),
    "member lying about its size": (lying_size_docx, "malformed_file"),
    "truncated part": (truncated_part_docx, "malformed_file"),
    "cut short": (lambda: docx_bytes()[:20_000], "malformed_file"),
    "encrypted member": (encrypted_member_docx, "zip_encrypted"),
    "unknown compression method": (unknown_compression_docx, "zip_compression"),
}
