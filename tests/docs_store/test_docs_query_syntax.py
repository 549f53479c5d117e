"""The query language: what it accepts, and the clear errors for what it does not."""

import pytest

from docs_store.errors import QueryError
from docs_store.search.query_syntax import AllOf, AnyOf, Not, Phrase, Word, parse
from docs_store.search.synonyms import expand_synonyms
from docs_store.thesaurus import Thesaurus


def test_words_phrases_fields_and_operators() -> None:
    assert parse('kind:template "gestion des risques" -brouillon OR strat*') == AnyOf(
        (
            AllOf(
                (
                    Word("template", "kind"),
                    Phrase("gestion des risques"),
                    Not(Word("brouillon")),
                )
            ),
            Word("strat", prefix=True),
        )
    )


def test_and_makes_every_term_required() -> None:
    assert parse("risques projet") == AllOf((Word("risques"), Word("projet")))
    assert parse("risques AND projet") == AllOf((Word("risques"), Word("projet")), strict=True)


def test_unknown_field_prefix_is_plain_text() -> None:
    assert parse("10:30") == Word("10:30")


def test_blank_text_matches_everything() -> None:
    assert parse("   ") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title:(", "needs a value"),
        ('"unclosed', "unclosed quote"),
        ("AND OR", "AND needs"),
        ("*", "only allowed at the end"),
        ("ab*", "at least 3"),
        ("kind:", "needs a value"),
        ("(risque", "missing ')'"),
        ("risque)", "unexpected ')'"),
        ("()", "empty parentheses"),
        ("risque OR", "missing after OR"),
        ("NOT", "NOT needs"),
        ("(" * 10 + "a" + ")" * 10, "nested"),
        ("x " * 40, "too many"),
        ("x" * 501, "too long"),
    ],
)
def test_unreadable_queries_say_why(text: str, message: str) -> None:
    with pytest.raises(QueryError) as error:
        parse(text)
    assert message in str(error.value)


def test_thesaurus_expansion_uses_phrases_for_multi_word_terms() -> None:
    thesaurus = Thesaurus([["COPIL", "comité de pilotage"]])
    expanded = expand_synonyms(parse("le comité de pilotage valide"), thesaurus)
    alternatives = AnyOf((Word("COPIL"), Phrase("comité de pilotage")))
    # Each word of the term still counts on its own when documents are ranked by how many
    # of the query's words they hold.
    comite, pilotage = (
        AnyOf((Word("comité"), alternatives)),
        AnyOf((Word("pilotage"), alternatives)),
    )
    assert expanded == AllOf((Word("le"), comite, pilotage, Word("valide")))
    assert expand_synonyms(parse("title:COPIL"), thesaurus) == Word("COPIL", "title")
