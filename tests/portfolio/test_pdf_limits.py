"""The PDFs render for the longest values the API accepts: long comments, the most conditions,
words with no space to break at, and characters the PDF font does not have."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.portfolio.reports.files import status_report_pdf
from app.portfolio.reports.model import DecisionLine, ProgrammeSection, StatusReport
from app.projects import limits
from tests.conftest import bearer, login
from tests.portfolio.test_report_files import REPORT, _row

#: Right-to-left text, an override, combining accents, emoji with a skin tone, a tag character,
#: CJK and mathematical letters: none may crash the PDF, whatever the font draws for them.
ODD = (
    "שלום עולם \u202eevil\u202c e\u0301\u0301 👍🏽 \U000e0041 漢字 "
    "\U0001d518\U0001d52b\U0001d526 &lt;b&gt; <b> & ]]>"
)


def _text(length: int, start: str) -> str:
    """`start`, then words, cut to exactly `length` characters."""
    filler = f" Decision motivated at length, with reasons and evidence. {ODD}" * length
    return (start + filler)[:length]


def _word(length: int, start: str) -> str:
    """One word of `length` characters, nowhere to break a line."""
    return (start + "W" * length)[:length]


def _pdf_text(data: bytes) -> str:
    """The text of every page with all spaces and line breaks removed (wrapping adds them)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _conditions(voter: str, word: bool = False) -> list[dict]:
    make = _word if word else _text
    return [
        {
            "description": make(limits.CONDITION_MAX, f"Condition{voter}{n:02d}"),
            "due_date": "2027-01-31" if n % 2 else None,
        }
        for n in range(limits.CONDITIONS_MAX)
    ]


@pytest.fixture
def longest_review(api, token_for) -> tuple[int, dict]:
    """A decided `tiny` review with every text and list at the longest the API accepts."""
    name = _word(200, "ProjectStart")
    project = api("post", "/projects", "manager", json={"name": name, "workflow": "tiny"})
    assert project.status_code == 201, project.json
    submitted = api(
        "post",
        f"/projects/{project.json['id']}/gate-reviews",
        "manager",
        json={
            "criteria": {"safe": True, "value": 5},
            "deliverables": [{"key": "plan", "url": "https://docs.example/" + "p" * 979}],
            "summary": _text(limits.SUMMARY_MAX, "SummaryStart"),
            "budget": {"planned": 999999999999, "actual": 999999999999, "forecast": 0},
            "top_risks": [
                _word(limits.TOP_RISK_MAX, f"Risk{n:02d}") for n in range(limits.TOP_RISKS_MAX)
            ],
        },
    )
    assert submitted.status_code == 201, submitted.json
    review = submitted.json["id"]
    votes = {
        "gk1": {"comment": _text(limits.COMMENT_MAX, "CommentStart"), "word": False},
        "gk2": {"comment": _word(limits.COMMENT_MAX, "UnbrokenStart"), "word": True},
    }
    for who, vote in votes.items():
        cast = api(
            "post",
            f"/gate-reviews/{review}/votes",
            who,
            json={
                "decision": "conditional_go",
                "comment": vote["comment"],
                "conditions": _conditions(who, word=vote["word"]),
                "scores": {"value": 5},
            },
        )
        assert cast.status_code == 201, cast.json
    return review, votes


@pytest.mark.slow
def test_the_decision_record_pdf_renders_the_longest_review_on_the_api_and_the_page(
    app, api, longest_review
):
    review, votes = longest_review
    response = api("get", f"/gate-reviews/{review}/record.pdf", "pmo")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    for expected in (
        "ProjectStartWWWW",
        "SummaryStart",
        "Risk19WWWW",
        _squeezed(votes["gk1"]["comment"][:60]),
        _squeezed(votes["gk2"]["comment"][:60]),
        "Conditiongk149",
        "Conditiongk249WWWW",
        "https://docs.example/ppp",
    ):
        assert expected in text, expected
    manager = app.test_client()
    login(manager, "manager")
    page = manager.get(f"/portfolio/gate-reviews/{review}/record.pdf")
    assert page.status_code == 200
    assert page.mimetype == "application/pdf"
    assert "UnbrokenStartWWW" in _pdf_text(page.data)


def test_the_decision_record_pdf_wraps_a_comment_taller_than_a_page(api, open_review):
    review = open_review()
    comment = _text(limits.COMMENT_MAX, "TallStart")
    for who in ("gk1", "gk2"):
        cast = api(
            "post",
            f"/gate-reviews/{review}/votes",
            who,
            json={"decision": "go", "comment": comment},
        )
        assert cast.status_code == 201, cast.json
    response = api("get", f"/gate-reviews/{review}/record.pdf", "pmo")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert _squeezed(comment[:55]) in _pdf_text(response.data)


def test_the_status_report_pdf_renders_the_longest_names(client, api, token_for):
    longest = "m" * 64
    manager = bearer(token_for(longest, "manager"))
    headers = api.people["pmo"]
    portfolio = _word(120, "PortfolioStart")
    programme = _word(120, "ProgrammeStart")
    created = client.post("/api/v1/portfolios", headers=headers, json={"name": portfolio})
    assert created.status_code == 201, created.json
    created = client.post(
        "/api/v1/programmes", headers=headers, json={"name": programme, "portfolio": portfolio}
    )
    assert created.status_code == 201, created.json
    names = [_word(200, "ProjectWordStart"), _text(200, "ProjectTextStart")]
    for name in names:
        project = client.post(
            "/api/v1/projects",
            headers=manager,
            json={"name": name, "workflow": "tiny", "programme": programme},
        )
        assert project.status_code == 201, project.json
        review = client.post(
            f"/api/v1/projects/{project.json['id']}/gate-reviews",
            headers=manager,
            json={
                "criteria": {"safe": True, "value": 5},
                "deliverables": [{"key": "plan", "url": "https://docs.example/plan"}],
                "budget": {"planned": 1, "actual": 999999999999, "forecast": 999999999999},
            },
        )
        assert review.status_code == 201, review.json
        for who in ("gk1", "gk2"):
            vote = api(
                "post", f"/gate-reviews/{review.json['id']}/votes", who, json={"decision": "go"}
            )
            assert vote.status_code == 201, vote.json
    response = api("get", f"/reports/status.pdf?portfolio={portfolio}", "pmo")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    for expected in ("PortfolioStartWWW", "ProgrammeStartWWW", longest, *map(_squeezed, names)):
        assert _squeezed(expected)[:60] in text, expected[:40]


def test_a_lone_surrogate_and_odd_characters_never_crash_the_status_report_pdf():
    odd = f"\ud800 {ODD} " + "W" * 300
    report = StatusReport(
        portfolio=odd,
        month=REPORT.month,
        generated_at=REPORT.generated_at,
        sections=(ProgrammeSection(odd, (_row(odd, manager=odd, rag_reasons=(odd, odd)),)),),
        decisions=(DecisionLine(1, odd, odd, odd, REPORT.generated_at),),
    )
    pdf = status_report_pdf(report, str, f"Status report — {odd}", odd)
    assert "WWWWWWWW" in _pdf_text(pdf)
