"""English and French: a complete French catalogue and the locale chosen per person."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import bearer, csrf_token, login

ROOT = Path(__file__).resolve().parent.parent
FRENCH_CATALOGUE = ROOT / "app" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    """Every translatable string of the templates and the Python code, extracted now."""
    found: set[str] = set()
    method_map = [
        ("templates/**.html", "jinja2"),
        ("app/**.py", "python"),
        ("workflows/**.py", "python"),
    ]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_interface_string_has_a_french_translation():
    with FRENCH_CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    translated = {
        (message.id if isinstance(message.id, str) else message.id[0])
        for message in catalogue
        if message.id
        and not message.fuzzy
        and (message.string if isinstance(message.string, str) else all(message.string))
    }
    missing = sorted(_source_messages() - translated)
    assert not missing, "missing French translations (run `make translations`):\n" + "\n".join(
        missing
    )


def test_login_page_is_in_french_for_a_french_browser(client):
    page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Se connecter" in html
    assert "Mot de passe" in html


def test_form_errors_are_translated(client):
    token = csrf_token(client)
    page = client.post(
        "/login",
        data={"username": "", "password": "", "csrf_token": token},
        headers={"Accept-Language": "fr"},
    )
    assert "Ce champ est requis." in page.get_data(as_text=True)


def test_the_users_preference_wins_over_the_browser(client, make_user):
    make_user("ann")
    login(client, "ann")
    client.post("/language", data={"locale": "fr", "csrf_token": csrf_token(client, "/")})
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Bonjour" in html


def test_the_switch_remembers_the_language_of_an_anonymous_visitor(client):
    client.post(
        "/language", data={"locale": "fr", "csrf_token": csrf_token(client), "next": "/login"}
    )
    assert "Se connecter" in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_refused(client):
    response = client.post("/language", data={"locale": "xx", "csrf_token": csrf_token(client)})
    assert response.status_code == 400


def test_api_errors_follow_accept_language(client):
    response = client.get("/api/v1/me", headers={"Accept-Language": "fr"})
    assert response.json["error"]["message"] == "Un jeton d'accès (Bearer) est requis."


def test_api_user_preference_applies_to_api_messages(client, token_for):
    token = token_for("ann", "staff")
    client.patch("/api/v1/me", json={"locale": "fr"}, headers=bearer(token))
    response = client.get("/api/v1/users", headers=bearer(token))
    assert response.status_code == 403
    assert response.json["error"]["message"] == "Vos rôles ne le permettent pas."
