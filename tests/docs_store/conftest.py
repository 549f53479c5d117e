"""Fixtures for the docs_store tests: document factories and search backends.

``BACKEND_FACTORIES`` lists every engine the contract suite runs against; a new engine joins
by adding its factory here.
"""

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import docx
import openpyxl
import pptx
import pytest

from docs_store.search import IndexedDocument, SearchBackend, Status, WhooshBackend
from tests.hostile_files import one_page_pdf

BACKEND_FACTORIES: dict[str, Callable[[Path], SearchBackend]] = {
    "whoosh": lambda root: WhooshBackend(root),
}

STAMP = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def make_doc(doc_id: int, title: str, body: str = "", **fields: object) -> IndexedDocument:
    """A published French standard unless told otherwise."""
    defaults: dict[str, object] = {
        "kind": "standard",
        "language": "fr",
        "status": Status.PUBLISHED,
        "updated_at": STAMP,
    }
    return IndexedDocument(id=doc_id, title=title, body=body, **{**defaults, **fields})


# A small library used by the read-only contract tests; ids say what each document is for.
CORPUS = (
    make_doc(
        1,
        "La stratégie de gestion des risques",
        "Ce standard décrit la gouvernance des projets et l'harmonie des portefeuilles.",
        tags=("risque", "gouvernance"),
        methodology="stage-gate",
        stage="scoping",
        owner_id=10,
    ),
    make_doc(
        2,
        "La stratégie de gestion des risques",
        "Version de travail de la gouvernance des projets.",
        status=Status.DRAFT,
        owner_id=20,
        tags=("risque",),
    ),
    make_doc(
        3,
        "Business case template",
        "Fill in this template before the gate review.",
        kind="template",
        language="en",
        tags=("finance",),
        methodology="stage-gate",
        stage="business-case",
    ),
    make_doc(
        4,
        "Compte rendu de projet",
        "Le comité de pilotage a validé le passage du jalon.",
        kind="lesson",
        tags=("gouvernance",),
    ),
    make_doc(
        5,
        "Bilan du programme Atlas",
        "Notre retour d'expérience sur la recette.",
        kind="lesson",
        tags=("recette",),
    ),
    make_doc(
        6,
        "Ancienne politique de sécurité",
        "Remplacée par la nouvelle politique.",
        status=Status.OBSOLETE,
    ),
    make_doc(
        7,
        "Managing project risks",
        "Risk registers list the risks of each project and their owners.",
        language="en",
        kind="guideline",
        tags=("risque",),
    ),
    make_doc(
        8,
        "Modèle de note de cadrage",
        "Un modèle pour cadrer un projet.",
        kind="template",
        stage="scoping",
    ),
)


@pytest.fixture(params=sorted(BACKEND_FACTORIES))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> SearchBackend:
    """An empty, usable index for tests that write."""
    engine = BACKEND_FACTORIES[request.param](tmp_path / "index")
    engine.rebuild([])
    yield engine
    engine.close()


@pytest.fixture(scope="module", params=sorted(BACKEND_FACTORIES))
def library(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> SearchBackend:
    """``CORPUS`` indexed once per module, for tests that only read."""
    engine = BACKEND_FACTORIES[request.param](tmp_path_factory.mktemp("library"))
    engine.rebuild(CORPUS)
    yield engine
    engine.close()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Analyse des risques")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Sponsor"
    table.rows[0].cells[1].text = "Direction"
    return _saved(document)


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Poste", "Montant"])
    workbook.active.append(["Licences", 1200])
    return _saved(workbook)


def _pptx() -> bytes:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Comité de pilotage"
    slide.placeholders[1].text = "Décision attendue"
    return _saved(deck)


def _pdf() -> bytes:
    """A one-page PDF with a text object, written by hand (pypdf cannot draw text)."""
    return one_page_pdf(b"BT /F1 12 Tf 72 720 Td (Charte projet Atlas) Tj ET")


def _saved(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def office_files() -> dict[str, bytes]:
    """One small file of each attachment type, built with the same libraries that read them."""
    return {
        "plan.docx": _docx(),
        "budget.xlsx": _xlsx(),
        "copil.pptx": _pptx(),
        "charte.pdf": _pdf(),
    }
