"""File downloads: one way to answer a CSV, XLSX or PDF export, whatever the domain, and
the escaping every generated PDF needs for text people typed."""

from __future__ import annotations

import io
import re

from flask import Response, send_file

#: Media type of each export format (text types get `charset=utf-8` from Werkzeug).
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
#: A surrogate code point: in a Python string, always one without its pair.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def download(content: bytes, filename: str) -> Response:
    """`content` as an attachment named `filename`, typed by the name's extension.

    `send_file` writes the name both plainly and RFC 5987-encoded, so a name with accents
    (a French portfolio) reaches the browser intact, and it marks the response uncacheable
    by shared caches like any generated file.
    """
    extension = filename.rsplit(".", 1)[-1]
    return send_file(
        io.BytesIO(content),
        mimetype=MEDIA_TYPES[extension],
        as_attachment=True,
        download_name=filename,
        max_age=0,
    )


def pdf_plain(text: str) -> str:
    """`text` fit for a PDF's metadata: a lone surrogate, which no UTF-8 can carry, becomes
    U+FFFD rather than failing the whole file."""
    return LONE_SURROGATE.sub("\ufffd", text)


def pdf_escape(text: str) -> str:
    """reportlab paragraphs read a little markup: escape what people typed."""
    return pdf_plain(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
