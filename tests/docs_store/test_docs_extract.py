"""Text extraction from each supported attachment type."""

import logging

import pytest

from docs_store.filetypes import FileType
from docs_store.parsers import extract_file, extract_text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plan.docx", ["Analyse des risques", "Sponsor", "Direction"]),
        ("budget.xlsx", ["Poste", "Licences", "1200"]),
        ("copil.pptx", ["Comité de pilotage", "Décision attendue"]),
        ("charte.pdf", ["Charte projet Atlas"]),
    ],
)
def test_text_comes_out_of_each_type(
    office_files: dict[str, bytes], name: str, expected: list[str]
) -> None:
    text = extract_text(office_files[name])
    for fragment in expected:
        assert fragment in text


def test_markdown_and_text_are_decoded() -> None:
    assert extract_text("# Jalon\nretour d'expérience".encode()) == "# Jalon\nretour d'expérience"


def test_output_is_capped() -> None:
    assert len(extract_text(b"mot " * 10_000, FileType.TEXT, max_chars=100)) == 100


@pytest.mark.parametrize(
    ("content", "file_type"),
    [
        (b"%PDF-1.4 garbage", FileType.PDF),
        (b"PK\x03\x04 broken zip", FileType.DOCX),
        (b"not a workbook", FileType.XLSX),
        (b"not a deck", FileType.PPTX),
        (b"\x89PNG", None),
    ],
)
def test_broken_files_give_empty_text_and_a_log_line(
    content: bytes, file_type: FileType | None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="docs_store.extract"):
        assert extract_text(content, file_type) == ""
    assert caplog.records


def test_unreadable_path_gives_empty_text(tmp_path) -> None:
    assert extract_file(tmp_path / "missing.pdf") == ""
