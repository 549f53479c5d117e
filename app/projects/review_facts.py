"""What a committee decides on, as submitted: the budget with its variance, the top risks and
the deliverables at the exact versions handed in, with links to those versions and their files.

The review page, the decision record (JSON and PDF) and the API's review read these
functions, so the three always show the same figures and the same versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import url_for
from sqlalchemy import and_, or_, select

from app.extensions import db
from app.library.models import Attachment, DocumentVersion
from app.projects.models import GateReview, GateReviewDeliverable
from workflows import Gate


@dataclass(frozen=True)
class Budget:
    """The amounts the manager entered at submission, and how far the forecast drifts."""

    planned: Decimal | None
    actual: Decimal | None
    forecast: Decimal | None

    @property
    def entered(self) -> bool:
        return any(value is not None for value in (self.planned, self.actual, self.forecast))

    @property
    def variance(self) -> Decimal | None:
        """Forecast minus planned (positive: over budget); None unless both are known."""
        if self.planned is None or self.forecast is None:
            return None
        return self.forecast - self.planned

    @property
    def variance_pct(self) -> float | None:
        """The variance as a percentage of the plan; None for an unknown or zero plan."""
        if self.variance is None or not self.planned:
            return None
        return round(float(self.variance / self.planned * 100), 1)


def budget_of(review: GateReview) -> Budget:
    return Budget(review.budget_planned, review.budget_actual, review.budget_forecast)


def budget_data(review: GateReview) -> dict[str, str | None]:
    """The API's `budget` of a review: amounts as decimal strings, like a project's `budget`."""
    budget = budget_of(review)
    return {
        name: None if value is None else str(value)
        for name, value in (
            ("planned", budget.planned),
            ("actual", budget.actual),
            ("forecast", budget.forecast),
        )
    }


def deliverables_seen(review: GateReview, gate: Gate | None, language: str) -> list[dict[str, Any]]:
    """Each deliverable handed in: its name in `language`, the document version judged (its
    title then, a link to that version, the files it had) or the URL given.

    Two queries whatever the number of deliverables. Links are absolute, for the JSON and
    the PDF: call it while serving a request.
    """
    handed_in: list[GateReviewDeliverable] = list(review.deliverables)
    wanted = [(d.document_id, d.document_version) for d in handed_in if d.document_id]
    titles: dict[tuple[int, int], str] = {}
    files: dict[int, list[Attachment]] = {}
    if wanted:
        rows = db.session.execute(
            select(
                DocumentVersion.document_id, DocumentVersion.number, DocumentVersion.title
            ).where(
                or_(
                    *(
                        and_(DocumentVersion.document_id == doc, DocumentVersion.number == number)
                        for doc, number in wanted
                    )
                )
            )
        )
        titles = {(doc, number): title for doc, number, title in rows}
        for attachment in db.session.scalars(
            select(Attachment)
            .where(Attachment.document_id.in_({doc for doc, _number in wanted}))
            .order_by(Attachment.id)
        ):
            files.setdefault(attachment.document_id, []).append(attachment)
    names = {d.key: d.name.text(language) for d in gate.deliverables} if gate else {}
    return [
        {
            "key": item.deliverable,
            "name": names.get(item.deliverable, item.deliverable),
            "document": None
            if item.document_id is None
            else _document(item, titles, files.get(item.document_id, [])),
            "url": item.url,
        }
        for item in handed_in
    ]


def _document(
    item: GateReviewDeliverable,
    titles: dict[tuple[int, int], str],
    attachments: list[Attachment],
) -> dict[str, Any]:
    """The version judged; its files are those attached at or before that version."""
    doc, number = item.document_id, item.document_version
    return {
        "id": doc,
        "version": number,
        "title": titles.get((doc, number)),
        "link": url_for("library.version", document_id=doc, number=number, _external=True),
        "files": [
            {
                "name": attachment.filename,
                "link": url_for(
                    "library.download",
                    document_id=doc,
                    attachment_id=attachment.id,
                    _external=True,
                ),
            }
            for attachment in attachments
            if number is not None and attachment.version <= number
        ],
    }
