"""People read words, never codes: every page and PDF of the demo, in French, as each role.

The demo is seeded (a year of governance: every decision, hold, kill, action item), then a
French reader of each role follows every link of the site (each kind of page a few times,
every project and review for the PMO) and opens the decision records and the status report.
Any code (`conditional_go`, `on_hold`, a gate or stage key of the shipped workflows),
`True`/`False`/`None`, `->`, a username where a name belongs, an ISO date or an English
number format fails the test, naming the page.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from app.demo import DEMO_PASSWORD, DEMO_USERS
from app.extensions import db
from app.labels import AUDIT_KIND_LABELS
from app.projects.models import GateReview
from tests.conftest import login
from workflows import load_definitions_dir

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
ROLES = ("pmo", "manager", "gatekeeper", "staff", "admin")
#: Pages of one kind (ids replaced) visited per role; the PMO sees every project and review.
PER_KIND = 3
EVERY_ONE = ("/projects/#", "/reviews/#")
#: Not pages: files, feeds and pictures (PDFs are read below), and leaving.
SKIPPED = re.compile(r"\.(xlsx|csv|svg|ics|pdf)$|/attachments/|^/logout|^/static/")

#: Codes that are never words, anywhere in a page or PDF.
CODES = {
    "conditional_go",
    "no_consensus",
    "on_hold",
    "in_review",
    "True",
    "False",
    "None",
    *(kind for kind in AUDIT_KIND_LABELS if "_" in kind),
}
#: Codes that are also English words: wrong as the whole text of an element (a cell, a
#: badge), or after a label's colon ("Statut : active"), "rôle" or "règle".
STATUS_CODES = (
    "submitted|decided|withdrawn|active|killed|completed|go|hold|recycle|kill|open|closed"
    "|verified|majority|unanimous|draft|published|obsolete|standard|guideline|template"
    "|lesson|compliant|expiring|expired|missing|overdue|pending|sent|failed|held|green"
    "|amber|red"
)
#: Roles are codes too, but usernames look the same and are shown as such on account pages.
ROLE_CODES = "gatekeeper|pmo|manager|staff|admin"
WHOLE_CODE = re.compile(rf"^(?:{STATUS_CODES}|fr|en)$")
LABELLED_CODE = re.compile(
    rf"(?::\s+|\b(?:rôle|règle)\s+)({STATUS_CODES}|{ROLE_CODES})(?=$|[.,;)·])"
)
#: Links people typed (a deliverable's URL) may hold any word.
URL = re.compile(r"https?://\S+")
USERNAMES = "|".join(re.escape(username) for username, *_rest in DEMO_USERS)
#: A username where a person's name belongs ("Soumis par manager").
BY_USERNAME = re.compile(rf"\b(?:par|by)\s+({USERNAMES})\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ENGLISH_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|[+-]?\d+\.\d+\s?%")


#: Keys that are also people's words in the demo library: an English title ("Benefits
#: realisation") and a tag (documents about the Stage-Gate method are tagged so).
PEOPLES_WORDS = {"realisation", "stage-gate"}


def workflow_keys() -> set[str]:
    """Keys of the shipped workflows (theirs, stages, gates, criteria, deliverables) that no name
    or label of those workflows uses as a word: `opportunite`, `go-cadrage`..."""
    named = []  # (key, label) of everything a workflow names
    for definition in load_definitions_dir().values():
        named += [(definition.key, definition.name)]
        named += [(stage.key, stage.name) for stage in definition.stages]
        for gate in definition.gates:
            named += [(gate.key, gate.name)]
            named += [(criterion.key, criterion.label) for criterion in gate.criteria]
            named += [(item.key, item.name) for item in gate.deliverables]
    keys = {key for key, _label in named}
    texts = [text for _key, label in named for text in (label.en, label.fr)]
    words = set(re.findall(r"[\w-]+", " ".join(texts)))
    return {key for key in keys if key not in words} - PEOPLES_WORDS


class _Page(HTMLParser):
    """The text people read: text nodes (each apart, to tell a whole cell), `alt`, `title`
    and `aria-label` values; without scripts, styles, the Markdown of documents (people's
    own text) and the values of form fields. Also the links, to follow them."""

    HIDDEN = {"script", "style", "article", "textarea"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("alt", "title", "aria-label"):
            if values.get(name):
                self.texts.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(" ".join(unescape(data).split()))


def problems(texts: list[str], keys: set[str]) -> list[str]:
    """What a French reader should not read in these texts."""
    found = []
    for text in (URL.sub("", text) for text in texts):
        tokens = set(re.findall(r"[\w-]+|->", text))
        found += [f"code {token!r} in {text!r}" for token in tokens & (CODES | keys | {"->"})]
        if WHOLE_CODE.match(text):
            found.append(f"code {text!r}")
        for pattern, what in (
            (LABELLED_CODE, "code"),
            (BY_USERNAME, "username"),
            (ISO_DATE, "ISO date"),
            (ENGLISH_NUMBER, "English number"),
        ):
            found += [f"{what} {match.group(0)!r} in {text!r}" for match in pattern.finditer(text)]
        if "Submitted by" in text:
            found.append(f"English in {text!r}")
    return found


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "#", path)


def crawl(client: FlaskClient, role: str, keys: set[str]) -> dict[str, list[str]]:
    """Every page reachable from the home page, following links; problems per page."""
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue = ["/"]
    found: dict[str, list[str]] = {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, headers=FRENCH)
        assert response.status_code == 200, f"{role}: {url} answered {response.status_code}"
        if response.mimetype != "text/html":
            continue
        page = _Page()
        page.feed(response.get_data(as_text=True))
        if issues := problems(page.texts, keys):
            found[url] = issues
        for href in page.links:
            target = urldefrag(href).url
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or SKIPPED.search(parts.path):
                continue
            kind = kind_of(parts.path) + ("?" if parts.query else "")
            if target in seen or target in queue:
                continue
            if kinds[kind] >= PER_KIND and not (role == "pmo" and kind in EVERY_ONE):
                continue
            kinds[kind] += 1
            queue.append(target)
    return found


def pdf_text(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def demo(app: Flask, runner) -> Flask:
    seeded = runner.invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    return app


@pytest.mark.slow
def test_a_french_reader_of_any_role_reads_no_code_on_any_page_of_the_demo(demo: Flask) -> None:
    keys = workflow_keys()
    assert {"opportunite", "go-cadrage", "discovery"} <= keys
    failures: dict[str, list[str]] = {}
    for role in ROLES:
        client = demo.test_client()
        login(client, role, DEMO_PASSWORD)
        for url, issues in crawl(client, role, keys).items():
            failures[f"{role} {url}"] = issues
        with demo.app_context():
            project = db.session.scalar(select(GateReview.project_id).limit(1))
        diagram = client.get(f"/projects/{project}/diagram.svg", headers=FRENCH)
        if diagram.status_code == 200:
            svg = _Page()
            svg.feed(diagram.get_data(as_text=True))
            if issues := problems(svg.texts, keys):
                failures[f"{role} diagram"] = issues
    assert not failures, "\n".join(
        f"{page}: {issue}" for page, issues in failures.items() for issue in issues[:5]
    )


@pytest.mark.slow
def test_the_french_decision_records_and_status_report_read_in_words(demo: Flask) -> None:
    keys = workflow_keys()
    client = demo.test_client()
    login(client, "pmo", DEMO_PASSWORD)
    with demo.app_context():
        reviews = db.session.execute(select(GateReview.id, GateReview.decision)).all()
    one_per_outcome = {decision: review for review, decision in reviews}
    failures: dict[str, list[str]] = {}
    for decision, review in sorted(one_per_outcome.items(), key=lambda item: str(item[0])):
        response = client.get(f"/portfolio/gate-reviews/{review}/record.pdf", headers=FRENCH)
        assert response.status_code == 200
        text = pdf_text(response.data)
        assert any("Décision" in page for page in text)
        if issues := problems(text, keys):
            failures[f"record of review {review} ({decision})"] = issues
    report = client.get("/portfolio/report.pdf", headers=FRENCH)
    assert report.status_code == 200
    if issues := problems(pdf_text(report.data), keys):
        failures["status report"] = issues
    assert not failures, "\n".join(
        f"{pdf}: {issue}" for pdf, issues in failures.items() for issue in issues[:5]
    )
