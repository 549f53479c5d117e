"""Relevance through the API: the judged queries' regression subset, several words, detected
languages and snippets (issue 27)."""

from __future__ import annotations

import pytest

from app.auth.models import User
from app.extensions import db
from bench.library.judged import load_queries, seed_generated
from bench.library.judged_corpus import generated_documents
from tests.conftest import bearer

#: Projects of ``judged_corpus`` seeded for the regression subset (all their documents).
PROJECTS = ("Atlas", "Borealis", "Cassiopée", "Fenix", "Galilée", "Janus", "Kepler", "Lyra")
#: Judged queries that must keep their best document in the top 3, whatever changes.
REGRESSION = (
    "dépendance fournisseur Procurix",
    "supplier dependency Vortexa",
    "reprise des données Zadig",
    '"comité de pilotage" Lyra',
    "steering committee Atlas",
    "UAT Lyra",
    "recette Borealis",
    "KPI Janus",
    "project charter Atlas",
    "parties prenantes Kepler",
    "contrat Nexalis wibblequux",
    "Dataogn contract",
    "registre des risuqes",
    '"plan de retour arrière"',
    "COPILs",
)


def _search(client, token, q, **params):
    response = client.get("/api/v1/search", query_string={"q": q, **params}, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _user(username: str) -> User:
    return db.session.scalar(db.select(User).where(User.username == username))


@pytest.fixture
def judged_library(app, tokens) -> None:
    """The generated documents of ``PROJECTS``, written by a manager, published by the PMO."""
    titles = {
        doc["title"] for doc in generated_documents() if doc["title"].split(" — ")[-1] in PROJECTS
    }
    with app.app_context():
        assert seed_generated(_user("max"), _user("pia"), titles) == len(titles)
        db.session.commit()


def test_judged_queries_keep_their_best_document_in_the_top_3(client, tokens, judged_library):
    queries = {query.text: query for query in load_queries() if query.text in REGRESSION}
    assert set(queries) == set(REGRESSION)
    for text, query in queries.items():
        top = [item["title"] for item in _search(client, tokens["staff"], text)["items"]]
        assert any(query.grade(title) == 2 for title in top[:3]), (text, top)


def test_several_words_find_a_french_document_in_any_order(client, tokens, new_document):
    found = new_document(
        title="Préparer le comité",
        body="## Méthode\n\nAnalyser les risques du projet avant chaque comité.",
        language="fr",
        status="published",
    )
    other = new_document(title="Budget", body="Les risques financiers.", status="published")
    for query in ("analyse des risques", "risques projet analyse"):
        results = _search(client, tokens["staff"], query)
        assert [item["id"] for item in results["items"]] == [found["id"], other["id"]], query
    # One word nobody wrote among known ones: the documents with the others.
    results = _search(client, tokens["staff"], "analyse risques xylophonique")
    assert [item["id"] for item in results["items"]][:1] == [found["id"]]


def test_snippets_show_text_without_markdown(client, tokens, new_document):
    new_document(
        title="Registre",
        body="## Les risques\n\n| Risque | Qui |\n|---|---|\n| **Retard** | Chef de projet |\n",
        status="published",
    )
    [hit] = _search(client, tokens["staff"], "risque retard")["items"]
    snippet = hit["highlights"]["body"]
    assert '<b class="match">Retard</b>' in snippet
    for syntax in ("##", "|", "**", "---"):
        assert syntax not in snippet


def test_a_suggestion_is_never_a_word_of_a_draft_and_follows_the_query_language(
    client, tokens, new_document
):
    new_document(title="Risk analysis", body="Analysis of the risks.", status="published")
    new_document(title="Brouillon", body="Une corolle zygomorphe.", language="fr")
    staff = tokens["staff"]
    assert _search(client, staff, "zygomorphr")["suggestion"] is None
    assert _search(client, tokens["manager"], "zygomorphr")["suggestion"] == "zygomorphe"
    assert _search(client, staff, "anlysis of risks")["suggestion"] == "analysis of risks"
    # A French query is not offered an English word.
    assert _search(client, staff, "anlysis des risques")["suggestion"] is None


def test_a_document_without_language_gets_the_language_of_its_text(client, tokens, new_document):
    english = {"Accept-Language": "en"}
    french = new_document(
        title="Impliquer la DAF dès l'opportunité",
        body="La direction financière valide le chiffrage avant le premier jalon.",
    )
    assert french["language"] == "fr"
    english_doc = new_document(title="Involve finance early", body="Finance signs the estimate.")
    assert english_doc["language"] == "en"
    chosen = new_document(title="Impliquer la DAF", body="Texte en français.", language="en")
    assert chosen["language"] == "en"  # the author's choice wins
    project = client.post(
        "/api/v1/projects",
        json={"name": "Atlas", "workflow": "stage-gate"},
        headers={**bearer(tokens["manager"]), **english},
    ).get_json()
    lesson = client.post(
        f"/api/v1/projects/{project['id']}/lessons",
        json={"title": "Impliquer la DAF dès l'opportunité", "body": "Dès la fiche d'opportunité."},
        headers={**bearer(tokens["manager"]), **english},
    ).get_json()
    assert lesson["language"] == "fr"
