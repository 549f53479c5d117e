"""In Chromium: a failed submission focuses its first field in error from the error summary,
then the manager uploads a deliverable's completed file with the submission."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.library.models import Document
from app.projects.services import create_project
from tests.e2e.conftest import sign_in
from workflows import DEFINITIONS_DIR

TEMPLATED = Path(__file__).parent.parent / "projects" / "definitions" / "templated.yaml"


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """The shipped workflows plus `templated` (a gate asking for a charter and a report)."""
    folder = tmp_path / "workflows"
    folder.mkdir()
    for source in (*DEFINITIONS_DIR.glob("*.yaml"), TEMPLATED):
        shutil.copy(source, folder / source.name)
    return make_app(JALON_WORKFLOWS_DIR=str(folder))


def test_manager_fixes_the_focused_field_and_uploads_the_charter(app, live_server, page, make_user):
    manager = make_user("marc", roles=["manager"], display_name="Marc Durand")
    with app.app_context():
        project_id = create_project(db.session.merge(manager), "Heat pump", "templated").id
        db.session.commit()

    sign_in(page, live_server, "marc")
    page.goto(f"{live_server}/projects/{project_id}/review")
    page.get_by_role("button", name="Submit").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "summary"
    page.evaluate("document.activeElement.blur()")
    summary.get_by_role("link", name="Summary: This field is required.").click()
    page.wait_for_function("document.activeElement.id === 'summary'")

    page.get_by_label("Summary").fill("Charter signed by the sponsor.")
    page.set_input_files(
        "#file__charter",
        files=[{"name": "charter.txt", "mimeType": "text/plain", "buffer": b"Our charter.\n"}],
    )
    page.get_by_label("Test report: or a link").fill("https://docs.example/report")
    page.get_by_role("button", name="Submit").click()
    assert page.locator("#review-status").inner_text() == "Awaiting votes"

    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.project_id == project_id))
        assert document is not None
        assert document.tags == ["charter"]
        assert [a.filename for a in document.attachments] == ["charter.txt"]
