"""Submitting a gate review: the state check (409), then every rule at once (422).

Deliverables come in three forms, all resolved to the gate's deliverable keys:

- a list of library document ids (the contract): each document is matched to the gate
  deliverable whose key is one of its tags, else whose `template` is its template key, else whose
  `kind` is its kind;
- an object `{deliverable_key: document_id}` when the manager wants to say which is which;
- list items `{"key": deliverable_key, "url": "https://..."}` for a deliverable kept elsewhere.

The document's current version number is recorded, so later edits do not change what was judged.
A document the submitter may not see is refused as if it did not exist.

Lessons learned given with the submission become `lesson` documents of the project at the
reviewed stage, in the same transaction: a refused submission records none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import Principal, User
from app.extensions import db
from app.library.access import can_view
from app.library.lessons import record_lesson
from app.library.models import Document
from app.projects import audit
from app.projects.definitions import engine_for
from app.projects.models import ActionItem, ActionStatus, GateReview, GateReviewDeliverable, Project
from app.projects.refusal_messages import ItemProblem, submission_details, transition_conflict
from app.projects.services import after_commit, lock_project, open_review_id, state_of
from app.refusals import Conflict, Forbidden, Invalid
from app.timeutil import utcnow
from app.web import MAX_ID
from workflows import Gate, Refusal, RefusalCode, TransitionRefused, check_submission, score

#: What a resolved deliverable is: (document id, version) or a URL.
Provided = dict[str, dict[str, Any]]


def missing_training_of(user: User | Principal, courses: Sequence[str]) -> list[str]:
    """Course keys among `courses` the user lacks a valid completion of (training domain)."""
    if not courses:
        return []
    from app.training.services import missing_training

    return missing_training(user, list(courses))


def _match(gate: Gate, document: Document, taken: set[str]) -> str | None:
    free = [d for d in gate.deliverables if d.key not in taken]
    tags = set(document.tags)
    for test in (
        lambda d: d.key in tags,
        lambda d: d.template is not None and d.template == document.template_key,
        lambda d: d.kind == str(document.kind),
    ):
        found = next((d.key for d in free if test(d)), None)
        if found is not None:
            return found
    return None


def _document(
    actor: User, document_id: object, refusals: list[Refusal], field: str
) -> Document | None:
    is_id = isinstance(document_id, int) and not isinstance(document_id, bool)
    document = (
        db.session.get(Document, document_id) if is_id and 1 <= document_id <= MAX_ID else None
    )
    if document is not None and not can_view(actor, document):
        document = None
    if document is None:
        problem = {"problem": ItemProblem.NO_SUCH_DOCUMENT, "document": document_id}
        refusals.append(Refusal(RefusalCode.DELIVERABLE_MISSING, field, problem))
    return document


def resolve_deliverables(
    actor: User, gate: Gate, given: Sequence[Any] | Mapping[str, Any]
) -> tuple[Provided, list[Refusal]]:
    """Gate deliverable key -> what was provided, and the refusals of unusable items."""
    provided: Provided = {}
    refusals: list[Refusal] = []
    keys = {d.key for d in gate.deliverables}
    if isinstance(given, Mapping):
        items: list[Any] = [{"key": k, "document": v} for k, v in given.items()]
    else:
        items = list(given)
    for index, item in enumerate(items):
        field = f"deliverables[{index}]"
        if isinstance(item, Mapping):
            key = item.get("key")
            if key not in keys:
                problem = {"problem": ItemProblem.NOT_A_DELIVERABLE, "key": key}
                refusals.append(Refusal(RefusalCode.DELIVERABLE_MISSING, field, problem))
                continue
            if "document" in item:
                document = _document(actor, item["document"], refusals, field)
                if document is not None:
                    provided[key] = {"document": document}
            elif isinstance(item.get("url"), str) and item["url"].startswith(
                ("http://", "https://")
            ):
                provided[key] = {"url": item["url"]}
            else:
                problem = {"problem": ItemProblem.NO_DOCUMENT_OR_URL}
                refusals.append(Refusal(RefusalCode.DELIVERABLE_MISSING, field, problem))
            continue
        document = _document(actor, item, refusals, field)
        if document is None:
            continue
        key = _match(gate, document, set(provided))
        if key is None:
            problem = {
                "problem": ItemProblem.MATCHES_NO_DELIVERABLE,
                "document": document.id,
                "title": document.title,
            }
            refusals.append(Refusal(RefusalCode.DELIVERABLE_MISSING, field, problem))
        else:
            provided[key] = {"document": document}
    return provided, refusals


def open_conditions(project: Project) -> int:
    """Action items of the project not yet closed by the manager."""
    return db.session.scalar(
        select(func.count(ActionItem.id)).where(
            ActionItem.project_id == project.id, ActionItem.status == ActionStatus.OPEN
        )
    )


def submit_review(
    actor: User,
    project: Project,
    criteria: Mapping[str, Any],
    deliverables: Sequence[Any] | Mapping[str, Any] = (),
    summary: str = "",
    budget: Mapping[str, Decimal | None] | None = None,
    top_risks: Sequence[str] = (),
    lessons: Sequence[Mapping[str, str]] = (),
) -> GateReview:
    """Submit the review of the project's current gate, or refuse with every reason.

    Only the project's manager submits (they answer for the project; the PMO and admins judge
    or govern it, and whoever submits may not vote). 409 when the state forbids it, 422 with a
    `details` list of every refusal (`code`, `field`, `message`). `lessons` are
    `{"title", "body", "language"?}` mappings recorded as lessons learned once the review is in.
    """
    if project.manager_id != actor.id:
        raise Forbidden(_("Only the project's manager submits its gate reviews."))
    project = lock_project(project)
    engine = engine_for(project)
    try:
        engine.ensure_can_submit(state_of(project))
    except TransitionRefused as refused:
        raise transition_conflict(refused, engine.definition) from refused
    if open_review_id(project) is not None:
        raise Conflict(_("A gate review is already open."), code="review_open")
    gate = engine.gate_from(project.stage)
    assert gate is not None  # an active project's stage always has its gate
    provided, refusals = resolve_deliverables(actor, gate, deliverables)
    refusals += check_submission(
        gate,
        criteria,
        set(provided),
        open_conditions(project),
        missing_training_of(actor, gate.requires_training),
    )
    if refusals:
        raise Invalid(
            _("The gate review cannot be submitted."),
            code="submission_refused",
            details=submission_details(gate, refusals, actor),
        )
    budget = budget or {}
    review = GateReview(
        project_id=project.id,
        gate=gate.key,
        from_stage=gate.from_stage,
        to_stage=gate.to_stage,
        submitted_by_id=actor.id,
        summary=summary,
        criteria=dict(criteria),
        score=score(gate, criteria),
        budget_planned=budget.get("planned"),
        budget_actual=budget.get("actual"),
        budget_forecast=budget.get("forecast"),
        top_risks=list(top_risks),
        open_project_id=project.id,
        vote_by=utcnow().date() + timedelta(days=gate.vote_within_days),
    )
    for key, item in provided.items():
        document = item.get("document")
        review.deliverables.append(
            GateReviewDeliverable(
                deliverable=key,
                document_id=document.id if document else None,
                document_version=document.current_version if document else None,
                url=item.get("url"),
            )
        )
    db.session.add(review)
    db.session.flush()
    recorded = [
        record_lesson(
            project,
            gate.from_stage,
            actor,
            lesson["title"],
            lesson["body"],
            lesson.get("language"),
        )
        for lesson in lessons
    ]
    audit.record(
        "submission",
        actor.username,
        {
            "review": review.id,
            "gate": gate.key,
            "criteria": review.criteria,
            "score": review.score,
            "deliverables": {
                d.deliverable: d.url or f"document {d.document_id} v{d.document_version}"
                for d in review.deliverables
            },
            "lessons": [document.id for document in recorded],
        },
        project.id,
    )
    after_commit("submission", {"review_id": review.id})
    return review
