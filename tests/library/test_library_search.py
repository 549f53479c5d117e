"""Search through the API: the issue's "done when", visibility, filters and bad queries."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import bearer

RISK_BODY = "La stratégie de gestion des risques est revue à chaque jalon."


def _search(client, token, **params):
    response = client.get("/api/v1/search", query_string=params, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _ids(results):
    return [item["id"] for item in results["items"]]


def test_french_document_found_by_folded_words_phrase_and_typo(client, tokens, new_document):
    published = new_document(
        title="Gestion des risques", body=RISK_BODY, language="fr", status="published"
    )
    draft = new_document(title="Gestion des risques (brouillon)", body=RISK_BODY, language="fr")
    staff = tokens["staff"]
    for query in ("strategie risque", '"gestion des risques"', "stratgie"):
        assert _ids(_search(client, staff, q=query)) == [published["id"]], query
    author_hits = _ids(_search(client, tokens["manager"], q="strategie risque"))
    assert set(author_hits) == {published["id"], draft["id"]}
    assert author_hits[0] == published["id"]  # published ranked first
    other_manager = _ids(_search(client, tokens["manager2"], q="strategie risque"))
    assert other_manager == [published["id"]]


def test_search_result_shape_has_scores_highlights_and_facets(client, tokens, new_document):
    new_document(
        title="Registre des risques",
        body=RISK_BODY,
        kind="template",
        tags=["Risque"],
        status="published",
    )
    results = _search(client, tokens["staff"], q="risques")
    assert set(results) >= {"items", "total", "facets", "suggestion"}
    item = results["items"][0]
    assert set(item) >= {"id", "title", "kind", "score", "highlights"}
    assert '<b class="match">' in "".join(item["highlights"].values())
    assert results["facets"]["kind"] == {"template": 1}
    assert results["facets"]["tag"] == {"risque": 1}


def test_kind_field_query_and_filter_keep_only_templates(client, tokens, new_document):
    template = new_document(
        title="Modèle de plan", body="plan projet", kind="template", status="published"
    )
    new_document(title="Standard de plan", body="plan projet", kind="standard", status="published")
    assert _ids(_search(client, tokens["staff"], q="kind:template")) == [template["id"]]
    assert _ids(_search(client, tokens["staff"], q="plan", kind="template")) == [template["id"]]


def test_obsolete_documents_hidden_unless_asked(client, tokens, new_document):
    old = new_document(title="Ancienne charte", body="charte", status="obsolete")
    assert _ids(_search(client, tokens["pmo"], q="charte")) == []
    assert _ids(_search(client, tokens["pmo"], q="charte", include_obsolete="true")) == [old["id"]]
    assert _ids(_search(client, tokens["staff"], q="charte", include_obsolete="true")) == []


def test_edit_is_searchable_at_once(client, tokens, new_document):
    doc = new_document(title="Plan", body="ancien texte", status="published")
    client.patch(
        f"/api/v1/documents/{doc['id']}",
        json={"body": "gouvernance agile"},
        headers=bearer(tokens["manager"]),
    )
    assert _ids(_search(client, tokens["staff"], q="gouvernance")) == [doc["id"]]
    assert _ids(_search(client, tokens["staff"], q="ancien")) == []


def test_thesaurus_copil_finds_comite_de_pilotage(client, tokens, new_document):
    doc = new_document(
        title="Rôle du comité de pilotage",
        body="Le comité de pilotage arbitre.",
        status="published",
    )
    assert _ids(_search(client, tokens["staff"], q="COPIL")) == [doc["id"]]


def test_unreadable_query_is_a_400_with_a_message(client, tokens):
    response = client.get("/api/v1/search?q=%22open", headers=bearer(tokens["staff"]))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_query"


def test_pagination_of_results(client, tokens, new_document):
    for number in range(3):
        new_document(title=f"Jalon {number}", body="revue de jalon", status="published")
    first = _search(client, tokens["staff"], q="jalon", per_page=2, page=1)
    second = _search(client, tokens["staff"], q="jalon", per_page=2, page=2)
    assert first["total"] == 3
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert not set(_ids(first)) & set(_ids(second))


def test_pmo_extends_the_thesaurus_with_a_file_in_the_data_directory(
    make_app, app, tokens, new_document
):
    doc = new_document(title="Revue de portefeuille", body="arbitrage annuel", status="published")
    data_dir = Path(app.config["JALON_DATA_DIR"])
    (data_dir / "thesaurus.txt").write_text("# PMO\nPPM, revue de portefeuille\n", "utf-8")
    restarted = make_app()  # the thesaurus is read when a worker starts
    assert _ids(_search(restarted.test_client(), tokens["staff"], q="PPM")) == [doc["id"]]
    assert _ids(_search(app.test_client(), tokens["staff"], q="PPM")) == []


def test_did_you_mean_only_proposes_words_the_reader_may_see(client, tokens, new_document):
    new_document(title="Botanique", body="Les fleurs du jardin.", status="published")
    new_document(title="Brouillon", body="Une corolle zygomorphic.")  # a draft
    assert _search(client, tokens["staff"], q="zygomorphik")["suggestion"] is None
    assert _search(client, tokens["manager2"], q="zygomorphik")["suggestion"] is None
    assert _search(client, tokens["pmo"], q="zygomorphik")["suggestion"] == "zygomorphic"
    assert _search(client, tokens["manager"], q="zygomorphik")["suggestion"] == "zygomorphic"
