"""French and English analysers, and the thesaurus."""

from pathlib import Path

import pytest

from docs_store.analysis import (
    APOSTROPHE,
    analyze,
    language_analyzer,
    language_chain,
    spelling_analyzer,
    spelling_chain,
)
from docs_store.errors import ThesaurusError
from docs_store.thesaurus import Thesaurus


def test_french_accents_and_plurals_stem_alike() -> None:
    assert analyze("stratégie", "fr") == analyze("strategie", "fr") == analyze("stratégies", "fr")


@pytest.mark.parametrize(
    "elided",
    ["l'harmonie", f"l{APOSTROPHE}harmonie", "d'harmonie", "qu'harmonie", "jusqu'harmonie"],
)
def test_french_elisions_are_removed(elided: str) -> None:
    assert analyze(elided, "fr") == analyze("harmonie", "fr")


def test_words_with_inner_apostrophes_stay_whole() -> None:
    assert (
        analyze("aujourd'hui", "fr") == analyze(f"aujourd{APOSTROPHE}hui", "fr") == ["aujourd'hui"]
    )


@pytest.mark.parametrize(
    ("language", "text", "kept"),
    [
        ("fr", "les risques de la gestion des projets", ["risqu", "gestion", "projet"]),
        ("en", "the risks of the projects", ["risk", "project"]),
    ],
)
def test_stop_words_are_dropped(language: str, text: str, kept: list[str]) -> None:
    assert analyze(text, language) == kept


def test_english_plurals_and_possessives() -> None:
    assert analyze("registers", "en") == analyze("register", "en")
    assert analyze("project's", "en") == analyze("projects", "en")


def test_ligatures_fold() -> None:
    assert analyze("maîtrise d'œuvre", "fr") == analyze("maitrise d'oeuvre", "fr")


def test_spelling_analyzer_keeps_real_words() -> None:
    tokens = [token.text for token in spelling_analyzer()("La Stratégie des risques")]
    assert tokens == ["stratégie", "risques"]


MIXED_TEXT = (
    f"L'Harmonie des portefeuilles : aujourd{APOSTROPHE}hui, la Stratégie d{APOSTROPHE}entreprise "
    "et the project's risks — a b x2 maîtrise d'œuvre, ŒUVRES _x_ 2024 été les Été qu'il l'"
)
TOKEN_FIELDS = ("text", "pos", "startchar", "endchar", "stopped", "original")


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"positions": True},
        {"chars": True, "removestops": False, "mode": "query"},
        {"positions": True, "chars": True, "start_pos": 5, "start_char": 3, "keeporiginal": True},
        {"positions": True, "removestops": False},
        {"tokenize": False},
    ],
)
@pytest.mark.parametrize("name", ["fr", "en", "spell"])
def test_cached_analyzer_gives_the_tokens_of_its_reference_chain(name: str, options: dict) -> None:
    analyzer, chain = (
        (spelling_analyzer(), spelling_chain())
        if name == "spell"
        else (language_analyzer(name), language_chain(name))
    )

    def tokens(source) -> list[tuple]:
        return [
            tuple(getattr(token, field, None) for field in TOKEN_FIELDS)
            for token in source(MIXED_TEXT, **options)
        ]

    expected = tokens(chain)
    assert tokens(analyzer) == expected
    assert tokens(analyzer) == expected  # from the cache this time


def test_shipped_thesaurus_links_acronyms_and_translations() -> None:
    thesaurus = Thesaurus.load()
    assert len(thesaurus.groups) >= 30
    assert "comité de pilotage" in thesaurus.synonyms("copil")
    assert "lessons learned" in thesaurus.synonyms(f"Retour d{APOSTROPHE}experience")
    assert thesaurus.longest_match(["comité", "de", "pilotage", "du"])[0] == 3
    assert thesaurus.longest_match(["projet"]) is None


def test_pmo_file_extends_a_shipped_group(tmp_path: Path) -> None:
    extra = tmp_path / "pmo.txt"
    extra.write_text("# ours\nCOPIL, comité stratégique\nATLAS, programme Atlas\n", "utf-8")
    thesaurus = Thesaurus.load(extra)
    group = thesaurus.synonyms("steering committee")
    assert {"COPIL", "comité stratégique", "comité de pilotage"} <= set(group)
    assert thesaurus.synonyms("atlas") == ("ATLAS", "programme Atlas")


def test_bad_thesaurus_line_names_file_and_line(tmp_path: Path) -> None:
    extra = tmp_path / "pmo.txt"
    extra.write_text("COPIL, comité\nlonely\n", "utf-8")
    with pytest.raises(ThesaurusError, match=r"pmo.txt:2"):
        Thesaurus.load(extra)
