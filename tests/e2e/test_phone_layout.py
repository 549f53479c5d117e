"""On a 390 px phone nothing scrolls sideways and the header stays small; desktop keeps its bar.

The pages are the demo's (`jalon demo seed`): long names, budgets, matrices and charts, as
people see them, signed in as each demo role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.demo import DEMO_PASSWORD, seed
from app.extensions import db
from app.library.models import Document, DocumentStatus
from app.projects.models import GateReview, Vote
from app.training.models import Course
from tests.e2e.conftest import sign_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
#: A demo account of each role.
ROLES = ("pmo", "manager", "gatekeeper", "staff", "admin")
#: Pages not in the navigation that forms and lists lead to.
FORM_PAGES = (
    "/account",
    "/notifications/",
    "/library/search?q=gestion+des+risques",
    "/library/new",
    "/projects/new",
    "/reviews/awaiting",
    "/training/lists",
    "/training/completions/new",
    "/training/import",
    "/admin/users/new",
    "/portfolio/report",
)


@dataclass(frozen=True)
class DemoPages:
    review: str
    project: str
    document: str
    history: str
    course: str

    def paths(self) -> list[str]:
        return [self.review, self.project, self.document, self.history, self.course]


@pytest.fixture
def demo(app: Flask) -> DemoPages:
    """The demo seeded; the pages of its most voted review, a published document, a course."""
    with app.app_context():
        seed()
        db.session.commit()
        review = db.session.execute(
            select(GateReview.id, GateReview.project_id)
            .join(Vote, Vote.review_id == GateReview.id)
            .group_by(GateReview.id, GateReview.project_id)
            .order_by(func.count(Vote.id).desc(), GateReview.id)
            .limit(1)
        ).one()
        document = db.session.scalar(
            select(Document.id).where(Document.status == DocumentStatus.PUBLISHED).limit(1)
        )
        course = db.session.scalar(select(Course.key).order_by(Course.id).limit(1))
        db.session.remove()
    return DemoPages(
        review=f"/reviews/{review.id}",
        project=f"/projects/{review.project_id}",
        document=f"/library/{document}",
        history=f"/library/{document}/history",
        course=f"/training/courses/{course}",
    )


@pytest.fixture
def browser_context(chromium) -> Iterator:
    context = chromium.new_context(locale="en-GB", viewport=PHONE)
    yield context
    context.close()


def _overflow(page) -> dict:
    """How wide the page scrolls and how tall the header is, with what sticks out."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + (e.id || ''));
          return {scroll: document.scrollingElement.scrollWidth,
                  header: document.querySelector('header.top').getBoundingClientRect().height,
                  wide};
        }"""
    )


def _check(page, live_server: str, path: str) -> None:
    page.goto(f"{live_server}{path}")
    found = _overflow(page)
    assert found["scroll"] <= PHONE["width"], (path, found)
    assert found["header"] < 100, (path, found)


def _menu_paths(page) -> list[str]:
    """The navigation's links, read from the menu opened as a person would."""
    page.get_by_text("Menu", exact=True).click()
    links = page.get_by_role("navigation").get_by_role("link")
    assert links.first.is_visible()
    found = _overflow(page)
    assert found["scroll"] <= PHONE["width"], ("open menu", found)
    return [link.get_attribute("href") for link in links.all()]


def test_the_busiest_pages_fit_a_phone_and_the_menu_opens(app, demo, live_server, browser_context):
    page = browser_context.new_page()
    sign_in(page, live_server, "pmo", DEMO_PASSWORD)
    assert page.locator("header nav").is_hidden()
    assert "/portfolio/" in _menu_paths(page)
    for path in (demo.review, demo.project, "/portfolio/", "/training/matrix"):
        _check(page, live_server, path)


def test_desktop_keeps_the_navigation_in_the_header(app, live_server, page, make_user):
    make_user("paula", roles=["pmo"])
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "paula")
    assert page.get_by_text("Menu", exact=True).is_hidden()
    navigation = page.get_by_role("navigation")
    assert navigation.get_by_role("link", name="Portfolio").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.locator("header.top").bounding_box()["height"] < 100


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_on_a_phone(app, demo, live_server, browser_context, role):
    page = browser_context.new_page()
    sign_in(page, live_server, role, DEMO_PASSWORD)
    paths = dict.fromkeys(["/", *_menu_paths(page), *demo.paths(), *FORM_PAGES])
    for path in paths:
        _check(page, live_server, path)
