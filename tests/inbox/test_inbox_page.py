"""The home page is my inbox, said in sentences, with links, and only mine."""

from __future__ import annotations

from html import unescape

from tests.conftest import login


def _home(client, api, who: str, language: str = "en") -> str:
    """`who`'s home page, signed in through the login form, as text (entities decoded)."""
    api.people.ensure(who)
    login(client, who)
    return unescape(client.get("/", headers={"Accept-Language": language}).get_data(as_text=True))


def test_the_home_page_says_how_many_votes_wait_and_for_how_long(
    client, api, new_project, open_review, age_review
):
    reviews = [open_review(new_project(name)) for name in ("Heat pump", "Solar roof", "Wind")]
    age_review(reviews[1], 9)
    age_review(reviews[2], 2)
    html = _home(client, api, "gk1")
    assert "3 votes are waiting for you, one for 9 days." in html
    assert f'href="/reviews/{reviews[1]}"' in html
    assert "Solar roof — Check" in html
    assert "waiting for 9 days" in html


def test_one_vote_waiting_reads_as_one(client, api, open_review, age_review):
    age_review(open_review(), 1)
    assert "1 vote is waiting for you, for 1 day." in _home(client, api, "gk2")


def test_nobody_else_sees_my_waiting_vote(client, api, open_review):
    review_id = open_review()
    html = _home(client, api, "manager2")
    assert "No vote is waiting for you." in html
    assert f'href="/reviews/{review_id}"' not in html


def test_an_empty_inbox_says_so_politely_and_keeps_the_map_of_pages(client, api):
    html = _home(client, api, "staff")
    for sentence in (
        "No vote is waiting for you.",
        "You have no open action item.",
        "No training is due for you.",
        "No document is waiting for you to acknowledge it.",
        "None of your documents is due for review.",
        "Everything in Jalon",
    ):
        assert sentence in html, sentence
    assert 'href="/library/"' in html


def test_the_inbox_speaks_french(client, api, open_review, age_review):
    review_id = open_review()
    age_review(review_id, 4)
    html = _home(client, api, "gk3", "fr")
    assert "1 vote vous attend, depuis 4 jours." in html
    assert "Vous n'avez aucune action ouverte." in html
