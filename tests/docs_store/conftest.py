"""Fixtures for the docs_store tests: document factories and search backends.

``BACKEND_FACTORIES`` lists every engine the contract suite runs against; a new engine joins
by adding its factory here.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from docs_store.search import IndexedDocument, SearchBackend, Status, WhooshBackend

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
