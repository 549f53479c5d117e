"""Plain text out of attachments, for the search index.

Extraction runs on user uploads, so it is defensive: the parser is chosen from the bytes (not
the file name), the output is capped, and Office archives that would inflate past a bound are
refused. Uploads go through `extract_untrusted` and `read_sheet`: they parse in a child process
with a time and a memory limit (`docs_store.sandbox`), check an Office zip before opening it
(`docs_store.zipcheck`), and raise `FileRefused` naming the limit a file passes, so the upload can
be refused with a reason. The parsers themselves live in `docs_store.parsers`, which only that
child imports: a server worker never loads the parsing libraries.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from docs_store import sandbox
from docs_store.filetypes import FileType

DEFAULT_MAX_CHARS = 500_000
OFFICE = frozenset({FileType.DOCX, FileType.XLSX, FileType.PPTX})


def extract_untrusted(
    data: bytes,
    file_type: FileType,
    max_chars: int = DEFAULT_MAX_CHARS,
    limits: sandbox.Limits = sandbox.DEFAULT_LIMITS,
) -> str:
    """The text of an upload, parsed in a limited child process.

    Raises `FileRefused` (over a limit, malformed, a forbidden feature) or `ExtractionAborted`
    (out of time or memory). Text files are decoded here: that is linear and cannot explode.
    """
    if file_type not in OFFICE and file_type != FileType.PDF:
        return collect(decoded(data), max_chars)
    return sandbox.run(_parse, "parse_checked", data, file_type, max_chars, limits=limits)


def read_sheet(
    data: bytes,
    max_rows: int,
    max_chars: int,
    limits: sandbox.Limits = sandbox.DEFAULT_LIMITS,
) -> list[list[object]]:
    """The cells of a workbook's first sheet, row by row, parsed in a limited child process.

    Refuses (`FileRefused`) past ``max_rows`` rows (``sheet_rows``) or ``max_chars`` characters
    of cell text (``extracted_characters``), besides the archive checks of `extract_untrusted`.
    """
    return sandbox.run(_parse, "sheet_rows", data, max_rows, max_chars, limits=limits)


def _parse(name: str, *args: Any) -> Any:
    """Call the parser ``name`` of `docs_store.parsers`: runs in the sandbox's child only."""
    from docs_store import parsers  # already imported by the child's forkserver

    return getattr(parsers, name)(*args)


def collect(chunks: Iterable[str], max_chars: int) -> str:
    """Join chunks until the cap, stopping the extractor early on huge files."""
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        if not chunk:
            continue
        parts.append(chunk[: max_chars - size])
        size += len(parts[-1]) + 1
        if size >= max_chars:
            break
    return "\n".join(parts)[:max_chars]


def decoded(data: bytes) -> Iterator[str]:
    """A text file's content, undecodable bytes replaced."""
    yield data.decode("utf-8", errors="replace")
