"""Hostile files: each zip or XML bomb, lying or broken zip is refused by name, in a child.

The files are built by `tests.hostile_files`; nothing hostile is committed.
"""

from __future__ import annotations

import random
import time

import pytest

from docs_store.errors import ExtractionAborted, FileRefused
from docs_store.extract import extract_untrusted, read_sheet
from docs_store.filetypes import FileType
from docs_store.sandbox import Limits, run
from docs_store.storage import AttachmentStore
from docs_store.zipcheck import ZipLimits, check_archive
from tests import hostile_files


def _shared_strings_over_the_cap() -> bytes:
    strings = b"".join(b"<si><t>%d</t></si>" % random.getrandbits(40) for _ in range(200_001))
    base = hostile_files.xlsx_bytes([["Poste"]])
    return hostile_files.with_member(base, "xl/sharedStrings.xml", b"<sst>" + strings + b"</sst>")


HOSTILE = {
    **hostile_files.REFUSED_OFFICE_FILES,
    "too many shared strings": (_shared_strings_over_the_cap, "xlsx_shared_strings"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_office_file_is_refused_naming_the_limit(case: str) -> None:
    build, code = HOSTILE[case]
    data = build()
    file_type = FileType.XLSX if "strings" in case else FileType.DOCX
    with pytest.raises(FileRefused) as refused:
        extract_untrusted(data, file_type)
    assert refused.value.code == code


def test_limits_are_the_ones_named() -> None:
    data = hostile_files.many_members_docx(30)
    with pytest.raises(FileRefused) as refused:
        check_archive(data, ZipLimits(members=20))
    assert (refused.value.code, refused.value.limit) == ("zip_members", 20)


def test_a_real_document_passes_and_its_text_comes_back() -> None:
    assert extract_untrusted(hostile_files.docx_bytes("Analyse des risques"), FileType.DOCX) == (
        "Analyse des risques"
    )


def test_a_sheet_over_the_row_limit_is_refused_and_one_under_is_read() -> None:
    data = hostile_files.rows_xlsx(30)
    with pytest.raises(FileRefused) as refused:
        read_sheet(data, max_rows=29, max_chars=10_000)
    assert (refused.value.code, refused.value.limit) == ("sheet_rows", 29)
    rows = read_sheet(data, max_rows=30, max_chars=10_000)
    assert rows[0] == ["username"]
    assert len(rows) == 31
    with pytest.raises(FileRefused) as refused:
        read_sheet(data, max_rows=30, max_chars=50)
    assert refused.value.code == "extracted_characters"


def _spin() -> None:
    while True:
        pass


def _hoard() -> bytes:
    return bytes(512 * 1024 * 1024)


def _crash() -> None:
    raise RuntimeError("a parser bug")


def test_a_child_past_its_time_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(ExtractionAborted) as aborted:
        run(_spin, limits=Limits(seconds=0.5))
    assert aborted.value.code == "time_limit"
    assert time.monotonic() - started < 5  # generous: the limit is the contract


def test_a_child_past_its_memory_is_stopped() -> None:
    with pytest.raises(ExtractionAborted) as aborted:
        run(_hoard, limits=Limits(seconds=5, memory_bytes=256 * 1024 * 1024))
    assert aborted.value.code == "memory_limit"


def test_an_unexpected_parser_error_is_a_malformed_file() -> None:
    with pytest.raises(FileRefused) as refused:
        run(_crash)
    assert refused.value.code == "malformed_file"


def test_a_pdf_of_endless_operators_runs_out_of_time() -> None:
    with pytest.raises(ExtractionAborted):
        extract_untrusted(hostile_files.huge_stream_pdf(), FileType.PDF, limits=Limits(seconds=1))


def test_a_file_written_for_a_failed_transaction_goes_unless_referenced(tmp_path) -> None:
    store = AttachmentStore(tmp_path / "files")
    assert store.write("a" * 64, b"one") is True
    assert store.write("a" * 64, b"one") is False
    store.discard_unless("a" * 64, lambda: True)
    assert store.exists("a" * 64)
    store.discard_unless("a" * 64, lambda: False)
    assert not store.exists("a" * 64)
    store.keep("a" * 64, b"one")
    assert store.path_for("a" * 64).read_bytes() == b"one"
    assert [path.name for path in (tmp_path / "files").rglob("*") if path.is_file()] == ["a" * 64]
