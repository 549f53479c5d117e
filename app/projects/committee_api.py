"""API of the committee: vote changes, recusals, the chair's decision, withdrawals, delegations."""

from __future__ import annotations

from app.api.auth import api_principal, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.projects.committee_schemas import (
    ChairDecisionSchema,
    DelegationCreateSchema,
    DelegationListSchema,
    DelegationSchema,
    RecusalCreateSchema,
    RecusalSchema,
)
from app.projects.delegations import create_delegation, delete_delegation, my_delegations
from app.projects.review_actions import chair_decide, recuse, withdraw_review
from app.projects.schemas import ReviewSchema, VoteChangeSchema, VoteSchema
from app.projects.voting import change_vote, withdraw_vote

blp = Blueprint("committee_api", __name__, description="Gate committees: votes, chair, delegations")


@blp.route("/gate-reviews/<id:review_id>/votes/mine", methods=["PATCH"])
@token_required()
@blp.arguments(VoteChangeSchema)
@blp.response(200, VoteSchema)
def change_vote_endpoint(data: dict, review_id: int):
    """Change my vote before the decision (404 without one, 409 once decided or withdrawn)."""
    return change_vote(
        api_principal(),
        review_id,
        data["decision"],
        comment=data["comment"],
        conditions=data["conditions"],
        scores=data["scores"],
    )


@blp.route("/gate-reviews/<id:review_id>/votes/mine", methods=["DELETE"])
@token_required()
@blp.response(204)
def withdraw_vote_endpoint(review_id: int):
    """Withdraw my vote before the decision; the audit trail keeps it."""
    withdraw_vote(api_principal(), review_id)


@blp.route("/gate-reviews/<id:review_id>/chair-decision", methods=["POST"])
@token_required()
@blp.arguments(ChairDecisionSchema)
@blp.response(201, ReviewSchema)
def chair_decision_endpoint(data: dict, review_id: int):
    """The gate's chair decides a `no_consensus` review, with a rationale."""
    return chair_decide(
        api_principal(),
        review_id,
        data["decision"],
        data["rationale"],
        conditions=data["conditions"],
    )


@blp.route("/gate-reviews/<id:review_id>/recusal", methods=["POST"])
@token_required()
@blp.arguments(RecusalCreateSchema)
@blp.response(201, RecusalSchema)
def recusal_endpoint(data: dict, review_id: int):
    """Recuse myself from a review, with a reason: I no longer count among its voters."""
    return recuse(api_principal(), review_id, data["reason"])


@blp.route("/gate-reviews/<id:review_id>/withdraw", methods=["POST"])
@token_required()
@blp.response(200, ReviewSchema)
def withdraw_review_endpoint(review_id: int):
    """The submitter withdraws a review nobody voted on; the project may be submitted again."""
    return withdraw_review(api_principal(), review_id)


@blp.route("/delegations", methods=["POST"])
@token_required()
@blp.arguments(DelegationCreateSchema)
@blp.response(201, DelegationSchema)
def create_delegation_endpoint(data: dict):
    """Give my vote to another gatekeeper for a window of days."""
    return create_delegation(api_principal(), data["delegate"], data["starts_on"], data["ends_on"])


@blp.route("/delegations", methods=["GET"])
@token_required()
@blp.response(200, DelegationListSchema)
def list_delegations_endpoint():
    """My delegations: those I gave and those I received."""
    me = api_principal()
    delegations = my_delegations(me)
    return {
        "given": [d for d in delegations if d.delegator_id == me.id],
        "received": [d for d in delegations if d.delegate_id == me.id],
    }


@blp.route("/delegations/<id:delegation_id>", methods=["DELETE"])
@token_required()
@blp.response(204)
def delete_delegation_endpoint(delegation_id: int):
    """Take back a delegation I gave."""
    delete_delegation(api_principal(), delegation_id)
