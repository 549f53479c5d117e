"""The committee in a real browser: the chair ends a deadlock, a vote changed, a delegate votes."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import User
from app.extensions import db
from app.projects.services import create_project
from app.projects.submission import submit_review
from app.projects.voting import cast_vote
from app.timeutil import utcnow
from tests.e2e.conftest import sign_in
from workflows import load_definitions_dir


def _open_review(app, workflow: str, gate_key: str) -> int:
    """A project of `workflow` at `gate_key`, its review submitted by "marc": the review id."""
    gate = load_definitions_dir()[workflow].gate(gate_key)
    with app.app_context():
        manager = db.session.scalar(db.select(User).where(User.username == "marc"))
        project = create_project(manager, "Heat pump", workflow)
        project.stage = gate.from_stage
        db.session.flush()
        review = submit_review(
            manager,
            project,
            {c.key: True if c.must_meet else 5 for c in gate.criteria},
            [{"key": d.key, "url": f"https://docs.example/{d.key}"} for d in gate.deliverables],
            summary="Ready.",
        )
        db.session.commit()
        return review.id


def _vote(app, username: str, review: int, decision: str, comment: str = "") -> None:
    with app.app_context():
        voter = db.session.scalar(db.select(User).where(User.username == username))
        cast_vote(voter, review, decision, comment=comment)
        db.session.commit()


def _people(make_user) -> None:
    make_user("marc", roles=["manager"], display_name="Marc Durand")
    make_user("gaelle", roles=["gatekeeper"], display_name="Gaëlle Martin")
    make_user("gerard", roles=["gatekeeper"], display_name="Gérard Petit")
    make_user("paule", roles=["pmo"], display_name="Paule Leroy")


def test_the_chair_resolves_a_unanimous_deadlock(app, live_server, page, make_user):
    _people(make_user)
    review = _open_review(app, "it-project", "go-realisation")
    _vote(app, "gaelle", review, "go")
    _vote(app, "gerard", review, "recycle", comment="The architecture is not validated.")

    sign_in(page, live_server, "paule")
    page.goto(f"{live_server}/reviews/{review}")
    assert "No consensus" in page.locator("#committee-status").inner_text()
    chair = page.locator("#chair")
    chair.get_by_label("Decision").select_option("go")
    chair.get_by_role("button", name="Decide").click()
    page.get_by_text("This field is required.").first.wait_for()
    page.locator("#chair").get_by_label("Rationale").fill("The supplier fixes the design in March.")
    page.locator("#chair").get_by_role("button", name="Decide").click()
    page.get_by_text("Decision recorded.").wait_for()
    assert page.locator("#committee-status").inner_text() == "Decided"
    assert "The supplier fixes the design in March." in page.locator("#committee").inner_text()
    assert page.locator("#chair").count() == 0


def test_a_gatekeeper_changes_their_vote(app, live_server, page, make_user):
    _people(make_user)
    review = _open_review(app, "stage-gate", "gate-1-idea-screen")

    sign_in(page, live_server, "gaelle")
    page.goto(f"{live_server}/reviews/{review}")
    page.locator("#vote").get_by_label("Decision").select_option("go")
    page.locator("#vote").get_by_role("button", name="Vote").click()
    page.get_by_text("Vote recorded.").wait_for()
    assert page.locator("#vote").count() == 0
    assert page.locator("#my-vote").inner_text().startswith("You voted Go on")

    page.get_by_text("Change my vote", exact=True).first.click()  # opens the details
    change = page.locator("#change-vote form")
    change.get_by_label("Decision").select_option("hold")
    change.get_by_label("Comment").fill("Wait for the market study.")
    change.get_by_role("button", name="Change my vote").click()
    page.get_by_text("Vote changed.").wait_for()
    assert page.locator("#my-vote").inner_text().startswith("You voted Hold on")


def test_a_delegate_votes_on_behalf_of_an_absent_gatekeeper(app, live_server, page, make_user):
    _people(make_user)
    review = _open_review(app, "stage-gate", "gate-1-idea-screen")
    today = utcnow().date()

    sign_in(page, live_server, "gaelle")
    page.goto(f"{live_server}/delegations")
    page.get_by_label("Delegate", exact=True).select_option("gerard")
    page.get_by_label("From").fill(today.isoformat())
    page.get_by_label("Until (included)").fill((today + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Save the delegation").click()
    page.get_by_text("Delegation recorded.").wait_for()

    sign_in(page, live_server, "gerard")
    page.goto(f"{live_server}/reviews/{review}")
    vote = page.locator("#vote")
    vote.get_by_label("Vote", exact=True).select_option("gaelle")
    vote.get_by_label("Decision").select_option("go")
    vote.get_by_role("button", name="Vote").click()
    page.get_by_text("Vote recorded.").wait_for()
    assert (
        "Gérard Petit voted on behalf of Gaëlle Martin." in page.locator("#committee").inner_text()
    )
    # his own vote remains his to cast
    assert page.locator("#vote").count() == 1
