"""Detecting the language of documents and reading the words of queries."""

import pytest

from docs_store.analysis import analyze, singular_acronym
from docs_store.language import decide, detect_language, word_votes
from docs_store.thesaurus import Thesaurus


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Impliquer la DAF dès l'opportunité\nLa DAF valide le chiffrage avant le jalon.", "fr"),
        ("Impliquer la DAF dès l'opportunité", "fr"),
        ("Involve finance from the opportunity stage onwards.", "en"),
        ("Lessons learned: freeze scope before testing", "en"),
    ],
)
def test_detects_the_language_of_a_text(text: str, expected: str) -> None:
    assert detect_language(text) == expected
    other = "en" if expected == "fr" else "fr"
    assert detect_language(text, hint=other) == expected  # the text wins over the hint


@pytest.mark.parametrize("text", ["", "   ", "COPIL", "KPI 2026"])
def test_a_text_that_does_not_tell_takes_the_hint_then_french(text: str) -> None:
    assert detect_language(text, hint="en") == "en"
    assert detect_language(text) == "fr"


def test_query_words_vote_by_stop_words_and_accents() -> None:
    assert decide(word_votes(["analyse", "des", "risques"]), None) == "fr"
    assert decide(word_votes(["the", "risks"]), "fr") == "en"
    assert decide(word_votes(["stratégie"]), None) == "fr"
    assert decide(word_votes(["budget"]), "en") == "en"  # a tie: the hint
    assert decide(word_votes(["budget"]), None) is None


@pytest.mark.parametrize(
    ("word", "singular"),
    [("KPIs", "KPI"), ("COPILs", "COPIL"), ("KPIS", "KPIS"), ("Paris", "Paris"), ("s", "s")],
)
def test_only_capitals_followed_by_a_small_s_are_acronym_plurals(word: str, singular: str) -> None:
    assert singular_acronym(word) == singular


@pytest.mark.parametrize("language", ["fr", "en"])
def test_acronym_plurals_are_analysed_as_their_singular(language: str) -> None:
    assert analyze("COPILs, KPIs", language) == analyze("COPIL, KPI", language) == ["copil", "kpi"]


def test_the_thesaurus_reads_acronym_plurals_as_their_singular() -> None:
    assert "comité de pilotage" in Thesaurus.load().synonyms("COPILs")
