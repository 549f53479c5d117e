"""Library pages: browse, document, edit with history and diff, search, lifecycle buttons."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from tests.conftest import bearer, csrf_token

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '"><script>alert(1)</script>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]
FORBIDDEN_TAGS = {"script", "iframe", "svg", "math", "object", "embed", "style"}


class ActiveContent(HTMLParser):
    """Collects what a browser would execute: tags, event handlers, script URLs, styles."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if value and "javascript:" in value.replace(" ", "").lower():
                self.found.append(f"{tag}[{name}={value}]")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    # The layout's own script (served from 'self') is the only one allowed.
    return [item for item in parser.found if item != "script" or 'src="/static/' not in html]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_in_body_and_title_never_reach_the_page_unescaped(
    fetch, pages, client, tokens, new_document, payload
):
    doc = new_document(
        title=f"T {payload}",
        body=f"# Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{payload}",
        status="published",
    )
    for html in (
        doc["html"],
        fetch("sam", f"/library/{doc['id']}"),
    ):
        assert active_content(html) == [], payload
    page = fetch("sam", f"/library/{doc['id']}")
    assert "<table>" in page
    assert "<h1>Titre</h1>" in page


def test_fenced_code_and_headings_are_kept(fetch, pages, client, tokens, new_document):
    doc = new_document(body="## Étapes\n\n```python\nprint('<b>')\n```\n")
    assert "<h2>Étapes</h2>" in doc["html"]
    assert "<code" in doc["html"]
    assert "&lt;b&gt;" in doc["html"]


def test_staff_gets_404_for_a_draft_page_and_its_history(fetch, client, tokens, new_document):
    draft = new_document(title="Brouillon secret", body="confidentiel")
    for path in (f"/library/{draft['id']}", f"/library/{draft['id']}/history"):
        fetch("sam", path, status=404)
    browse = fetch("sam", "/library/")
    assert "Brouillon secret" not in browse
    search = fetch("sam", "/library/search?q=confidentiel")
    assert "Brouillon secret" not in search


def test_search_page_shows_highlighted_hits_and_facets(fetch, pages, client, tokens, new_document):
    new_document(
        title="Registre des risques",
        body="La gestion des risques",
        kind="template",
        status="published",
    )
    page = fetch("sam", "/library/search?q=risques")
    assert '<b class="match">' in page
    assert "Template (1)" in page


def test_search_page_answers_400_with_a_message_for_a_bad_query(fetch, client, tokens):
    page = fetch("sam", "/library/search?q=%22open", status=400)
    assert 'role="alert"' in page


def test_edit_form_records_a_version_and_history_shows_the_diff(
    fetch, pages, client, tokens, new_document
):
    doc = new_document(title="Plan", body="ligne une\nligne deux")
    client = pages("max")
    path = f"/library/{doc['id']}/edit"
    token = csrf_token(client, path)
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "title": "Plan",
            "kind": "standard",
            "language": "fr",
            "body": "ligne une\nligne <b>trois</b>",
            "reason": "Correction",
        },
    )
    assert response.status_code == 302
    history = client.get(f"/library/{doc['id']}/history").get_data(as_text=True)
    assert "Correction" in history
    assert "ligne deux" in history
    assert "ligne &lt;b&gt;trois&lt;/b&gt;" in history
    assert 'class="diff-removed"' in history
    assert 'class="diff-added"' in history


def test_edit_form_without_title_rerenders_with_400_and_changes_nothing(
    pages, tokens, new_document
):
    doc = new_document(title="Plan", body="texte")
    client = pages("max")
    path = f"/library/{doc['id']}/edit"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "title": "",
            "kind": "standard",
            "language": "fr",
            "body": "x",
        },
    )
    assert response.status_code == 400
    api = client.get(f"/api/v1/documents/{doc['id']}", headers=bearer(tokens["manager"]))
    assert api.get_json()["body"] == "texte"


def test_staff_cannot_open_the_new_document_form(fetch, pages, client, tokens):
    fetch("sam", "/library/new", status=403)


def test_transition_buttons_follow_the_role(fetch, pages, client, tokens, new_document):
    doc = new_document(status="in_review")
    author_page = fetch("max", f"/library/{doc['id']}")
    assert f"/library/{doc['id']}/transition/published" not in author_page
    assert f"/library/{doc['id']}/transition/draft" in author_page
    pmo_page = fetch("pia", f"/library/{doc['id']}")
    assert f"/library/{doc['id']}/transition/published" in pmo_page
    token = csrf_token(pages("pia"), f"/library/{doc['id']}")
    response = pages("pia").post(
        f"/library/{doc['id']}/transition/published", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert "Published" in fetch("sam", f"/library/{doc['id']}")


def test_overdue_documents_are_flagged_to_owner_and_pmo_not_others(
    fetch, pages, client, tokens, new_document
):
    overdue = (date.today() - timedelta(days=3)).isoformat()
    new_document(title="Norme à revoir", review_date=overdue, status="published")
    # The owner's inbox asks them; the PMO, who curates every document, sees it in the library.
    assert "Norme à revoir" in fetch("max", "/")
    for username in ("max", "pia"):
        assert "Documents past their review date" in fetch(username, "/library/")
    assert "Documents past their review date" not in fetch("mia", "/")
    assert "Documents past their review date" not in fetch("sam", "/library/")


def test_browse_filters_by_facet(fetch, pages, client, tokens, new_document):
    new_document(title="Modèle A", kind="template", status="published")
    new_document(title="Norme B", kind="standard", status="published")
    page = fetch("sam", "/library/?kind=template")
    assert "Modèle A" in page
    assert "Norme B" not in page
