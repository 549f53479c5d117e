"""The parsers of attachments, and the heavy libraries they need.

`docs_store.extract` runs `parse_checked` and `sheet_rows` in the sandbox's child process (whose
forkserver imports this module once), so a server worker never loads pypdf, python-docx,
python-pptx or openpyxl's reader. `extract_text` and `extract_file` parse in the calling process
and swallow errors: for trusted files only.
"""

import io
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import docx
import openpyxl
import pptx
import pypdf

from docs_store.errors import FileRefused
from docs_store.extract import DEFAULT_MAX_CHARS, OFFICE, collect, decoded
from docs_store.filetypes import FileType, sniff
from docs_store.zipcheck import ZipLimits, check_archive

log = logging.getLogger(__name__)

# Office files are zips: refuse to parse one whose members would inflate beyond this.
MAX_UNCOMPRESSED_BYTES = ZipLimits().inflated_bytes
#: Rows of all sheets a workbook's text is read from, empty ones included.
MAX_SHEET_ROWS = 200_000


def extract_text(
    data: bytes, file_type: FileType | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> str:
    """The text of an attachment, at most ``max_chars`` characters; ``""`` if unreadable.

    ``file_type`` defaults to what the bytes look like; pass the type recorded at upload to
    skip sniffing.
    """
    file_type = file_type or sniff(data)
    if file_type is None:
        log.warning("text extraction skipped: unrecognised content")
        return ""
    try:
        return collect(_EXTRACTORS[file_type](data), max_chars)
    except Exception:
        log.warning("text extraction failed for a %s attachment", file_type.name, exc_info=True)
        return ""


def extract_file(
    path: Path | str, file_type: FileType | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> str:
    """``extract_text`` for a stored file; ``""`` (and a log line) when it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        log.warning("text extraction skipped: cannot read %s", path, exc_info=True)
        return ""
    return extract_text(data, file_type, max_chars)


def parse_checked(data: bytes, file_type: FileType, max_chars: int) -> str:
    """The text of an upload (in the sandbox's child): an Office zip is checked first."""
    if file_type in OFFICE:
        check_archive(data)
    return collect(_EXTRACTORS[file_type](data), max_chars)


def sheet_rows(data: bytes, max_rows: int, max_chars: int) -> list[list[object]]:
    """The first sheet's cells (in the sandbox's child); see `docs_store.extract.read_sheet`."""
    check_archive(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows: list[list[object]] = []
    chars = 0
    try:
        for cells in workbook.worksheets[0].iter_rows(values_only=True):
            if len(rows) > max_rows:  # the header is not a data row
                raise FileRefused("sheet_rows", max_rows)
            chars += sum(len(str(cell)) for cell in cells if cell is not None)
            if chars > max_chars:
                raise FileRefused("extracted_characters", max_chars)
            rows.append(list(cells))
    finally:
        workbook.close()
    return rows


def _pdf(data: bytes) -> Iterator[str]:
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        yield page.extract_text()


def _docx(data: bytes) -> Iterator[str]:
    document = docx.Document(_checked_zip(data))
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield "\t".join(cell.text for cell in row.cells)


def _xlsx(data: bytes) -> Iterator[str]:
    workbook = openpyxl.load_workbook(_checked_zip(data), read_only=True, data_only=True)
    rows = 0
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                if rows > MAX_SHEET_ROWS:
                    raise FileRefused("sheet_rows", MAX_SHEET_ROWS)
                yield "\t".join(str(value) for value in row if value is not None)
    finally:
        workbook.close()


def _pptx(data: bytes) -> Iterator[str]:
    presentation = pptx.Presentation(_checked_zip(data))
    for slide in presentation.slides:
        yield from _shape_texts(slide.shapes)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            yield slide.notes_slide.notes_text_frame.text


def _shape_texts(shapes: Iterable) -> Iterator[str]:
    for shape in shapes:
        if shape.has_text_frame:
            yield shape.text_frame.text
        if getattr(shape, "has_table", False):
            for row in shape.table.rows:
                yield "\t".join(cell.text for cell in row.cells)
        if hasattr(shape, "shapes"):  # a group: its members carry the text
            yield from _shape_texts(shape.shapes)


def _checked_zip(data: bytes) -> io.BytesIO:
    """The archive as a stream, after refusing one that would inflate past the bound."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        inflated = sum(member.file_size for member in archive.infolist())
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise ValueError(f"archive inflates to {inflated} bytes")
    return io.BytesIO(data)


_EXTRACTORS: dict[FileType, Callable[[bytes], Iterator[str]]] = {
    FileType.PDF: _pdf,
    FileType.DOCX: _docx,
    FileType.XLSX: _xlsx,
    FileType.PPTX: _pptx,
    FileType.MARKDOWN: decoded,
    FileType.TEXT: decoded,
}
