"""The search backend contract: every engine behind ``SearchBackend`` must pass these."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docs_store.errors import QueryError
from docs_store.search import (
    SearchBackend,
    SearchFilters,
    SearchQuery,
    SearchResults,
    Status,
    Visibility,
)
from tests.docs_store.conftest import make_doc

EVERYTHING = Visibility.everything()


def ids(results: SearchResults) -> list[int]:
    return [hit.id for hit in results.items]


def find(engine: SearchBackend, text: str, **options: object) -> SearchResults:
    options.setdefault("visibility", EVERYTHING)
    return engine.search(SearchQuery(text, **options))


def test_backend_satisfies_the_protocol(library: SearchBackend) -> None:
    assert isinstance(library, SearchBackend)


def test_accent_insensitive_words_find_accented_text(library: SearchBackend) -> None:
    # 1 (published) and 2 (draft) hold both words; 7 only "risk" (the thesaurus's "risque").
    assert ids(find(library, "strategie risque")) == [1, 2, 7]


def test_elided_article_does_not_hide_a_word(library: SearchBackend) -> None:
    assert 1 in ids(find(library, "harmonie"))


def test_phrase_matches_consecutive_words_only(library: SearchBackend) -> None:
    assert set(ids(find(library, '"gestion des risques"'))) == {1, 2}
    assert ids(find(library, '"risques gestion"')) == []


def test_field_query_filters_by_kind(library: SearchBackend) -> None:
    assert set(ids(find(library, "kind:template"))) == {3, 8}


def test_title_field_query_ignores_bodies(library: SearchBackend) -> None:
    assert ids(find(library, "title:comité")) == []
    assert ids(find(library, "title:compte")) == [4]


@pytest.mark.parametrize("typo", ["stratgie", "gouvernnace"])
def test_typos_still_find_the_document(library: SearchBackend, typo: str) -> None:
    assert 1 in ids(find(library, typo))


def test_english_plural_finds_singular(library: SearchBackend) -> None:
    assert 7 in ids(find(library, "register"))


def test_facets_count_the_whole_result_set_not_the_page(library: SearchBackend) -> None:
    results = find(library, "risque OR risk", per_page=1)
    assert len(results.items) == 1
    assert results.total == 3
    assert results.facets["tag"]["risque"] == 3
    assert results.facets["language"] == {"fr": 2, "en": 1}
    assert set(results.facets) == {"kind", "tag", "methodology", "language", "stage"}


def test_highlight_marks_the_matched_word_and_escapes_the_rest(backend: SearchBackend) -> None:
    backend.index([make_doc(1, "Budget <script>", "Le budget du projet <b>dérape</b>.")])
    hit = find(backend, "budget").items[0]
    assert '<b class="match">Budget</b>' in hit.highlights["title"]
    assert "&lt;script&gt;" in hit.highlights["title"]
    assert "&lt;b&gt;dérape" in hit.highlights["body"]
    assert "<b>" not in hit.highlights["body"]


def test_suggestion_for_a_misspelt_word_when_few_results(library: SearchBackend) -> None:
    assert find(library, "gouvernnace").suggestion == "gouvernance"
    query = SearchQuery("gouvernnace des projts", visibility=EVERYTHING)
    assert library.suggest(query) == "gouvernance des projets"
    assert find(library, "gouvernance").suggestion is None


def test_suggestions_come_only_from_documents_the_reader_may_see(backend: SearchBackend) -> None:
    draft = "Une corolle zygomorphic, une gouvernanse."
    backend.index(
        [
            make_doc(1, "Botanique", "La gouvernance des fleurs.", owner_id=10),
            make_doc(2, "Brouillon", draft, status=Status.DRAFT, owner_id=20),
        ]
    )
    staff = Visibility.published_only(own_owner_id=10)
    assert find(backend, "zygomorphik", visibility=staff).suggestion is None
    assert backend.suggest(SearchQuery("zygomorphik", visibility=staff)) is None
    assert find(backend, "zygomorphik").suggestion == "zygomorphic"
    author = Visibility.published_only(own_owner_id=20)
    assert find(backend, "zygomorphik", visibility=author).suggestion == "zygomorphic"
    # A word only a draft holds is not known to staff: they get the published spelling.
    assert find(backend, "gouvernanse", visibility=staff).suggestion == "gouvernance"
    assert find(backend, "gouvernanse").suggestion is None


def test_suggestions_skip_words_of_deleted_documents(backend: SearchBackend) -> None:
    backend.index([make_doc(1, "Plan", "zygomorphic"), make_doc(2, "Plan", "jalon")])
    backend.delete([1])
    assert find(backend, "zygomorphik").suggestion is None


def test_staff_never_see_a_draft(library: SearchBackend) -> None:
    results = find(library, "stratégie", visibility=Visibility.published_only())
    assert ids(results) == [1]


def test_authors_see_their_own_draft(library: SearchBackend) -> None:
    mine = Visibility.published_only(own_owner_id=20)
    assert set(ids(find(library, "stratégie", visibility=mine))) == {1, 2}
    theirs = Visibility.published_only(own_owner_id=10)
    assert ids(find(library, "stratégie", visibility=theirs)) == [1]


def test_obsolete_documents_are_hidden_unless_asked_for(library: SearchBackend) -> None:
    assert ids(find(library, "politique")) == []
    assert ids(find(library, "politique", include_obsolete=True)) == [6]


def test_published_document_ranks_before_its_draft_twin(library: SearchBackend) -> None:
    assert ids(find(library, "gestion des risques"))[:2] == [1, 2]


def test_pagination_reports_total_and_pages(library: SearchBackend) -> None:
    first = find(library, "", per_page=3)
    last = find(library, "", per_page=3, page=3)
    assert first.total == last.total == 7
    assert first.pages == 3
    assert len(first.items) == 3
    assert len(last.items) == 1
    assert not set(ids(first)) & set(ids(last))


def test_metadata_filters(library: SearchBackend) -> None:
    results = find(library, "", filters=SearchFilters(kind="template", language="fr"))
    assert ids(results) == [8]
    assert set(ids(find(library, "", filters=SearchFilters(tag="Risque")))) == {1, 2, 7}
    assert ids(find(library, "", filters=SearchFilters(stage="business-case"))) == [3]


@pytest.mark.parametrize(("acronym", "expected"), [("COPIL", 4), ("REX", 5), ("milestone", 4)])
def test_thesaurus_finds_synonyms(library: SearchBackend, acronym: str, expected: int) -> None:
    assert expected in ids(find(library, acronym))


def test_excluded_word(library: SearchBackend) -> None:
    assert set(ids(find(library, "stratégie -travail"))) == {1}


@pytest.mark.parametrize(
    "text", ["title:(", '"unclosed', "AND OR", "*", "kind:", "(risque", "risque)", "NOT", "a*b"]
)
def test_unreadable_query_raises_query_error(library: SearchBackend, text: str) -> None:
    with pytest.raises(QueryError):
        find(library, text)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_text_gives_results_or_query_error(library: SearchBackend, text: str) -> None:
    try:
        results = find(library, text)
    except QueryError:
        return
    assert results.total >= len(results.items)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(
        st.sampled_from(
            ["risque", "AND", "OR", "NOT", "(", ")", '"', "-", "kind:", "title:", "*", "strat*"]
        ),
        max_size=8,
    )
)
def test_any_mix_of_operators_gives_results_or_query_error(
    library: SearchBackend, words: list[str]
) -> None:
    with contextlib.suppress(QueryError):
        find(library, " ".join(words))


def test_index_replaces_by_id_and_delete_removes(backend: SearchBackend) -> None:
    backend.index([make_doc(1, "Charte projet", "premier texte")])
    backend.index([make_doc(1, "Charte projet", "second texte")])
    assert ids(find(backend, "premier")) == []
    assert ids(find(backend, "second")) == [1]
    assert list(backend.doc_ids()) == [1]
    backend.delete([1, 99])
    assert backend.doc_ids() == {}
    assert find(backend, "charte").total == 0


def test_doc_ids_report_version_stamps(backend: SearchBackend) -> None:
    doc = make_doc(5, "Plan de communication")
    backend.index([doc])
    assert backend.doc_ids() == {5: doc.updated_at}


def test_statuses_round_trip(backend: SearchBackend) -> None:
    backend.index([make_doc(3, "Revue", status="in_review")])
    assert find(backend, "revue").items[0].status is Status.IN_REVIEW


# -- relevance ---------------------------------------------------------------------------------

RELEVANCE = (
    make_doc(1, "Charte", "Analyser les risques du projet avant le cadrage."),
    make_doc(2, "Risques", "Les risques du portefeuille."),
    make_doc(3, "Note", "Un projet, une analyse budgétaire, et bien plus loin des risques."),
    make_doc(4, "Brouillon", "Analyser les risques du projet.", status=Status.DRAFT),
    make_doc(5, "Sans rapport", "Le budget de formation."),
)


def test_documents_with_every_word_come_first_then_those_with_most(
    backend: SearchBackend,
) -> None:
    backend.index(RELEVANCE)
    for text in ("analyse des risques projet", "risques projet analyse"):
        found = ids(find(backend, text))
        # All three words: 1 (close together) before 3 (far apart), then the draft 4;
        # then 2, with one word of three.
        assert found == [1, 3, 4, 2], text


def test_an_unknown_word_among_known_ones_still_finds_documents(backend: SearchBackend) -> None:
    backend.index(RELEVANCE)
    results = find(backend, "risques zorglubique", visibility=Visibility.published_only())
    assert set(ids(results)) == {1, 2, 3}
    assert results.total == 3
    # Written with AND, every word is required.
    assert find(backend, "risques AND zorglubique").total == 0
    assert ids(find(backend, "risques AND portefeuille")) == [2]


def test_a_title_match_ranks_before_a_body_match(backend: SearchBackend) -> None:
    backend.index(
        [make_doc(1, "Plan", "Le portefeuille des projets."), make_doc(2, "Portefeuille", "Plan.")]
    )
    assert ids(find(backend, "portefeuille")) == [2, 1]


def test_words_close_together_rank_before_the_same_words_apart(backend: SearchBackend) -> None:
    far = "Le plan. " + "Texte sans rapport. " * 5 + "La communication."
    backend.index(
        [make_doc(1, "A", far), make_doc(2, "B", "Le plan de communication du programme.")]
    )
    assert ids(find(backend, "plan communication")) == [2, 1]


@pytest.mark.parametrize(
    ("query", "text"),
    [("COPILs", "Le COPIL valide."), ("COPIL", "Les COPILs valident."), ("KPIs", "Un KPI.")],
)
def test_acronyms_match_their_plurals_in_both_languages(
    backend: SearchBackend, query: str, text: str
) -> None:
    backend.index(
        [make_doc(1, "Gouvernance", text), make_doc(2, "Governance", text, language="en")]
    )
    assert set(ids(find(backend, query))) == {1, 2}


def test_plural_acronym_query_uses_the_thesaurus(backend: SearchBackend) -> None:
    backend.index([make_doc(1, "Gouvernance", "Le comité de pilotage arbitre.")])
    assert ids(find(backend, "COPILs")) == [1]


def test_suggestions_come_from_documents_in_the_language_of_the_query(
    backend: SearchBackend,
) -> None:
    backend.index(
        [
            make_doc(1, "Risks", "Risk analysis of the programme.", language="en"),
            make_doc(2, "Dépenses", "Les analyses des dépenses.", language="fr"),
        ]
    )
    # "the" says English, "des" French: each is offered a word of its own language.
    assert find(backend, "the anlyses").suggestion == "the analysis"
    assert find(backend, "anlysis des dépenses").suggestion == "analyses des dépenses"
    # Words that do not tell: the interface language's documents first.
    english = SearchQuery("anlyses", visibility=EVERYTHING, interface_language="en")
    assert backend.search(english).suggestion == backend.suggest(english) == "analysis"
    french = SearchQuery("anlyses", visibility=EVERYTHING, interface_language="fr")
    assert backend.search(french).suggestion == backend.suggest(french) == "analyses"


def test_no_suggestion_that_finds_no_more_documents(backend: SearchBackend) -> None:
    backend.index([make_doc(1, "Jalon", "gouvernance"), make_doc(2, "Jalon", "gouvernante")])
    # "gouvernante" is a word as typed, found in as many documents as "gouvernance".
    assert find(backend, "gouvernante").suggestion is None


def test_snippets_never_repeat_a_sentence(backend: SearchBackend) -> None:
    sentence = "La stratégie de gestion des risques est revue à chaque jalon."
    backend.index(
        [
            make_doc(
                1,
                "Risques",
                f"{sentence}\n\nÉtape · Qui\n\n{sentence}\n\nLes risques ont un propriétaire.",
                summary=sentence,
            )
        ]
    )
    snippet = find(backend, "risques").items[0].highlights["body"]
    assert snippet.count("stratégie de gestion") == 1
    assert "propriétaire" in snippet


def test_attachment_text_is_analysed_in_its_own_language(backend: SearchBackend) -> None:
    attachment = "Les opportunités commerciales sont analysées par la direction financière."
    backend.index(
        [make_doc(1, "Pricing", "Prices are set yearly.", language="en", attachments=(attachment,))]
    )
    # French stemming: the singular finds the plural of the French attachment.
    assert ids(find(backend, "opportunité")) == [1]
