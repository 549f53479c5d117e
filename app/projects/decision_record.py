"""The gate decision record: everything a committee saw and said about one gate review.

Auditors and steering committees ask, months later, "what exactly was decided, by whom,
on what evidence?". The record answers from the stored review: the gate as defined in the
workflow version the project is pinned to, the manager's answers and score, the exact
document versions handed in (with the title they had then), every vote with its
scorecard and conditions, the action items the decision created, and the audit-chain
hashes of the submission, votes and decision so the record can be checked against the
trail. An undecided review has a record too, marked provisional.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import display_names
from app.extensions import db
from app.labels import action_status_label, decision_label, review_status_label, rule_label
from app.projects.committee import chair_decision_of
from app.projects.definitions import get_definition
from app.projects.models import ActionItem, AuditEvent, GateReview
from app.projects.naming import stage_name
from app.projects.queries import scorecards
from app.projects.review_facts import budget_of, deliverables_seen
from app.projects.services import can_see
from app.refusals import NotFound

#: Audit event kinds that concern one review (their `data.review` names it).
REVIEW_EVENTS = ("submission", "vote", "decision")


def get_review(user: User, review_id: int) -> GateReview:
    """The review if `user` may see its project; 404 otherwise, as for an unknown id."""
    review = db.session.get(GateReview, review_id)
    if review is None or not can_see(user, review.project):
        raise NotFound(_("No such gate review."))
    return review


def decision_record(review: GateReview, language: str = "en") -> dict[str, Any]:
    """The record of `review` as plain data (the JSON answer and the PDF's content).

    Codes and usernames stay as they are (`decision`, `voter`...) for programs; beside each
    is its word or name for people (`decision_label`, `voter_name`...), in the request's
    language, which the PDF shows.
    """
    project = review.project
    definition = get_definition(project.workflow, project.workflow_version)
    gate = definition.gate(review.gate)
    decided = review.decision is not None
    budget = budget_of(review)
    gate_data = _gate(gate, review, language)
    gate_data["from_name"] = stage_name(project, gate_data["from"])
    gate_data["to_name"] = stage_name(project, gate_data["to"])
    gate_data["rule_label"] = rule_label(gate_data["rule"]) if gate_data["rule"] else None
    return {
        "review": review.id,
        "project": {
            "id": project.id,
            "name": project.name,
            "manager": project.manager.username,
            "manager_name": project.manager.display_name,
            "programme": project.programme_name,
            "portfolio": project.portfolio_name,
        },
        "workflow": {
            "key": definition.key,
            "version": definition.version,
            "name": definition.name.text(language),
        },
        "gate": gate_data,
        "submitted_by": review.submitted_by.username,
        "submitted_by_name": review.submitted_by.display_name,
        "submitted_at": review.submitted_at,
        "summary": review.summary,
        "score": review.score,
        "budget": {
            "planned": budget.planned,
            "actual": budget.actual,
            "forecast": budget.forecast,
            "variance": budget.variance,
            "variance_pct": budget.variance_pct,
        },
        "top_risks": list(review.top_risks or []),
        "deliverables": deliverables_seen(review, gate, language),
        "votes": [
            {
                "voter": vote.voter.username,
                "voter_name": vote.voter.display_name,
                "decision": vote.decision.value,
                "decision_label": decision_label(vote.decision),
                "comment": vote.comment,
                "conditions": list(vote.conditions or []),
                "scores": {entry.criterion: entry.score for entry in vote.scores},
                "cast_at": vote.created_at,
            }
            for vote in review.votes
        ],
        "scorecard_spread": _spread(review, gate),
        "criterion_labels": {c["key"]: c["label"] for c in gate_data["criteria"]},
        "status": review.status.value,
        "status_label": review_status_label(review.status),
        "decision": review.decision.value if decided else None,
        "decision_label": decision_label(review.decision) if decided else None,
        "decided_at": review.decided_at,
        "final": decided,
        "note": None
        if decided
        else _("No decision yet: the review still awaits votes. This record is provisional."),
        "chair_decision": chair_decision_of(review),
        "action_items": _action_items(review),
        "audit": _audit(review),
    }


def _gate(gate: Any, review: GateReview, language: str) -> dict[str, Any]:
    if gate is None:  # a gate the pinned definition no longer has: keep the stored answers
        return {
            "key": review.gate,
            "name": review.gate,
            "from": review.from_stage,
            "to": review.to_stage,
            "pass_score": None,
            "rule": None,
            "min_votes": None,
            "criteria": [
                {"key": key, "label": key, "must_meet": None, "weight": None, "answer": answer}
                for key, answer in sorted(review.criteria.items())
            ],
        }
    return {
        "key": gate.key,
        "name": gate.name.text(language),
        "from": gate.from_stage,
        "to": gate.to_stage,
        "pass_score": gate.pass_score,
        "rule": gate.rule.value,
        "min_votes": gate.approvers.min_votes,
        "criteria": [
            {
                "key": criterion.key,
                "label": criterion.label.text(language),
                "must_meet": criterion.must_meet,
                "weight": criterion.weight,
                "answer": review.criteria.get(criterion.key),
            }
            for criterion in gate.criteria
        ],
    }


def _spread(review: GateReview, gate: Any) -> dict[str, dict[str, int] | None]:
    """Per should-meet criterion, the lowest and highest score the voters gave."""
    if gate is None:
        return {}
    spread = scorecards(review, gate)["spread"]
    return {
        key: None if values is None else {"min": values[0], "max": values[1]}
        for key, values in spread.items()
    }


def _action_items(review: GateReview) -> list[dict[str, Any]]:
    items = db.session.scalars(
        select(ActionItem).where(ActionItem.review_id == review.id).order_by(ActionItem.id)
    )
    return [
        {
            "id": item.id,
            "description": item.description,
            "owner": item.owner.username,
            "owner_name": item.owner.display_name,
            "due_date": item.due_date,
            "status": item.status.value,
            "status_label": action_status_label(item.status),
        }
        for item in items
    ]


def _audit(review: GateReview) -> dict[str, Any]:
    """The chain links of the review's submission, votes and decision (hash and previous)."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.project_id == review.project_id, AuditEvent.kind.in_(REVIEW_EVENTS))
        .order_by(AuditEvent.id)
    )
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in REVIEW_EVENTS}
    events = [e for e in events if (e.data or {}).get("review") == review.id]
    names = display_names(event.actor for event in events)
    for event in events:
        found[event.kind].append(
            {
                "event": event.id,
                "actor": event.actor,
                "actor_name": names.get(event.actor, event.actor),
                "at": event.created_at,
                "hash": event.hash,
                "prev_hash": event.prev_hash,
            }
        )
    return {
        "submission": found["submission"][0] if found["submission"] else None,
        "votes": found["vote"],
        "decision": found["decision"][0] if found["decision"] else None,
    }
