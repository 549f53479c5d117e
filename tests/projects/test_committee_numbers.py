"""The committee sees what it decides on: budget with its variance, risks and the exact
deliverable versions, on the review page and in the API, as they were when submitted."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.library.models import Attachment
from tests.conftest import login

#: Babel separates French thousands and units with (narrow) no-break spaces.
SPACES = re.compile(r"[\u00a0\u202f]")
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def _plain(html: str) -> str:
    return SPACES.sub(" ", html)


@pytest.fixture
def review_with_numbers(api, new_project) -> tuple[int, int]:
    """A `tiny` review with a budget that forecasts 18.4 % over plan, two risks and the plan
    as a library document at version 1 (edited to version 2 afterwards).
    Returns (review id, document id)."""
    document = api(
        "post",
        "/documents",
        "manager",
        json={"title": "Plan de livraison", "kind": "template", "body": "Plan."},
    ).json["id"]
    project = new_project("Atlas")
    submitted = api(
        "post",
        f"/projects/{project}/gate-reviews",
        "manager",
        json={
            "criteria": {"safe": True, "value": 4},
            "deliverables": [{"key": "plan", "document": document}],
            "summary": "Prêt.",
            "budget": {"planned": 3116554.05, "actual": 1200000, "forecast": 3690000},
            "top_risks": ["Fournisseur unique", "Recrutement tardif"],
        },
    )
    assert submitted.status_code == 201, submitted.json
    edited = api("patch", f"/documents/{document}", "manager", json={"title": "Plan révisé"})
    assert edited.status_code == 200, edited.json
    return submitted.json["id"], document


def test_the_api_review_carries_the_budget_and_the_risks_as_submitted(api, review_with_numbers):
    review, _document = review_with_numbers
    body = api("get", f"/gate-reviews/{review}", "gk1").json
    assert body["budget"] == {
        "planned": "3116554.05",
        "actual": "1200000.00",
        "forecast": "3690000.00",
    }
    assert body["risks"] == ["Fournisseur unique", "Recrutement tardif"]
    assert body["top_risks"] == body["risks"]


def test_a_review_without_a_budget_says_null_not_zero(api, open_review):
    body = api("get", f"/gate-reviews/{open_review()}", "gk1").json
    assert body["budget"] == {"planned": None, "actual": None, "forecast": None}
    assert body["risks"] == []


def test_openapi_describes_the_budget_and_the_risks_of_a_review(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    review = schemas["Review"]["properties"]
    assert set(review["budget"]["properties"]) == {"planned", "actual", "forecast"}
    assert review["risks"]["type"] == "array"


def test_the_french_review_page_shows_money_variance_risks_and_the_version_seen(
    app, api, review_with_numbers
):
    review, document = review_with_numbers
    api.people.ensure("gk1")
    with app.app_context():
        db.session.add(
            Attachment(
                document_id=document,
                version=1,
                sha256="0" * 64,
                filename="plan.xlsx",
                content_type="application/octet-stream",
                size=10,
            )
        )
        db.session.commit()
    browser = app.test_client()
    login(browser, "gk1")
    page = browser.get(f"/reviews/{review}", headers=FRENCH)
    assert page.status_code == 200
    html = _plain(page.get_data(as_text=True))
    for expected in (
        "3 116 554,05 €",
        "1 200 000,00 €",
        "3 690 000,00 €",
        "573 445,95 € (+18,4 %)",  # forecast - planned, and its share of the plan
        "Fournisseur unique",
        "Recrutement tardif",
        f'href="/library/{document}/versions/1">Plan de livraison</a>',
        "plan.xlsx",
        "En attente des votes",
        ": oui",
    ):
        assert expected in html, expected
    assert "Plan révisé" not in html
    assert "submitted" not in html


def test_the_version_page_shows_the_version_judged_not_the_current_one(
    app, api, review_with_numbers
):
    _review, document = review_with_numbers
    browser = app.test_client()
    login(browser, "manager")
    html = browser.get(f"/library/{document}/versions/1").get_data(as_text=True)
    assert "Plan de livraison" in html
    assert "Plan révisé" in html  # the link to the current version names it
    assert browser.get(f"/library/{document}/versions/9").status_code == 404
    api.people.ensure("staff")
    staff = app.test_client()
    login(staff, "staff")
    assert staff.get(f"/library/{document}/versions/1").status_code == 404  # a draft


def test_the_french_decision_record_pdf_shows_the_numbers_in_words(
    client, people, review_with_numbers
):
    review, _document = review_with_numbers
    headers = {**people["pmo"], **FRENCH}
    response = client.get(f"/api/v1/gate-reviews/{review}/record.pdf", headers=headers)
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = " ".join(_plain(" ".join(page.extract_text() for page in pages)).split())
    for expected in ("3 690 000,00 €", "+18,4 %", "Fournisseur unique", "Plan de livraison"):
        assert expected in text, expected
