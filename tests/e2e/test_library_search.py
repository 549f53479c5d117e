"""A staff member searches the library in Chromium and sees highlighted, visible hits only."""

from __future__ import annotations

from tests.conftest import DEFAULT_PASSWORD, bearer


def test_staff_search_page_highlights_a_published_hit_and_hides_drafts(
    live_server, page, app, token_for, make_user
):
    token = token_for("pia", "pmo")
    make_user("sam", roles=["staff"])
    client = app.test_client()
    for title, publish in (("Gestion des risques", True), ("Brouillon des risques", False)):
        doc = client.post(
            "/api/v1/documents",
            json={
                "title": title,
                "kind": "guideline",
                "body": "La stratégie de gestion des risques",
            },
            headers=bearer(token),
        ).get_json()
        for step in ("in_review", "published") if publish else ():
            client.post(
                f"/api/v1/documents/{doc['id']}/transition",
                json={"to": step},
                headers=bearer(token),
            )
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/library/search")
    page.get_by_role("searchbox").fill("strategie risque")
    page.get_by_role("button", name="Search").click()
    results = page.locator("ol.results li")
    assert results.count() == 1
    assert "Gestion des risques" in results.first.inner_text()
    assert page.locator("b.match").first.is_visible()
