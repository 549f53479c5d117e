"""Markdown bodies as plain text: what search indexes and cuts snippets from."""

from docs_store.plaintext import markdown_text, without_repeated_sentences

BODY = """## La stratégie de gestion des risques

La **stratégie** est _définie_ dès le [cadrage](https://x.example/c) et `revue` à chaque jalon.

| Étape | Qui |
|---|---|
| Identifier | Équipe projet |

- ordre du jour envoyé 48 h avant
1. relevé de décisions
> Une citation
---
```text
score = sum(weight * value)
```
"""


def test_markdown_syntax_is_removed_and_the_words_kept() -> None:
    text = markdown_text(BODY)
    for syntax in ("##", "|", "**", "_définie_", "](", "`", "---", "```", "> "):
        assert syntax not in text, syntax
    assert text.splitlines()[:2] == [
        "La stratégie de gestion des risques",
        "",
    ]
    for words in (
        "La stratégie est définie dès le cadrage et revue à chaque jalon.",
        "Étape · Qui",
        "Identifier · Équipe projet",
        "ordre du jour envoyé 48 h avant",
        "relevé de décisions",
        "Une citation",
        "score = sum(weight * value)",
    ):
        assert words in text.splitlines(), words


def test_words_with_underscores_and_products_keep_their_characters() -> None:
    assert markdown_text("snake_case_name and 2 * 3 * 4") == "snake_case_name and 2 * 3 * 4"


def test_a_repeated_sentence_is_kept_once() -> None:
    sentence = "La stratégie est revue à chaque jalon."
    text = f"{sentence}\n\nOui\n\n{sentence} Les risques ont un propriétaire.\n\nOui"
    assert without_repeated_sentences(text) == (
        f"{sentence}\n\nOui\n\nLes risques ont un propriétaire.\n\nOui"
    )
