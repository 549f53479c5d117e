"""Demo library: standards per gate, the templates the workflows name, guidelines and lessons.

Written through the library services (versions, index tasks), in French and English, with
mixed statuses: mostly published, a few drafts, one in review, one obsolete, one overdue for
review. Idempotent: a document whose title already exists is left alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select

from app.auth.services import get_user_by_username
from app.extensions import db
from app.library.documents import create_document
from app.library.lifecycle import transition
from app.library.models import Document

PUBLISH = ("in_review", "published")
DATA = Path(__file__).with_name("library.yaml")


def _sections_body(purpose: str, sections: list[str], language: str) -> str:
    intro = "Objet" if language == "fr" else "Purpose"
    fill = "À compléter." if language == "fr" else "To be completed."
    parts = [f"## {intro}\n\n{purpose}"] + [f"## {title}\n\n{fill}" for title in sections]
    return "\n\n".join(parts) + "\n"


def _walk(doc: Document, status: str, pmo: object) -> None:
    steps = {
        "draft": (),
        "in_review": PUBLISH[:1],
        "published": PUBLISH,
        "obsolete": (*PUBLISH, "obsolete"),
    }[status]
    for step in steps:
        transition(doc, pmo, step)


def seed_library() -> str:
    """Create the demo documents that do not exist yet (matched by title)."""
    pmo = get_user_by_username("pmo")
    manager = get_user_by_username("manager") or pmo
    if pmo is None:
        return "library: skipped (no demo PMO account)"
    existing = set(_titles())
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    created = 0

    def add(status: str, author: object, **values: object) -> None:
        nonlocal created
        if values["title"] in existing:
            return
        doc = create_document(author, reason="Demo", **values)
        _walk(doc, status, pmo)
        created += 1

    for t in data["templates"]:
        add(
            "published",
            pmo,
            kind="template",
            template_key=t["key"],
            language=t["language"],
            workflow=t["workflow"],
            stage=t["stage"],
            title=t["title"],
            summary=t["purpose"],
            body=_sections_body(t["purpose"], t["sections"], t["language"]),
            tags=["template"],
            methodology=t["workflow"],
            review_date=date.today() + timedelta(days=365),
        )
    for gate in data["gates"]:
        key, stage, title, rule = gate["key"], gate["stage"], gate["title"], gate["rule"]
        add(
            "published",
            pmo,
            kind="standard",
            language="en",
            workflow="stage-gate",
            stage=stage,
            title=f"Standard — {title}",
            summary=rule,
            body=f"# {title}\n\n{rule}\n\nSee the gate definition `{key}` for the criteria.",
            tags=["gate", "stage-gate"],
            methodology="stage-gate",
        )
    for index, doc in enumerate(data["documents"]):
        kind, language, body = doc["kind"], doc["language"], doc["body"]
        overdue = date.today() - timedelta(days=10) if index == 1 else None
        add(
            doc["status"],
            manager if kind == "lesson" else pmo,
            kind=kind,
            language=language,
            title=doc["title"],
            tags=doc["tags"],
            body=body,
            summary=body.split("\n")[0].lstrip("# "),
            stage="cadrage" if kind == "lesson" and language == "fr" else None,
            methodology="it-project" if language == "fr" else "stage-gate",
            review_date=overdue,
        )
    return f"library: {created} documents created"


def _titles() -> list[str]:
    return list(db.session.scalars(select(Document.title)))
